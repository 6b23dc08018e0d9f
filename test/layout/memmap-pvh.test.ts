import { describe, expect, test } from 'vitest';
import { guestMemoryMap } from '../../lib/xen/layout/memmap';
import { renderE820Lines } from '../../lib/xen/layout/e820';
import { checkContiguous, FOUR_GIB, MiB, type Region } from '../../lib/xen/layout/region';

const at = (rs: Region[], addr: bigint) => rs.find((r) => r.start <= addr && addr < r.end);

describe('PVH guest-physical map (libxl-built E820, no device model)', () => {
  const small = guestMemoryMap({ type: 'pvh', memoryMiB: 1024, vcpus: 2 });
  const big = guestMemoryMap({ type: 'pvh', memoryMiB: 6144, vcpus: 2, videoramMiB: 16 });

  test('RAM starts at 0: no BIOS, no VGA hole', () => {
    expect(small.physical[0]).toMatchObject({ start: 0n, kind: 'ram' });
    expect(small.lowmemEnd).toBe(1024n * MiB);
    expect(at(small.physical, 1024n * MiB - 1n)!.kind).toBe('ram');
    expect(small.physical.some((r) => r.kind === 'vga' || r.kind === 'rom')).toBe(false);
  });

  test('MMIO hole is 64 MiB from 0xFC000000 to 4 GiB', () => {
    expect(small.mmioHoleStart).toBe(0xfc000000n);
    expect(FOUR_GIB - small.mmioHoleStart!).toBe(64n * MiB);
  });

  test('videoram does not shrink a PVH guest; RAM over the hole start goes above 4 GiB', () => {
    expect(big.ramBytes).toBe(6144n * MiB);
    expect(big.lowmemEnd).toBe(0xfc000000n);
    expect(big.highmemEnd).toBe(FOUR_GIB + (6144n - 4032n) * MiB);
    expect(checkContiguous(big.physical)).toBeUndefined();
    expect(big.physical.at(-1)).toMatchObject({ kind: 'ram', start: FOUR_GIB });
  });

  test('only the LAPIC is emulated: no IOAPIC, no HPET in the map', () => {
    expect(at(small.physical, 0xfee00000n)).toMatchObject({ kind: 'lapic' });
    expect(small.physical.some((r) => r.kind === 'ioapic' || r.kind === 'hpet')).toBe(false);
  });

  // Linux reserves the ISA range itself; the RSDP (64 bytes, libxl's RSDP_LEN) follows the tables
  test('E820: RAM from 0, ACPI modules as ACPI data, special pages reserved', () => {
    expect(renderE820Lines(big.e820, big.e820Source)).toEqual([
      'BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable',
      'BIOS-e820: [mem 0x00000000000a0000-0x00000000000fffff] reserved',
      'BIOS-e820: [mem 0x0000000000100000-0x00000000fbffffff] usable',
      'BIOS-e820: [mem 0x00000000fc000000-0x00000000fc00803f] ACPI data',
      'BIOS-e820: [mem 0x00000000feff8000-0x00000000feffffff] reserved',
      'BIOS-e820: [mem 0x0000000100000000-0x0000000183ffffff] usable',
    ]);
    expect(at(small.physical, 0xfeff8000n)).toMatchObject({ kind: 'special', end: 0xff000000n, e820Type: 'reserved' });
  });

  test('Xen is outside the guest', () => {
    expect(small.virtual).toBeUndefined();
    expect(small.xenPlacement).toMatch(/not mapped in the guest/);
  });
});
