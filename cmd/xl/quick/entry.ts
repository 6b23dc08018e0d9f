/**
 * The quick bundles: `xl list` (the command scripts run most) and `xl
 * create` in bundles of their own (dist/xl-list.cjs, a third of
 * dist/xl.cjs; dist/xl-create.cjs, two thirds). A command's start-up is
 * mostly V8 reading its bundle's code cache, and that cost follows the size
 * of the bundle, not the part of it a command uses.
 *
 * Each is the same code as the full xl — xl's main(), the command, libxl,
 * the hypervisor model, state/ — built from this entry with a few modules
 * swapped for ones in this directory (build.mjs names them): no other
 * command and, for list, no event handlers, no guest model, no `list -l`.
 * When a command needs what its bundle lacks (events fell due on the host,
 * `-l`, another command) it stops before it commits anything, and
 * bin/xl.cjs runs the full xl on the same arguments.
 *
 * The list bundle may stop half way, so it holds its output until the
 * command has finished: what reaches the terminal is exactly what one of
 * the two printed. The create bundle has all that create uses (it can
 * only hand over a command it was not built for, before that command
 * starts), and writes as it goes: `xl create -c` and `-F` talk to the
 * terminal while they run.
 */
import { processIo, type Io, type OutStream } from '../../io';
import { toolFailed } from '../../failure';
import { UnknownEventKind } from '../../../lib/sim/events';
import { xlMain } from '../main';
import { HandOver, handOverAsked } from './handover';

export { memoryIo } from '../../io';

// build.mjs: true for the list bundle (see above); sources and tests hold
declare const __XLSIM_QUICK_HOLD__: boolean | undefined;
const HOLD = typeof __XLSIM_QUICK_HOLD__ === 'undefined' || __XLSIM_QUICK_HOLD__;

type Held = Array<[OutStream, string | Uint8Array]>;

function holding(target: OutStream, held: Held): OutStream {
  return {
    write: (data) => void held.push([target, data]),
    get isTTY() {
      return target.isTTY;
    },
  };
}

/** The command's exit status, or 'hand-over' when the full xl must run it (nothing was written). */
export async function runQuick(io: Io, args: string[]): Promise<number | 'hand-over'> {
  const held: Held = [];
  const q: Io = HOLD
    ? {
        stdout: holding(io.stdout, held),
        stderr: holding(io.stderr, held),
        get stdin() {
          return io.stdin;
        },
        env: io.env,
        cwd: io.cwd,
      }
    : io;
  let code: number;
  try {
    code = (await xlMain(q, args)) & 0xff;
  } catch (e) {
    // (the list bundle has no event handler at all; in the create bundle,
    // which has them all, an unknown kind is the error the full xl would give)
    if (e instanceof HandOver || (HOLD && e instanceof UnknownEventKind)) return 'hand-over';
    code = toolFailed('xl', q, e);
  }
  if (handOverAsked()) return 'hand-over';
  for (const [stream, data] of held) stream.write(data);
  return code;
}

/** The build's warm-up runs commands through this, as through cmd/main.ts's. */
export async function runTool(name: string, io: Io, args: string[]): Promise<number> {
  const r = await runQuick(io, args);
  if (r === 'hand-over') throw new Error(`xl ${args.join(' ')}: the quick bundle handed over`);
  return r;
}

/** Called by bin/xl.cjs; `full` runs the full xl on the same arguments. */
export function run(_name: string, args: string[], full: () => void): void {
  runQuick(processIo(), args).then(
    (r) => {
      if (r === 'hand-over') full();
      else process.exitCode = r;
    },
    (e: unknown) => {
      process.stderr.write(`xl: internal error: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
