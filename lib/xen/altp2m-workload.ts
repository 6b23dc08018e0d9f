/**
 * The guest's memory-writing process meets the altp2m view its vCPU runs
 * on. The workload writes uniformly over its working set (page indices
 * [0, wss), lib/libxl/workload.ts), so by the time it has written as many
 * pages as the set holds it has, on average, written each of them: each
 * such pass sends one write to every gfn of the set that the view does not
 * let it write, which is a mem_access violation like any other
 * (lib/xen/mem_access.ts).
 */
import type { XenCore } from './core';
import { indexOfPfn } from './logdirty';
import { guestAccess } from './mem_access';
import type { XenDomainData } from './types';

/** The process runs on vCPU 0 (a single-threaded writer). */
const WORKLOAD_VCPU = 0;

function forbidsWrite(a: string): boolean {
  return !a.includes('w') || a === 'r_pw';
}

/** gfns of the workload's set that the vCPU's current view write-protects. */
export function restrictedWorkloadGfns(d: XenDomainData): number[] {
  const st = d.altp2mState;
  const wss = d.paging?.act.wss ?? 0;
  if (!st?.active || wss <= 0) return [];
  const view = st.vcpuView[WORKLOAD_VCPU] ?? 0;
  const entries: Array<[string, string]> =
    view <= 0 ? Object.entries(st.hostAccess) : Object.entries(st.views.find((v) => v.idx === view)?.e ?? {}).map(([g, e]) => [g, e.a]);
  const out: number[] = [];
  for (const [g, a] of entries) {
    const gfn = Number(g);
    const i = indexOfPfn(d.hvm, gfn);
    if (i >= 0 && i < wss && forbidsWrite(a)) out.push(gfn);
  }
  return out.sort((a, b) => a - b);
}

/** One write to each write-protected gfn of the set, after a full pass of the workload. */
export function workloadPassWrites(x: XenCore, d: XenDomainData): void {
  for (const gfn of restrictedWorkloadGfns(d)) {
    const r = guestAccess(x, d.domid, WORKLOAD_VCPU, gfn, 'w');
    if (!r.ok || r.value.result === 'crashed') return;
  }
}
