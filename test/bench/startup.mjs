// Startup benchmark helpers: median wall time of whole commands, measured
// interleaved with `node -e 0` in the same run so the ratio is fair on a
// busy machine. Not part of `npm test` (timings are no unit-test material).
import { spawnSync } from 'node:child_process';

export function timeOnce(argv, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && !opts.allowFail) {
    throw new Error(`${argv.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
  }
  return ms;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs each command `runs` times, round-robin, after `warmup` rounds.
 * Returns { name: medianMs }.
 */
export function compare(commands, { runs = 21, warmup = 3, env = process.env, cwd = process.cwd() } = {}) {
  const names = Object.keys(commands);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < warmup + runs; i++) {
    for (const n of names) {
      const ms = timeOnce(commands[n], { env, cwd });
      if (i >= warmup) times[n].push(ms);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(times[n])]));
}
