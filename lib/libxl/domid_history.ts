/**
 * libxl's "recently used domids" (libxl_domain.c libxl__mark_domid_recent,
 * libxl__is_domid_recent; a real host keeps them in
 * /var/run/xen/domid-history): a domid destroyed less than 60 s ago is not
 * handed to a new domain, so a late event meant for the old domain cannot
 * hit the new one. LIBXL_DOMID_REUSE_TIMEOUT in the environment overrides it.
 */
import type { LibxlCtx } from './ctx';

const NS = 'libxl.domid-history';
export const LIBXL_DOMID_REUSE_TIMEOUT_S = 60;

export function markDomidRecent(lx: LibxlCtx, domid: number): void {
  if (domid === 0) return;
  lx.records.put(NS, String(domid), lx.now());
}

/** True while the embargo runs; expired entries are dropped on the way. */
export function isDomidRecent(lx: LibxlCtx, domid: number, timeoutS = LIBXL_DOMID_REUSE_TIMEOUT_S): boolean {
  const at = lx.records.get<number>(NS, String(domid));
  if (at === undefined) return false;
  if (lx.now() - at < timeoutS * 1e9) return true;
  lx.records.delete(NS, String(domid));
  return false;
}
