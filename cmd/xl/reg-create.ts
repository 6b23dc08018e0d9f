/**
 * Handlers registered by the create area (see handlers.ts). Loaded when
 * the command runs, so other commands do not pay for the xl.cfg parser.
 */
import type { Handler } from './handlers';

export const createHandlers: Record<string, Handler> = {
  main_create: async (ctx, argv) => (await import('./create')).mainCreate(ctx, argv),
  main_config_update: async (ctx, argv) => (await import('./config_update')).mainConfigUpdate(ctx, argv),
};
