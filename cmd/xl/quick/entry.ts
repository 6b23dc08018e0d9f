/**
 * The quick `xl list`: the command scripts run most, in a bundle of its own
 * (dist/xl-list.cjs, about a third of dist/xl.cjs). A command's start-up is
 * mostly V8 reading its bundle's code cache, and that cost follows the size
 * of the bundle, not the part of it a command uses.
 *
 * It is the same code as the full xl — xl's main(), `list`, libxl, the
 * hypervisor model, state/ — built with a few modules swapped for ones in
 * this directory (build.mjs names them): no other command, no event
 * handlers, no guest model, no `list -l`. When a command needs any of those
 * (events fell due on the host, `-l`, a command other than list) it stops
 * before it commits or prints anything, and bin/xl.cjs runs the full xl on
 * the same arguments. Output is held until the command has finished, so
 * what reaches the terminal is exactly what one of the two printed.
 */
import { processIo, type Io, type OutStream } from '../../io';
import { toolFailed } from '../../failure';
import { UnknownEventKind } from '../../../lib/sim/events';
import { xlMain } from '../main';
import { HandOver, handOverAsked } from './handover';

export { memoryIo } from '../../io';

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
  const q: Io = {
    stdout: holding(io.stdout, held),
    stderr: holding(io.stderr, held),
    get stdin() {
      return io.stdin;
    },
    env: io.env,
    cwd: io.cwd,
  };
  let code: number;
  try {
    code = (await xlMain(q, args)) & 0xff;
  } catch (e) {
    if (e instanceof HandOver || e instanceof UnknownEventKind) return 'hand-over';
    code = toolFailed('xl', q, e);
  }
  if (handOverAsked()) return 'hand-over';
  for (const [stream, data] of held) stream.write(data);
  return code;
}

/** The build's warm-up runs commands through this, as through cmd/main.ts's. */
export async function runTool(name: string, io: Io, args: string[]): Promise<number> {
  const r = await runQuick(io, args);
  if (r === 'hand-over') throw new Error(`xl ${args.join(' ')}: the quick xl list handed over`);
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
