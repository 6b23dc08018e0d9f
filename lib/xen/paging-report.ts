/**
 * A domain's paging state as numbers a reader can check against each
 * other: pool = p2m + shadows + log-dirty trie + free, per-level shadow
 * counts, top-level shadows per vCPU, and the fault counters.
 */
import type { XenCore } from './core';
import { ok, type XenResult } from './errno';
import { kernelWss, logDirtyTriePages, oosSnapshotPages, p2mPages, shadowEnabled, shadowMinAllocation, workingSets } from './paging';
import { levelsTotal, shadowLevels, type ShadowLevels } from './shadow';
import type { PagingMode } from './types';

export interface PagingReport {
  mode: PagingMode;
  /** shadow mode is on (HVM without HAP, or PV while log-dirty runs) */
  shadow: boolean;
  pool: {
    pages: number;
    /** sh_min_allocation for a shadow pool (0 for HAP / PV) */
    minPages: number;
    p2m: number;
    shadow: number;
    /** snapshots of guest L1s left out of sync (3 per vCPU, oos=1) */
    oos: number;
    logDirty: number;
    free: number;
  };
  shadows?: {
    levels: ShadowLevels;
    /** top-level shadows hooked in each vCPU's CR3 (shadow_table[]) */
    topLevelPerVcpu: number[];
    pinned: number;
    mappedPages: number;
    faults: number;
    unpins: number;
    blows: number;
  };
  logDirty?: {
    faultCount: number;
    dirtyCount: number;
    /** how a first write is noticed: a shadow fault, an EPT violation, or a PML log entry */
    trap: 'shadow-fault' | 'ept-violation' | 'pml';
    eptViolations: number;
    pmlLogged: number;
    pmlExits: number;
    cleans: number;
  };
  activity: {
    kernel: { wssPages: number; touchesPerSec: number };
    workload: { wssPages: number; writesPerSec: number };
  };
}

export function pagingReport(x: XenCore, domid: number): XenResult<PagingReport> {
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  const p = d.paging;
  const act = p?.act ?? { writeRate: 0, wss: 0 };
  const ws = workingSets(d, act);
  const sh = shadowEnabled(d);
  const levels = sh && p ? shadowLevels(p.shadow.mapped, ws) : { l1: 0, l2: 0, l3: 0, l4: 0 };
  const p2m = Math.min(p2mPages(d), d.pagingPoolPages);
  const trie = logDirtyTriePages(d);
  const oos = oosSnapshotPages(d);
  const used = p2m + trie + oos + levelsTotal(levels);
  const out: PagingReport = {
    mode: d.pagingMode,
    shadow: sh,
    pool: {
      pages: d.pagingPoolPages,
      minPages: d.pagingMode === 'shadow' ? shadowMinAllocation(d) : 0,
      p2m,
      shadow: levelsTotal(levels),
      oos,
      logDirty: trie,
      free: Math.max(0, d.pagingPoolPages - used),
    },
    activity: {
      kernel: { wssPages: kernelWss(d), touchesPerSec: Math.round(ws.rate[0]) },
      workload: { wssPages: ws.wss[1], writesPerSec: Math.round(ws.rate[1]) },
    },
  };
  if (sh && p) {
    const hooked = d.creationFinished ? d.vcpus.map((v) => (v.online ? 1 : 0)) : d.vcpus.map(() => 0);
    out.shadows = {
      levels,
      topLevelPerVcpu: hooked,
      pinned: levels.l1 > 0 ? levels.l4 : 0,
      mappedPages: Math.round(p.shadow.mapped[0] + p.shadow.mapped[1]),
      faults: Math.round(p.shadow.faults),
      unpins: Math.round(p.shadow.unpins),
      blows: p.shadow.blows,
    };
  }
  const ld = p?.logDirty;
  if (ld) {
    out.logDirty = {
      faultCount: Math.round(ld.faultCount),
      dirtyCount: Math.round(ld.dirtyCount),
      trap: sh ? 'shadow-fault' : ld.pml ? 'pml' : 'ept-violation',
      eptViolations: Math.round(ld.eptViolations),
      pmlLogged: Math.round(ld.pmlLogged),
      pmlExits: Math.round(ld.pmlExits),
      cleans: ld.cleans,
    };
  }
  return ok(out);
}
