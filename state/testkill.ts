/**
 * Crash-safety tests need a process to die at an exact point inside a
 * command. XLSIM_TEST_KILL_AT=<label>[:<n>] makes the process SIGKILL
 * itself the n-th time (default 1st) it reaches `label`. Inert (one
 * comparison) when the variable is unset. Labels: txn-begin, txn-commit
 * (just before COMMIT), txn-committed, stmt (every SQL statement run), and
 * the create:* points in lib/libxl/create.ts.
 */
const spec = /^([\w:.-]+?)(?::(\d+))?$/.exec(process.env.XLSIM_TEST_KILL_AT ?? '');
const label = spec?.[1];
let remaining = spec ? Number(spec[2] ?? 1) : 0;

export const killPointsArmed = label !== undefined;

export function testKillPoint(at: string): void {
  if (at !== label) return;
  if (--remaining > 0) return;
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered asynchronously on some systems: never run on
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}
