/**
 * The live half of `xlsim inspect <dom> paging`: what the hypervisor's
 * paging model holds now — pool use, shadows per level, top-level shadows
 * per vCPU, fault counters and log-dirty — as labelled rows and as JSON.
 */
import type { PagingReport } from '../../lib/xen/paging-report';

export type Row = [label: string, value: string];

function logDirtyRows(r: PagingReport): Row[] {
  const ld = r.logDirty;
  if (!ld) return [['log-dirty', 'off']];
  const how =
    ld.trap === 'shadow-fault'
      ? 'shadow: every shadow L1 entry starts read-only, the first write to each page faults'
      : ld.trap === 'pml'
        ? 'HAP with PML: the CPU logs written pages, exits only when its 512-entry buffer is full'
        : 'HAP: RAM is write-protected in the EPT, the first write to each page is an EPT violation';
  const rows: Row[] = [
    ['log-dirty', `on (${how})`],
    ['', `fault_count ${ld.faultCount}, dirty_count ${ld.dirtyCount} since ${ld.cleans ? `CLEAN #${ld.cleans}` : 'enable'}`],
  ];
  if (ld.trap === 'ept-violation') rows.push(['', `${ld.eptViolations} EPT write-protection violations since enable`]);
  if (ld.trap === 'pml') rows.push(['', `${ld.pmlLogged} pages logged by PML, ${ld.pmlExits} buffer-full exits since enable`]);
  return rows;
}

export function pagingModelRows(r: PagingReport): Row[] {
  const rows: Row[] = [];
  const p = r.pool;
  if (p.pages > 0) {
    const oos = r.shadow ? `, out-of-sync snapshots ${p.oos}` : '';
    rows.push(['pool use', `p2m ${p.p2m}, shadows ${p.shadow}${oos}, log-dirty trie ${p.logDirty}, free ${p.free} pages`]);
    if (p.minPages > 0) rows.push(['', `Xen's minimum for this shadow pool: ${p.minPages} pages (sh_min_allocation)`]);
  }
  const s = r.shadows;
  if (s) {
    const l = s.levels;
    rows.push(['shadows', `L1 ${l.l1}, L2 ${l.l2}, L3 ${l.l3}, L4 ${l.l4} (${s.pinned} pinned); ${s.mappedPages} guest pages mapped`]);
    rows.push(['top-level', s.topLevelPerVcpu.map((n, i) => `v${i} ${n}`).join(', ') + ' (shadow_table[] hooked in CR3)']);
    rows.push(['shadow faults', `${s.faults} fixed; ${s.unpins} top-level shadows unpinned to make room; tables blown ${s.blows} time(s)`]);
  }
  const a = r.activity;
  if (s || r.logDirty) {
    let act = `kernel ${a.kernel.wssPages} pages at ${a.kernel.touchesPerSec} touches/s`;
    act += a.workload.wssPages > 0 && a.workload.writesPerSec > 0 ? `; workload ${a.workload.wssPages} pages at ${a.workload.writesPerSec} writes/s` : '; no workload';
    rows.push(['guest activity', act]);
  }
  if (r.mode !== 'none' || r.logDirty) rows.push(...logDirtyRows(r));
  return rows;
}

export function pagingModelJson(r: PagingReport): Record<string, unknown> {
  const p = r.pool;
  return {
    shadow_enabled: r.shadow,
    pool: { pages: p.pages, min_pages: p.minPages, p2m_pages: p.p2m, shadow_pages: p.shadow, oos_pages: p.oos, logdirty_pages: p.logDirty, free_pages: p.free },
    shadows: r.shadows
      ? {
          l1: r.shadows.levels.l1,
          l2: r.shadows.levels.l2,
          l3: r.shadows.levels.l3,
          l4: r.shadows.levels.l4,
          pinned: r.shadows.pinned,
          top_level_per_vcpu: r.shadows.topLevelPerVcpu,
          mapped_pages: r.shadows.mappedPages,
          faults: r.shadows.faults,
          unpins: r.shadows.unpins,
          blows: r.shadows.blows,
        }
      : null,
    log_dirty: r.logDirty
      ? {
          trap: r.logDirty.trap,
          fault_count: r.logDirty.faultCount,
          dirty_count: r.logDirty.dirtyCount,
          ept_violations: r.logDirty.eptViolations,
          pml_logged: r.logDirty.pmlLogged,
          pml_exits: r.logDirty.pmlExits,
          cleans: r.logDirty.cleans,
        }
      : null,
    activity: {
      kernel_wss_pages: r.activity.kernel.wssPages,
      kernel_touches_per_sec: r.activity.kernel.touchesPerSec,
      workload_wss_pages: r.activity.workload.wssPages,
      workload_writes_per_sec: r.activity.workload.writesPerSec,
    },
  };
}
