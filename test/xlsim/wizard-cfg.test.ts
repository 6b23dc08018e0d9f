/** What the wizard writes, for every guest type and option, is accepted by `xl create -n` as meant. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { checkBridge, checkGuestName, checkPath, renderWizardConfig, type WizardAnswers } from '../../cmd/xlsim/wizard-cfg';
import { emptyLab, type Lab } from './fixture';

let lab: Lab;
beforeAll(() => {
  lab = emptyLab();
});

function dryRun(a: WizardAnswers): { c_info: Record<string, unknown>; b_info: Record<string, unknown>; disks?: Record<string, unknown>[]; nics?: Record<string, unknown>[]; vfbs?: unknown[] } {
  const file = path.join(lab.home, `${a.name}.cfg`);
  fs.writeFileSync(file, renderWizardConfig(a));
  const r = lab.xl('create', '-n', file);
  expect(r.stderr).toBe(`Parsing config from ${file}\n`);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

const base = () => ({ memory: 512, vcpus: 2, disks: [], nics: [], devices: [], altp2m: 'disabled' as const });

describe('renderWizardConfig through xl create -n', () => {
  test('PV with a ramdisk, two disks, a NIC and a PV framebuffer', () => {
    const cfg = dryRun({
      ...base(),
      type: 'pv',
      name: 'pv1',
      kernel: '/boot/vmlinuz-6.1',
      ramdisk: '/boot/initrd.img-6.1',
      cmdline: 'root=/dev/xvda1 ro quiet "x"',
      disks: [
        { target: '/srv/pv1.img', vdev: 'xvda', format: 'raw', access: 'rw' },
        { target: '/srv/data.qcow2', vdev: 'xvdb', format: 'qcow2', access: 'ro' },
      ],
      nics: [{ bridge: 'xenbr1' }],
      devices: ['vfb'],
    });
    expect(cfg.c_info).toMatchObject({ type: 'pv', name: 'pv1' });
    expect(cfg.b_info).toMatchObject({ max_memkb: 512 * 1024, target_memkb: 512 * 1024, max_vcpus: 2, kernel: '/boot/vmlinuz-6.1', ramdisk: '/boot/initrd.img-6.1', cmdline: 'root=/dev/xvda1 ro quiet "x"' });
    expect(cfg.disks).toMatchObject([
      { pdev_path: '/srv/pv1.img', vdev: 'xvda', format: 'raw', readwrite: 1 },
      { pdev_path: '/srv/data.qcow2', vdev: 'xvdb', format: 'qcow2' },
    ]);
    expect(cfg.disks?.[1]?.readwrite).toBeUndefined();
    expect(cfg.nics).toMatchObject([{ bridge: 'xenbr1' }]);
    expect(cfg.vfbs).toHaveLength(1);
    expect(renderWizardConfig({ ...base(), type: 'pv', name: 'x', kernel: '/k' })).not.toContain('altp2m');
  });

  test('PVH without devices; altp2m comes with its view count', () => {
    const off = dryRun({ ...base(), type: 'pvh', name: 'pvh0', kernel: '/boot/vmlinuz' });
    expect(off.c_info).toMatchObject({ type: 'pvh' });
    expect(off.b_info.altp2m_count).toBeUndefined();
    const on = dryRun({ ...base(), type: 'pvh', name: 'pvh1', kernel: '/boot/vmlinuz', altp2m: 'limited' });
    expect(on.b_info).toMatchObject({ altp2m: 'limited', altp2m_count: 10 });
  });

  test('HVM: firmware, card models, devices', () => {
    const cfg = dryRun({
      ...base(),
      type: 'hvm',
      name: 'hvm1',
      firmware: 'seabios',
      nics: [{ bridge: 'xenbr0', model: 'rtl8139' }, { bridge: 'br1', model: 'e1000' }],
      devices: ['vnc', 'stdvga', 'usb-tablet'],
      altp2m: 'mixed',
    });
    expect(cfg.b_info).toMatchObject({ altp2m: 'mixed', altp2m_count: 10, 'type.hvm': { bios: 'seabios', vga: { kind: 'std' }, usb: 'True', usbdevice_list: ['tablet'] } });
    expect(cfg.nics).toMatchObject([{ bridge: 'xenbr0', model: 'rtl8139' }, { bridge: 'br1', model: 'e1000' }]);
    const plain = dryRun({ ...base(), type: 'hvm', name: 'hvm2', firmware: 'ovmf' });
    expect(plain.b_info).toMatchObject({ 'type.hvm': { bios: 'ovmf', vnc: { enable: 'False' } } });
  });
});

describe('answer checks', () => {
  test('names', () => {
    expect(checkGuestName('web-01.lab_x')).toBe(true);
    expect(checkGuestName('')).toBe('a name is required');
    expect(checkGuestName('42')).toBe('a name that is a number would be taken for a domain id');
    expect(checkGuestName('-web')).toBe("letters, digits, '.', '_' and '-' only, at most 64 characters, starting with a letter or digit");
    expect(checkGuestName('a b')).toBe("letters, digits, '.', '_' and '-' only, at most 64 characters, starting with a letter or digit");
    expect(checkGuestName('x'.repeat(65))).toBe("letters, digits, '.', '_' and '-' only, at most 64 characters, starting with a letter or digit");
    expect(checkGuestName('Domain-0')).toBe('Domain-0 is dom0');
  });

  test('paths and bridges', () => {
    expect(checkPath('/srv/a.img', 'disk')).toBe(true);
    expect(checkPath('a.img', 'disk')).toBe('the disk must be an absolute path on dom0');
    expect(checkPath('/srv/a,b.img', 'disk')).toBe('the disk path must not contain spaces, commas or quotes');
    expect(checkPath('/srv/a b', 'kernel')).toBe('the kernel path must not contain spaces, commas or quotes');
    expect(checkBridge('xenbr0')).toBe(true);
    expect(checkBridge('br lan')).toBe('a bridge name: letters, digits, ".", "_" and "-", at most 15 characters');
    expect(checkBridge('b'.repeat(16))).toBe('a bridge name: letters, digits, ".", "_" and "-", at most 15 characters');
  });
});
