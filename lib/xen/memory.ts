/**
 * Memory hypercalls: XENMEM_populate_physmap / decrease_reservation /
 * claim_pages / set_pod_target, XEN_DOMCTL_max_mem and the paging mempool
 * size. Pages are counted, never materialised.
 */
import { PAGE_SIZE } from './constants';
import type { XenCore } from './core';
import { crashDomain } from './domain-state';
import { err, ok, type XenResult } from './errno';
import { allocHeapPages, freeHeapPages } from './heap';
import { pagingData } from './paging';
import { setPoolPages } from './paging-ops';
import type { XenDomainData, XenHostData } from './types';

/** How many of `n` single-page allocations for `d` the heap grants, extent by extent. */
function grantablePages(host: XenHostData, d: XenDomainData, n: number): number {
  // Extents covered by the domain's claim always succeed while pages exist...
  const covered = Math.min(n, d.outstandingPages, host.freePages);
  const freeAfter = host.freePages - covered;
  const claimsAfter = host.outstandingClaims - covered;
  // ...after that only unclaimed memory is available.
  const rest = Math.min(n - covered, Math.max(0, freeAfter - claimsAfter));
  return covered + rest;
}

export interface PopulateOpts {
  /** XENMEMF_populate_on_demand: mark gfns PoD instead of backing them */
  pod?: boolean;
  /** the vCPU doing it, for Xen's log prefix (d<N>v<k>) */
  vcpu?: number;
  /** extent order for the debug log line */
  order?: number;
}

/**
 * Returns the number of pages done, like the hypercall; fewer than asked
 * means the rest failed (over max_pages or out of heap memory).
 */
export function populatePhysmap(x: XenCore, domid: number, nr: number, opts: PopulateOpts = {}): XenResult<number> {
  if (!Number.isInteger(nr) || nr < 0) return err('EINVAL');
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  if (d.dying !== 'alive') return ok(0);
  if (opts.pod) {
    if (!d.hvm) return err('EINVAL');
    d.podEntries += nr;
    x.put(d);
    return ok(nr);
  }
  const room = Math.max(0, d.maxPages - d.totPages);
  let want = nr;
  if (want > room) {
    const who = `d${domid}v${opts.vcpu ?? 0}`;
    x.log(`${who} Over-allocation for d${domid}: ${d.totPages + room + 1} > ${d.maxPages}`, 'info', true);
    want = room;
  }
  const host = x.host;
  const done = grantablePages(host, d, want);
  if (done > 0) {
    allocHeapPages(host, done, d);
    d.totPages += done;
    x.hostChanged();
  }
  if (done < want) {
    x.log(
      `memory.c: d0v0 Could not allocate order=${opts.order ?? 0} extent: id=${domid} memflags=0 (${done} of ${nr})`,
      'debug',
      true,
    );
  }
  x.put(d);
  return ok(done);
}

/**
 * XENMEM_decrease_reservation (the balloon driver giving pages back). For a
 * PoD guest, outstanding PoD entries go first: they cost no real memory.
 */
export function decreaseReservation(x: XenCore, domid: number, nr: number): XenResult<number> {
  if (!Number.isInteger(nr) || nr < 0) return err('EINVAL');
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  if (d.dying !== 'alive') return ok(0);
  const fromPod = Math.min(nr, d.podEntries);
  d.podEntries -= fromPod;
  const populated = d.totPages - d.podCache;
  const fromRam = Math.min(nr - fromPod, populated);
  d.totPages -= fromRam;
  freeHeapPages(x.host, fromRam);
  if (fromRam > 0) x.hostChanged();
  x.put(d);
  return ok(fromPod + fromRam);
}

/** XEN_DOMCTL_max_mem (KiB). Xen accepts a value below tot_pages; allocations just fail. */
export function setMaxMem(x: XenCore, domid: number, maxKiB: number): XenResult {
  if (!Number.isInteger(maxKiB) || maxKiB < 0) return err('EINVAL');
  const r = x.get(domid);
  if (!r.ok) return r;
  r.value.maxPages = Math.floor(maxKiB / 4);
  x.put(r.value);
  return ok();
}

/** XENMEM_claim_pages (domain_set_outstanding_pages); 0 cancels the claim. */
export function claimPages(x: XenCore, domid: number, pages: number): XenResult {
  if (!Number.isInteger(pages) || pages < 0) return err('EINVAL');
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  const host = x.host;
  if (pages === 0) {
    host.outstandingClaims -= d.outstandingPages;
    d.outstandingPages = 0;
  } else {
    if (d.outstandingPages !== 0) return err('EINVAL');
    if (pages <= d.totPages || pages > d.maxPages) return err('EINVAL');
    const claim = pages - d.totPages;
    if (claim > host.freePages - host.outstandingClaims) return err('ENOMEM');
    d.outstandingPages = claim;
    host.outstandingClaims += claim;
  }
  x.hostChanged();
  x.put(d);
  return ok();
}

export interface PodState {
  totPages: number;
  podCache: number;
  podEntries: number;
}

/**
 * XENMEM_set_pod_target: size the PoD cache so that populated pages plus
 * cache reach `targetPages`, never more than there are PoD entries to back.
 */
export function setPodTarget(x: XenCore, domid: number, targetPages: number): XenResult<PodState> {
  if (!Number.isInteger(targetPages) || targetPages < 0) return err('EINVAL');
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  if (!d.hvm || d.dying !== 'alive') return err('EINVAL');
  const populated = d.totPages - d.podCache;
  const cacheTarget = Math.max(0, Math.min(targetPages - populated, d.podEntries));
  d.podTarget = cacheTarget;
  let result: XenResult<PodState> | undefined;
  const host = x.host;
  if (cacheTarget > d.podCache) {
    const want = cacheTarget - d.podCache;
    const got = grantablePages(host, d, want);
    allocHeapPages(host, got, d);
    d.podCache += got;
    d.totPages += got;
    if (got < want) result = err('ENOMEM');
  } else if (cacheTarget < d.podCache) {
    const give = d.podCache - cacheTarget;
    d.podCache -= give;
    d.totPages -= give;
    freeHeapPages(host, give);
  }
  x.hostChanged();
  x.put(d);
  return result ?? ok({ totPages: d.totPages, podCache: d.podCache, podEntries: d.podEntries });
}

/**
 * The guest touching `pages` PoD gfns for the first time: each takes a page
 * from the cache. An empty cache crashes the domain as Xen does.
 */
export function podTouch(x: XenCore, domid: number, pages: number): XenResult<{ crashed: boolean }> {
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  const n = Math.min(Math.max(0, pages), d.podEntries);
  if (n <= d.podCache) {
    d.podCache -= n;
    d.podEntries -= n;
    x.put(d);
    return ok({ crashed: false });
  }
  d.podEntries -= d.podCache;
  d.podCache = 0;
  x.put(d);
  x.log(
    `p2m_pod_demand_populate: Dom${domid} out of PoD memory! (tot=${d.totPages} ents=${d.podEntries} dom${domid})`,
    'error',
  );
  const c = crashDomain(x, domid);
  if (!c.ok) return c;
  return ok({ crashed: true });
}

/**
 * XEN_DOMCTL_set_paging_mempool_size (bytes). Pool pages leave the heap but
 * belong to no one, so they never show in tot_pages. The per-mode rules
 * (shadow minimum, reclaiming shadows on a shrink) are in paging-ops.ts.
 */
export function setPagingMempoolSize(x: XenCore, domid: number, bytes: number): XenResult<number> {
  if (!Number.isInteger(bytes) || bytes < 0 || bytes % PAGE_SIZE !== 0) return err('EINVAL');
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  if (d.dying !== 'alive') return err('EINVAL');
  // a PV guest's pool is Xen's own business (log-dirty sizes it)
  if (!d.hvm) return err('EOPNOTSUPP');
  pagingData(d, x.now());
  return setPoolPages(x, d, bytes / PAGE_SIZE);
}

export function getPagingMempoolSize(x: XenCore, domid: number): XenResult<number> {
  const r = x.get(domid);
  if (!r.ok) return r;
  return ok(r.value.pagingPoolPages * PAGE_SIZE);
}
