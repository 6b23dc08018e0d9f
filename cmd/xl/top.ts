/**
 * `xl top` (tools/xl/xl_info.c main_top): runs xentop as system("xentop")
 * would, here in-process with the same streams, and returns system()'s raw
 * wait status — the exit code shifted left by 8, or the number of the signal
 * that ended it — so the shell sees status & 0xff (0 unless a signal).
 */
import { runXentop } from '../xentop/main';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';

export async function mainTop(ctx: XlContext, argv: string[]): Promise<number> {
  // no options of its own; -h and bad options end here as for every command
  switchForeachOpt(ctx, argv.slice(1), '', null, 'top', 0);
  const r = await runXentop(ctx.io, [], 'xentop');
  return 'signal' in r ? r.signal : r.code << 8;
}
