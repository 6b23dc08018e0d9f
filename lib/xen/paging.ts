/**
 * Per-domain paging assistance (xen/arch/x86/mm/paging.c, hap/, shadow/):
 * which mode translates the guest's memory, what the paging pool holds,
 * and how the guest's memory activity over simulated time shows in it.
 *
 * - HAP: the hardware walks EPT/NPT; the pool holds the p2m (EPT) tables,
 *   mostly 2 MiB / 1 GiB superpages, and nothing grows as the guest runs.
 *   Under log-dirty every RAM entry is write-protected: the first write
 *   to a page is an EPT violation, unless the CPU has PML, which logs
 *   written addresses and exits only when its 512-entry buffer fills.
 * - shadow: the pool holds the p2m (4 KiB entries) and the shadows
 *   (lib/xen/shadow.ts), which the guest's page faults build.
 * - PV: no translation; shadow mode is switched on only while log-dirty
 *   runs (migration), with a pool Xen sizes itself.
 *
 * The model is brought up to date lazily, like vCPU time: every hypercall
 * that looks at a domain first advances it to "now".
 */
import { PAGES_PER_MIB, SHADOW_MIN_PAGES_PER_VCPU } from './constants';
import type { LogDirtyState, MemActivity, PagingData } from './paging-types';
import { firstWrites, levelsTotal, LOGDIRTY_LEVELS, newShadowCache, PT_ENTRIES, shadowLevels, shadowRun, type ShadowLevels, type WorkingSets } from './shadow';
import type { XenDomainData } from './types';
import { domainRunnable } from './vcpu-time';

/** leaf pages of the log-dirty trie each cover this many pfns */
const LOGDIRTY_LEAF_PFNS = 32768;
/** NR_PML_ENTRIES */
export const PML_ENTRIES = 512;
/** kernel touches a second when idle, and per unit of vCPU load */
const KERNEL_IDLE_RATE = 400;
const KERNEL_BUSY_RATE = 20000;
/** share of kernel touches that write, and the part of its set they land on */
const KERNEL_WRITE_SHARE = 0.25;
const KERNEL_WRITE_SET = 0.25;

export function pagingData(d: XenDomainData, now: number): PagingData {
  if (!d.paging) d.paging = { advancedNs: now, act: { writeRate: 0, wss: 0 }, shadow: newShadowCache() };
  return d.paging;
}

/** Shadow mode is on: an HVM guest without HAP, or a PV guest under log-dirty. */
export function shadowEnabled(d: XenDomainData): boolean {
  return d.pagingMode === 'shadow' || (d.pagingMode === 'none' && d.paging?.logDirty !== undefined);
}

/** A per-domain constant in [0, 1) from its handle (which the host's seeded generator drew). */
function handleFraction(d: XenDomainData, salt: number): number {
  const h = parseInt(d.handle.replace(/-/g, '').slice(salt * 8, salt * 8 + 8), 16);
  return Number.isFinite(h) ? (h >>> 0) / 4294967296 : 0.5;
}

/** The kernel's own working set: about 1/16 of its memory, 1..64 MiB, varying per domain. */
export function kernelWss(d: XenDomainData): number {
  const base = Math.min(16384, Math.max(256, Math.floor(d.totPages / 16)));
  return Math.max(1, Math.min(d.totPages, Math.round(base * (0.8 + 0.4 * handleFraction(d, 0)))));
}

export function workingSets(d: XenDomainData, act: MemActivity): WorkingSets {
  const running = domainRunnable(d) && d.creationFinished;
  const kw = kernelWss(d);
  const kr = running ? (KERNEL_IDLE_RATE + KERNEL_BUSY_RATE * d.load) * (0.9 + 0.2 * handleFraction(d, 1)) : 0;
  const ww = Math.min(act.wss, d.totPages);
  const wr = running && ww > 0 ? act.writeRate : 0;
  const online = d.vcpus.filter((v) => v.online).length;
  return {
    rate: [kr, wr],
    wss: [kw, ww],
    writeRate: [kr * KERNEL_WRITE_SHARE, wr],
    writeWss: [Math.max(1, Math.round(kw * KERNEL_WRITE_SET)), ww],
    spaces: 2 + (ww > 0 && act.writeRate > 0 ? 1 : 0),
    hooked: d.creationFinished ? online : 0,
  };
}

/** gfns with a p2m entry so far: populated RAM and PoD entries (the tables grow as they are filled) */
function gfnSpan(d: XenDomainData): number {
  return d.totPages - d.podCache + d.podEntries;
}

/**
 * Pages of p2m table in the pool. Shadow guests' p2m uses 4 KiB entries
 * (an L1 per 2 MiB); HAP maps RAM with superpages and splits only the
 * first 2 MiB (VGA hole) and the special pages below 4 GiB.
 */
export function p2mPages(d: XenDomainData): number {
  if (!d.hvm) return 0;
  const span = gfnSpan(d);
  const upper = 2 + Math.ceil(span / (PT_ENTRIES * PT_ENTRIES)) + 1;
  return d.pagingMode === 'hap' ? upper + 2 : upper + Math.ceil(span / PT_ENTRIES) + 1;
}

/** Pages of the dirty-bitmap trie while log-dirty is on. */
export function logDirtyTriePages(d: XenDomainData): number {
  if (!d.paging?.logDirty) return 0;
  return Math.ceil(Math.max(1, gfnSpan(d)) / LOGDIRTY_LEAF_PFNS) + LOGDIRTY_LEVELS - 1;
}

/** sh_min_allocation: 128 pages a vCPU plus the p2m's share (1 page per MiB, at least what it holds). */
export function shadowMinAllocation(d: XenDomainData): number {
  const extra = Math.max(Math.floor(d.totPages / PAGES_PER_MIB), d.hvm ? 6 : 0) + (d.hvm ? 1 : 0);
  return SHADOW_MIN_PAGES_PER_VCPU * d.maxVcpus + Math.max(extra, p2mPages(d));
}

/** SHADOW_OOS_PAGES: snapshots of guest L1s left out of sync, 3 per vCPU unless oos=0 */
export const SHADOW_OOS_PAGES = 3;

export function oosSnapshotPages(d: XenDomainData): number {
  if (!shadowEnabled(d) || !d.oos || !d.creationFinished) return 0;
  return SHADOW_OOS_PAGES * d.vcpus.filter((v) => v.online).length;
}

/** Xen's p2m_pages: the p2m tables and, while log-dirty runs, the dirty-bitmap trie (both "p2m" allocations). */
export function poolP2mPages(d: XenDomainData): number {
  return p2mPages(d) + logDirtyTriePages(d);
}

/** Room the pool has for shadows once p2m, trie and out-of-sync snapshots took theirs. */
export function shadowCapacity(d: XenDomainData): number {
  return Math.max(0, d.pagingPoolPages - poolP2mPages(d) - oosSnapshotPages(d));
}

export function currentLevels(d: XenDomainData): ShadowLevels {
  const p = d.paging;
  if (!p || !shadowEnabled(d)) return { l1: 0, l2: 0, l3: 0, l4: 0 };
  return shadowLevels(p.shadow.mapped, workingSets(d, p.act));
}

/** HAP under log-dirty: first writes since CLEAN are EPT violations or PML log entries. */
function hapLogDirtyRun(ld: LogDirtyState, ws: WorkingSets, dt: number): void {
  for (const i of [0, 1] as const) {
    const fresh = firstWrites(ld, ws, i, dt);
    if (ld.pml) {
      const logged = ld.pmlLogged + fresh;
      ld.pmlExits += Math.floor(logged / PML_ENTRIES) - Math.floor(ld.pmlLogged / PML_ENTRIES);
      ld.pmlLogged = logged;
    } else ld.eptViolations += fresh;
  }
}

export interface PagingStep {
  changed: boolean;
  /** shadow preallocation failed: the domain must crash */
  starved?: { request: number; total: number; free: number; p2m: number };
  /** the workload completed a pass over its working set meanwhile */
  newPass?: boolean;
}

/** Let the guest run `dt` seconds of its memory activity through the paging model. */
export function runGuestMemory(d: XenDomainData, dt: number): PagingStep {
  const p = d.paging;
  if (!p || dt <= 0 || d.dying !== 'alive') return { changed: false };
  const ws = workingSets(d, p.act);
  let newPass = false;
  if (ws.wss[1] > 0 && ws.rate[1] > 0) {
    const before = p.passes ?? 0;
    p.passes = before + (ws.rate[1] * dt) / ws.wss[1];
    newPass = Math.floor(p.passes) > Math.floor(before);
  }
  if (shadowEnabled(d)) {
    const step = shadowRun(p.shadow, ws, dt, shadowCapacity(d), p.logDirty);
    if (step.starved) {
      const p2m = poolP2mPages(d);
      const total = d.pagingPoolPages - p2m;
      const inUse = levelsTotal(shadowLevels(p.shadow.mapped, ws)) + oosSnapshotPages(d);
      return { changed: true, starved: { request: step.starved.request, total, free: Math.max(0, total - inUse), p2m } };
    }
  } else if (p.logDirty) hapLogDirtyRun(p.logDirty, ws, dt);
  return newPass ? { changed: true, newPass } : { changed: true };
}

/** Bring the model to `now` (host time, ns). */
export function advancePaging(d: XenDomainData, now: number): PagingStep {
  if (d.pagingMode === 'none' && !d.paging?.logDirty) return { changed: false };
  const p = pagingData(d, now);
  const dt = now - p.advancedNs;
  if (dt <= 0) return { changed: false };
  p.advancedNs = now;
  const step = runGuestMemory(d, dt / 1e9);
  return { ...step, changed: true };
}

/** What `xlsim check` verifies of a domain's paging state (empty when sound). */
export function pagingViolations(d: XenDomainData): string[] {
  const id = `d${d.domid}`;
  const out: string[] = [];
  if (!d.hvm && !d.paging?.logDirty && d.pagingPoolPages !== 0) out.push(`${id}: PV paging pool of ${d.pagingPoolPages} pages without log-dirty`);
  const p = d.paging;
  if (!p) return out;
  if (shadowEnabled(d) && d.dying === 'alive') {
    const used = Math.min(p2mPages(d), d.pagingPoolPages) + logDirtyTriePages(d) + oosSnapshotPages(d) + levelsTotal(currentLevels(d));
    if (used > d.pagingPoolPages) out.push(`${id}: paging pool of ${d.pagingPoolPages} pages holds ${used} pages of p2m, log-dirty trie, out-of-sync snapshots and shadows`);
  }
  const ld = p.logDirty;
  if (ld && [ld.faultCount, ld.dirtyCount, ld.eptViolations, ld.pmlLogged, ld.pmlExits, ld.dirty[0], ld.dirty[1]].some((n) => !(n >= 0))) out.push(`${id}: negative log-dirty counter`);
  if (!(p.shadow.faults >= 0) || !(p.shadow.mapped[0] >= 0) || !(p.shadow.mapped[1] >= 0)) out.push(`${id}: negative shadow counter`);
  return out;
}
