/**
 * E820 tables as a Linux guest prints them at boot. Linux sanitises the
 * firmware's table (sorts it, merges touching entries of one type) before
 * printing, and names the source: "BIOS-e820" for a table from firmware or
 * the PVH start-of-day memmap, "Xen" for a PV guest's table built by
 * xen_memory_setup.
 */
import { sprintf } from '../../util/printf';
import type { E820Entry } from './region';

export type E820Source = 'BIOS-e820' | 'Xen';

/** Sort by address and merge neighbours of one type that touch or overlap. */
export function sanitizeE820(entries: readonly E820Entry[]): E820Entry[] {
  const sorted = entries
    .filter((e) => e.size > 0n)
    .map((e) => ({ ...e }))
    .sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
  const out: E820Entry[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && last.type === e.type && last.addr + last.size >= e.addr) {
      const end = e.addr + e.size > last.addr + last.size ? e.addr + e.size : last.addr + last.size;
      last.size = end - last.addr;
    } else {
      out.push(e);
    }
  }
  return out;
}

/** The lines of Linux's e820__print_table, after its header line. */
export function renderE820Lines(entries: readonly E820Entry[], who: E820Source): string[] {
  // The kernel's %#018Lx prints the 0x prefix even for zero, unlike glibc's,
  // so the prefix is spelled out here.
  return sanitizeE820(entries).map((e) => sprintf('%s: [mem 0x%016llx-0x%016llx] %s', who, e.addr, e.addr + e.size - 1n, e.type));
}

/** Header plus entries, as in `dmesg` (without timestamps). */
export function renderE820(entries: readonly E820Entry[], who: E820Source): string {
  return ['BIOS-provided physical RAM map:', ...renderE820Lines(entries, who)].join('\n') + '\n';
}

/** Bytes the table calls usable. */
export function e820Usable(entries: readonly E820Entry[]): bigint {
  return sanitizeE820(entries)
    .filter((e) => e.type === 'usable')
    .reduce((a, e) => a + e.size, 0n);
}
