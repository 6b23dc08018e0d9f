/**
 * What every xl command gets: the process streams, the global options of
 * tools/xl/xl.c (-v -N -f -t -T), the logger built from them, and the
 * parsed global config (xl.conf of the current host).
 */
import { sprintf, type PrintfArg } from '../../lib/util/printf';
import type { Xtl, XtlLevel } from '../../lib/util/xtl';
import type { Io } from '../io';
import type { XlGlobalConfig } from './globalconfig';

export interface XlContext {
  readonly io: Io;
  /** number of -v given */
  readonly verbose: number;
  /** -N: dryrun_only */
  dryrun: boolean;
  /** -f: force_execution (xl never reads it) */
  readonly force: boolean;
  /** -t: progress_use_cr */
  readonly progressCR: boolean;
  /** -T: timestamps */
  readonly timestamps: boolean;
  /** the xentoollog logger on stderr */
  readonly logger: Xtl;
  /** the minimum level the logger prints */
  readonly minLevel: XtlLevel;
  /** xl.conf, read at start-up as xl does for every command */
  globalConfig: XlGlobalConfig;
}

export function printf(ctx: XlContext, fmt: string, ...args: PrintfArg[]): void {
  ctx.io.stdout.write(sprintf(fmt, ...args));
}

export function eprintf(ctx: XlContext, fmt: string, ...args: PrintfArg[]): void {
  ctx.io.stderr.write(sprintf(fmt, ...args));
}
