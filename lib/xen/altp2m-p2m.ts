/**
 * The p2m side of altp2m: which gfns the host p2m backs with RAM, and how
 * an alternate view finds, copies (lazily, with its default access) and
 * changes its entries.
 *
 * The host p2m is not stored page by page: a gfn is RAM when it falls in
 * the guest's RAM layout (low memory below the 3.75 GiB MMIO hole without
 * the legacy VGA hole, the rest above 4 GiB), which is how an HVM guest
 * built by libxc is populated. View 0 is the host p2m itself.
 */
import type { Altp2mState, Altp2mViewData, MemAccess, ViewEntry } from './altp2m-types';
import type { XenDomainData } from './types';

/** default mmio_hole: RAM stops at 0xF0000000 below 4 GiB */
const LOWMEM_END_PFN = 0xf0000;
const HIGHMEM_START_PFN = 0x100000;
const VGA_HOLE = [0xa0, 0xc0] as const;
/** the host p2m's default_access */
export const HOST_DEFAULT_ACCESS: MemAccess = 'rwx';
/** INVALID_GFN as the tools pass it (~0) */
export const INVALID_GFN = -1;

/** Whether the host p2m maps this gfn to guest RAM (p2m_ram_rw). */
export function hostGfnIsRam(d: XenDomainData, gfn: number): boolean {
  if (!Number.isSafeInteger(gfn) || gfn < 0) return false;
  const ram = d.totPages;
  const low = Math.min(ram, LOWMEM_END_PFN);
  if (gfn < low) return gfn < VGA_HOLE[0] || gfn >= VGA_HOLE[1];
  return gfn >= HIGHMEM_START_PFN && gfn < HIGHMEM_START_PFN + (ram - low);
}

export function hostAccessOf(st: Altp2mState, gfn: number): MemAccess {
  return st.hostAccess[gfn] ?? HOST_DEFAULT_ACCESS;
}

/** altp2m_is_eptp_valid: an index below nr whose view is active (view 0 while altp2m is on). */
export function viewOf(st: Altp2mState, nr: number, idx: number): Altp2mViewData | 'host' | undefined {
  if (!Number.isInteger(idx) || idx < 0 || idx >= nr || !st.active) return undefined;
  if (idx === 0) return 'host';
  return st.views.find((v) => v.idx === idx);
}

/** The view's own entry, without populating (get_entry on the alternate p2m). */
export function viewEntry(v: Altp2mViewData, gfn: number): ViewEntry | undefined {
  return v.e[gfn];
}

/**
 * altp2m_get_effective_entry with prepopulate: the view's entry, or a copy
 * of the host's with the view's default access. Undefined when the host has
 * no RAM there (ESRCH).
 */
export function populate(d: XenDomainData, v: Altp2mViewData, gfn: number): ViewEntry | undefined {
  const have = v.e[gfn];
  if (have) return have;
  if (!hostGfnIsRam(d, gfn)) return undefined;
  const e: ViewEntry = { a: v.defaultAccess };
  v.e[gfn] = e;
  return e;
}

/** Which gfn's frame an entry shows (for remapped entries, the target). */
export function backingGfn(v: Altp2mViewData, gfn: number): number {
  return v.e[gfn]?.to ?? gfn;
}

/**
 * A host p2m change (here: a new access on view 0) reaches every view that
 * already holds the gfn, which then shows the host's entry again
 * (p2m_altp2m_propagate_change).
 */
export function propagateHostChange(st: Altp2mState, gfn: number): void {
  const a = hostAccessOf(st, gfn);
  for (const v of st.views) {
    if (v.e[gfn]) v.e[gfn] = { a };
  }
}

export function insertView(st: Altp2mState, v: Altp2mViewData): void {
  st.views.push(v);
  st.views.sort((p, q) => p.idx - q.idx);
}
