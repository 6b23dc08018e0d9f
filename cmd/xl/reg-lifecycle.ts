/** Handlers registered by the lifecycle area (see handlers.ts). */
import type { Handler } from './handlers';

export const lifecycleHandlers: Record<string, Handler> = {};
