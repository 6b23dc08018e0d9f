/**
 * Handlers registered by the xentop area (see handlers.ts): `xl top`,
 * loaded only when it runs.
 */
import type { Handler } from './handlers';

export const topHandlers: Record<string, Handler> = {
  main_top: async (ctx, argv) => (await import('./top')).mainTop(ctx, argv),
};
