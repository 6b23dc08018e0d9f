/**
 * Handlers registered by the save/restore/migration area (see handlers.ts),
 * loaded only when their command runs.
 */
import type { Handler } from './handlers';
import type { XlContext } from './context';

type Loader = () => Promise<Handler>;

function lazy(load: Loader): Handler {
  return async (ctx: XlContext, argv: string[]) => (await load())(ctx, argv);
}

export const saverestoreHandlers: Record<string, Handler> = {
  main_save: lazy(async () => (await import('./save')).mainSave),
  main_restore: lazy(async () => (await import('./restore')).mainRestore),
  main_migrate: lazy(async () => (await import('./migrate')).mainMigrate),
  main_migrate_receive: lazy(async () => (await import('./migrate_receive')).mainMigrateReceive),
};
