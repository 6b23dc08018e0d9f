/**
 * xlsim check: run every consistency rule over the current host — the
 * hypervisor's invariants, xenstore against the hypervisor, unique names
 * and domids, live monitors — and exit 1 if any is broken.
 */
import { installHostHooks, ctxInSession } from '../../lib/libxl/compose';
import { checkHost } from '../../lib/libxl/check';
import { nullXtl } from '../../lib/util/xtl';
import { withHost } from '../../state/session';
import { registerXlsimCommands, runHandler, type XlsimCtx } from './registry';

async function check(ctx: XlsimCtx): Promise<number> {
  installHostHooks();
  const problems = await withHost(ctx.io.env, (s) => ctxInSession(s, nullXtl, (lx) => checkHost(lx)));
  if (problems.length === 0) {
    ctx.io.stdout.write('xlsim check: host is consistent\n');
    return 0;
  }
  for (const p of problems) ctx.io.stdout.write(`xlsim check: ${p}\n`);
  ctx.io.stderr.write(`xlsim: ${problems.length} inconsistenc${problems.length === 1 ? 'y' : 'ies'} found\n`);
  return 1;
}

registerXlsimCommands((y, ctx) =>
  y.command('check', 'Check the host for inconsistencies (hypervisor, xenstore, monitors)', {}, () => runHandler(ctx, () => check(ctx))),
);
