/**
 * The guest's physical memory as its kernel sees it: the e820 map each boot
 * path hands over (hypervisor-model.md §3: PV gets Xen's pseudo-physical map,
 * PVH a toolstack map with RAM from 0 and a 64 MiB hole, HVM hvmloader's map
 * with the VGA hole, BIOS area and a 256 MiB MMIO hole), and the kernel's own
 * bookkeeping that makes MemTotal smaller than memory=.
 */
import { sprintf } from '../../util/printf';
import { maxmemOf, type GuestDesc } from './types';

const MiB = 1024 * 1024;
const GiB4 = 0x1_0000_0000;

export interface E820Entry {
  start: number;
  end: number; // inclusive
  type: 'usable' | 'reserved' | 'ACPI data' | 'ACPI NVS';
}

/** HVM RAM as guest memory: memory= less videoram (QEMU's VGA RAM comes out of it). */
function hvmRamBytes(d: GuestDesc): number {
  return (maxmemOf(d) - 8) * MiB;
}

export function e820Map(d: GuestDesc): E820Entry[] {
  const out: E820Entry[] = [];
  if (d.type === 'pv') {
    const top = maxmemOf(d) * MiB;
    out.push({ start: 0, end: 0x9ffff, type: 'usable' });
    out.push({ start: 0xa0000, end: 0xfffff, type: 'reserved' });
    out.push({ start: 0x100000, end: top - 1, type: 'usable' });
    return out;
  }
  if (d.type === 'pvh') {
    const ram = maxmemOf(d) * MiB;
    const holeStart = 0xfc000000;
    const low = Math.min(ram, holeStart);
    out.push({ start: 0, end: low - 1, type: 'usable' });
    out.push({ start: 0xfc000000, end: 0xfc008fff, type: 'ACPI NVS' });
    out.push({ start: 0xfeff8000, end: 0xfeffffff, type: 'reserved' });
    if (ram > low) out.push({ start: GiB4, end: GiB4 + (ram - low) - 1, type: 'usable' });
    return out;
  }
  const ram = hvmRamBytes(d);
  const holeStart = 0xf0000000;
  const low = Math.min(ram, holeStart);
  out.push({ start: 0, end: 0x9fbff, type: 'usable' });
  out.push({ start: 0x9fc00, end: 0x9ffff, type: 'reserved' });
  out.push({ start: d.firmware === 'ovmf' ? 0xc0000 : 0xf0000, end: 0xfffff, type: 'reserved' });
  out.push({ start: 0x100000, end: low - 0x10000 - 1, type: 'usable' });
  out.push({ start: low - 0x10000, end: low - 1, type: 'ACPI data' });
  out.push({ start: 0xfc000000, end: 0xffffffff, type: 'reserved' });
  if (ram > low) out.push({ start: GiB4, end: GiB4 + (ram - low) - 1, type: 'usable' });
  return out;
}

export function e820Line(prefix: string, e: E820Entry): string {
  // the kernel's %#018Lx prints 0x even for zero (glibc would not)
  return sprintf('%s: [mem 0x%016lx-0x%016lx] %s', prefix, e.start, e.end, e.type);
}

/** The kernel image's sections as "Memory:" reports them (KiB). */
export const KSECT = { code: 14336, rwdata: 2324, rodata: 9072, init: 2792, bss: 17464 } as const;

export interface KernelMem {
  /** usable RAM in the e820 map that is populated (KiB) */
  physKiB: number;
  /** what the kernel keeps for itself at boot (KiB) */
  reservedKiB: number;
  /** "Memory: <avail>K/<phys>K available" */
  availKiB: number;
  /** MemTotal at full allocation (init sections freed after boot) */
  memTotalKiB: number;
}

/**
 * Populated RAM for `allocKiB` of allocation. PV/PVH/HVM all lose the legacy
 * holes; page structs (64 bytes per 4 KiB page of the whole map) and the
 * kernel image are reserved.
 */
export function kernelMem(d: GuestDesc, allocKiB = d.memoryMiB * 1024): KernelMem {
  const holes = d.type === 'pvh' ? 36 : d.type === 'pv' ? 384 : 8 * 1024 + 385 + 64;
  const physKiB = Math.max(0, allocKiB - holes);
  const mapKiB = maxmemOf(d) * 1024;
  const image = KSECT.code + KSECT.rwdata + KSECT.rodata + KSECT.init + KSECT.bss;
  const reservedKiB = image + Math.ceil(mapKiB / 64) + 11_640;
  const availKiB = physKiB - reservedKiB;
  return { physKiB, reservedKiB, availKiB, memTotalKiB: availKiB + KSECT.init };
}

/** MemTotal for the current allocation (the balloon driver takes pages out of it). */
export function memTotalKiB(d: GuestDesc, allocKiB: number): number {
  return kernelMem(d, allocKiB).memTotalKiB;
}
