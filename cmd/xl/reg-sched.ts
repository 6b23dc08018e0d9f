/**
 * Handlers registered by the scheduler and cpupool area (see handlers.ts):
 * tools/xl/xl_sched.c and tools/xl/xl_cpupool.c. Loaded only when their
 * command runs.
 */
import type { Handler } from './handlers';
import type { XlContext } from './context';

type Loader = () => Promise<Handler>;

function lazy(load: Loader): Handler {
  return async (ctx: XlContext, argv: string[]) => (await load())(ctx, argv);
}

export const schedHandlers: Record<string, Handler> = {
  main_sched_credit: lazy(async () => (await import('./sched')).mainSchedCredit),
  main_sched_credit2: lazy(async () => (await import('./sched')).mainSchedCredit2),
  main_sched_rtds: lazy(async () => (await import('./sched')).mainSchedRtds),
  main_cpupoolcreate: lazy(async () => (await import('./cpupool')).mainCpupoolcreate),
  main_cpupoollist: lazy(async () => (await import('./cpupool')).mainCpupoollist),
  main_cpupooldestroy: lazy(async () => (await import('./cpupool')).mainCpupooldestroy),
  main_cpupoolrename: lazy(async () => (await import('./cpupool')).mainCpupoolrename),
  main_cpupoolcpuadd: lazy(async () => (await import('./cpupool')).mainCpupoolcpuadd),
  main_cpupoolcpuremove: lazy(async () => (await import('./cpupool')).mainCpupoolcpuremove),
  main_cpupoolmigrate: lazy(async () => (await import('./cpupool')).mainCpupoolmigrate),
  main_cpupoolnumasplit: lazy(async () => (await import('./cpupool')).mainCpupoolnumasplit),
};
