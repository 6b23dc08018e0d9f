/**
 * `xl pause`, `xl unpause`, `xl suspend`, `xl resume`: twins of main_pause,
 * main_unpause, main_suspend, main_resume in tools/xl/xl_vmcontrol.c. All
 * four ignore libxl's verdict and exit 0 (libxl has said what went wrong).
 */
import { domainPause, domainUnpause } from '../../lib/libxl/domain';
import { domainResume } from '../../lib/libxl/pvcontrol';
import { suspendOnlyStart } from '../../lib/libxl/suspend';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';
import { waitSuspended } from './suspend_wait';

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

/** libxl_domain_suspend_only, waited for as xl does (its verdict is ignored) */
export async function mainSuspend(ctx: XlContext, argv: string[]): Promise<number> {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'suspend', 1);
  await waitSuspended(ctx, withLibxl(ctx, (lx) => suspendOnlyStart(lx, findDomain(ctx, lx, p.args[0]!))));
  return 0;
}

export function mainResume(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'resume', 1);
  return withLibxl(ctx, (lx) => {
    domainResume(lx, findDomain(ctx, lx, p.args[0]!));
    return 0;
  });
}
