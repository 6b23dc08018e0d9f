/**
 * xlsim check: run every consistency rule over the current host — the
 * hypervisor's invariants, xenstore against the hypervisor, unique names
 * and domids, live monitors — and exit 1 if any is broken.
 */
import { installHostHooks, ctxInSession } from '../../lib/libxl/compose';
import { checkHost } from '../../lib/libxl/check';
import { nullXtl } from '../../lib/util/xtl';
import { withHost } from '../../state/session';
import { printJson } from './out';
import { registerXlsimCommands, runHandler, type XlsimCtx } from './registry';

async function check(ctx: XlsimCtx, json: boolean): Promise<number> {
  installHostHooks();
  const problems = await withHost(ctx.io.env, (s) => ctxInSession(s, nullXtl, (lx) => checkHost(lx)));
  if (json) {
    printJson(ctx, { consistent: problems.length === 0, problems });
    return problems.length === 0 ? 0 : 1;
  }
  if (problems.length === 0) {
    ctx.io.stdout.write('xlsim check: host is consistent\n');
    return 0;
  }
  for (const p of problems) ctx.io.stdout.write(`xlsim check: ${p}\n`);
  ctx.io.stderr.write(`xlsim: ${problems.length} inconsistenc${problems.length === 1 ? 'y' : 'ies'} found\n`);
  return 1;
}

registerXlsimCommands((y, ctx) =>
  y.command(
    'check',
    'Check the host for inconsistencies (hypervisor, xenstore, monitors)',
    (c) => c.option('json', { type: 'boolean', default: false, describe: 'print the data as JSON' }),
    (a) => runHandler(ctx, () => check(ctx, a.json === true)),
  ),
);
