/**
 * PCI pass-through against the default host profile's inventory, and CD
 * changes on an HVM guest's emulated drive: the admin's transcript with
 * every refusal xl gives, `xlsim check` after each step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK_HEADER, err, manualHost, ok } from './host';

const ADD_FAILED = 'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\n';

describe('PCI pass-through to an HVM guest', () => {
  const h = manualHost();
  const hvm = `name = "hvm1"\ntype = "hvm"\nmemory = 1024\ndisk = [ "phy:/dev/vg/hvm1,hda,w" ]\nvif = [ "" ]\n`;

  it('lists the device the profile hides with pciback at boot', () => {
    expect(h.xl('create', h.cfg('hvm1', hvm)).code).toBe(0);
    h.advance('10s');
    expect(h.xl('pci-assignable-list')).toEqual({ stdout: '0000:04:00.0 \n', stderr: '', code: 0 });
    expect(h.xl('pci-list', 'hvm1')).toEqual(ok);
    h.check();
  });

  it('refuses a device dom0 still drives', () => {
    expect(h.xl('pci-attach', 'hvm1', '03:00.0')).toEqual(
      err(
        'libxl: error: libxl_pci.c:1688:libxl__device_pci_add: Domain 1:PCI device 0:3:0.0 is not assignable\n' +
          'libxl: error: libxl_pci.c:1820:device_pci_add_done: Domain 1:libxl__device_pci_add failed for PCI device 0:3:0.0 (rc -3)\n' +
          ADD_FAILED,
      ),
    );
    expect(h.xl('pci-list', 'hvm1')).toEqual(ok);
    h.check();
  });

  it('pci-assignable-add: malformed, absent, and good BDFs', () => {
    expect(h.xl('pci-assignable-add', '03:00')).toEqual(err('pci-assignable-add: malformed BDF "03:00"\n', 2));
    expect(h.xl('pci-assignable-add', '09:00.0')).toEqual(
      err('libxl: error: libxl_pci.c:793:libxl__device_pci_assignable_add: Couldn\'t lstat /sys/bus/pci/devices/0000:09:00.0: No such file or directory\n'),
    );
    expect(h.xl('pci-assignable-add', '03:00.0')).toEqual(ok);
    expect(h.xl('pci-assignable-add', '-n', 'nic1', '0000:03:00.1')).toEqual(ok);
    expect(h.xl('pci-assignable-add', '04:00.0')).toEqual(
      err('libxl: warning: libxl_pci.c:803:libxl__device_pci_assignable_add: 0000:04:00.0 already assigned to pciback\n', 0),
    );
    expect(h.xl('pci-assignable-list')).toEqual({ stdout: '0000:03:00.0 \n0000:03:00.1 \n0000:04:00.0 \n', stderr: '', code: 0 });
    expect(h.xl('pci-assignable-list', '-n')).toEqual({ stdout: '0000:03:00.0 \n0000:03:00.1 nic1\n0000:04:00.0 \n', stderr: '', code: 0 });
    expect(h.xs('xenstore-read', '/libxl/pci/0000-03-00-0/driver_path').stdout).toBe('/sys/bus/pci/drivers/igb\n');
    h.check();
  });

  it('pci-attach passes it through at the next free QEMU slot', () => {
    expect(h.xl('pci-attach', 'hvm1', '03:00.0')).toEqual(ok);
    expect(h.xl('pci-list', 'hvm1')).toEqual({ stdout: 'Vdev Device\n05.0 0000:03:00.0\n', stderr: '', code: 0 });
    expect(h.xl('pci-assignable-list').stdout).toBe('0000:03:00.1 \n0000:04:00.0 \n');
    expect(h.xs('xenstore-read', '/local/domain/0/backend/pci/1/0/opts-0').stdout).toBe('msitranslate=0,power_mgmt=0,permissive=0,rdm_policy=strict\n');
    expect(h.xl('list', '-l', 'hvm1').stdout).toContain('"pcidevs": [');
    expect(h.xs('xenstore-read', '/libxl/pci/0000-03-00-0/domid').stdout).toBe('1\n');
    h.check();
  });

  it('refuses a device already given to a guest, a malformed spec, and a detach of what is not there', () => {
    expect(h.xl('pci-attach', 'hvm1', '03:00.0')).toEqual(
      err(
        'libxl: error: libxl_pci.c:1669:libxl__device_pci_add: Domain 1:PCI device 0000:03:00.0 already assigned to a different guest?\n' +
          'libxl: error: libxl_pci.c:1820:device_pci_add_done: Domain 1:libxl__device_pci_add failed for PCI device 0:3:0.0 (rc -1)\n' +
          ADD_FAILED,
      ),
    );
    expect(h.xl('pci-attach', 'hvm1', 'foo')).toEqual(err('pci-attach: malformed PCI_SPEC_STRING "foo"\n', 2));
    expect(h.xl('pci-detach', 'hvm1', '04:00.0')).toEqual(
      err(
        'libxl: error: libxl_pci.c:1978:do_pci_remove: Domain 1:PCI device not attached to this domain\n' +
          'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to remove device\n',
      ),
    );
    expect(h.xl('pci-assignable-remove', '03:00.0')).toEqual(
      err('libxl: error: libxl_pci.c:907:libxl__device_pci_assignable_remove: failed to de-quarantine 0000:03:00.0\n'),
    );
    expect(h.xl('pci-assignable-remove', 'x')).toEqual(err("pci-assignable-remove: malformed BDF 'x'\n", 2));
    expect(h.xl('pci-list', 'hvm1').stdout).toBe('Vdev Device\n05.0 0000:03:00.0\n');
    h.check();
  });

  it('pci-detach gives the device back to the quarantine; -r rebinds the native driver', () => {
    expect(h.xl('pci-detach', 'hvm1', '03:00.0')).toEqual(ok);
    expect(h.xl('pci-list', 'hvm1')).toEqual(ok);
    expect(h.xl('pci-assignable-list').stdout).toBe('0000:03:00.0 \n0000:03:00.1 \n0000:04:00.0 \n');
    expect(h.xl('pci-assignable-remove', '-r', 'nic1')).toEqual(
      err('libxl: info: libxl_pci.c:926:libxl__device_pci_assignable_remove: Rebinding to driver at /sys/bus/pci/drivers/igb\n', 0),
    );
    expect(h.xl('pci-assignable-remove', '-r', '03:00.0').code).toBe(0);
    expect(h.xl('pci-assignable-list').stdout).toBe('0000:04:00.0 \n');
    expect(h.xs('xenstore-ls', '/libxl').stdout).not.toContain('pci');
    h.check();
  });

  it('a device not claimed by any driver warns that it will not be rebound', () => {
    expect(h.xl('pci-assignable-add', '05:00.0')).toEqual(
      err('libxl: warning: libxl_pci.c:823:libxl__device_pci_assignable_add: 0000:05:00.0 not bound to a driver, will not be rebound.\n', 0),
    );
    expect(h.xl('pci-assignable-remove', '-r', '05:00.0')).toEqual(
      err(
        'libxl: warning: libxl_pci.c:939:libxl__device_pci_assignable_remove: Couldn\'t find path for original driver; not rebinding\n',
        0,
      ),
    );
    h.check();
  });
});

describe('PCI pass-through to a PV guest, then the guest dies', () => {
  const h = manualHost();

  it('a second function goes to the next slot entry; destroy hands both back', () => {
    expect(h.xl('create', h.cfg('pv', 'name = "pv"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 256\n')).code).toBe(0);
    expect(h.xl('pci-assignable-add', '03:00.0')).toEqual(ok);
    expect(h.xl('pci-attach', 'pv', '04:00.0')).toEqual(ok);
    expect(h.xl('pci-attach', 'pv', '03:00.0,permissive=1')).toEqual(ok);
    expect(h.xl('pci-list', 'pv')).toEqual({ stdout: 'Vdev Device\n00.0 0000:04:00.0\n00.0 0000:03:00.0\n', stderr: '', code: 0 });
    expect(h.xs('xenstore-read', '/local/domain/0/backend/pci/1/0/opts-1').stdout).toBe('msitranslate=0,power_mgmt=0,permissive=1,rdm_policy=strict\n');
    expect(h.xl('pci-assignable-list')).toEqual(ok);
    h.check();
    expect(h.xl('pci-detach', 'pv', '04:00.0')).toEqual(ok);
    expect(h.xs('xenstore-read', '/local/domain/0/backend/pci/1/0/dev-0').stdout).toBe('0000:03:00.0\n');
    expect(h.xs('xenstore-read', '/local/domain/0/backend/pci/1/0/num_devs').stdout).toBe('1\n');
    h.check();
    expect(h.xl('destroy', 'pv')).toEqual(ok);
    expect(h.xl('pci-assignable-list').stdout).toBe('0000:03:00.0 \n0000:04:00.0 \n');
    h.check();
  });
});

describe('cd-insert and cd-eject on an HVM guest', () => {
  const h = manualHost();
  const iso1 = h.file('debian.iso');
  const iso2 = h.file('tools.iso');
  const hvm = `name = "hvm2"\ntype = "hvm"\nmemory = 1024\ndisk = [ "phy:/dev/vg/hvm2,hda,w", "${iso1},raw,hdc,cdrom" ]\n`;

  it('changes the medium in place', () => {
    expect(h.xl('create', h.cfg('hvm2', hvm)).code).toBe(0);
    expect(h.xl('cd-insert', 'hvm2', 'hdc', iso2)).toEqual(ok);
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vbd/1/5632/params').stdout).toBe(`${iso2}\n`);
    expect(h.xl('list', '-l', 'hvm2').stdout).toContain(`"pdev_path": "${iso2}"`);
    h.check();
  });

  it('ejects to an empty drive', () => {
    expect(h.xl('cd-eject', 'hvm2', 'hdc')).toEqual(ok);
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vbd/1/5632/params').stdout).toBe('\n');
    expect(h.xl('block-list', 'hvm2').stdout.startsWith(BLOCK_HEADER)).toBe(true);
    h.check();
  });

  it('refuses a missing file, a drive that is not there, and a PV guest', () => {
    const missing = path.join(h.home, 'nope.iso');
    expect(fs.existsSync(missing)).toBe(false);
    expect(h.xl('cd-insert', 'hvm2', 'hdc', missing)).toEqual(err(`Cannot stat file: ${missing}\n`));
    expect(h.xl('cd-insert', 'hvm2', 'hdd', iso1)).toEqual(
      err('libxl: error: libxl_disk.c:1027:libxl_cdrom_insert: Domain 1:Virtual device not found\n'),
    );
    expect(h.xl('cd-eject', 'nosuch', 'hdc')).toEqual(err('nosuch is an invalid domain identifier (rc=-6)\n'));
    expect(h.xl('create', h.cfg('pv', 'name = "pv"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 256\n')).code).toBe(0);
    expect(h.xl('cd-insert', 'pv', 'hdc', iso1)).toEqual(
      err('libxl: error: libxl_disk.c:990:libxl_cdrom_insert: Domain 2:cdrom-insert requires an HVM domain\n'),
    );
    expect(h.xl('cd-insert', 'hvm2', 'hdc')).toEqual({
      stdout: "Usage: xl [-vtTfN] cd-insert <Domain> <VirtualDevice> <path>\n\nInsert a cdrom into a guest's cd drive.\n\n",
      stderr: "'xl cd-insert' requires at least 3 arguments.\n\n",
      code: 2,
    });
    h.check();
  });
});
