/**
 * The lab console's command table. Each file under cmd/xlsim/ adds its
 * yargs commands here at import time (commands.ts imports them in the order
 * help lists them); main.ts builds a fresh yargs instance per run from the
 * registered entries.
 *
 * A handler reports its exit status through `ctx.exitCode` (or throws
 * `Exit`); `HostError`s are printed and turned into their exit code by
 * `runHandler`, so handlers only deal with their own cases.
 */
import type { Argv } from 'yargs';
import { isHostError } from '../../state/session';
import { Exit, type Io } from '../io';

export interface XlsimCtx {
  /** replaced once by the global --host option, before any handler runs */
  io: Io;
  exitCode: number;
}

// yargs' builder types carry each command's options; the registry only
// needs "something that adds commands to an Argv".
export type XlsimRegistrar = (y: Argv<{}>, ctx: XlsimCtx) => Argv<{}>;

const registrars: XlsimRegistrar[] = [];

export function registerXlsimCommands(fn: XlsimRegistrar): void {
  registrars.push(fn);
}

export function xlsimRegistrars(): readonly XlsimRegistrar[] {
  return registrars;
}

/** Runs a handler body: its return is the exit status; host errors are printed. */
export async function runHandler(ctx: XlsimCtx, body: () => number | Promise<number>): Promise<void> {
  try {
    ctx.exitCode = await body();
  } catch (e) {
    if (isHostError(e)) {
      ctx.io.stderr.write(`${e.message}\n`);
      ctx.exitCode = e.exitCode;
      return;
    }
    if (e instanceof Exit) {
      ctx.exitCode = e.code;
      return;
    }
    throw e;
  }
}

/** "xlsim: <text>" on stderr, status 1: the console's own usage errors. */
export function fail(ctx: XlsimCtx, text: string, code = 1): number {
  ctx.io.stderr.write(`xlsim: ${text}\n`);
  return code;
}
