/**
 * `xl pause`, `xl unpause`, `xl suspend`, `xl resume`: twins of main_pause,
 * main_unpause, main_suspend, main_resume in tools/xl/xl_vmcontrol.c. All
 * four ignore libxl's verdict and exit 0 (libxl has said what went wrong).
 */
import { domainPause, domainUnpause } from '../../lib/libxl/domain';
import { domainResume, pvcontrolRequest } from '../../lib/libxl/pvcontrol';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';
import { waitFor } from './wait';

export function mainPause(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'pause', 1);
  return withLibxl(ctx, (lx) => {
    domainPause(lx, findDomain(ctx, lx, p.args[0]!));
    return 0;
  });
}

export function mainUnpause(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'unpause', 1);
  return withLibxl(ctx, (lx) => {
    domainUnpause(lx, findDomain(ctx, lx, p.args[0]!));
    return 0;
  });
}

/** libxl_domain_suspend_only: ask the guest, then wait until it has suspended */
export async function mainSuspend(ctx: XlContext, argv: string[]): Promise<number> {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'suspend', 1);
  const started = withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, p.args[0]!);
    return { domid, rc: pvcontrolRequest(lx, domid, 'suspend'), deadline: lx.now() + 60e9 };
  });
  if (started.rc) return 0;
  await waitFor<number>(ctx, (lx) => {
    const r = lx.hv.getdomaininfo(started.domid);
    if (!r.ok || (r.value.shutdown && r.value.shutdownCode === 2) || lx.now() >= started.deadline) return { done: true, value: 0 };
    return { done: false, deadlineNs: started.deadline };
  });
  return 0;
}

export function mainResume(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'resume', 1);
  return withLibxl(ctx, (lx) => {
    domainResume(lx, findDomain(ctx, lx, p.args[0]!));
    return 0;
  });
}
