/**
 * Device JSON against the expected outputs of Xen's own test scripts
 * tools/xl/check-xl-disk-parse and tools/xl/check-xl-vif-parse (YAJL layout,
 * printed as `printf("disk: %s\n", json)`). The objects are what libxlu's
 * parsers produce for the scripts' inputs (reference §5.2).
 */
import { describe, expect, it } from 'vitest';
import { deviceToJson } from '../../lib/libxl/json';
import { newDeviceDisk, newDeviceNic, type DeviceDisk, type DeviceNic } from '../../lib/libxl/types';

const disk = (d: DeviceDisk): DeviceDisk => ({ ...newDeviceDisk(), ...d });
const nic = (n: DeviceNic): DeviceNic => ({ ...newDeviceNic(), ...n });

/** what `xl -N block-attach 0 ...` writes to stdout */
const diskOut = (d: DeviceDisk) => `disk: ${deviceToJson('disk', d)}\n`;
const vifOut = (n: DeviceNic) => `vif: ${deviceToJson('nic', n)}\n`;

describe('check-xl-disk-parse vectors', () => {
  const cases: Array<[string, DeviceDisk, string]> = [
    ['/dev/vg/guest-volume,,hda',
      { pdev_path: '/dev/vg/guest-volume', vdev: 'hda', format: 'raw', readwrite: 1 },
      `disk: {
    "pdev_path": "/dev/vg/guest-volume",
    "vdev": "hda",
    "format": "raw",
    "readwrite": 1
}

`],
    ['/root/image.iso,,hdc,cdrom',
      { pdev_path: '/root/image.iso', vdev: 'hdc', format: 'raw', removable: 1, readwrite: 0, is_cdrom: 1 },
      `disk: {
    "pdev_path": "/root/image.iso",
    "vdev": "hdc",
    "format": "raw",
    "removable": 1,
    "is_cdrom": 1
}

`],
    ['backendtype=phy,vdev=xvdb,access=w,target=/dev/vg/guest-volume',
      { pdev_path: '/dev/vg/guest-volume', vdev: 'xvdb', backend: 'phy', format: 'raw', readwrite: 1 },
      `disk: {
    "pdev_path": "/dev/vg/guest-volume",
    "vdev": "xvdb",
    "backend": "phy",
    "format": "raw",
    "readwrite": 1
}

`],
    ['devtype=cdrom,,,hdc',
      { pdev_path: '', vdev: 'hdc', format: 'empty', removable: 1, readwrite: 0, is_cdrom: 1 },
      `disk: {
    "pdev_path": "",
    "vdev": "hdc",
    "format": "empty",
    "removable": 1,
    "is_cdrom": 1
}

`],
    ['vdev=hdc,access=r,devtype=cdrom',
      { vdev: 'hdc', format: 'empty', removable: 1, readwrite: 0, is_cdrom: 1 },
      `disk: {
    "vdev": "hdc",
    "format": "empty",
    "removable": 1,
    "is_cdrom": 1
}

`],
    ['iscsi:iqn...,xvda,w',
      {
        pdev_path: 'iqn.2001-05.com.equallogic:0-8a0906-23fe93404-c82797962054a96d-examplehost',
        vdev: 'xvda', format: 'raw', script: 'block-iscsi', readwrite: 1,
      },
      `disk: {
    "pdev_path": "iqn.2001-05.com.equallogic:0-8a0906-23fe93404-c82797962054a96d-examplehost",
    "vdev": "xvda",
    "format": "raw",
    "script": "block-iscsi",
    "readwrite": 1
}

`],
    ['drbd:app01,hda,w',
      { pdev_path: 'app01', vdev: 'hda', format: 'raw', script: 'block-drbd', readwrite: 1 },
      `disk: {
    "pdev_path": "app01",
    "vdev": "hda",
    "format": "raw",
    "script": "block-drbd",
    "readwrite": 1
}

`],
    ['discard vdev=hda target=/some/disk/image.raw',
      { pdev_path: '/some/disk/image.raw', vdev: 'hda', format: 'raw', readwrite: 1, discard_enable: true },
      `disk: {
    "pdev_path": "/some/disk/image.raw",
    "vdev": "hda",
    "format": "raw",
    "readwrite": 1,
    "discard_enable": "True"
}

`],
    ['cdrom no-discard vdev=hda target=/some/disk/image.iso',
      {
        pdev_path: '/some/disk/image.iso', vdev: 'hda', format: 'raw', removable: 1, readwrite: 0, is_cdrom: 1,
        discard_enable: false,
      },
      `disk: {
    "pdev_path": "/some/disk/image.iso",
    "vdev": "hda",
    "format": "raw",
    "removable": 1,
    "is_cdrom": 1,
    "discard_enable": "False"
}

`],
    ['trusted vdev=hda target=/some/disk/image.raw',
      { pdev_path: '/some/disk/image.raw', vdev: 'hda', format: 'raw', readwrite: 1, trusted: true },
      `disk: {
    "pdev_path": "/some/disk/image.raw",
    "vdev": "hda",
    "format": "raw",
    "readwrite": 1,
    "trusted": "True"
}

`],
    ['untrusted vdev=hda target=/some/disk/image.raw',
      { pdev_path: '/some/disk/image.raw', vdev: 'hda', format: 'raw', readwrite: 1, trusted: false },
      `disk: {
    "pdev_path": "/some/disk/image.raw",
    "vdev": "hda",
    "format": "raw",
    "readwrite": 1,
    "trusted": "False"
}

`],
  ];
  for (const [spec, d, expected] of cases) {
    it(spec, () => expect(diskOut(disk(d))).toBe(expected));
  }

  it('json-c layout of the first case (4.21+ build)', () => {
    const d = disk({ pdev_path: '/dev/vg/guest-volume', vdev: 'hda', format: 'raw', readwrite: 1 });
    expect(`disk: ${deviceToJson('disk', d, 'json-c')}\n`).toBe(`disk: {
  "pdev_path":"\\/dev\\/vg\\/guest-volume",
  "vdev":"hda",
  "format":"raw",
  "readwrite":1
}
`);
  });

  it('zero enums, zero integers, false bools and unset defbools are omitted', () => {
    const d = disk({
      backend_domid: 0, format: 'unknown', backend: 'unknown', removable: 0, readwrite: 0, is_cdrom: 0,
      direct_io_safe: false, specification: 'unknown', transport: 'unknown', irq: 0, base: 0, colo_port: 0,
      discard_enable: undefined,
    });
    expect(deviceToJson('disk', d)).toBe('{\n\n}\n');
  });
});

describe('check-xl-vif-parse vectors', () => {
  const cases: Array<[string, DeviceNic, string]> = [
    ['rate=16000000b/s', { rate_bytes_per_interval: 100000, rate_interval_usecs: 50000 }, `vif: {
    "rate_bytes_per_interval": 100000,
    "rate_interval_usecs": 50000
}

`],
    ['rate=16Kb/s', { rate_bytes_per_interval: 100, rate_interval_usecs: 50000 }, `vif: {
    "rate_bytes_per_interval": 100,
    "rate_interval_usecs": 50000
}

`],
    ['rate=8Gb/s', { rate_bytes_per_interval: 50000000, rate_interval_usecs: 50000 }, `vif: {
    "rate_bytes_per_interval": 50000000,
    "rate_interval_usecs": 50000
}

`],
    ['rate=80Mb/s@1s', { rate_bytes_per_interval: 10000000, rate_interval_usecs: 1000000 }, `vif: {
    "rate_bytes_per_interval": 10000000,
    "rate_interval_usecs": 1000000
}

`],
    ['trusted', { trusted: true }, `vif: {
    "trusted": "True"
}

`],
    ['untrusted', { trusted: false }, `vif: {
    "trusted": "False"
}

`],
  ];
  for (const [spec, n, expected] of cases) {
    it(spec, () => expect(vifOut(nic(n))).toBe(expected));
  }

  it('devid -1 (network-attach leaves it unset) is omitted, devid 0 is printed', () => {
    expect(deviceToJson('nic', nic({ devid: -1, bridge: 'xenbr0' }))).toBe('{\n    "bridge": "xenbr0"\n}\n');
    expect(deviceToJson('nic', nic({ devid: 0, bridge: 'xenbr0' })))
      .toBe('{\n    "devid": 0,\n    "bridge": "xenbr0"\n}\n');
  });

  it('mac 00:00:00:00:00:00 is default; a real mac prints lower-case in IDL order', () => {
    expect(deviceToJson('nic', nic({ mac: '00:00:00:00:00:00' }))).toBe('{\n\n}\n');
    expect(deviceToJson('nic', nic({ devid: 0, mac: '00:16:3E:00:00:01', bridge: 'xenbr0' }))).toBe(`{
    "devid": 0,
    "mac": "00:16:3e:00:00:01",
    "bridge": "xenbr0"
}
`);
  });

  it('colo fields sit between gatewaydev and trusted', () => {
    expect(deviceToJson('nic', nic({ trusted: true, colo_checkpoint_port: '9000', gatewaydev: 'eth0', coloft_forwarddev: 'eth1' })))
      .toBe(`{
    "gatewaydev": "eth0",
    "coloft_forwarddev": "eth1",
    "colo_checkpoint_port": "9000",
    "trusted": "True"
}
`);
  });
});
