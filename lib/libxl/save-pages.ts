/**
 * Where a domain's page image (lib/xen/logdirty.ts) is kept between
 * commands: one record per domain, tagged with the domain's handle so a
 * later domain reusing the domid never inherits stale contents.
 */
import type { LibxlCtx } from './ctx';
import { PageImage, type PageImageData } from '../xen/logdirty';

const NS = 'xen.pages';

interface Stored extends PageImageData {
  handle: string;
}

export function loadPageImage(lx: LibxlCtx, domid: number): PageImage | undefined {
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok) return undefined;
  const d = info.value;
  const s = lx.records.get<Stored>(NS, String(domid));
  const img = s && s.handle === d.handle && s.hvm === d.hvm ? PageImage.load(s) : new PageImage(d.hvm, d.totPages);
  img.nrPages = d.totPages; // ballooning moved the allocation
  return img;
}

export function storePageImage(lx: LibxlCtx, domid: number, img: PageImage): void {
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok) return;
  lx.records.put<Stored>(NS, String(domid), { ...img.save(), handle: info.value.handle });
}

export function dropPageImage(lx: LibxlCtx, domid: number): void {
  lx.records.delete(NS, String(domid));
}
