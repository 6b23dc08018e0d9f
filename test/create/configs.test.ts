/**
 * The guest configs shipped in configs/ and Xen's own examples
 * (tools/examples/xlexample.*, read from the Xen tree when present) must
 * all pass `xl create -n` cleanly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { scratch, UUID } from './util';

const CONFIGS = path.join(ROOT, 'configs');
const XEN_EXAMPLES = '/work/xen-4.20/tools/examples';

const shipped = fs.readdirSync(CONFIGS).filter((f) => f.endsWith('.cfg')).sort();

describe('configs/*.cfg', () => {
  it('ships the guest configs the lessons use', () => {
    for (const f of ['pv-guest.cfg', 'pvh-guest.cfg', 'hvm-guest.cfg', 'hvm-altp2m.cfg', 'hvm-uefi.cfg', 'pv-pygrub.cfg', 'all-devices.cfg']) {
      expect(shipped).toContain(f);
    }
  });

  it.each(shipped)('%s passes xl create -n without a warning', (f) => {
    const s = scratch();
    const r = s.xl(['create', '-n', path.join(CONFIGS, f), `uuid="${UUID}"`]);
    expect(r.stderr).toBe(`Parsing config from ${path.join(CONFIGS, f)}\n`);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.c_info.name).toBe(f.replace(/\.cfg$/, ''));
    expect(d.c_info.uuid).toBe(UUID);
  });

  it('each config says what it claims', () => {
    const load = (f: string) => JSON.parse(scratch().xl(['create', '-n', path.join(CONFIGS, f)]).stdout);
    expect(load('pv-guest.cfg').c_info.type).toBe('pv');
    expect(load('pvh-guest.cfg').c_info.type).toBe('pvh');
    const hvm = load('hvm-guest.cfg');
    expect(hvm.b_info['type.hvm']).toMatchObject({ bios: 'seabios', serial: 'pty', vnc: { enable: 'True' } });
    expect(hvm.disks[1].is_cdrom).toBe(1);
    const a = load('hvm-altp2m.cfg');
    expect(a.b_info.altp2m).toBe('external');
    expect(a.b_info['type.hvm']).toMatchObject({ vga: { kind: 'std' }, usb: 'True', serial: 'pty' });
    expect(a.nics[0].model).toBe('e1000');
    expect(load('hvm-uefi.cfg').b_info['type.hvm'].bios).toBe('ovmf');
    expect(load('pv-pygrub.cfg').b_info.bootloader).toBe('pygrub');
    const all = load('all-devices.cfg');
    for (const k of ['disks', 'nics', 'pcidevs', 'vfbs', 'vkbs', 'virtios', 'vtpms', 'p9s', 'pvcallsifs', 'vdispls', 'vsnds', 'channels', 'usbctrls', 'usbdevs']) {
      expect(all[k]?.length, k).toBeGreaterThan(0);
    }
    expect(all.b_info['type.hvm'].serial_list).toEqual(['pty']);
  });
});

const haveXen = fs.existsSync(path.join(XEN_EXAMPLES, 'xlexample.hvm'));

describe.skipIf(!haveXen)("Xen's example configs", () => {
  const run = (name: string) => {
    const file = path.join(XEN_EXAMPLES, name);
    const r = scratch().xl(['create', '-n', file, `uuid="${UUID}"`]);
    expect(r.stderr).toBe(`Parsing config from ${file}\n`);
    expect(r.code).toBe(0);
    return r.stdout;
  };

  it('xlexample.hvm', () => {
    expect(run('xlexample.hvm')).toBe(`{
    "c_info": {
        "type": "hvm",
        "name": "example.hvm",
        "uuid": "${UUID}",
        "run_hotplug_scripts": "True"
    },
    "b_info": {
        "max_vcpus": 2,
        "avail_vcpus": [
            0,
            1
        ],
        "max_memkb": 131072,
        "target_memkb": 131072,
        "sched_params": {

        },
        "claim_mode": "True",
        "type.hvm": {
            "vga": {

            },
            "vnc": {

            },
            "sdl": {
                "enable": "True"
            },
            "spice": {

            },
            "rdm": {

            }
        },
        "arch_arm": {
            "arm_sci": {

            }
        },
        "arch_x86": {

        },
        "xenstore_quota": {

        }
    },
    "disks": [
        {
            "pdev_path": "/dev/vg/guest-volume",
            "vdev": "xvda",
            "format": "raw",
            "readwrite": 1
        }
    ],
    "nics": [
        {
            "devid": 0
        }
    ],
    "on_reboot": "restart",
    "on_soft_reset": "soft_reset"
}
`);
  });

  it('xlexample.pvlinux', () => {
    const d = JSON.parse(run('xlexample.pvlinux'));
    expect(d.c_info.type).toBe('pv');
    expect(d.b_info).toMatchObject({ kernel: '/boot/vmlinuz', cmdline: 'root=/dev/xvda1', max_memkb: 131072, max_vcpus: 2 });
    expect(d.nics).toEqual([{ devid: 0 }]);
  });

  it('xlexample.pvhlinux', () => {
    const d = JSON.parse(run('xlexample.pvhlinux'));
    expect(d.c_info.type).toBe('pvh');
    expect(d.b_info).toMatchObject({ kernel: '/boot/vmlinuz', cmdline: 'root=/dev/xvda1', max_memkb: 524288, max_vcpus: 4 });
    expect(d.b_info['type.pvh']).toEqual({});
    expect(d.disks[0].pdev_path).toBe('/dev/zvol/tank/guest-volume');
  });
});
