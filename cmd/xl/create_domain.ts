/**
 * The back half of create_domain() in tools/xl/xl_vmcontrol.c: freemem
 * (autoballoon), libxl_domain_create_new, the error_out destroy, the final
 * unpause, and the monitoring process — daemonised (a persisted monitor
 * writing /var/log/xen/xl-<name>.log) or in the foreground with -F.
 */
import type { DomainConfig } from '../../lib/libxl/types';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import { domainCreateNew } from '../../lib/libxl/create';
import { domainDestroy } from '../../lib/libxl/destroy';
import { domainUnpause } from '../../lib/libxl/domain';
import { ERROR_FAIL } from '../../lib/libxl/errors';
import { drainMonitor, reapMonitor, startMonitor } from '../../lib/libxl/monitor';
import { freemem } from '../../lib/libxl/mem';
import type { XlContext } from './context';
import { testKillPoint } from '../../state/testkill';
import { withLibxl } from './libxl_session';
import { waitFor } from './wait';

export interface CreateDomainOpts {
  paused: boolean;
  daemonize: boolean;
  monitor: boolean;
  /** -c: attach to the primary console once the domain exists */
  consoleAutoconnect?: boolean;
  /** -V / -A: start a VNC viewer on the domain's display */
  vnc?: boolean;
}

/** autoballoon=auto: on unless the hypervisor was booted with dom0_mem= */
export function autoballoonOn(ctx: XlContext, lx: LibxlCtx): boolean {
  const a = ctx.globalConfig.autoballoon;
  if (a === 'on') return true;
  if (a === 'off') return false;
  return !/(^|\s)dom0_mem=/.test(lx.hv.version().commandline);
}

/**
 * Builds and starts the domain. Returns 0 or a (negative) libxl error code,
 * which main_create turns into the exit status.
 */
export async function createDomainOnHost(ctx: XlContext, dcfg: DomainConfig, opts: CreateDomainOpts): Promise<number> {
  let builtDomid: number | undefined;
  const started = withLibxl(ctx, (lx) => {
    if (autoballoonOn(ctx, lx) && !freemem(lx, dcfg)) {
      ctx.io.stderr.write('failed to free memory for the domain\n');
      return { rc: ERROR_FAIL, pid: -1 };
    }
    const r = domainCreateNew(lx, dcfg);
    if (r.rc || r.domid === undefined) {
      // error_out: xl destroys the domid libxl already cleaned up
      if (r.domid !== undefined) domainDestroy(lx, r.domid);
      return { rc: r.rc || ERROR_FAIL, pid: -1 };
    }
    builtDomid = r.domid;
    if (!opts.paused) domainUnpause(lx, r.domid);
    testKillPoint('create:unpaused');
    if (!opts.daemonize && !opts.monitor) return { rc: 0, pid: -1 };
    const m = startMonitor(lx, r.domid, dcfg, !opts.daemonize);
    testKillPoint('create:monitor');
    return { rc: 0, pid: opts.daemonize ? -1 : m.pid };
  });
  if (!started.rc && opts.consoleAutoconnect && builtDomid !== undefined) await (await import('./console')).autoconnectConsole(ctx, builtDomid);
  if (!started.rc && opts.vnc && builtDomid !== undefined) {
    // xl forks a child that execs vncviewer; where there is no display (no
    // vnc-port from a device model, no viewer) the child says why and exits,
    // and the create itself still succeeds
    const domid = builtDomid;
    const { vncviewerExec } = await import('./misc');
    withLibxl(ctx, (lx) => vncviewerExec(ctx, lx, domid));
  }
  if (started.rc || started.pid < 0) return started.rc;
  // -F: this process is the monitor; its lines go to stderr until the domain is gone
  const pid = started.pid;
  return waitFor<number>(ctx, (lx) => {
    const d = drainMonitor(lx, pid);
    for (const l of d.lines) ctx.io.stderr.write(l + '\n');
    if (!d.exited) return { done: false };
    reapMonitor(lx, pid);
    return { done: true, value: d.code ? ERROR_FAIL : 0 };
  });
}
