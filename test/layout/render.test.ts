import { describe, expect, test } from 'vitest';
import { guestMemoryMap } from '../../lib/xen/layout/memmap';
import { renderGuestMapText, renderMapText } from '../../lib/xen/layout/render-text';
import { guestMapToJson, regionToJson } from '../../lib/xen/layout/render-json';
import { renderMapSvg } from '../../lib/xen/layout/render-svg';
import { hex64, humanSize, KIND_MEANING } from '../../lib/xen/layout/region';
import { findAll, parseXml } from './xml';

const PVH_512 = `d3 small (PVH, 512 MiB)

Guest-physical address space (PVH):

+--------------------------------------------------------+ 0x0000000100000000
| MMIO hole: nothing here                         16 MiB |
+--------------------------------------------------------+ 0x00000000ff000000
| special pages (8)                               32 KiB |
+--------------------------------------------------------+ 0x00000000feff8000
| MMIO hole: nothing here                       1.96 MiB |
+--------------------------------------------------------+ 0x00000000fee01000
| local APIC (one per vCPU, emulated by Xen)       4 KiB |
+--------------------------------------------------------+ 0x00000000fee00000
| MMIO hole: nothing here (no device model)    45.96 MiB |
+--------------------------------------------------------+ 0x00000000fc009000
| ACPI tables built by libxl (info page, table... 36 KiB |
+--------------------------------------------------------+ 0x00000000fc000000
| not populated (RAM ends below the hole)       3.44 GiB |
+--------------------------------------------------------+ 0x0000000020000000
| RAM                                            511 MiB |
+--------------------------------------------------------+ 0x0000000000100000
| ISA range: RAM to Xen, reserved by Linux       384 KiB |
+--------------------------------------------------------+ 0x00000000000a0000
| RAM from 0 (no BIOS, no VGA hole)              640 KiB |
+--------------------------------------------------------+ 0x0000000000000000

range                                       size  kind         scale (log)            what
0x0000000000000000-0x000000000009ffff    640 KiB  ram          |####                | RAM from 0 (no BIOS, no VGA hole)
0x00000000000a0000-0x00000000000fffff    384 KiB  reserved     |###                 | ISA range: RAM to Xen, reserved by Linux
0x0000000000100000-0x000000001fffffff    511 MiB  ram          |#######             | RAM
                                                                                     . the builder puts hvm_start_info and the memory map in RAM; the kernel starts at its PHYS32 entry with %ebx pointing at them
0x0000000020000000-0x00000000fbffffff   3.44 GiB  hole         |########            | not populated (RAM ends below the hole)
0x00000000fc000000-0x00000000fc008fff     36 KiB  acpi         |##                  | ACPI tables built by libxl (info page, tables, RSDP)
                                                                                     . RSDP at 0x00000000fc008000
0x00000000fc009000-0x00000000fedfffff  45.96 MiB  hole         |######              | MMIO hole: nothing here (no device model)
0x00000000fee00000-0x00000000fee00fff      4 KiB  lapic        |#                   | local APIC (one per vCPU, emulated by Xen)
0x00000000fee01000-0x00000000feff7fff   1.96 MiB  hole         |####                | MMIO hole: nothing here
0x00000000feff8000-0x00000000feffffff     32 KiB  special      |##                  | special pages (8)
                                                                                     . pfn 0xfeff8: paging ring
                                                                                     . pfn 0xfeff9: access (monitor) ring
                                                                                     . pfn 0xfeffa: sharing ring
                                                                                     . pfn 0xfeffb: buffered ioreq
                                                                                     . pfn 0xfeffc: xenstore ring (HVM_PARAM_STORE_PFN)
                                                                                     . pfn 0xfeffd: ioreq
                                                                                     . pfn 0xfeffe: identity page table (EPT, CR0.PG=0)
                                                                                     . pfn 0xfefff: console ring (HVM_PARAM_CONSOLE_PFN)
0x00000000ff000000-0x00000000ffffffff     16 MiB  hole         |######              | MMIO hole: nothing here

E820 as the guest kernel prints it:
BIOS-provided physical RAM map:
BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable
BIOS-e820: [mem 0x00000000000a0000-0x00000000000fffff] reserved
BIOS-e820: [mem 0x0000000000100000-0x000000001fffffff] usable
BIOS-e820: [mem 0x00000000fc000000-0x00000000fc00803f] ACPI data
BIOS-e820: [mem 0x00000000feff8000-0x00000000feffffff] reserved

Where Xen is: not mapped in the guest: Xen runs in VMX root / SVM host mode with its own page tables and reaches guest memory through the p2m, the guest-physical -> machine table; the guest's own accesses are translated by EPT/NPT (HAP), the p2m itself

Notes:
  - RAM 512 MiB from address 0; MMIO hole 64 MiB from 0x00000000fc000000 (just big enough for the ACPI tables, the LAPIC and the special pages)
  - all RAM fits below the hole: nothing above 4 GiB
  - no VGA hole, no IOAPIC, no HPET: PVH has only the emulated local APIC
  - libxl writes this E820 itself and passes it in hvm_start_info (memmap_paddr, version 1); Linux adds the ISA range as reserved
`;

describe('text rendering', () => {
  test('a 512 MiB PVH guest, exactly', () => {
    expect(renderGuestMapText(guestMemoryMap({ type: 'pvh', memoryMiB: 512, vcpus: 1 }), 'd3 small (PVH, 512 MiB)')).toBe(PVH_512);
  });

  test('sizes read like a person would write them', () => {
    expect([0x400n, 0x9fc00n, 0xa0000n, 1n << 30n, 3n << 29n, (1n << 64n) - (1n << 48n), 100n].map(humanSize)).toEqual([
      '1 KiB', '639 KiB', '640 KiB', '1 GiB', '1.50 GiB', '~16 EiB', '100 B',
    ]);
  });

  test('table rows carry inclusive ends and a log-scale bar', () => {
    const t = renderMapText([{ start: 0xfee00000n, end: 0xfee01000n, kind: 'lapic', label: 'local APIC' }]);
    expect(t).toBe(
      'range                                       size  kind         scale (log)            what\n' +
        '0x00000000fee00000-0x00000000fee00fff      4 KiB  lapic        |#                   | local APIC\n',
    );
  });
});

describe('JSON rendering', () => {
  test('bigints become hex strings that round-trip', () => {
    const m = guestMemoryMap({ type: 'pv', memoryMiB: 256, vcpus: 1 });
    const j = JSON.parse(JSON.stringify(guestMapToJson(m))) as {
      type: string;
      physical: { start: string; end: string; size: string }[];
      virtual: { start: string; end: string; kind: string }[];
      e820: { source: string; entries: { addr: string; size: string; type: string }[] };
    };
    expect(j.type).toBe('pv');
    expect(j.e820.source).toBe('Xen');
    expect(j.e820.entries[1]).toEqual({ addr: '0xa0000', size: '0x60000', type: 'reserved' });
    const last = j.virtual.at(-1)!;
    expect(BigInt(last.end)).toBe(1n << 64n);
    expect(j.virtual.find((r) => r.kind === 'xen')!.start).toBe('0xffff800000000000');
    for (const r of j.physical) expect(BigInt(r.end) - BigInt(r.start)).toBe(BigInt(r.size));
    expect(regionToJson({ start: 0n, end: 4096n, kind: 'ram', label: 'x' })).toEqual({ start: '0x0', end: '0x1000', size: '0x1000', kind: 'ram', label: 'x' });
  });
});

describe('SVG rendering', () => {
  for (const type of ['hvm', 'pvh', 'pv'] as const) {
    test(`${type}: well-formed, one block per region, labels and legend present`, () => {
      const m = guestMemoryMap({ type, memoryMiB: 6144, vcpus: 2 });
      const regions = type === 'pv' ? m.virtual! : m.physical;
      const svg = renderMapSvg(regions, `d1 <${type}> & friends`, 'guest map');
      const root = parseXml(svg);
      expect(root.name).toBe('svg');
      expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
      const texts = findAll(root, 'text').map((t) => t.text);
      expect(texts).toContain(`d1 <${type}> & friends`);
      const blocks = findAll(root, 'g').filter((g) => g.attrs.class === 'region');
      expect(blocks).toHaveLength(regions.length);
      for (const r of regions) {
        const shown = r.label.length <= 74 ? r.label : r.label.slice(0, 73) + '\u2026';
        expect(texts).toContain(shown);
      }
      const legend = findAll(root, 'g').find((g) => g.attrs.class === 'legend')!;
      const legendTexts = findAll(legend, 'text').map((t) => t.text);
      expect(legendTexts).toEqual([...new Set(regions.map((r) => KIND_MEANING[r.kind]))]);
      expect(legendTexts).toContain(type === 'pv' ? 'Xen' : 'local APIC');
      // heights grow with size: a 4 KiB block is the smallest one
      const rects = blocks.map((b) => Number(findAll(b, 'rect')[0]!.attrs.height));
      expect(Math.min(...rects)).toBeGreaterThanOrEqual(16);
      expect(Number(root.attrs.height)).toBeGreaterThan(rects.reduce((a, h) => a + h, 0));
    });
  }

  test('the checker rejects broken XML', () => {
    expect(() => parseXml('<svg><text>a < b</text></svg>')).toThrow();
    expect(() => parseXml('<svg><g></svg>')).toThrow();
    expect(() => parseXml('<svg a=1></svg>')).toThrow();
    expect(() => parseXml('<svg>&nbsp;</svg>')).toThrow();
  });
});

describe('address formatting', () => {
  test('the top of the 64-bit space is not shown as 0', () => {
    expect(hex64(1n << 64n)).toBe('0x10000000000000000');
    expect(hex64(0xffff800000000000n)).toBe('0xffff800000000000');
    expect(hex64(0n)).toBe('0x0000000000000000');
  });
});
