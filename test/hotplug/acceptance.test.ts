/**
 * The issue-6 acceptance transcript on one manual-clock host, as an admin
 * types it: a disk and a NIC hot-plugged into a running PV guest, listed,
 * seen from inside the guest, detached; a CD changed in an HVM guest; a
 * PCI function made assignable and passed through, with the refusals for a
 * device dom0 still drives and one already in use; the credit2 and RTDS
 * tables; a cpupool carved out of Pool-0. The host is consistent at the end.
 */
import { describe, expect, it } from 'vitest';
import { BLOCK_HEADER, NET_HEADER, err, manualHost, ok } from './host';

const WEB = 'name = "web"\nkernel = "/boot/vmlinuz"\nmemory = 512\nvcpus = 2\nvif = [ "mac=00:16:3e:00:00:01,bridge=xenbr0" ]\ndisk = [ "/srv/web.img,raw,xvda,rw" ]\n';
const WIN = 'name = "win"\ntype = "hvm"\nmemory = 1024\ndisk = [ "/srv/win.img,raw,hda,rw", ",raw,hdc,cdrom" ]\n';
const NOT_ASSIGNABLE = (domid: number): string =>
  `libxl: error: libxl_pci.c:1688:libxl__device_pci_add: Domain ${domid}:PCI device 0:3:0.0 is not assignable\n` +
  `libxl: error: libxl_pci.c:1820:device_pci_add_done: Domain ${domid}:libxl__device_pci_add failed for PCI device 0:3:0.0 (rc -3)\n` +
  'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\n';

describe('issue 6 acceptance transcript', () => {
  const h = manualHost();

  it('hot-plugs a disk and a NIC into a running PV guest; the guest sees them; they go again', () => {
    expect(h.xl('create', '-q', h.cfg('web', WEB))).toEqual(ok);
    expect(h.xl('create', '-q', h.cfg('win', WIN))).toEqual(ok);
    h.advance('30s');
    expect(h.xl('block-attach', 'web', '/dev/vg/data,raw,xvdb,rw')).toEqual(ok);
    expect(h.xl('network-attach', 'web', 'mac=00:16:3e:00:00:02', 'bridge=xenbr1')).toEqual(ok);
    h.advance('1s');
    expect(h.xl('block-list', 'web').stdout).toBe(
      BLOCK_HEADER + '51712 0   1      4     10     8        /local/domain/0/backend/vbd/1/51712\n' + '51728 0   1      4     12     11       /local/domain/0/backend/vbd/1/51728\n',
    );
    expect(h.xl('network-list', 'web').stdout).toBe(
      NET_HEADER +
        '0   0  00:16:3e:00:00:01     0     4     11     9/10          /local/domain/0/backend/vif/1/0\n' +
        '1   0  00:16:3e:00:00:02     1     4     13    12/13          /local/domain/0/backend/vif/1/1\n',
    );
    expect(h.xlsim('guest', 'web', 'exec', 'lsblk').stdout).toBe(
      'NAME    MAJ:MIN RM  SIZE RO TYPE MOUNTPOINTS\nxvda    202:0    0   10G  0 disk \n└─xvda1 202:1    0   10G  0 part /\nxvdb    202:16   0   20G  0 disk \n',
    );
    expect(h.xlsim('guest', 'web', 'exec', 'ip link | grep ether').stdout).toBe(
      '    link/ether 00:16:3e:00:00:01 brd ff:ff:ff:ff:ff:ff\n    link/ether 00:16:3e:00:00:02 brd ff:ff:ff:ff:ff:ff\n',
    );
    expect(h.xl('block-detach', 'web', 'xvdb')).toEqual(ok);
    expect(h.xl('network-detach', 'web', '00:16:3e:00:00:02')).toEqual(ok);
    expect(h.xl('block-list', 'web').stdout).toBe(BLOCK_HEADER + '51712 0   1      4     10     8        /local/domain/0/backend/vbd/1/51712\n');
    expect(h.xlsim('guest', 'web', 'exec', 'lsblk | tail -1').stdout).toBe('└─xvda1 202:1    0   10G  0 part /\n');
    h.check();
  });

  it('changes the HVM guest\'s CD and ejects it', () => {
    const iso = h.file('debian.iso');
    expect(h.xl('cd-insert', 'win', 'hdc', iso)).toEqual(ok);
    // an empty drive from the config is QEMU's (qdisk): params carry the format
    expect(h.xs('xenstore-read', '/local/domain/0/backend/qdisk/2/5632/params').stdout).toBe(`raw:${iso}\n`);
    expect(h.xl('cd-eject', 'win', 'hdc')).toEqual(ok);
    expect(h.xs('xenstore-read', '/local/domain/0/backend/qdisk/2/5632/params').stdout).toBe('\n');
    h.check();
  });

  it('passes a PCI function through once it is assignable; refuses it while dom0 drives it or a guest has it', () => {
    expect(h.xl('pci-assignable-list')).toEqual({ stdout: '0000:04:00.0 \n', stderr: '', code: 0 });
    expect(h.xl('pci-attach', 'win', '03:00.0')).toEqual(err(NOT_ASSIGNABLE(2)));
    expect(h.xl('pci-assignable-add', '03:00.0')).toEqual(ok);
    expect(h.xl('pci-assignable-list').stdout).toBe('0000:03:00.0 \n0000:04:00.0 \n');
    expect(h.xl('pci-attach', 'win', '03:00.0')).toEqual(ok);
    expect(h.xl('pci-list', 'win')).toEqual({ stdout: 'Vdev Device\n04.0 0000:03:00.0\n', stderr: '', code: 0 });
    expect(h.xl('pci-assignable-list').stdout).toBe('0000:04:00.0 \n');
    expect(h.xl('pci-attach', 'web', '03:00.0')).toEqual(err(NOT_ASSIGNABLE(1)));
    h.check();
  });

  it('scheduler tables and a cpupool', () => {
    expect(h.xl('sched-credit')).toEqual(ok);
    expect(h.xl('sched-credit2', '-d', 'web', '-w', '512', '-c', '50')).toEqual(ok);
    expect(h.xl('sched-credit2').stdout).toBe(
      'Cpupool Pool-0: ratelimit=1000us\nName                                ID Weight  Cap\n' +
        'Domain-0                             0    256    0\nweb                                  1    512   50\nwin                                  2    256    0\n',
    );
    expect(h.xl('cpupool-cpu-remove', 'Pool-0', '6,7')).toEqual(ok);
    expect(h.xl('cpupool-create', 'name="rt"', 'sched="rtds"', 'cpus=["6","7"]')).toEqual({
      stdout: 'Using config file "command line"\ncpupool name:   rt\nscheduler:      rtds\nnumber of cpus: 2\n',
      stderr: '',
      code: 0,
    });
    expect(h.xl('cpupool-migrate', 'web', 'rt')).toEqual(ok);
    expect(h.xl('cpupool-list').stdout).toBe(
      'Name               CPUs   Sched     Active   Domain count\nPool-0               6   credit2       y          2\nrt                   2      rtds       y          1\n',
    );
    expect(h.xl('sched-rtds').stdout).toBe('Cpupool rt: sched=RTDS\nName                                ID    Period    Budget  Extratime\nweb                                  1     10000      4000        yes\n');
    expect(h.xl('cpupool-destroy', 'rt')).toEqual(err("Can't destroy cpupool 'rt'\n"));
    h.check();
  });
});
