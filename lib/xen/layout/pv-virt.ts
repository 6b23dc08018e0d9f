/**
 * A 64-bit PV guest's virtual address space. Xen reserves PML4 slots
 * 256-271 (the first 8 TiB of the upper canonical half) in every page table
 * a PV guest runs on, so the guest and Xen share one address space; the
 * guest kernel lives in slots 272-511 and in the lower half. The split of
 * Xen's 8 TiB follows xen/arch/x86/include/asm/config.h (non-BIGMEM); the
 * guest side is Linux's 4-level layout, with the start-of-day p2m list where
 * Linux asks for it (XEN_ELFNOTE_INIT_P2M, 512 GiB).
 */
import { PAGE, type Region } from './region';

const U = (hi: number, lo = 0): bigint => (BigInt(hi) << 32n) | BigInt(lo);
export const HYPERVISOR_VIRT_START = 0xffff800000000000n;
export const HYPERVISOR_VIRT_END = 0xffff880000000000n;
/** XEN_ELFNOTE_INIT_P2M as Linux sets it */
export const PV_INIT_P2M_VA = 0x0000008000000000n;
const TOP = 1n << 64n;

/** `nrPages`: the guest's initial allocation (sizes the start-of-day p2m list). */
export function pvVirtualMap(nrPages: number): Region[] {
  const p2mBytes = ((BigInt(nrPages) * 8n + PAGE - 1n) / PAGE) * PAGE;
  const xen = (start: bigint, end: bigint, label: string, detail?: string[]): Region => ({ start, end, kind: 'xen', label, ...(detail ? { detail } : {}) });
  const guest = (start: bigint, end: bigint, label: string): Region => ({ start, end, kind: 'guest', label });
  const hole = (start: bigint, end: bigint, label: string): Region => ({ start, end, kind: 'hole', label });
  return [
    { start: 0n, end: PV_INIT_P2M_VA, kind: 'user', label: 'guest user space (PML4 0-255, lower half)' },
    {
      start: PV_INIT_P2M_VA,
      end: PV_INIT_P2M_VA + p2mBytes,
      kind: 'p2m',
      label: 'start-of-day p2m list (pfn -> mfn, 8 bytes a page)',
      detail: ['XEN_ELFNOTE_INIT_P2M; Linux later remaps the list into vmalloc space'],
    },
    { start: PV_INIT_P2M_VA + p2mBytes, end: 0x0000800000000000n, kind: 'user', label: 'guest user space (continued)' },
    { start: 0x0000800000000000n, end: HYPERVISOR_VIRT_START, kind: 'noncanonical', label: 'non-canonical addresses (48-bit VAs)' },
    xen(HYPERVISOR_VIRT_START, U(0xffff8040), 'Xen: read-only M2P table (guest readable), PML4 256', [
      'machine-to-phys: mfn -> pfn for every host frame, mapped read-only for PV guests',
    ]),
    xen(U(0xffff8040), U(0xffff8080), 'Xen: reserved for shared info with the guest, PML4 256'),
    xen(U(0xffff8080), U(0xffff8100), 'Xen: ioremap for PCI mmconfig, PML4 257'),
    xen(U(0xffff8100), U(0xffff8180), 'Xen: guest linear page table, PML4 258'),
    xen(U(0xffff8180), U(0xffff8200), 'Xen: shadow linear page table, PML4 259'),
    xen(U(0xffff8200), U(0xffff8280), 'Xen: per-domain mappings (GDT, LDT), PML4 260'),
    xen(U(0xffff8280), U(0xffff82c0), 'Xen: machine-to-phys table (read-write), PML4 261'),
    xen(U(0xffff82c0), U(0xffff82d0), 'Xen: vmap / ioremap / fixmap, PML4 261'),
    xen(U(0xffff82d0), U(0xffff82d0, 0x40000000), 'Xen: compat machine-to-phys table, PML4 261'),
    xen(U(0xffff82d0, 0x40000000), U(0xffff82d0, 0x80000000), 'Xen: text, data, bss, PML4 261'),
    xen(U(0xffff82d0, 0x80000000), U(0xffff82e0), 'Xen: reserved, PML4 261'),
    xen(U(0xffff82e0), U(0xffff8300), 'Xen: page-frame information array (frame table), PML4 261'),
    xen(U(0xffff8300), HYPERVISOR_VIRT_END, 'Xen: 1:1 direct map of host memory, PML4 262-271'),
    guest(HYPERVISOR_VIRT_END, U(0xffff8880), 'guest: LDT remap (Linux), PML4 272'),
    guest(U(0xffff8880), U(0xffffc880), 'guest: direct map of guest memory (Linux page_offset_base)'),
    hole(U(0xffffc880), U(0xffffc900), 'guest: unused'),
    guest(U(0xffffc900), U(0xffffe900), 'guest: vmalloc / ioremap (holds the p2m list after boot)'),
    hole(U(0xffffe900), U(0xffffea00), 'guest: unused'),
    guest(U(0xffffea00), U(0xffffeb00), 'guest: vmemmap (struct page array)'),
    hole(U(0xffffeb00), U(0xfffffe00), 'guest: unused'),
    guest(U(0xfffffe00), U(0xfffffe80), 'guest: cpu_entry_area'),
    hole(U(0xfffffe80), U(0xffffffff, 0x80000000), 'guest: unused'),
    guest(U(0xffffffff, 0x80000000), U(0xffffffff, 0xa0000000), 'guest: kernel text and data (ELF loaded here)'),
    guest(U(0xffffffff, 0xa0000000), U(0xffffffff, 0xff000000), 'guest: modules'),
    guest(U(0xffffffff, 0xff000000), TOP, 'guest: fixmap, vsyscall'),
  ];
}

/** Sanity numbers the tests and notes quote. */
export const XEN_WINDOW_BYTES = HYPERVISOR_VIRT_END - HYPERVISOR_VIRT_START;
