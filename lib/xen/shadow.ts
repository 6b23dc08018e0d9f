/**
 * Shadow page tables as a cache (xen/arch/x86/mm/shadow): Xen's copies of
 * the guest's page tables, built one fault at a time as the guest touches
 * memory and thrown away wholesale when Xen wants (shadow_blow_tables).
 *
 * The guest touches its working sets uniformly at random at a steady rate,
 * so the expected number of pages with a shadow entry follows
 *   mapped(t) = W - (W - mapped(0)) * exp(-R t / W)
 * and every newly mapped page cost one fault. Because that closed form
 * composes, advancing by 1 s once or by 1 ms a thousand times gives the
 * same counters: the result does not depend on how often anyone looked.
 *
 * Shape of the shadows for a 64-bit guest (4-on-4): one L1 shadow per
 * guest L1 table touched (2 MiB of guest-virtual space), the L2s above them, an L3 and a
 * pinned L4 per guest address space, and the kernel half's L3 shared by
 * all. Each online vCPU keeps one top-level shadow hooked in its CR3
 * (shadow_table[0]); those are the only shadows preallocation can never
 * reclaim.
 */
import type { LogDirtyState, PerSet, ShadowCache } from './paging-types';

export const PT_ENTRIES = 512;
/**
 * Working-set pages one L1 shadow covers: the kernel's are packed in its
 * direct map; a process's memory is scattered over heap arenas, mmap
 * regions and thread stacks, so its page tables are about half full.
 */
const PAGES_PER_L1: PerSet = [PT_ENTRIES, PT_ENTRIES / 2];
/** paging_logdirty_levels(): the trie pages an L1 preallocation adds under log-dirty */
export const LOGDIRTY_LEVELS = 4;

export interface ShadowLevels {
  l1: number;
  l2: number;
  l3: number;
  l4: number;
}

export interface WorkingSets {
  /** touches a second into each set */
  rate: PerSet;
  /** pages in each set */
  wss: PerSet;
  /** writes a second into each set, and the pages they land on */
  writeRate: PerSet;
  writeWss: PerSet;
  /** guest address spaces in use (each has its own pinned top-level shadow) */
  spaces: number;
  /** vCPUs holding a top-level shadow in CR3 */
  hooked: number;
}

export function newShadowCache(): ShadowCache {
  return { mapped: [0, 0], faults: 0, unpins: 0, blows: 0 };
}

/** Expected L1 tables holding at least one of `mapped` random pages of `wss`. */
function chunksTouched(mapped: number, wss: number, perL1: number): number {
  if (wss <= 0 || mapped <= 0) return 0;
  const chunks = Math.ceil(wss / perL1);
  const perChunk = Math.min(perL1, wss);
  return chunks * (1 - Math.pow(Math.max(0, 1 - mapped / wss), perChunk));
}

export function shadowLevels(mapped: PerSet, ws: WorkingSets): ShadowLevels {
  const l1 = Math.round(chunksTouched(mapped[0], ws.wss[0], PAGES_PER_L1[0]) + chunksTouched(mapped[1], ws.wss[1], PAGES_PER_L1[1]));
  if (l1 === 0) return { l1: 0, l2: 0, l3: 0, l4: Math.min(ws.hooked, ws.spaces) };
  const s = ws.spaces;
  return { l1, l2: s + Math.ceil(l1 / PT_ENTRIES), l3: s + 1, l4: s };
}

export function levelsTotal(l: ShadowLevels): number {
  return l.l1 + l.l2 + l.l3 + l.l4;
}

/** shadow_blow_tables: unpin everything, unhook every top-level; the next touches fault. */
export function blowTables(s: ShadowCache): void {
  s.mapped = [0, 0];
  s.blows++;
}

export interface ShadowStep {
  /** preallocation could not find `request` pages even after reclaiming all it may */
  starved?: { request: number };
}

/** Pages of a set of `w` touched at least once after `dt` s of `r` random touches, from `m0`. */
export function approach(m0: number, w: number, r: number, dt: number): number {
  if (w <= 0) return 0;
  if (r <= 0 || dt <= 0) return Math.min(m0, w);
  return w - (w - Math.min(m0, w)) * Math.exp((-r * dt) / w);
}

/**
 * Pages of set `i` written for the first time since the last CLEAN during
 * `dt` s: they enter the dirty bitmap (dirty_count counts 0→1 bits only).
 */
export function firstWrites(ld: LogDirtyState, ws: WorkingSets, i: 0 | 1, dt: number): number {
  const before = ld.dirty[i];
  const after = approach(before, ws.writeWss[i], ws.writeRate[i], dt);
  const fresh = Math.max(0, after - before);
  ld.dirty[i] = after;
  ld.dirtyCount += fresh;
  return fresh;
}

/** The largest scale f of `want` whose shadows fit in `cap` pages. */
export function fitScale(want: PerSet, ws: WorkingSets, cap: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (levelsTotal(shadowLevels([want[0] * mid, want[1] * mid], ws)) <= cap) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The guest runs for `dt` seconds: shadows are built as pages are first
 * touched; with log-dirty on, the first write to each page after a CLEAN
 * traps as well (every shadow L1 entry starts read-only). `cap` is the
 * pool's room for shadows. When it is short, preallocation reclaims the
 * least recently pinned trees and the guest keeps re-faulting over what
 * does not fit; when not even one fault can be served, the step reports
 * the starvation (the caller crashes the domain).
 */
export function shadowRun(s: ShadowCache, ws: WorkingSets, dt: number, cap: number, ld: LogDirtyState | undefined): ShadowStep {
  if (dt <= 0 || (ws.rate[0] <= 0 && ws.rate[1] <= 0)) return {};
  const request = 1 + (ld ? LOGDIRTY_LEVELS : 0);
  if (cap - Math.min(ws.hooked, ws.spaces) < request) return { starved: { request } };
  const m0: PerSet = [s.mapped[0], s.mapped[1]];
  const want: PerSet = [approach(m0[0], ws.wss[0], ws.rate[0], dt), approach(m0[1], ws.wss[1], ws.rate[1], dt)];
  let faults = 0;
  const end: PerSet = [want[0], want[1]];
  if (levelsTotal(shadowLevels(want, ws)) <= cap) {
    faults = Math.max(0, want[0] - m0[0]) + Math.max(0, want[1] - m0[1]);
  } else {
    const f = fitScale(want, ws, cap);
    let thrash = 0;
    for (const i of [0, 1] as const) {
      const w = ws.wss[i];
      const r = ws.rate[i];
      const top = want[i] * f;
      end[i] = top;
      if (w <= 0 || r <= 0) continue;
      // time to fill up to what fits, then every touch of the rest faults
      const tc = m0[i] >= top ? 0 : (-w / r) * Math.log((w - top) / (w - m0[i]));
      const over = r * (1 - top / w) * Math.max(0, dt - tc);
      faults += Math.max(0, top - m0[i]) + over;
      thrash += over;
    }
    const perTree = Math.max(1, (end[0] + end[1]) / ws.spaces);
    s.unpins += thrash / perTree;
  }
  if (ld) {
    // first writes to pages already shadowed read-only trap once more
    for (const i of [0, 1] as const) {
      const fresh = firstWrites(ld, ws, i, dt);
      const shadowedFrac = ws.wss[i] > 0 ? (m0[i] + end[i]) / 2 / ws.wss[i] : 0;
      faults += fresh * Math.min(1, shadowedFrac);
    }
    ld.faultCount += faults;
  }
  s.mapped = end;
  s.faults += faults;
  return {};
}
