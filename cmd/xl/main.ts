/**
 * xl's main(): twin of main() in tools/xl/xl.c.
 *
 * Global options come only before the subcommand (getopt "+vftTN"); the
 * subcommand may be any unambiguous prefix; `help` is only the exact word.
 */
import type { Io } from '../io';
import { getoptLong } from '../../lib/util/getopt';
import type { XtlLevel } from '../../lib/util/xtl';
import { cmdtableLookup } from './commands';
import { commandHelp, fullHelp } from './help';
import { StdioXtl } from './log';
import { HANDLERS } from './handlers';
import { completionMain } from './completion';
import { defaultGlobalConfig, loadGlobalConfig } from './globalconfig';
import type { XlContext } from './context';
import fs from 'node:fs';
import { hostPaths } from '../../state/paths';

// -v lowers the minimum level one step from "progress" per occurrence
const LEVELS_DOWN: XtlLevel[] = ['progress', 'detail', 'verbose', 'debug'];

export async function xlMain(io: Io, args: string[]): Promise<number> {
  const r = getoptLong(args, '+vftTN', [], io.env);
  let verbose = 0;
  let dryrun = false;
  let force = false;
  let progressCR = false;
  let timestamps = false;
  for (const ev of r.events) {
    if (ev.kind === '?') {
      // opterr is still 1 here, so glibc speaks first
      io.stderr.write(`xl: invalid option -- '${ev.optopt}'\n`);
      io.stderr.write('unknown global option\n');
      return 1;
    }
    switch (ev.opt) {
      case 'v':
        verbose++;
        break;
      case 'N':
        dryrun = true;
        break;
      case 'f':
        force = true;
        break;
      case 't':
        progressCR = true;
        break;
      case 'T':
        timestamps = true;
        break;
    }
  }
  const argv = r.operands;
  const cmd = argv[0];
  if (cmd === undefined) {
    io.stdout.write(fullHelp());
    return 1;
  }
  // xlsim's own addition, outside the command table so `xl help` stays xl's
  if (cmd === 'completion') return completionMain(io, argv);
  const minLevel = LEVELS_DOWN[Math.min(verbose, LEVELS_DOWN.length - 1)]!;
  const logger = new StdioXtl(io.stderr, {
    minLevel,
    progressCR: () => progressCR || io.stderr.isTTY,
    timestamps,
  });
  const ctx: XlContext = {
    io,
    verbose,
    dryrun,
    force,
    progressCR,
    timestamps,
    logger,
    minLevel,
    globalConfig: defaultGlobalConfig(),
  };
  // The host is the machine xl runs on: it must exist before xl reads its
  // /etc/xen/xl.conf. The default host is built on first use; the code that
  // boots one is loaded only then.
  if (!fs.existsSync(hostPaths(io.env).db)) {
    const [{ installHostHooks }, { ensureHost }] = await Promise.all([import('../../lib/libxl/compose'), import('../../state/host')]);
    installHostHooks();
    ensureHost(io.env);
  }
  ctx.globalConfig = loadGlobalConfig(ctx);

  const spec = cmdtableLookup(cmd);
  if (spec) {
    if (dryrun && !spec.canDryrun) {
      io.stderr.write('command does not implement -N (dryrun) option\n');
      return 1;
    }
    const handler = HANDLERS[spec.impl];
    if (!handler) {
      io.stderr.write(`xlsim: 'xl ${spec.name}' is not simulated yet\n`);
      return 1;
    }
    return handler(ctx, argv);
  }
  if (cmd === 'help') {
    io.stdout.write(commandHelp(argv[1]));
    return 0;
  }
  io.stderr.write('command not implemented\n');
  return 1;
}
