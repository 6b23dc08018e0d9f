/**
 * Simulated time. A host's clock counts nanoseconds since the host booted,
 * as Xen's NOW() does (s_time_t); the wall clock is the boot moment plus
 * that. In `real` mode the clock follows the machine's wall clock between
 * commands; in `manual` mode it moves only when told (`xlsim clock advance`,
 * or a waiting command that advances it), which makes runs reproducible.
 *
 * Numbers, not bigints: 2^53 ns is 104 days of uptime at full precision,
 * which no lab reaches, and plain numbers keep every layer simple.
 */

export type ClockMode = 'real' | 'manual';

export interface ClockState {
  mode: ClockMode;
  /** simulated ns since host boot, as of the last sync */
  nowNs: number;
  /** wall time (ms since the epoch) the host booted at */
  bootEpochMs: number;
  /** real mode: the machine's wall time (ms) at the last sync */
  anchorWallMs: number;
}

export function isClockMode(s: string): s is ClockMode {
  return s === 'real' || s === 'manual';
}

let hrOffsetMs: number | undefined;

/**
 * The machine's wall clock in ms, with sub-millisecond steps: the monotonic
 * clock plus its offset from Date.now() taken once per process. (The
 * `performance` global would do the same, but touching it loads perf_hooks,
 * a dozen modules, on every command.) The offset is up to 1 ms behind, so
 * two commands may see the wall clock step back by less than that:
 * syncedNow ignores a clock going backwards.
 */
export function machineWallMs(): number {
  const mono = Number(process.hrtime.bigint()) / 1e6;
  hrOffsetMs ??= Date.now() - mono;
  return mono + hrOffsetMs;
}

/**
 * Where the clock stands now. Real mode adds the wall time elapsed since the
 * last sync; a wall clock that went backwards adds nothing (simulated time
 * never runs backwards).
 */
export function syncedNow(st: ClockState, wallMs: number): number {
  if (st.mode === 'manual') return st.nowNs;
  const delta = Math.round((wallMs - st.anchorWallMs) * 1e6);
  return delta > 0 ? st.nowNs + delta : st.nowNs;
}

/** A new state with the clock at `nowNs`, anchored at `wallMs`. */
export function withNow(st: ClockState, nowNs: number, wallMs: number): ClockState {
  return { ...st, nowNs, anchorWallMs: wallMs };
}

/** Switching modes keeps the simulated time where it is. */
export function withMode(st: ClockState, mode: ClockMode, wallMs: number): ClockState {
  return { ...st, mode, nowNs: syncedNow(st, wallMs), anchorWallMs: wallMs };
}

/** Wall-clock time (ms since the epoch) on the simulated host at `nowNs`. */
export function hostWallMs(st: ClockState, nowNs: number): number {
  return st.bootEpochMs + nowNs / 1e6;
}
