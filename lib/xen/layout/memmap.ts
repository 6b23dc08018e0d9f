/**
 * A guest's physical memory map as the domain builder lays it out and as the
 * guest is told about it (E820), per guest type:
 *
 * - HVM: libxl__build_hvm sizes RAM as maxmem - videoram, keeps an MMIO hole
 *   below 4 GiB (256 MiB unless mmio_hole says more) and moves the RAM that
 *   would fall in it above 4 GiB; the builder leaves the VGA hole (pfns
 *   0xa0-0xbf) unpopulated; hvmloader and SeaBIOS put ACPI tables at
 *   0xFC000000 and reserve the rest of the hole; the emulated LAPIC, IOAPIC
 *   and HPET sit at their PC addresses; the 8 special pages end at 0xFF000000
 *   with 8 ioreq-server pages below them.
 * - PVH: no device model, so RAM starts at 0, the hole is only as large as
 *   the fixed pages need (64 MiB from 0xFC000000), and libxl writes the E820
 *   itself (ACPI modules, the special pages as reserved).
 * - PV: pseudo-physical frames 0..N-1, all RAM (Xen's p2m for a PV guest is
 *   the identity: a gfn is an mfn); Linux gets no table from Xen and makes
 *   one up. Here the interesting picture is the virtual one: Xen's 8 TiB in
 *   the upper half of the guest's own address space.
 */
import { pvVirtualMap, XEN_WINDOW_BYTES } from './pv-virt';
import { FOUR_GIB, MiB, PAGE, hex64, humanSize, nonEmpty, type E820Entry, type Region } from './region';
import type { E820Source } from './e820';

export type GuestType = 'pv' | 'pvh' | 'hvm';

export interface GuestLayoutDesc {
  type: GuestType;
  /** memory= (the initial target) */
  memoryMiB: number;
  /** maxmem= (defaults to memory) */
  maxmemMiB?: number;
  /** videoram= (HVM; libxl's default for the VGA kind when absent: 8) */
  videoramMiB?: number;
  /** mmio_hole= (HVM only; 256..3840) */
  mmioHoleMiB?: number;
  vcpus: number;
  /** HVM system firmware */
  firmware?: 'seabios' | 'ovmf';
  /** acpi= (HVM; default 1). PVH always gets tables. */
  acpi?: boolean;
  /** hpet= (HVM; default 1): the device stays, only the ACPI table goes */
  hpet?: boolean;
  /** Xen's paging mode for this guest, for the notes */
  paging?: 'hap' | 'shadow';
}

export interface GuestMemoryMap {
  type: GuestType;
  /** guest-physical space, ascending, gap-free */
  physical: Region[];
  /** what the guest is told (before Linux sanitises it) */
  e820: E820Entry[];
  e820Source: E820Source;
  /** PV only: the guest's virtual address space, Xen's window included */
  virtual?: Region[];
  /** where Xen is, in words */
  xenPlacement: string;
  /** facts worth a line under the picture */
  notes: string[];
  /** derived numbers */
  ramBytes: bigint;
  mmioHoleStart?: bigint;
  lowmemEnd: bigint;
  highmemEnd?: bigint;
}

/** HVM_BELOW_4G_MMIO_START / _LENGTH */
export const HVM_BELOW_4G_MMIO_START = 0xf0000000n;
export const HVM_BELOW_4G_MMIO_LENGTH = FOUR_GIB - HVM_BELOW_4G_MMIO_START;
export const LAPIC_BASE = 0xfee00000n;
export const IOAPIC_BASE = 0xfec00000n;
export const HPET_BASE = 0xfed00000n;
export const ACPI_INFO_BASE = 0xfc000000n;
export const X86_HVM_END_SPECIAL_REGION = 0xff000n;
export const X86_HVM_NR_SPECIAL_PAGES = 8n;
export const NR_IOREQ_SERVER_PAGES = 8n;
export const SPECIAL_PAGES_START = (X86_HVM_END_SPECIAL_REGION - X86_HVM_NR_SPECIAL_PAGES) * PAGE;
export const IOREQ_SERVER_START = SPECIAL_PAGES_START - NR_IOREQ_SERVER_PAGES * PAGE;
/** libxl's RSDP_LEN (the ACPI 2.0 RSDP, padded) */
const RSDP_LEN = 64n;
/** pages of ACPI tables hvmloader (HVM) and libxl (PVH) typically build */
const HVM_ACPI_TABLE_PAGES = 10n;
const PVH_ACPI_TABLE_PAGES = 7n;
/** Linux pads the PV E820 RAM entry by 8 MiB (xen_memory_setup) */
const PV_E820_SLACK = 8n * MiB;

const SPECIAL_PAGE_NAMES = [
  'paging ring',
  'access (monitor) ring',
  'sharing ring',
  'buffered ioreq',
  'xenstore ring (HVM_PARAM_STORE_PFN)',
  'ioreq',
  'identity page table (EPT, CR0.PG=0)',
  'console ring (HVM_PARAM_CONSOLE_PFN)',
];

function specialPageDetail(): string[] {
  return SPECIAL_PAGE_NAMES.map((n, i) => {
    const pfn = X86_HVM_END_SPECIAL_REGION - X86_HVM_NR_SPECIAL_PAGES + BigInt(i);
    return `pfn 0x${pfn.toString(16)}: ${n}`;
  });
}

/** The sizes libxl__build_hvm derives from the config. */
export function hvmSizes(d: GuestLayoutDesc): { ramBytes: bigint; mmioStart: bigint; lowmemEnd: bigint; highmemEnd: bigint } {
  const maxmem = BigInt(d.maxmemMiB ?? d.memoryMiB);
  const video = BigInt(d.type === 'hvm' ? (d.videoramMiB ?? 8) : 0);
  const ramBytes = maxmem > video ? (maxmem - video) * MiB : 0n;
  let mmioSize: bigint;
  if (d.type === 'pvh') {
    // the smallest hole holding the special pages, the LAPIC and the ACPI info page
    let start = SPECIAL_PAGES_START;
    if (LAPIC_BASE < start) start = LAPIC_BASE;
    if (ACPI_INFO_BASE < start) start = ACPI_INFO_BASE;
    mmioSize = FOUR_GIB - start;
  } else {
    mmioSize = HVM_BELOW_4G_MMIO_LENGTH;
    if (d.mmioHoleMiB) {
      const hole = BigInt(d.mmioHoleMiB) * MiB;
      // libxl only honours a hole larger than the default one
      if (FOUR_GIB - hole < HVM_BELOW_4G_MMIO_START) mmioSize = hole;
    }
  }
  const mmioStart = FOUR_GIB - mmioSize;
  let lowmemEnd = ramBytes;
  let highmemEnd = 0n;
  if (lowmemEnd > mmioStart) {
    highmemEnd = FOUR_GIB + (lowmemEnd - mmioStart);
    lowmemEnd = mmioStart;
  }
  return { ramBytes, mmioStart, lowmemEnd, highmemEnd };
}

function region(start: bigint, end: bigint, kind: Region['kind'], label: string, extra: Partial<Region> = {}): Region {
  return { start, end, kind, label, ...extra };
}

function hvmMap(d: GuestLayoutDesc): GuestMemoryMap {
  const sizes = hvmSizes(d);
  const { ramBytes, mmioStart, highmemEnd } = sizes;
  // hvmloader needs at least 2 MiB of low RAM; never draw an inverted range
  const lowmemEnd = sizes.lowmemEnd > 0x200000n ? sizes.lowmemEnd : 0x200000n;
  const acpi = d.acpi !== false;
  const hpet = d.hpet !== false;
  const ovmf = d.firmware === 'ovmf';
  const acpiEnd = acpi ? ACPI_INFO_BASE + PAGE + HVM_ACPI_TABLE_PAGES * PAGE : ACPI_INFO_BASE;
  const fw = ovmf ? 'OVMF' : 'SeaBIOS';
  // SeaBIOS keeps the last page of low RAM for itself (seen in guests' E820)
  const biosZone = ovmf ? lowmemEnd : lowmemEnd - PAGE;
  const physical = nonEmpty([
    region(0n, 0x9fc00n, 'ram', 'low RAM (conventional memory)', {
      e820Type: 'usable',
      detail: ['0x10000: hvmloader scratch space (boot only)', '0x80000: hypercall page used by hvmloader (boot only)'],
    }),
    region(0x9fc00n, 0xa0000n, 'reserved', `EBDA (reserved by ${fw})`, { e820Type: 'reserved' }),
    region(0xa0000n, 0xc0000n, 'vga', 'VGA hole: legacy VGA window, not populated (pfns 0xa0-0xbf), emulated by QEMU'),
    region(0xc0000n, 0xf0000n, 'rom', 'option ROMs (VGA BIOS at 0xc0000)'),
    region(0xf0000n, 0x100000n, 'rom', `system BIOS (${fw})`, { e820Type: 'reserved' }),
    region(0x100000n, biosZone, 'ram', 'RAM below the MMIO hole', {
      e820Type: 'usable',
      detail: ['0x100000: hvmloader runs here before handing over to the BIOS'],
    }),
    region(biosZone, lowmemEnd, 'reserved', 'SeaBIOS high zone (its tables), reserved', { e820Type: 'reserved' }),
    region(lowmemEnd, mmioStart, 'hole', 'not populated (RAM ends below the hole)'),
    region(mmioStart, ACPI_INFO_BASE, 'mmio', 'MMIO hole: PCI BARs (VGA framebuffer, Xen platform device, NICs)'),
    region(ACPI_INFO_BASE, acpiEnd, 'acpi', 'ACPI tables (hvmloader)', { e820Type: 'ACPI NVS' }),
    region(acpiEnd, 0xfe700000n, 'reserved', 'reserved for hvmloader (dynamic area up to 0xFE000000)', { e820Type: 'reserved' }),
    region(0xfe700000n, 0xfe800000n, 'reserved', 'guest-reserved range', { e820Type: 'reserved' }),
    region(0xfe800000n, IOAPIC_BASE, 'reserved', 'reserved', { e820Type: 'reserved' }),
    region(IOAPIC_BASE, IOAPIC_BASE + PAGE, 'ioapic', 'IOAPIC (emulated by Xen)', { e820Type: 'reserved' }),
    region(IOAPIC_BASE + PAGE, HPET_BASE, 'reserved', 'reserved', { e820Type: 'reserved' }),
    region(HPET_BASE, HPET_BASE + PAGE, 'hpet', hpet ? 'HPET (emulated by Xen)' : 'HPET (emulated by Xen; hpet=0: no ACPI HPET table)', {
      e820Type: 'reserved',
    }),
    region(HPET_BASE + PAGE, LAPIC_BASE, 'reserved', 'reserved', { e820Type: 'reserved' }),
    region(LAPIC_BASE, LAPIC_BASE + PAGE, 'lapic', 'local APIC (one per vCPU, emulated by Xen)', { e820Type: 'reserved' }),
    region(LAPIC_BASE + PAGE, IOREQ_SERVER_START, 'reserved', 'reserved', { e820Type: 'reserved' }),
    region(IOREQ_SERVER_START, SPECIAL_PAGES_START, 'special', 'ioreq server pages (8, for the device model)', { e820Type: 'reserved' }),
    region(SPECIAL_PAGES_START, X86_HVM_END_SPECIAL_REGION * PAGE, 'special', 'special pages (8)', {
      e820Type: 'reserved',
      detail: specialPageDetail(),
    }),
    region(X86_HVM_END_SPECIAL_REGION * PAGE, FOUR_GIB, 'reserved', 'reserved', { e820Type: 'reserved' }),
    ...(highmemEnd > 0n ? [region(FOUR_GIB, highmemEnd, 'ram', 'RAM above 4 GiB (moved out of the MMIO hole)', { e820Type: 'usable' as const })] : []),
  ]);
  // The table SeaBIOS hands the OS: hvmloader's (ACPI NVS, the reserved rest of
  // the hole, the toolstack's RAM entries) plus SeaBIOS's own EBDA and BIOS.
  const e820: E820Entry[] = [
    { addr: 0n, size: 0x9fc00n, type: 'usable' },
    { addr: 0x9fc00n, size: 0x400n, type: 'reserved' },
    { addr: 0xf0000n, size: 0x10000n, type: 'reserved' },
    { addr: 0x100000n, size: biosZone - 0x100000n, type: 'usable' },
    { addr: biosZone, size: lowmemEnd - biosZone, type: 'reserved' },
    ...(acpi ? [{ addr: ACPI_INFO_BASE, size: acpiEnd - ACPI_INFO_BASE, type: 'ACPI NVS' as const }] : []),
    { addr: acpiEnd, size: FOUR_GIB - acpiEnd, type: 'reserved' },
    ...(highmemEnd > 0n ? [{ addr: FOUR_GIB, size: highmemEnd - FOUR_GIB, type: 'usable' as const }] : []),
  ];
  const notes = [
    `RAM = maxmem - videoram = ${humanSize(ramBytes)}; MMIO hole ${humanSize(FOUR_GIB - mmioStart)} from ${hex64(mmioStart)} to 4 GiB`,
    highmemEnd > 0n
      ? `${humanSize(highmemEnd - FOUR_GIB)} of RAM that would overlap the hole is placed above 4 GiB`
      : 'all RAM fits below the hole: nothing above 4 GiB',
    'VGA hole 0xA0000-0xBFFFF: pfns 0xa0-0xbf are never populated; QEMU emulates the legacy VGA window there',
    'LAPIC 0xFEE00000, IOAPIC 0xFEC00000, HPET 0xFED00000 are emulated inside Xen; everything else behind the hole is QEMU',
    `${fw} hands the guest the E820 below; Linux prints it as "BIOS-e820"`,
  ];
  if (ovmf) notes.push('OVMF turns this table into a UEFI memory map; the E820 shown is hvmloader\'s view');
  if (!acpi) notes.push('acpi=0: no ACPI tables, so no ACPI NVS entry');
  return {
    type: 'hvm',
    physical,
    e820,
    e820Source: 'BIOS-e820',
    xenPlacement: xenOutside(d),
    notes,
    ramBytes,
    mmioHoleStart: mmioStart,
    lowmemEnd,
    ...(highmemEnd > 0n ? { highmemEnd } : {}),
  };
}

function pvhMap(d: GuestLayoutDesc): GuestMemoryMap {
  const { ramBytes, mmioStart, lowmemEnd, highmemEnd } = hvmSizes(d);
  // info page, then the tables, then the RSDP (Linux declares
  // XENFEAT_linux_rsdp_unrestricted, so it need not sit below 1 MiB)
  const rsdpAddr = ACPI_INFO_BASE + (1n + PVH_ACPI_TABLE_PAGES) * PAGE;
  const acpiRegionEnd = rsdpAddr + PAGE;
  const physical = nonEmpty([
    region(0n, 0xa0000n, 'ram', 'RAM from 0 (no BIOS, no VGA hole)', { e820Type: 'usable' }),
    region(0xa0000n, 0x100000n, 'reserved', 'ISA range: RAM to Xen, reserved by Linux', { e820Type: 'reserved' }),
    region(0x100000n, lowmemEnd, 'ram', 'RAM', {
      e820Type: 'usable',
      detail: ['the builder puts hvm_start_info and the memory map in RAM; the kernel starts at its PHYS32 entry with %ebx pointing at them'],
    }),
    region(lowmemEnd, mmioStart, 'hole', 'not populated (RAM ends below the hole)'),
    region(ACPI_INFO_BASE, acpiRegionEnd, 'acpi', 'ACPI tables built by libxl (info page, tables, RSDP)', {
      e820Type: 'ACPI data',
      detail: [`RSDP at ${hex64(rsdpAddr)}`],
    }),
    region(acpiRegionEnd, LAPIC_BASE, 'hole', 'MMIO hole: nothing here (no device model)'),
    region(LAPIC_BASE, LAPIC_BASE + PAGE, 'lapic', 'local APIC (one per vCPU, emulated by Xen)'),
    region(LAPIC_BASE + PAGE, SPECIAL_PAGES_START, 'hole', 'MMIO hole: nothing here'),
    region(SPECIAL_PAGES_START, X86_HVM_END_SPECIAL_REGION * PAGE, 'special', 'special pages (8)', {
      e820Type: 'reserved',
      detail: specialPageDetail(),
    }),
    region(X86_HVM_END_SPECIAL_REGION * PAGE, FOUR_GIB, 'hole', 'MMIO hole: nothing here'),
    ...(highmemEnd > 0n ? [region(FOUR_GIB, highmemEnd, 'ram', 'RAM above 4 GiB', { e820Type: 'usable' as const })] : []),
  ]);
  // libxl's order (domain_construct_memmap): low RAM, special pages, ACPI modules, high RAM
  const e820: E820Entry[] = [
    ...carveIsa({ addr: 0n, size: lowmemEnd, type: 'usable' }),
    { addr: SPECIAL_PAGES_START, size: X86_HVM_NR_SPECIAL_PAGES * PAGE, type: 'reserved' },
    { addr: rsdpAddr, size: RSDP_LEN, type: 'ACPI data' },
    { addr: ACPI_INFO_BASE, size: PAGE, type: 'ACPI data' },
    { addr: ACPI_INFO_BASE + PAGE, size: PVH_ACPI_TABLE_PAGES * PAGE, type: 'ACPI data' },
    ...(highmemEnd > 0n ? [{ addr: FOUR_GIB, size: highmemEnd - FOUR_GIB, type: 'usable' as const }] : []),
  ];
  return {
    type: 'pvh',
    physical,
    e820,
    e820Source: 'BIOS-e820',
    xenPlacement: xenOutside(d),
    notes: [
      `RAM ${humanSize(ramBytes)} from address 0; MMIO hole ${humanSize(FOUR_GIB - mmioStart)} from ${hex64(mmioStart)} (just big enough for the ACPI tables, the LAPIC and the special pages)`,
      highmemEnd > 0n ? `${humanSize(highmemEnd - FOUR_GIB)} of RAM placed above 4 GiB` : 'all RAM fits below the hole: nothing above 4 GiB',
      'no VGA hole, no IOAPIC, no HPET: PVH has only the emulated local APIC',
      'libxl writes this E820 itself and passes it in hvm_start_info (memmap_paddr, version 1); Linux adds the ISA range as reserved',
    ],
    ramBytes,
    mmioHoleStart: mmioStart,
    lowmemEnd,
    ...(highmemEnd > 0n ? { highmemEnd } : {}),
  };
}

function pvMap(d: GuestLayoutDesc): GuestMemoryMap {
  // at least the first MiB, so the ISA range stays inside RAM
  const nrPages = BigInt(Math.max(1, d.memoryMiB)) * 256n;
  const ramBytes = nrPages * PAGE;
  const maxBytes = BigInt(Math.max(d.maxmemMiB ?? d.memoryMiB, d.memoryMiB)) * MiB;
  const slackEnd = ramBytes + PV_E820_SLACK;
  const physical = nonEmpty([
    region(0n, 0xa0000n, 'ram', 'RAM (pfn 0 upwards)', { e820Type: 'usable' }),
    region(0xa0000n, 0x100000n, 'reserved', 'ISA range: RAM to Xen, reserved by Linux', { e820Type: 'reserved' }),
    region(0x100000n, ramBytes, 'ram', 'RAM (pseudo-physical frames, each backed by some host frame)', { e820Type: 'usable' }),
    region(ramBytes, maxBytes > slackEnd ? maxBytes : slackEnd, 'hole', maxBytes > ramBytes
      ? 'not populated: balloon headroom up to maxmem (E820 covers the first 8 MiB as slack)'
      : 'not populated: 8 MiB of E820 slack Linux adds for backend allocations'),
  ]);
  const e820 = carveIsa({ addr: 0n, size: slackEnd, type: 'usable' });
  return {
    type: 'pv',
    physical,
    e820,
    e820Source: 'Xen',
    virtual: pvVirtualMap(Number(nrPages)),
    xenPlacement:
      `shares the guest's address space: PML4 slots 256-271, ${hex64(0xffff800000000000n)}-${hex64(0xffff87ffffffffffn)} ` +
      `(${humanSize(XEN_WINDOW_BYTES)}), are Xen's in every page table the guest runs on; the guest kernel uses slots 272-511 and the lower half`,
    notes: [
      `${nrPages} pseudo-physical frames (0..${nrPages - 1n}); Xen's p2m for a PV guest is the identity (gfn = mfn) and the guest keeps its own pfn -> mfn list`,
      'no VGA hole, no MMIO hole, no emulated devices: interrupts arrive as event channels',
      'Xen gives a PV domU no memory map (XENMEM_memory_map: ENOSYS); Linux builds one from nr_pages plus 8 MiB and reserves the ISA range',
      'the read-only M2P at 0xffff800000000000 lets the guest turn machine frames back into its pfns',
    ],
    ramBytes,
    lowmemEnd: ramBytes,
  };
}

/**
 * Linux (xen_memory_setup for PV, init_pvh_bootparams for PVH) adds the ISA
 * range 0xa0000-0xfffff as reserved over the RAM it was given; sanitising
 * lets the reserved type win, which splits the RAM entry in two.
 */
function carveIsa(ram: E820Entry): E820Entry[] {
  const isa: E820Entry = { addr: 0xa0000n, size: 0x60000n, type: 'reserved' };
  const end = ram.addr + ram.size;
  return [
    { addr: ram.addr, size: isa.addr - ram.addr, type: 'usable' },
    isa,
    ...(end > isa.addr + isa.size ? [{ addr: isa.addr + isa.size, size: end - (isa.addr + isa.size), type: 'usable' as const }] : []),
  ];
}

function xenOutside(d: GuestLayoutDesc): string {
  const how = d.paging === 'shadow' ? 'shadow page tables built from the p2m' : 'EPT/NPT (HAP), the p2m itself';
  return `not mapped in the guest: Xen runs in VMX root / SVM host mode with its own page tables and reaches guest memory through the p2m, the guest-physical -> machine table; the guest's own accesses are translated by ${how}`;
}

/** Regions come out sorted and gap-free (checkContiguous holds) for any sane size. */
export function guestMemoryMap(d: GuestLayoutDesc): GuestMemoryMap {
  return d.type === 'pv' ? pvMap(d) : d.type === 'pvh' ? pvhMap(d) : hvmMap(d);
}
