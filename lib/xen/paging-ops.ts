/**
 * The paging hypercalls and events: XEN_DOMCTL_shadow_op (log-dirty
 * ENABLE / CLEAN / PEEK / OFF), XEN_DOMCTL_set_paging_mempool_size, the
 * 'S' debug key's shadow_blow_tables, and the simulation hooks through
 * which the guest model tells Xen how it uses memory.
 */
import { PAGE_SIZE } from './constants';
import type { XenCore } from './core';
import { crashDomain } from './domain-state';
import { err, ok, type XenResult } from './errno';
import { allocHeapPages, freeHeapPages } from './heap';
import {
  oosSnapshotPages,
  pagingData,
  poolP2mPages,
  runGuestMemory,
  shadowEnabled,
  shadowMinAllocation,
  workingSets,
  type PagingStep,
} from './paging';
import type { MemActivity } from './paging-types';
import { blowTables, fitScale, levelsTotal, newShadowCache, shadowLevels } from './shadow';
import type { XenDomainData } from './types';

/** shadow_enable() sizes a pool that is below its minimum to at least this (4 MiB) */
const SHADOW_ENABLE_PAGES = 1024;

export interface LogDirtyStats {
  faultCount: number;
  dirtyCount: number;
}

export type ShadowOp = 'enable' | 'clean' | 'peek' | 'off';

/** What a failed shadow preallocation leaves: Xen's two lines, then the crash. */
export function starve(x: XenCore, d: XenDomainData, s: NonNullable<PagingStep['starved']>): void {
  x.log(`Can't pre-allocate ${s.request} shadow pages!`, 'error');
  x.log(`  shadow pages total = ${s.total}, free = ${s.free}, p2m=${s.p2m}`, 'error');
  crashDomain(x, d.domid);
}

/** XEN_DOMCTL_shadow_op for log-dirty: counters at the level Xen reports them. */
export function shadowOp(x: XenCore, domid: number, op: ShadowOp): XenResult<LogDirtyStats> {
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  if (d.dying !== 'alive') return err('EINVAL');
  const p = pagingData(d, x.now());
  const ld = p.logDirty;
  const stats = (): LogDirtyStats => ({ faultCount: Math.round(ld?.faultCount ?? 0), dirtyCount: Math.round(ld?.dirtyCount ?? 0) });
  switch (op) {
    case 'enable': {
      if (ld) return err('EINVAL');
      if (d.hwdom) return err('EINVAL');
      if (!d.hvm) {
        // PV: shadow mode comes on for log-dirty only, with a pool of its own
        const want = Math.max(SHADOW_ENABLE_PAGES, shadowMinAllocation(d));
        if (d.pagingPoolPages < want) {
          if (!allocHeapPages(x.host, want - d.pagingPoolPages, undefined)) return err('ENOMEM');
          d.pagingPoolPages = want;
          x.hostChanged();
        }
        p.shadow = newShadowCache();
      }
      const pml = d.pagingMode === 'hap' && x.host.caps.pml;
      p.logDirty = { dirty: [0, 0], faultCount: 0, dirtyCount: 0, eptViolations: 0, pmlLogged: 0, pmlExits: 0, cleans: 0, pml };
      // shadow: every mapping must be re-made read-only; HAP: the p2m entries become logdirty
      if (d.pagingMode === 'shadow') blowTables(p.shadow);
      x.put(d);
      return ok({ faultCount: 0, dirtyCount: 0 });
    }
    case 'peek':
      if (!ld) return err('EINVAL');
      return ok(stats());
    case 'clean': {
      if (!ld) return err('EINVAL');
      const s = stats();
      ld.dirty = [0, 0];
      ld.faultCount = 0;
      ld.dirtyCount = 0;
      ld.cleans++;
      if (shadowEnabled(d)) blowTables(p.shadow);
      x.put(d);
      return ok(s);
    }
    case 'off': {
      const s = stats();
      if (!ld) return ok(s);
      delete p.logDirty;
      if (!d.hvm) {
        freeHeapPages(x.host, d.pagingPoolPages);
        d.pagingPoolPages = 0;
        p.shadow = newShadowCache();
        x.hostChanged();
      }
      x.put(d);
      return ok(s);
    }
  }
}

/**
 * XEN_DOMCTL_set_paging_mempool_size, pool = shadow pages + p2m. A shadow
 * pool is never set below sh_min_allocation (except to 0); shrinking below
 * what is in use reclaims shadows as preallocation does, and when only the
 * top-level shadows in CR3 are left it gives up with Xen's message and
 * -ENOMEM. A HAP pool keeps its p2m pages whatever is asked.
 */
export function setPoolPages(x: XenCore, d: XenDomainData, asked: number): XenResult<number> {
  const host = x.host;
  const p2m = poolP2mPages(d);
  // snapshot pages of out-of-sync L1s are held by the vCPUs, like their top-level shadows
  const held = oosSnapshotPages(d);
  let pages = asked;
  let starved = false;
  if (d.pagingMode === 'hap') pages = Math.max(asked, p2m);
  else if (shadowEnabled(d) && d.paging) {
    if (asked > 0) pages = Math.max(asked, shadowMinAllocation(d));
    const total = (pages === 0 ? 0 : pages - p2m) - held;
    const sh = d.paging.shadow;
    const ws = workingSets(d, d.paging.act);
    const inUse = levelsTotal(shadowLevels(sh.mapped, ws));
    if (total < inUse) {
      const keep = Math.min(ws.hooked, ws.spaces);
      const before = sh.mapped[0] + sh.mapped[1];
      const scale = total > keep ? fitScale(sh.mapped, ws, total) : 0;
      sh.mapped = [sh.mapped[0] * scale, sh.mapped[1] * scale];
      sh.unpins += before > 0 ? Math.ceil(ws.spaces * (1 - scale)) : 0;
      const left = levelsTotal(shadowLevels(sh.mapped, ws));
      if (total < left) {
        x.log(`Can't pre-allocate 1 shadow pages!`, 'error');
        x.log(`  shadow pages total = ${left + held}, free = 0, p2m=${p2m}`, 'error');
        starved = true;
      }
    }
    // p2m pages and shadows still in use are never handed back
    pages = Math.max(pages, p2m + held + levelsTotal(shadowLevels(sh.mapped, ws)));
  }
  if (pages > d.pagingPoolPages) {
    if (!allocHeapPages(host, pages - d.pagingPoolPages, undefined)) return err('ENOMEM');
  } else freeHeapPages(host, d.pagingPoolPages - pages);
  d.pagingPoolPages = pages;
  x.hostChanged();
  x.put(d);
  return starved ? err('ENOMEM') : ok(pages * PAGE_SIZE);
}

/** The guest model says what its memory-writing process does from now on. */
export function setMemActivity(x: XenCore, domid: number, act: MemActivity): XenResult {
  if (!(act.writeRate >= 0) || !(act.wss >= 0)) return err('EINVAL');
  const r = x.get(domid);
  if (!r.ok) return r;
  const p = pagingData(r.value, x.now());
  p.act = { writeRate: act.writeRate, wss: Math.floor(act.wss) };
  // a new process starts its passes over its own set
  delete p.passes;
  x.put(r.value);
  return ok();
}

/**
 * The guest ran `ns` while the host clock stood still (the pre-copy rounds
 * of a migration are timed by the link, not by the host clock).
 */
export function guestRan(x: XenCore, domid: number, ns: number): XenResult {
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  pagingData(d, x.now());
  const step = runGuestMemory(d, ns / 1e9);
  x.store.putDomain(d);
  if (step.starved) starve(x, d, step.starved);
  return ok();
}

/** Debug key 'S': shadow_blow_tables for every domain in shadow mode. */
export function blowAllShadowTables(x: XenCore): void {
  for (const d of x.all()) {
    if (!shadowEnabled(d) || d.dying !== 'alive' || !d.creationFinished) continue;
    blowTables(pagingData(d, x.now()).shadow);
    x.store.putDomain(d);
  }
}
