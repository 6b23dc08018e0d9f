/**
 * `xl destroy`: twin of main_destroy / destroy_domain in tools/xl/xl_vmcontrol.c.
 */
import { domainDestroy } from '../../lib/libxl/destroy';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';

export function mainDestroy(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), 'f', null, 'destroy', 1);
  const force = p.opts.some((o) => o.opt === 'f');
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, p.args[0]!);
    if (domid === 0 && !force) {
      ctx.io.stderr.write(
        'Not destroying domain 0; use -f to force.\nThis can only be done when using a disaggregated hardware domain and toolstack.\n\n',
      );
      return 1;
    }
    const rc = domainDestroy(lx, domid);
    if (rc) {
      ctx.io.stderr.write(`destroy failed (rc=${rc})\n`);
      return 1;
    }
    return 0;
  });
}
