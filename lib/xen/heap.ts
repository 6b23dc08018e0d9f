/**
 * The free heap and claims (page_alloc.c). Claimed pages are unavailable to
 * everyone except the claiming domain, and allocations by a domain draw its
 * claim down first.
 */
import type { XenDomainData, XenHostData } from './types';

/**
 * Take `n` pages out of the heap for `d` (or for Xen/no owner when
 * undefined). Returns false, changing nothing, when the heap cannot give
 * them under the claims rule.
 */
export function allocHeapPages(host: XenHostData, n: number, d: XenDomainData | undefined, noRefcount = false): boolean {
  if (n <= 0) return true;
  if (n > host.freePages) return false;
  const claimedElsewhere = host.outstandingClaims + n > host.freePages;
  if (claimedElsewhere && (noRefcount || !d || d.outstandingPages < n)) return false;
  host.freePages -= n;
  if (d && !noRefcount && d.outstandingPages > 0) {
    const drawn = Math.min(d.outstandingPages, n);
    d.outstandingPages -= drawn;
    host.outstandingClaims -= drawn;
  }
  return true;
}

export function freeHeapPages(host: XenHostData, n: number): void {
  host.freePages += n;
}

/** Pages a claim-less allocation can get right now. */
export function unclaimedFreePages(host: XenHostData): number {
  return Math.max(0, host.freePages - host.outstandingClaims);
}
