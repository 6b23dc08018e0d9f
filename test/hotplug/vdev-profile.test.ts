/**
 * The pure parts: libxl__device_disk_dev_number's encoding (the Vdev column
 * of block-list and the devid block-detach takes) and the host profile's
 * [pci] inventory section.
 */
import { describe, expect, it } from 'vitest';
import { vdevToDevid } from '../../lib/libxl/devices-vbd';
import { parseProfile } from '../../lib/sim/profile';

describe('vdevToDevid', () => {
  it.each([
    ['xvda', 51712],
    ['xvdb', 51728],
    ['xvdc', 51744],
    ['xvda1', 51713],
    ['xvdp15', (202 << 8) | (15 << 4) | 15],
    ['xvdq', (1 << 28) | (16 << 8)],
    ['xvdaa', (1 << 28) | (26 << 8)],
    ['xvda16', (1 << 28) | 16],
    ['d0p0', 51712],
    ['d16p3', (1 << 28) | (16 << 8) | 3],
    ['hda', 768],
    ['hdb', 832],
    ['hdc', 5632],
    ['hdd', 5696],
    ['hda1', 769],
    ['sda', 2048],
    ['sdb2', 2066],
    ['51728', 51728],
    ['0x10', 16],
    ['010', 8],
  ])('%s → %d', (vdev, devid) => {
    expect(vdevToDevid(vdev)).toBe(devid);
  });

  it.each(['foo', 'hde', 'sdq', 'xvda0', 'xvd', 'hda64', 'sda16', ''])('%s is not a disk', (vdev) => {
    expect(vdevToDevid(vdev)).toBeUndefined();
  });
});

const BASE = `[hardware]
cores_per_socket = 4
memory = 8G
[xen]
cmdline = dom0_mem=1024M
`;

describe('[pci] in a host profile', () => {
  it('reads addresses, drivers and descriptions', () => {
    const r = parseProfile(`${BASE}[pci]\niommu = false\n0000:03:00.0 = igb, Intel I350\n0000:04:00.1 = pciback\n0000:05:00.0 = none, GPU\n`, 't');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.iommu).toBe(false);
    expect(r.value.pci).toEqual([
      { domain: 0, bus: 3, dev: 0, func: 0, driver: 'igb', description: 'Intel I350' },
      { domain: 0, bus: 4, dev: 0, func: 1, driver: 'pciback', description: '' },
      { domain: 0, bus: 5, dev: 0, func: 0, driver: '', description: 'GPU' },
    ]);
  });

  it('a profile without [pci] has no devices and an IOMMU', () => {
    const r = parseProfile(BASE, 't');
    expect(r.ok && r.value.pci).toEqual([]);
    expect(r.ok && r.value.iommu).toBe(true);
  });

  it('names the bad key', () => {
    const r = parseProfile(`${BASE}[pci]\n03:00.0 = igb\n0000:03:00.0 = bad driver!\n`, 't');
    expect(r).toEqual({ ok: false, error: "[pci] 03:00.0: not a PCI address like 0000:03:00.0\n[pci] 0000:03:00.0: 'bad driver!' is not a driver name (or none)" });
  });
});
