/**
 * The vocabulary shared by every memory picture: a region is a half-open
 * address range [start, end) with a kind (which decides its colour and how a
 * reader should think of it) and a label. Addresses are bigint because the
 * PV virtual view reaches 2^64, beyond what a double holds exactly.
 */
import { sprintf } from '../../util/printf';

export type RegionKind =
  // guest-physical
  | 'ram'
  | 'rom'
  | 'reserved'
  | 'acpi'
  | 'mmio'
  | 'vga'
  | 'special'
  | 'lapic'
  | 'ioapic'
  | 'hpet'
  | 'hole'
  // virtual (PV)
  | 'user'
  | 'p2m'
  | 'noncanonical'
  | 'xen'
  | 'guest'
  // host-physical
  | 'firmware'
  | 'free'
  | 'dom0'
  | 'domain'
  | 'pool';

/** The type names Linux prints for E820 entries (e820_print_type). */
export type E820Type = 'usable' | 'reserved' | 'ACPI data' | 'ACPI NVS' | 'unusable';

export interface Region {
  start: bigint;
  /** exclusive */
  end: bigint;
  kind: RegionKind;
  label: string;
  /** the E820 type the guest is told for this range, when it is in the map at all */
  e820Type?: E820Type;
  /** finer points inside the region (named pages, fixed addresses) */
  detail?: string[];
}

export interface E820Entry {
  addr: bigint;
  size: bigint;
  type: E820Type;
}

export const KiB = 1024n;
export const MiB = 1024n * KiB;
export const GiB = 1024n * MiB;
export const TiB = 1024n * GiB;
export const FOUR_GIB = 4n * GiB;
export const PAGE = 4096n;

/** What each kind means, for legends. */
export const KIND_MEANING: Record<RegionKind, string> = {
  ram: 'RAM',
  rom: 'firmware / ROM',
  reserved: 'reserved',
  acpi: 'ACPI tables',
  mmio: 'MMIO (device BARs)',
  vga: 'legacy VGA window',
  special: 'Xen special pages',
  lapic: 'local APIC',
  ioapic: 'I/O APIC',
  hpet: 'HPET',
  hole: 'not populated',
  user: 'guest user space',
  p2m: 'p2m list',
  noncanonical: 'non-canonical',
  xen: 'Xen',
  guest: 'guest kernel',
  firmware: 'firmware / not RAM',
  free: 'free heap',
  dom0: 'dom0',
  domain: 'guest pages',
  pool: 'paging pool',
};

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** "640 KiB", "3.75 GiB", "~16 EiB" (the ~ when two decimals would hide a remainder). */
export function humanSize(bytes: bigint): string {
  if (bytes < 1024n) return `${bytes} B`;
  let u = 0;
  let div = 1n;
  while (u < UNITS.length - 1 && bytes >= div * 1024n) {
    div *= 1024n;
    u++;
  }
  if (bytes % div === 0n) return `${bytes / div} ${UNITS[u]}`;
  // hundredths, rounded half up
  const hundredths = (bytes * 100n + div / 2n) / div;
  if (hundredths % 100n === 0n) return `~${hundredths / 100n} ${UNITS[u]}`;
  return sprintf('%d.%02d %s', hundredths / 100n, hundredths % 100n, UNITS[u]);
}

/** 0x0000000000000000 */
export function hex64(n: bigint): string {
  // the end of the address space, 2^64, would wrap to 0 in 64 bits
  return n >= 1n << 64n ? `0x${n.toString(16)}` : sprintf('0x%016llx', n);
}

/** Sorted, non-overlapping, gap-free check: returns the first problem or undefined. */
export function checkContiguous(regions: readonly Region[]): string | undefined {
  for (let i = 0; i < regions.length; i++) {
    const r = regions[i]!;
    if (r.end <= r.start) return `${r.label}: empty or inverted range`;
    if (i > 0 && regions[i - 1]!.end !== r.start) return `${r.label}: does not start where ${regions[i - 1]!.label} ends`;
  }
  return undefined;
}

/** Drops empty ranges; callers build lists with conditional pieces. */
export function nonEmpty(regions: Region[]): Region[] {
  return regions.filter((r) => r.end > r.start);
}
