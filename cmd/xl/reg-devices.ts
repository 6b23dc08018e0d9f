/** Handlers registered by the devices area (see handlers.ts). */
import type { Handler } from './handlers';

export const devicesHandlers: Record<string, Handler> = {};
