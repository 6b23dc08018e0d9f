import { describe, expect, test } from 'vitest';
import { guestMemoryMap } from '../../lib/xen/layout/memmap';
import { renderE820Lines } from '../../lib/xen/layout/e820';
import { checkContiguous, MiB, TiB } from '../../lib/xen/layout/region';

describe('PV guest: pseudo-physical map and the shared virtual address space', () => {
  const m = guestMemoryMap({ type: 'pv', memoryMiB: 512, vcpus: 2 });

  test('frames 0..N-1 are all RAM to Xen; no VGA or MMIO hole', () => {
    const ram = m.physical.filter((r) => r.kind === 'ram').reduce((a, r) => a + (r.end - r.start), 0n);
    const isa = m.physical.find((r) => r.start === 0xa0000n)!;
    expect(ram + (isa.end - isa.start)).toBe(512n * MiB);
    expect(m.physical.some((r) => ['vga', 'mmio', 'lapic', 'ioapic'].includes(r.kind))).toBe(false);
    expect(m.mmioHoleStart).toBeUndefined();
  });

  test('E820 is the one Linux makes up: "Xen:" lines, nr_pages + 8 MiB, ISA range reserved', () => {
    expect(renderE820Lines(m.e820, m.e820Source)).toEqual([
      'Xen: [mem 0x0000000000000000-0x000000000009ffff] usable',
      'Xen: [mem 0x00000000000a0000-0x00000000000fffff] reserved',
      'Xen: [mem 0x0000000000100000-0x00000000207fffff] usable',
    ]);
  });

  test("Xen's 8 TiB window: PML4 slots 256-271 in the guest's own address space", () => {
    const v = m.virtual!;
    expect(checkContiguous(v)).toBeUndefined();
    expect(v[0]!.start).toBe(0n);
    expect(v.at(-1)!.end).toBe(1n << 64n);
    const xen = v.filter((r) => r.kind === 'xen');
    expect(xen[0]!.start).toBe(0xffff800000000000n);
    expect(xen.at(-1)!.end).toBe(0xffff880000000000n);
    expect(xen.reduce((a, r) => a + (r.end - r.start), 0n)).toBe(8n * TiB);
    expect(xen[0]!.label).toMatch(/read-only M2P/);
    expect(xen.find((r) => r.start === 0xffff82d040000000n)!.label).toMatch(/text, data, bss/);
    // nothing but Xen between the slot boundaries, the guest kernel right after
    expect(v.filter((r) => r.start >= 0xffff800000000000n && r.end <= 0xffff880000000000n).every((r) => r.kind === 'xen')).toBe(true);
    expect(v.find((r) => r.start === 0xffff880000000000n)!.kind).toBe('guest');
    expect(m.xenPlacement).toMatch(/shares the guest's address space/);
    expect(m.xenPlacement).toMatch(/8 TiB/);
  });

  test('the start-of-day p2m list sits at 512 GiB, 8 bytes per page', () => {
    const p2m = m.virtual!.find((r) => r.kind === 'p2m')!;
    expect(p2m.start).toBe(0x8000000000n);
    expect(p2m.end - p2m.start).toBe(512n * 256n * 8n);
  });

  test('maxmem above memory leaves unpopulated balloon headroom', () => {
    const b = guestMemoryMap({ type: 'pv', memoryMiB: 512, maxmemMiB: 1024, vcpus: 1 });
    expect(b.physical.at(-1)).toMatchObject({ kind: 'hole', start: 512n * MiB, end: 1024n * MiB });
  });
});

describe('odd sizes still give a gap-free map', () => {
  test.each([
    ['pv', 1, undefined],
    ['pvh', 1, undefined],
    ['hvm', 8, undefined],
    ['hvm', 16384, 3840],
    ['pvh', 4032, undefined],
    ['hvm', 3848, undefined],
  ] as const)('%s %d MiB (mmio_hole %s)', (type, memoryMiB, mmioHoleMiB) => {
    const m = guestMemoryMap({ type, memoryMiB, vcpus: 1, ...(mmioHoleMiB ? { mmioHoleMiB } : {}) });
    expect(checkContiguous(m.physical)).toBeUndefined();
    expect(m.physical[0]!.start).toBe(0n);
  });
});
