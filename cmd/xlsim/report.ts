/**
 * xlsim report migration [last|ID] [--json]: what a save or live migration
 * made on this host did, round by round — the record the sending host
 * keeps of each one (lib/libxl/transfers.ts). Read-only.
 */
import { ctxInSession } from '../../lib/libxl/compose';
import { listTransfers, type TransferRecord } from '../../lib/libxl/transfers';
import { nullXtl } from '../../lib/util/xtl';
import { withHost } from '../../state/session';
import { printJson } from './out';
import { fail, registerXlsimCommands, runHandler, type XlsimCtx } from './registry';
import { transferJson, transferText } from './report-migration';

const REPORTS = ['migration'] as const;

interface ReportArgs {
  which: string;
  json: boolean;
}

async function reportMigration(ctx: XlsimCtx, a: ReportArgs): Promise<number> {
  const id = a.which === 'last' ? 'last' : /^[1-9]\d*$/.test(a.which) && Number.isSafeInteger(Number(a.which)) ? Number(a.which) : null;
  if (id === null) return fail(ctx, `'${a.which}' is not last or a migration number`);
  const r = await withHost(ctx.io.env, (s) => ({ host: s.hostName, all: ctxInSession(s, nullXtl, (lx) => listTransfers(lx)) }));
  if (r.all.length === 0) return fail(ctx, `no migration or save recorded on host ${r.host}`);
  const t: TransferRecord | undefined = id === 'last' ? r.all[r.all.length - 1] : r.all.find((x) => x.id === id);
  if (!t) return fail(ctx, `no migration ${id} on host ${r.host} (recorded: ${r.all.map((x) => x.id).join(', ')})`);
  if (a.json) printJson(ctx, transferJson(t, r.host));
  else ctx.io.stdout.write(transferText(t, r.host));
  return 0;
}

registerXlsimCommands((y, ctx) =>
  y.command(
    'report <what> [which]',
    'Report on what happened: migration (the rounds of a save or live migration this host made)',
    (c) =>
      c
        .positional('what', { type: 'string', demandOption: true, choices: REPORTS, describe: 'the report' })
        .positional('which', { type: 'string', default: 'last', describe: 'last, or the number the report gives a migration' })
        .option('json', { type: 'boolean', default: false, describe: 'print the data as JSON' }),
    (a) => runHandler(ctx, () => reportMigration(ctx, { which: String(a.which), json: a.json === true })),
  ),
);
