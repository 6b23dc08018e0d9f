/**
 * Paging controls as a privileged tool uses them (xc_shadow_control,
 * xc_set_paging_mempool_size), and what reaches the toolstack when Xen
 * crashes a domain on its own: VIRQ_DOM_EXC, on which the domain's xl
 * monitor applies on_crash.
 */
import type { LibxlCtx } from './ctx';
import { monitorFor, monitorShutdown } from './monitor';
import type { XenResult } from '../xen/errno';

export const PAGING_FAULT_EVENT = 'xen.paging.fault';

interface FaultPayload {
  domid: number;
}

/**
 * Resize the paging pool. A shrink that leaves a running shadow guest no
 * page to build a shadow in fails with ENOMEM, and the guest's next page
 * fault (its next touch of unmapped memory) crashes it: that moment is
 * booked in the event queue so the monitor hears of it on time.
 */
export function setPagingPool(lx: LibxlCtx, domid: number, bytes: number): XenResult<number> {
  const r = lx.hv.set_paging_mempool_size(domid, bytes);
  if (r.ok) return r;
  const rep = lx.hv.paging_report(domid);
  if (r.errno === 'ENOMEM' && rep.ok && rep.value.shadow) {
    const rate = rep.value.activity.kernel.touchesPerSec + rep.value.activity.workload.writesPerSec;
    if (rate > 0) lx.events.schedule(lx.now() + Math.ceil(1e9 / rate), PAGING_FAULT_EVENT, { domid } satisfies FaultPayload, { domid });
  }
  return r;
}

/** The booked fault: looking at the domain runs the model, which crashes it; then the monitor acts. */
export function onPagingFault(lx: LibxlCtx, payload: unknown): void {
  const { domid } = payload as FaultPayload;
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok || !info.value.shutdown) return;
  const m = monitorFor(lx, domid);
  if (m) monitorShutdown(lx, m);
}
