/** Handlers registered by the create area (see handlers.ts). */
import { mainConfigUpdate } from './config_update';
import { mainCreate } from './create';
import type { Handler } from './handlers';

export const createHandlers: Record<string, Handler> = {
  main_create: (ctx, argv) => mainCreate(ctx, argv),
  main_config_update: (ctx, argv) => mainConfigUpdate(ctx, argv),
};
