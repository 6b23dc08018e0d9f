/**
 * Where a domain's page image (lib/xen/logdirty.ts) is kept between
 * commands: one record per domain, tagged with the domain's handle so a
 * later domain reusing the domid never inherits stale contents.
 */
import type { LibxlCtx } from './ctx';
import { HVM_LOWMEM_END_PFN, PageImage, pfnOfIndex, type PageImageData } from '../xen/logdirty';
import { MemoryDigest, type MemoryDigestValue } from './stream';

const NS = 'xen.pages';

interface Stored extends PageImageData {
  handle: string;
  /**
   * The image's xlsim memory digest (pages, lane A, lane B) as stored: a
   * sender then need not hash all of a guest's pages for every migration.
   */
  digest?: [number, number, number];
}

/**
 * Digests of images loaded with one or digested once, as of the last
 * journal restart (PageImage's journal has what changed since).
 */
const tracked = new WeakMap<PageImage, MemoryDigest>();

function track(img: PageImage, d: MemoryDigest): void {
  tracked.set(img, d);
  img.startJournal();
}

/** The tracked digest brought up to date with the journal, or undefined. */
function trackedDigest(img: PageImage): MemoryDigestValue | undefined {
  const d = tracked.get(img);
  if (!d || !img.journaling) return undefined;
  const hvm = img.hvm;
  img.takeJournal((i, before, now) => {
    const pfn = pfnOfIndex(hvm, i);
    d.remove(pfn, before, 0);
    d.add(pfn, now, 0);
  });
  return d.value();
}

/** The xlsim digest of a whole image (tokens are generations): RAM below the MMIO hole, then above it. */
export function pageImageDigest(img: PageImage): MemoryDigestValue {
  const known = trackedDigest(img);
  if (known) return known;
  const d = new MemoryDigest();
  const all = img.generationTable();
  const low = img.hvm ? Math.min(all.length, HVM_LOWMEM_END_PFN) : all.length;
  d.addGenerations(0, all.subarray(0, low));
  if (low < all.length) d.addGenerations(pfnOfIndex(true, low), all.subarray(low));
  track(img, d);
  return d.value();
}

/** A digest known for an image, kept current from here on. */
function setPageImageDigest(img: PageImage, v: MemoryDigestValue): void {
  track(img, MemoryDigest.from(v));
}

export function loadPageImage(lx: LibxlCtx, domid: number): PageImage | undefined {
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok) return undefined;
  const d = info.value;
  const s = lx.records.get<Stored>(NS, String(domid));
  const img = s && s.handle === d.handle && s.hvm === d.hvm ? PageImage.load(s) : new PageImage(d.hvm, d.totPages);
  if (s?.digest && img.nrPages === d.totPages && s.digest[0] === d.totPages) {
    setPageImageDigest(img, { pages: s.digest[0], lo: s.digest[1], hi: s.digest[2] });
  }
  img.nrPages = d.totPages; // ballooning moved the allocation (and drops the digest)
  return img;
}

export function storePageImage(lx: LibxlCtx, domid: number, img: PageImage): void {
  storePageImageData(lx, domid, img.save(), trackedDigest(img));
}

/** An image in its stored form (pageImageData), with its digest when known. */
export function storePageImageData(lx: LibxlCtx, domid: number, data: PageImageData, digest?: MemoryDigestValue): void {
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok) return;
  const d: [number, number, number] | undefined = digest ? [digest.pages, digest.lo, digest.hi] : undefined;
  lx.records.put<Stored>(NS, String(domid), { ...data, handle: info.value.handle, ...(d ? { digest: d } : {}) });
}

export function dropPageImage(lx: LibxlCtx, domid: number): void {
  lx.records.delete(NS, String(domid));
}
