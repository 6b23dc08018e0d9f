import { describe, expect, test } from 'vitest';
import { guestMemoryMap } from '../../lib/xen/layout/memmap';
import { e820Usable, renderE820Lines } from '../../lib/xen/layout/e820';
import { checkContiguous, FOUR_GIB, MiB, type Region } from '../../lib/xen/layout/region';

const at = (rs: Region[], addr: bigint) => rs.find((r) => r.start <= addr && addr < r.end);

describe('HVM guest-physical map (libxl + hvmloader + SeaBIOS)', () => {
  const small = guestMemoryMap({ type: 'hvm', memoryMiB: 2048, vcpus: 2 });
  const big = guestMemoryMap({ type: 'hvm', memoryMiB: 6144, vcpus: 2 });

  test('regions are sorted, gap-free and end at 4 GiB or at the top of high RAM', () => {
    expect(checkContiguous(small.physical)).toBeUndefined();
    expect(small.physical[0]!.start).toBe(0n);
    expect(small.physical.at(-1)!.end).toBe(FOUR_GIB);
    expect(checkContiguous(big.physical)).toBeUndefined();
    expect(big.physical.at(-1)!.end).toBe(big.highmemEnd);
  });

  test('VGA hole 0xA0000-0xBFFFF is not RAM and not in the E820', () => {
    const vga = at(small.physical, 0xa0000n)!;
    expect(vga.kind).toBe('vga');
    expect([vga.start, vga.end]).toEqual([0xa0000n, 0xc0000n]);
    expect(vga.e820Type).toBeUndefined();
    for (const e of small.e820) expect(e.addr + e.size <= 0xa0000n || e.addr >= 0xc0000n).toBe(true);
  });

  test('MMIO hole is 256 MiB ending at 4 GiB and holds no RAM', () => {
    expect(small.mmioHoleStart).toBe(0xf0000000n);
    expect(FOUR_GIB - small.mmioHoleStart!).toBe(256n * MiB);
    for (const r of big.physical.filter((r) => r.kind === 'ram')) {
      expect(r.end <= 0xf0000000n || r.start >= FOUR_GIB).toBe(true);
    }
  });

  test('RAM = maxmem - videoram; the part over the hole start goes above 4 GiB', () => {
    expect(small.ramBytes).toBe(2040n * MiB);
    expect(small.highmemEnd).toBeUndefined();
    expect(small.lowmemEnd).toBe(2040n * MiB);
    // 6144 - 8 = 6136 MiB; 3840 MiB fit below the hole
    expect(big.lowmemEnd).toBe(0xf0000000n);
    expect(big.highmemEnd).toBe(FOUR_GIB + (6136n - 3840n) * MiB);
    const high = at(big.physical, FOUR_GIB)!;
    expect(high.kind).toBe('ram');
    expect(high.e820Type).toBe('usable');
  });

  test('fixed devices: LAPIC 0xFEE00000, IOAPIC 0xFEC00000, HPET 0xFED00000, ACPI at 0xFC000000', () => {
    expect(at(small.physical, 0xfee00000n)).toMatchObject({ kind: 'lapic', start: 0xfee00000n, end: 0xfee01000n });
    expect(at(small.physical, 0xfec00000n)).toMatchObject({ kind: 'ioapic', start: 0xfec00000n });
    expect(at(small.physical, 0xfed00000n)).toMatchObject({ kind: 'hpet', start: 0xfed00000n });
    expect(at(small.physical, 0xfc000000n)).toMatchObject({ kind: 'acpi', e820Type: 'ACPI NVS' });
  });

  test('the 8 special pages end at 0xFF000000, ioreq server pages just below', () => {
    const sp = at(small.physical, 0xfeffc000n)!;
    expect([sp.kind, sp.start, sp.end]).toEqual(['special', 0xfeff8000n, 0xff000000n]);
    expect(sp.detail).toContain('pfn 0xfeffc: xenstore ring (HVM_PARAM_STORE_PFN)');
    expect(sp.detail).toContain('pfn 0xfefff: console ring (HVM_PARAM_CONSOLE_PFN)');
    expect(sp.detail).toHaveLength(8);
    expect(at(small.physical, 0xfeff0000n)).toMatchObject({ kind: 'special', end: 0xfeff8000n });
  });

  // matches the E820 of a real Xen 4.16 HVM guest with 4 GiB (maxmem 4096, videoram 8)
  test('E820 as Linux prints it', () => {
    expect(renderE820Lines(big.e820, big.e820Source)).toEqual([
      'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable',
      'BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved',
      'BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved',
      'BIOS-e820: [mem 0x0000000000100000-0x00000000efffefff] usable',
      'BIOS-e820: [mem 0x00000000effff000-0x00000000efffffff] reserved',
      'BIOS-e820: [mem 0x00000000fc000000-0x00000000fc00afff] ACPI NVS',
      'BIOS-e820: [mem 0x00000000fc00b000-0x00000000ffffffff] reserved',
      'BIOS-e820: [mem 0x0000000100000000-0x000000018f7fffff] usable',
    ]);
    // usable = RAM minus what the BIOS keeps below 1 MiB (EBDA, VGA hole, ROMs) and its top page
    expect(e820Usable(big.e820)).toBe(big.ramBytes - (0x100000n - 0x9fc00n) - 0x1000n);
  });

  test('a 4 GiB guest prints exactly what a real Xen 4.16 HVM guest printed', () => {
    const m = guestMemoryMap({ type: 'hvm', memoryMiB: 4096, vcpus: 2 });
    expect(renderE820Lines(m.e820, m.e820Source)).toEqual([
      'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable',
      'BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved',
      'BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved',
      'BIOS-e820: [mem 0x0000000000100000-0x00000000efffefff] usable',
      'BIOS-e820: [mem 0x00000000effff000-0x00000000efffffff] reserved',
      'BIOS-e820: [mem 0x00000000fc000000-0x00000000fc00afff] ACPI NVS',
      'BIOS-e820: [mem 0x00000000fc00b000-0x00000000ffffffff] reserved',
      'BIOS-e820: [mem 0x0000000100000000-0x000000010f7fffff] usable',
    ]);
  });

  test('mmio_hole=1024 moves the hole start to 3 GiB; 256 is the default', () => {
    const m = guestMemoryMap({ type: 'hvm', memoryMiB: 4096, vcpus: 1, mmioHoleMiB: 1024 });
    expect(m.mmioHoleStart).toBe(0xc0000000n);
    expect(m.lowmemEnd).toBe(0xc0000000n);
    expect(m.highmemEnd).toBe(FOUR_GIB + (4088n - 3072n) * MiB);
    expect(checkContiguous(m.physical)).toBeUndefined();
    expect(guestMemoryMap({ type: 'hvm', memoryMiB: 4096, vcpus: 1, mmioHoleMiB: 256 }).mmioHoleStart).toBe(0xf0000000n);
  });

  test('acpi=0 drops the ACPI NVS entry; hpet=0 keeps the HPET device', () => {
    const m = guestMemoryMap({ type: 'hvm', memoryMiB: 1024, vcpus: 1, acpi: false, hpet: false });
    expect(m.e820.some((e) => e.type === 'ACPI NVS')).toBe(false);
    expect(at(m.physical, 0xfed00000n)!.kind).toBe('hpet');
    expect(at(m.physical, 0xfc000000n)!.kind).toBe('reserved');
  });

  test('Xen is outside the guest, reached through the p2m', () => {
    expect(big.virtual).toBeUndefined();
    expect(big.xenPlacement).toMatch(/not mapped in the guest/);
    expect(big.xenPlacement).toMatch(/p2m/);
    expect(guestMemoryMap({ type: 'hvm', memoryMiB: 1024, vcpus: 1, paging: 'shadow' }).xenPlacement).toMatch(/shadow page tables/);
  });
});
