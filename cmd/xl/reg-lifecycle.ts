/**
 * Handlers registered by the lifecycle area (see handlers.ts): domain
 * lifecycle, listing and host information commands. Each module is loaded
 * only when its command runs, so `xl list` does not pay for `xl shutdown`.
 */
import type { Handler } from './handlers';
import type { XlContext } from './context';

type Loader = () => Promise<Handler>;

function lazy(load: Loader): Handler {
  return async (ctx: XlContext, argv: string[]) => (await load())(ctx, argv);
}

export const lifecycleHandlers: Record<string, Handler> = {
  main_list: lazy(async () => (await import('./list')).mainList),
  main_claims: lazy(async () => (await import('./list')).mainClaims),
  main_vm_list: lazy(async () => (await import('./list')).mainVmList),
  main_sharing: lazy(async () => (await import('./list')).mainSharing),
  main_destroy: lazy(async () => (await import('./destroy')).mainDestroy),
  main_shutdown: lazy(async () => (await import('./shutdown')).mainShutdown),
  main_reboot: lazy(async () => (await import('./shutdown')).mainReboot),
  main_pause: lazy(async () => (await import('./pause')).mainPause),
  main_unpause: lazy(async () => (await import('./pause')).mainUnpause),
  main_suspend: lazy(async () => (await import('./pause')).mainSuspend),
  main_resume: lazy(async () => (await import('./pause')).mainResume),
  main_info: lazy(async () => (await import('./info')).mainInfo),
  main_dmesg: lazy(async () => (await import('./info')).mainDmesg),
  main_uptime: lazy(async () => (await import('./info')).mainUptime),
  main_debug_keys: lazy(async () => (await import('./info')).mainDebugKeys),
  main_set_parameters: lazy(async () => (await import('./info')).mainSetParameters),
  main_domid: lazy(async () => (await import('./domain_ids')).mainDomid),
  main_domname: lazy(async () => (await import('./domain_ids')).mainDomname),
  main_rename: lazy(async () => (await import('./domain_ids')).mainRename),
  main_memset: lazy(async () => (await import('./mem')).mainMemset),
  main_memmax: lazy(async () => (await import('./mem')).mainMemmax),
  main_vcpulist: lazy(async () => (await import('./vcpu')).mainVcpulist),
  main_vcpuset: lazy(async () => (await import('./vcpu')).mainVcpuset),
  main_dump_core: lazy(async () => (await import('./misc')).mainDumpCore),
  main_sysrq: lazy(async () => (await import('./misc')).mainSysrq),
  main_trigger: lazy(async () => (await import('./misc')).mainTrigger),
};
