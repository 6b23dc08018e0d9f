/**
 * Per-command option parsing: twin of def_getopt / SWITCH_FOREACH_OPT in
 * tools/xl/xl_utils.c. "h" is added to every option string and --help to
 * every long option list; errors print xl's messages and end the command:
 *
 *   -h / --help                       help on stdout, exit 0
 *   unknown option / missing argument "option `X' not supported.", exit 2
 *   too few operands                  "'xl CMD' requires at least N argument(s)." + help, exit 2
 */
import { Exit } from '../io';
import { getoptLong, type LongOption } from '../../lib/util/getopt';
import { commandHelp } from './help';
import type { XlContext } from './context';

export interface ParsedOpts {
  /** the options in the order given, as getopt returned them */
  opts: Array<{ opt: string; arg: string | undefined }>;
  /** operands (C: argv[optind..]) */
  args: string[];
}

const HELP_LONG: LongOption = { name: 'help', hasArg: 0, val: 'h' };

/**
 * @param argv the command's argv without the command name (C's argv+1)
 * @param helpName the name used for help and messages (usually the command;
 *   config-update famously passes "config_update")
 */
export function switchForeachOpt(
  ctx: XlContext,
  argv: readonly string[],
  optstring: string,
  longopts: readonly LongOption[] | null,
  helpName: string,
  reqArgs: number,
): ParsedOpts {
  const longs = longopts ? [...longopts, HELP_LONG] : [HELP_LONG];
  const r = getoptLong(argv, 'h' + optstring, longs, ctx.io.env);
  const opts: ParsedOpts['opts'] = [];
  for (const ev of r.events) {
    if (ev.kind === '?') {
      // glibc leaves optopt 0 for an unknown long option: xl prints a NUL
      ctx.io.stderr.write(`option \`${ev.optopt === '' ? '\0' : ev.optopt}' not supported.\n`);
      throw new Exit(2);
    }
    if (ev.opt === 'h') {
      ctx.io.stdout.write(commandHelp(helpName));
      throw new Exit(0);
    }
    opts.push({ opt: ev.opt, arg: ev.arg });
  }
  if (r.operands.length <= reqArgs - 1) {
    ctx.io.stderr.write(`'xl ${helpName}' requires at least ${reqArgs} argument${reqArgs > 1 ? 's' : ''}.\n\n`);
    ctx.io.stdout.write(commandHelp(helpName));
    throw new Exit(2);
  }
  return { opts, args: r.operands };
}
