/**
 * Every refused device, scheduler or cpupool command leaves the host as it
 * was: the whole xenstore tree, the stored configs (`xl list -l`), the
 * assignable PCI functions, the pools and the scheduler tables compare
 * equal before and after, and `xlsim check` passes. Each refusal is xl's
 * exact stderr and exit code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { manualHost, type Host } from './host';

const FAIL_ADD = 'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\n';

const CASES: Array<[string[], string, number]> = [
  [['block-attach', 'g1', '/dev/vg/x,raw,xvda,rw'], 'libxl: error: libxl_disk.c:377:device_disk_add: Domain 1:device already exists in xenstore\n' + FAIL_ADD + 'libxl_device_disk_add failed.\n', 1],
  [['block-attach', 'g1', 'foo'], "command line: config parsing error in disk specification: no vdev specified in `foo'\n", 1],
  [['block-detach', 'g1', 'xvdz'], 'Error: Device xvdz not connected.\n', 1],
  [['network-attach', 'g1', 'mac=zz'], "Invalid parameter `mac'.\n", 1],
  [
    ['network-attach', 'g1', 'type=ioemu'],
    'libxl: error: libxl_nic.c:107:libxl__device_nic_setdefault: Domain 1:trying to create PV or PVH guest with an emulated interface\n' + FAIL_ADD + 'libxl_device_nic_add failed.\n',
    1,
  ],
  [['network-detach', 'g1', '5'], 'Unknown device 5.\n', 1],
  [['usbctrl-attach', 'g1', 'version=9'], 'libxl: error: libxl_usb.c:67:libxl__device_usbctrl_setdefault: USB version for paravirtualized devices must be 1 or 2\n' + FAIL_ADD + 'libxl_device_usbctrl_add failed.\n', 1],
  [['usbdev-detach', 'g1', '0', '1'], 'Unknown device at controller 0 port 1.\n', 1],
  [
    ['pci-attach', 'h1', '03:00.0'],
    'libxl: error: libxl_pci.c:1688:libxl__device_pci_add: Domain 2:PCI device 0:3:0.0 is not assignable\n' +
      'libxl: error: libxl_pci.c:1820:device_pci_add_done: Domain 2:libxl__device_pci_add failed for PCI device 0:3:0.0 (rc -3)\n' +
      FAIL_ADD,
    1,
  ],
  [['pci-attach', 'h1', 'zz'], 'pci-attach: malformed PCI_SPEC_STRING "zz"\n', 2],
  [['pci-detach', 'h1', '04:00.0'], 'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to remove device\n', 1],
  [['pci-assignable-add', '99:00.0'], "libxl: error: libxl_pci.c:793:libxl__device_pci_assignable_add: Couldn't lstat /sys/bus/pci/devices/0000:99:00.0: No such file or directory\n", 1],
  [['cd-insert', 'g1', 'xvda', '/etc/hostname'], 'libxl: error: libxl_disk.c:990:libxl_cdrom_insert: Domain 1:cdrom-insert requires an HVM domain\n', 1],
  [['cd-insert', 'h1', 'hda', '/etc/hostname'], 'libxl: error: libxl_disk.c:1027:libxl_cdrom_insert: Domain 2:Virtual device not found\n', 1],
  [['cd-insert', 'h1', 'hdc', '/nonexistent'], 'Cannot stat file: /nonexistent\n', 1],
  [['cd-eject', 'nosuch', 'hdc'], 'nosuch is an invalid domain identifier (rc=-6)\n', 1],
  [
    ['sched-credit2', '-d', 'g1', '-w', '0'],
    'libxl: error: libxl_sched.c:441:sched_credit2_domain_set: Domain 1:Cpu weight out of range, valid values are within range from 1 to 65535\nlibxl_domain_sched_params_set failed.\n',
    1,
  ],
  [
    ['sched-credit2', '-d', 'g1', '-c', '1000'],
    'libxl: error: libxl_sched.c:451:sched_credit2_domain_set: Domain 1:Cpu cap out of range, valid range is from 0 to 100 for specified number of vcpus\nlibxl_domain_sched_params_set failed.\n',
    1,
  ],
  [['sched-credit2', '-s', '-r', '5'], 'libxl: error: libxl_sched.c:268:sched_ratelimit_check: Ratelimit out of range, valid range is from 100 to 500000\nlibxl_sched_credit2_params_set failed.\n', 1],
  [['sched-rtds', '-d', 'g1', '-p', '100', '-b', '200'], 'Must specify VCPU.\n', 1],
  [['cpupool-create', 'name="x"', 'cpus="0"'], 'cpu 0 illegal or not free\n', 1],
  [['cpupool-destroy', 'Pool-0'], "Can't destroy cpupool 'Pool-0'\n", 1],
  [['cpupool-migrate', 'g1', 'nosuch'], "unknown cpupool 'nosuch'\n", 1],
  [['cpupool-migrate', '0', 'Pool-0'], 'libxl: error: libxl_cpupool.c:437:libxl_cpupool_movedomain: Error moving domain to cpupool\n', 1],
  [['config-update', 'g1', '/nonexistent'], 'WARNING: xl now has better capability to manage domain configuration, avoid using this command when possible\nFailed to read config file: /nonexistent: No such file or directory\n', 253],
];

describe('refused commands change nothing', () => {
  let h: Host;
  /** everything a refused command could have touched */
  const snapshot = (): string[] =>
    [
      ['xenstore-ls', '/'],
      ['xl', 'list', '-l'],
      ['xl', 'pci-assignable-list'],
      ['xl', 'cpupool-list', '-c'],
      ['xl', 'sched-credit2'],
      ['xl', 'usb-list', 'g1'],
    ].map(([tool, ...args]) => {
      const r = tool === 'xl' ? h.xl(...args) : h.xs(tool!, ...args);
      expect(r.code).toBe(0);
      return r.stdout;
    });

  beforeAll(() => {
    h = manualHost();
    expect(h.xl('create', '-q', h.cfg('g1', 'name = "g1"\nkernel = "/boot/vmlinuz"\nmemory = 512\nvif = [ "bridge=xenbr0" ]\ndisk = [ "/srv/g1.img,raw,xvda,rw" ]\n')).code).toBe(0);
    expect(h.xl('create', '-q', h.cfg('h1', 'name = "h1"\ntype = "hvm"\nmemory = 512\ndisk = [ "/srv/h1.img,raw,hda,rw", ",raw,hdc,cdrom" ]\n')).code).toBe(0);
    h.advance('30s');
  });

  it.each(CASES)('xl %j', (args, stderr, code) => {
    const before = snapshot();
    expect(h.xl(...args)).toEqual({ stdout: '', stderr, code });
    expect(snapshot()).toEqual(before);
  });

  it('the host is consistent after them all', () => {
    h.check();
  });
});
