/**
 * Disks and NICs hot-plugged into a running PV guest, as an admin types it:
 * attach, watch the xenbus states move as the guest's drivers connect,
 * list, detach — and every bad input with xl's exact error, leaving the
 * host unchanged (`xlsim check` after each).
 */
import { describe, expect, it } from 'vitest';
import { BLOCK_HEADER, NET_HEADER, err, manualHost, ok } from './host';

const PV1 = `name = "pv1"
type = "pv"
kernel = "/boot/vmlinuz"
memory = 512
disk = [ 'phy:/dev/vg/pv1,xvda,w' ]
vif = [ 'bridge=xenbr0' ]
`;

const PV2 = `name = "pv2"
type = "pv"
kernel = "/boot/vmlinuz"
memory = 256
`;

const VBD_ROW = (devid: number, dom: number, state: number, ev: number, ref: number, kind = 'vbd'): string =>
  `${String(devid).padEnd(5)} 0   ${String(dom).padEnd(6)} ${String(state).padEnd(5)} ${String(ev).padEnd(6)} ${String(ref).padEnd(8)} /local/domain/0/backend/${kind}/${dom}/${devid}\n`;

describe('block and network hotplug on a PV guest', () => {
  const h = manualHost();

  it('create-time devices wait in Initialising until the guest kernel connects them', () => {
    expect(h.xl('create', h.cfg('pv1', PV1)).code).toBe(0);
    expect(h.xl('block-list', 'pv1')).toEqual({ stdout: BLOCK_HEADER + VBD_ROW(51712, 1, 1, -1, -1), stderr: '', code: 0 });
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vbd/1/51712/state').stdout).toBe('2\n');
    h.advance('3s');
    expect(h.xl('block-list', 'pv1')).toEqual({ stdout: BLOCK_HEADER + VBD_ROW(51712, 1, 4, 10, 8), stderr: '', code: 0 });
    expect(h.xl('network-list', 'pv1').stdout).toBe(`${NET_HEADER}0   0  00:16:3e:42:16:78     0     4     11     9/10          /local/domain/0/backend/vif/1/0\n`);
    h.check();
  });

  it('block-attach is silent; the new vbd connects over simulated time', () => {
    expect(h.xl('block-attach', 'pv1', 'phy:/dev/vg/data,xvdb,w')).toEqual(ok);
    expect(h.xl('block-list', 'pv1').stdout).toBe(BLOCK_HEADER + VBD_ROW(51712, 1, 4, 10, 8) + VBD_ROW(51728, 1, 1, -1, -1));
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vbd/1/51728/params').stdout).toBe('/dev/vg/data\n');
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vbd/1/51728/script').stdout).toBe('/etc/xen/scripts/block\n');
    h.advance('1s');
    expect(h.xs('xenstore-read', '/local/domain/1/device/vbd/51728/state').stdout).toBe('4\n');
    expect(h.xl('block-list', 'pv1').stdout).toBe(BLOCK_HEADER + VBD_ROW(51712, 1, 4, 10, 8) + VBD_ROW(51728, 1, 4, 12, 11));
    const cfg = h.xl('list', '-l', 'pv1').stdout;
    expect(cfg).toContain('"pdev_path": "/dev/vg/data"');
    h.check();
  });

  it('a duplicate vdev is refused by libxl', () => {
    expect(h.xl('block-attach', 'pv1', 'phy:/dev/vg/other,xvdb,w')).toEqual(
      err(
        'libxl: error: libxl_disk.c:377:device_disk_add: Domain 1:device already exists in xenstore\n' +
          'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\n' +
          'libxl_device_disk_add failed.\n',
      ),
    );
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vbd/1/51728/params').stdout).toBe('/dev/vg/data\n');
    h.check();
  });

  it('an unknown vdev, a missing domid and a bad name each fail', () => {
    expect(h.xl('block-attach', 'pv1', 'phy:/dev/vg/x,foo,w')).toEqual(
      err(
        'libxl: error: libxl_disk.c:369:device_disk_add: Domain 1:Invalid or unsupported virtual disk identifier foo\n' +
          'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\n' +
          'libxl_device_disk_add failed.\n',
      ),
    );
    expect(h.xl('block-attach', '7', 'phy:/dev/vg/x,xvdc,w')).toEqual(
      err(
        'libxl: error: libxl_dom.c:37:libxl__domain_type: Domain 7:unable to get dominfo: No such process\n' +
          'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\n' +
          'libxl_device_disk_add failed.\n',
      ),
    );
    expect(h.xl('block-attach', 'nosuch', 'phy:/dev/vg/x,xvdc,w')).toEqual(err('nosuch is an invalid domain identifier\n'));
    h.check();
  });

  it("a physical device writable in another guest: the block script's sharing check", () => {
    expect(h.xl('create', h.cfg('pv2', PV2)).code).toBe(0);
    h.advance('3s');
    expect(h.xl('block-attach', 'pv2', 'phy:/dev/vg/pv1,xvdb,w')).toEqual(
      err(
        'libxl: error: libxl_exec.c:117:libxl_report_child_exitstatus: /etc/xen/scripts/block add [4323] exited with error status 1\n' +
          'libxl: error: libxl_device.c:1351:device_hotplug_child_death_cb: script: Device /dev/vg/pv1 is mounted in a guest domain,\n' +
          'and so cannot be mounted now.\n' +
          'libxl: error: libxl_device.c:1495:device_addrm_aocomplete: Domain 2:Unable to add vbd with id 51728\n' +
          'libxl_device_disk_add failed.\n',
      ),
    );
    expect(h.xl('block-attach', 'pv2', 'phy:/dev/vg/pv1,xvdb,r').stderr).toContain(
      'script: Device /dev/vg/pv1 is mounted read-write in a guest domain,\nand so cannot be mounted read-only now.\n',
    );
    expect(h.xl('block-list', 'pv2').stdout).toBe(BLOCK_HEADER);
    h.check();
  });

  it('block-list goes on past a bad name; network-list stops at one', () => {
    expect(h.xl('block-list', 'nosuch', 'pv2')).toEqual({ stdout: BLOCK_HEADER, stderr: 'nosuch is an invalid domain identifier\n', code: 0 });
    expect(h.xl('network-list', 'nosuch')).toEqual({ stdout: NET_HEADER, stderr: 'nosuch is an invalid domain identifier (rc=-6)\n', code: 1 });
  });

  it('network-attach takes the next devid and a MAC from the host generator', () => {
    expect(h.xl('network-attach', 'pv1', 'bridge=xenbr1')).toEqual(ok);
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vif/1/1/bridge').stdout).toBe('xenbr1\n');
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vif/1/1/script').stdout).toBe('/etc/xen/scripts/vif-bridge\n');
    h.advance('1s');
    const list = h.xl('network-list', 'pv1');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(`^${NET_HEADER.replace(/[.]/g, '\\.')}0   0  00:16:3e:42:16:78     0     4     11     9/10          /local/domain/0/backend/vif/1/0\n1   0  00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}     1     4     13    12/13          /local/domain/0/backend/vif/1/1\n$`),
    );
    expect(h.xl('network-attach', 'pv2', 'mac=00:16:3e:01:02:03', 'devid=3')).toEqual(ok);
    expect(h.xl('network-attach', 'pv2', 'devid=3')).toEqual(
      err(
        'libxl: error: libxl_device.c:2014:libxl__device_add_async: Domain 2:device already exists in xenstore\n' +
          'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\n' +
          'libxl_device_nic_add failed.\n',
      ),
    );
    expect(h.xl('network-list', 'pv2').stdout).toBe(`${NET_HEADER}3   0  00:16:3e:01:02:03     3     1     -1    -1/-1          /local/domain/0/backend/vif/2/3\n`);
    h.check();
  });

  it('network-detach by MAC and by devid; an unknown one is refused', () => {
    expect(h.xl('network-detach', 'pv2', '00:16:3E:01:02:03')).toEqual(ok);
    expect(h.xl('network-detach', 'pv2', '00:16:3e:01:02:03')).toEqual(err('Unknown device 00:16:3e:01:02:03.\n'));
    expect(h.xl('network-detach', 'pv1', '5')).toEqual(err('Unknown device 5.\n'));
    expect(h.xl('network-detach', 'pv1', '1')).toEqual(ok);
    expect(h.xl('network-list', 'pv1', 'pv2').stdout).toBe(`${NET_HEADER}0   0  00:16:3e:42:16:78     0     4     11     9/10          /local/domain/0/backend/vif/1/0\n`);
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vif/1/1').code).toBe(1);
    h.check();
  });

  it('block-detach removes the three directories and the stored config entry', () => {
    expect(h.xl('block-detach', 'pv1', 'xvdz')).toEqual(err('Error: Device xvdz not connected.\n'));
    expect(h.xl('block-detach', 'nosuch', 'xvdb')).toEqual(err('nosuch is an invalid domain identifier (rc=-6)\n'));
    expect(h.xl('block-detach', 'pv1', '51728')).toEqual(ok);
    expect(h.xl('block-list', 'pv1').stdout).toBe(BLOCK_HEADER + VBD_ROW(51712, 1, 4, 10, 8));
    expect(h.xs('xenstore-ls', '/libxl/1/device/vbd').stdout).not.toContain('51728');
    expect(h.xl('list', '-l', 'pv1').stdout).not.toContain('/dev/vg/data');
    h.check();
  });

  it('the freed physical device can now go to the other guest, read-only', () => {
    expect(h.xl('block-attach', 'pv2', 'phy:/dev/vg/data,xvdb,r')).toEqual(ok);
    h.check();
  });

  it('after destroy nothing of the devices is left', () => {
    expect(h.xl('destroy', 'pv2')).toEqual(ok);
    expect(h.xs('xenstore-list', '/local/domain/0/backend/vbd').stdout).toBe('1\n');
    h.check();
  });
});

describe('an HVM guest without PV drivers', () => {
  const h = manualHost();

  it('keeps its vbds and vifs in Initialising for ever', () => {
    const cfg = h.cfg('hvm1', 'name = "hvm1"\ntype = "hvm"\nmemory = 1024\ndisk = [ "phy:/dev/vg/hvm1,hda,w" ]\nvif = [ "" ]\n');
    expect(h.xl('create', '-p', cfg).code).toBe(0);
    expect(h.xlsim('guest', 'hvm1', 'pv-drivers', 'off').code).toBe(0);
    expect(h.xl('unpause', 'hvm1')).toEqual(ok);
    h.advance('20s');
    expect(h.xl('block-list', 'hvm1').stdout).toBe(BLOCK_HEADER + VBD_ROW(768, 1, 1, -1, -1));
    expect(h.xl('block-attach', 'hvm1', 'phy:/dev/vg/x,xvdb,w')).toEqual(ok);
    h.advance('5s');
    expect(h.xl('block-list', 'hvm1').stdout).toBe(BLOCK_HEADER + VBD_ROW(768, 1, 1, -1, -1) + VBD_ROW(51728, 1, 1, -1, -1));
    h.check();
  });
});
