/**
 * `--json` forms: plain objects that JSON.stringify can take as they are.
 * Addresses and sizes become "0x..." strings (a bigint has no JSON form and
 * a double loses the low bits of 64-bit addresses); end is exclusive, as in
 * the Region it comes from.
 */
import { sanitizeE820 } from './e820';
import type { EmulationReport } from './emulation';
import type { HostMemoryMap } from './hostmap';
import type { GuestMemoryMap } from './memmap';
import type { E820Entry, Region } from './region';

const hx = (n: bigint): string => `0x${n.toString(16)}`;

export interface RegionJson {
  start: string;
  end: string;
  size: string;
  kind: string;
  label: string;
  e820?: string;
  detail?: string[];
}

export function regionToJson(r: Region): RegionJson {
  return {
    start: hx(r.start),
    end: hx(r.end),
    size: hx(r.end - r.start),
    kind: r.kind,
    label: r.label,
    ...(r.e820Type ? { e820: r.e820Type } : {}),
    ...(r.detail && r.detail.length ? { detail: [...r.detail] } : {}),
  };
}

export function e820ToJson(entries: readonly E820Entry[]): { addr: string; size: string; type: string }[] {
  return sanitizeE820(entries).map((e) => ({ addr: hx(e.addr), size: hx(e.size), type: e.type }));
}

export function guestMapToJson(map: GuestMemoryMap): Record<string, unknown> {
  return {
    type: map.type,
    ram: hx(map.ramBytes),
    lowmem_end: hx(map.lowmemEnd),
    ...(map.mmioHoleStart !== undefined ? { mmio_hole_start: hx(map.mmioHoleStart) } : {}),
    ...(map.highmemEnd !== undefined ? { highmem_end: hx(map.highmemEnd) } : {}),
    physical: map.physical.map(regionToJson),
    e820: { source: map.e820Source, entries: e820ToJson(map.e820) },
    ...(map.virtual ? { virtual: map.virtual.map(regionToJson) } : {}),
    xen: map.xenPlacement,
    notes: [...map.notes],
  };
}

export function hostMapToJson(map: HostMemoryMap): Record<string, unknown> {
  return {
    total_pages: map.totalPages,
    free_pages: map.freePages,
    xen_pages: map.xenPages,
    owners: map.rows.map((r) => ({
      owner: r.owner,
      kind: r.kind,
      ...(r.domid === undefined ? {} : { domid: r.domid }),
      pages: r.pages,
      ranges: r.ranges.map((s) => ({ start: hx(s.start), end: hx(s.end) })),
    })),
    regions: map.regions.map(regionToJson),
    e820: e820ToJson(map.e820),
    notes: [...map.notes],
  };
}

/** The report has no bigints; a deep copy keeps callers from sharing its arrays. */
export function emulationToJson(r: EmulationReport): Record<string, unknown> {
  return JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
}
