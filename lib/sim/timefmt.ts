/** Renderings of simulated time shared by the console's commands. */

/** "12.500000000": seconds with nanoseconds, exact for any safe integer. */
export function formatSeconds(ns: number): string {
  const s = Math.floor(ns / 1e9);
  const frac = ns - s * 1e9;
  return `${s}.${String(frac).padStart(9, '0')}`;
}

/** "2026-01-01 00:00:12 UTC" */
export function formatWall(ms: number): string {
  return `${new Date(Math.floor(ms)).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}
