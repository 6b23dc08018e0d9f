/**
 * The host's own view: where Xen, dom0, each guest's pages and each guest's
 * paging pool sit in machine memory.
 *
 * Xen's accounting knows only page counts, not addresses, so the placement is
 * a believable, deterministic story told from the counts: Xen's image stays
 * where the boot log says it was loaded (0xa6800000); Xen's boot-time tables
 * (frame table, M2P, per-CPU areas, xenheap) come from the top of RAM; the
 * buddy allocator then hands out the highest free memory first, so dom0 and
 * the guests follow downwards in creation order, each guest's paging pool
 * ("no owner" pages, outside tot_pages) just below its RAM. What is left,
 * lowest in memory, is the free heap. Each owner is drawn as one run, which
 * real allocation (order-9/18 extents scattered by frees) does not promise.
 */
import { FOUR_GIB, PAGE, type E820Entry, type Region, type RegionKind } from './region';
import type { XenDomainData, XenHostData } from '../types';

/** Where the boot log says Xen relocated itself. */
export const XEN_IMAGE_BASE = 0xa6800000n;
export const XEN_IMAGE_PAGES = 2048;
const LOW_RAM_START = 0x100000n;
const HOST_ACPI_BASE = 0xbf000000n;

export interface HostMemoryRow {
  owner: string;
  kind: RegionKind;
  domid?: number;
  pages: number;
  /** host-physical runs, [start, end) */
  ranges: { start: bigint; end: bigint }[];
}

export interface HostMemoryMap {
  regions: Region[];
  rows: HostMemoryRow[];
  /** the host firmware's table, consistent with the managed page count */
  e820: E820Entry[];
  totalPages: number;
  freePages: number;
  xenPages: number;
  notes: string[];
}

interface Span {
  start: bigint;
  end: bigint;
}

/**
 * The host firmware's E820: the legacy area, RAM up to 0xbf000000, 16 MiB of
 * ACPI data, the PCI/APIC hole, and RAM above 4 GiB sized so that usable RAM
 * above 1 MiB equals Xen's total_pages.
 */
export function hostE820(totalPages: number): E820Entry[] {
  const total = BigInt(totalPages) * PAGE;
  const lowRam = HOST_ACPI_BASE - LOW_RAM_START;
  const lowSize = total < lowRam ? total : lowRam;
  const out: E820Entry[] = [
    { addr: 0n, size: 0x9c000n, type: 'usable' },
    { addr: 0x9c000n, size: 0x100000n - 0x9c000n, type: 'reserved' },
    { addr: LOW_RAM_START, size: lowSize, type: 'usable' },
    { addr: HOST_ACPI_BASE, size: 0xc0000000n - HOST_ACPI_BASE, type: 'ACPI data' },
    { addr: 0xfec00000n, size: 0xfee01000n - 0xfec00000n, type: 'reserved' },
    { addr: 0xff000000n, size: FOUR_GIB - 0xff000000n, type: 'reserved' },
  ];
  if (total > lowRam) out.push({ addr: FOUR_GIB, size: total - lowRam, type: 'usable' });
  return out;
}

/** Takes `pages` from the top of the free spans, highest first. */
function takeTop(free: Span[], pages: number): Span[] {
  let need = BigInt(pages) * PAGE;
  const got: Span[] = [];
  for (let i = free.length - 1; i >= 0 && need > 0n; i--) {
    const s = free[i]!;
    const avail = s.end - s.start;
    if (avail <= 0n) continue;
    const n = avail < need ? avail : need;
    got.push({ start: s.end - n, end: s.end });
    s.end -= n;
    need -= n;
  }
  return got;
}

function domainLabel(d: XenDomainData, names: Record<number, string>): string {
  const name = names[d.domid] ?? (d.domid === 0 ? 'Domain-0' : undefined);
  const who = name ? `d${d.domid} ${name}` : `d${d.domid}`;
  return d.dying === 'alive' ? `${who} (${d.kind})` : `${who} (${d.kind}, dying)`;
}

export function hostMemoryMap(host: XenHostData, domains: readonly XenDomainData[], names: Record<number, string> = {}): HostMemoryMap {
  const total = BigInt(host.totalPages) * PAGE;
  const lowRam = HOST_ACPI_BASE - LOW_RAM_START;
  const lowTop = LOW_RAM_START + (total < lowRam ? total : lowRam);
  const highTop = total > lowRam ? FOUR_GIB + (total - lowRam) : 0n;
  const notes: string[] = [];

  const rows: HostMemoryRow[] = [];
  const row = (owner: string, kind: RegionKind, pages: number, ranges: Span[], domid?: number) => {
    rows.push({ owner, kind, pages, ranges, ...(domid === undefined ? {} : { domid }) });
  };

  // Free spans of managed RAM, ascending; the image is carved out first.
  const free: Span[] = [];
  const imageEnd = XEN_IMAGE_BASE + BigInt(XEN_IMAGE_PAGES) * PAGE;
  const imageFixed = imageEnd <= lowTop;
  if (imageFixed) {
    free.push({ start: LOW_RAM_START, end: XEN_IMAGE_BASE }, { start: imageEnd, end: lowTop });
  } else {
    free.push({ start: LOW_RAM_START, end: lowTop });
  }
  if (highTop > 0n) free.push({ start: FOUR_GIB, end: highTop });

  // Xen's own pages, split the way boot sizes them.
  let xenLeft = host.xenPages;
  const share = (n: number) => {
    const k = Math.max(0, Math.min(n, xenLeft));
    xenLeft -= k;
    return k;
  };
  const imagePages = share(XEN_IMAGE_PAGES);
  row('Xen image (text, data, bss)', 'xen', imagePages, imageFixed ? [{ start: XEN_IMAGE_BASE, end: XEN_IMAGE_BASE + BigInt(imagePages) * PAGE }] : takeTop(free, imagePages));
  const ft = share(Math.ceil(host.totalPages / 128));
  row('Xen frame table (struct page_info)', 'xen', ft, takeTop(free, ft));
  const m2p = share(Math.ceil(host.totalPages / 512));
  row('Xen M2P table', 'xen', m2p, takeTop(free, m2p));
  const rest = share(xenLeft);
  row('Xen per-CPU areas and xenheap', 'xen', rest, takeTop(free, rest));

  const ordered = [...domains].sort((a, b) =>
    a.domid === 0 ? -1 : b.domid === 0 ? 1 : a.createdNs - b.createdNs || a.domid - b.domid,
  );
  for (const d of ordered) {
    if (d.totPages === 0 && d.pagingPoolPages === 0) continue;
    const label = domainLabel(d, names);
    row(label, d.domid === 0 ? 'dom0' : 'domain', d.totPages, takeTop(free, d.totPages), d.domid);
    if (d.pagingPoolPages > 0) {
      const mode = d.pagingMode === 'none' ? 'paging' : d.pagingMode === 'hap' ? 'HAP' : 'shadow';
      row(`d${d.domid} ${mode} pool`, 'pool', d.pagingPoolPages, takeTop(free, d.pagingPoolPages), d.domid);
    }
  }

  const leftover = free.filter((s) => s.end > s.start);
  const leftoverPages = Number(leftover.reduce((a, s) => a + (s.end - s.start), 0n) / PAGE);
  row('free heap', 'free', leftoverPages, leftover);
  const placed = rows.reduce((a, r) => a + Number(r.ranges.reduce((b, s) => b + (s.end - s.start), 0n) / PAGE), 0);
  const counted = rows.filter((r) => r.kind !== 'free').reduce((a, r) => a + r.pages, 0);
  if (leftoverPages !== host.freePages) {
    notes.push(`accounting mismatch: ${leftoverPages} pages left over but the heap says ${host.freePages} free`);
  }
  if (placed < counted + leftoverPages) notes.push(`${counted + leftoverPages - placed} pages do not fit in RAM and are not drawn`);

  const regions = layoutRegions(rows, lowTop);
  notes.unshift(
    'placement is illustrative: Xen keeps page counts, not addresses; each owner is drawn as one run, highest memory handed out first, in creation order',
    'paging pools are "no owner" pages: they leave the free heap but are not in the domain\'s tot_pages (xl list Mem)',
  );
  return { regions, rows, e820: hostE820(host.totalPages), totalPages: host.totalPages, freePages: host.freePages, xenPages: host.xenPages, notes };
}

function layoutRegions(rows: HostMemoryRow[], lowTop: bigint): Region[] {
  const owned: Region[] = [];
  for (const r of rows) {
    r.ranges.forEach((s, i) => {
      const part = r.ranges.length > 1 ? ` (part ${i + 1} of ${r.ranges.length})` : '';
      owned.push({ start: s.start, end: s.end, kind: r.kind, label: r.owner + part, e820Type: 'usable' });
    });
  }
  const fixed: Region[] = [
    { start: 0n, end: 0x9c000n, kind: 'firmware', label: 'low memory: BIOS data, real-mode trampoline (kept out of the heap)', e820Type: 'usable' },
    { start: 0x9c000n, end: LOW_RAM_START, kind: 'firmware', label: 'legacy BIOS, VGA and ROM area', e820Type: 'reserved' },
  ];
  if (lowTop < HOST_ACPI_BASE) fixed.push({ start: lowTop, end: HOST_ACPI_BASE, kind: 'hole', label: 'no RAM' });
  fixed.push(
    { start: HOST_ACPI_BASE, end: 0xc0000000n, kind: 'acpi', label: 'host ACPI tables', e820Type: 'ACPI data' },
    { start: 0xc0000000n, end: 0xfec00000n, kind: 'mmio', label: 'PCI MMIO hole (device BARs)' },
    { start: 0xfec00000n, end: 0xfee01000n, kind: 'firmware', label: 'IOAPIC and local APIC', e820Type: 'reserved' },
    { start: 0xfee01000n, end: 0xff000000n, kind: 'mmio', label: 'MMIO' },
    { start: 0xff000000n, end: FOUR_GIB, kind: 'firmware', label: 'BIOS flash', e820Type: 'reserved' },
  );
  const all = [...fixed, ...owned].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  // Merge touching runs of one owner so a diagram shows one block each.
  const merged: Region[] = [];
  for (const r of all) {
    const last = merged[merged.length - 1];
    if (last && last.end === r.start && last.kind === r.kind && stripPart(last.label) === stripPart(r.label)) {
      last.end = r.end;
      last.label = stripPart(last.label);
    } else merged.push({ ...r });
  }
  return merged;
}

function stripPart(label: string): string {
  return label.replace(/ \(part \d+ of \d+\)$/, '');
}
