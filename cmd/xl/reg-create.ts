/** Handlers registered by the create area (see handlers.ts). */
import type { Handler } from './handlers';

export const createHandlers: Record<string, Handler> = {};
