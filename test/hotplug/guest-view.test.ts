/**
 * What the guest kernel sees of hot-plugged devices: once blkfront and
 * netfront connect, it logs them on its console and in dmesg, and lsblk /
 * ip addr in its shell show them; after a detach they are gone. An HVM
 * guest's CD-ROM stays with QEMU's emulated drive: blkfront never connects
 * it, so its frontend waits at Initialising while the disk connects.
 */
import { describe, expect, it } from 'vitest';
import { BLOCK_HEADER, manualHost, ok } from './host';

const G1 = `name = "g1"
kernel = "/boot/vmlinuz"
memory = 512
vif = [ "mac=00:16:3e:0a:0b:0c,bridge=xenbr0" ]
disk = [ "/srv/g1.img,raw,xvda,rw" ]
`;

const LO =
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\r\n' +
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\r\n';
const LO_ADDR = LO + '    inet 127.0.0.1/8 scope host lo\r\n       valid_lft forever preferred_lft forever\r\n    inet6 ::1/128 scope host \r\n       valid_lft forever preferred_lft forever\r\n';
const ENX = (i: number, mac: string, ll: string): string =>
  `${i + 2}: enX${i}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000\r\n` +
  `    link/ether ${mac} brd ff:ff:ff:ff:ff:ff\r\n` +
  `    inet6 ${ll}/64 scope link \r\n       valid_lft forever preferred_lft forever\r\n`;
const LSBLK_HEAD = 'NAME    MAJ:MIN RM  SIZE RO TYPE MOUNTPOINTS\r\nxvda    202:0    0   10G  0 disk \r\n└─xvda1 202:1    0   10G  0 part /\r\n';
const PROMPT = 'root@g1:~# ';

describe('hot-plugged devices inside a PV guest', () => {
  const h = manualHost();
  /** what the console printed since the last look */
  const consoleOut = (): string => {
    const r = h.xl('console', 'g1');
    expect(r.code).toBe(0);
    return r.stdout;
  };
  const type = (text: string): void => {
    expect(h.xlsim('guest', 'g1', 'type', text)).toEqual(ok);
  };

  it('the kernel logs the new disk and interface as their frontends connect', () => {
    expect(h.xl('create', '-q', h.cfg('g1', G1))).toEqual(ok);
    h.advance('30s');
    type('root');
    h.advance('2s');
    expect(consoleOut().endsWith(PROMPT)).toBe(true);
    expect(h.xl('block-attach', 'g1', '/dev/vg/data,raw,xvdb,rw')).toEqual(ok);
    expect(h.xl('network-attach', 'g1', 'mac=00:16:3e:11:22:33')).toEqual(ok);
    // nothing yet: the guest's xenbus watch has not fired
    expect(h.xs('xenstore-read', '/local/domain/1/device/vbd/51728/state').stdout).toBe('1\n');
    h.advance('1s');
    expect(consoleOut()).toBe(
      '[   32.160000] blkfront: xvdb: flush diskcache: enabled; persistent grants: enabled; indirect descriptors: enabled; bounce buffer: enabled\r\n' +
        '[   32.190000] xen_netfront vif-1 eth1: Xen virtual ethernet, MAC 00:16:3e:11:22:33\r\n' +
        '[   32.300000] xen_netfront vif-1 enX1: renamed from eth1\r\n',
    );
  });

  it('lsblk and ip addr in the guest shell show them', () => {
    type('lsblk');
    type('ip addr');
    type('dmesg | tail -3');
    h.advance('100ms');
    expect(consoleOut()).toBe(
      'lsblk\r\n' + LSBLK_HEAD + 'xvdb    202:16   0   20G  0 disk \r\n' + PROMPT +
        'ip addr\r\n' + LO_ADDR + ENX(0, '00:16:3e:0a:0b:0c', 'fe80::216:3eff:fe0a:b0c') + ENX(1, '00:16:3e:11:22:33', 'fe80::216:3eff:fe11:2233') + PROMPT +
        'dmesg | tail -3\r\n' +
        '[   32.160000] blkfront: xvdb: flush diskcache: enabled; persistent grants: enabled; indirect descriptors: enabled; bounce buffer: enabled\r\n' +
        '[   32.190000] xen_netfront vif-1 eth1: Xen virtual ethernet, MAC 00:16:3e:11:22:33\r\n' +
        '[   32.300000] xen_netfront vif-1 enX1: renamed from eth1\r\n' + PROMPT,
    );
  });

  it('after a detach they are gone from the guest', () => {
    expect(h.xl('block-detach', 'g1', 'xvdb')).toEqual(ok);
    expect(h.xl('network-detach', 'g1', '00:16:3e:11:22:33')).toEqual(ok);
    type('lsblk');
    type('ip link');
    h.advance('100ms');
    expect(consoleOut()).toBe(
      'lsblk\r\n' + LSBLK_HEAD + PROMPT + 'ip link\r\n' + LO +
        '2: enX0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000\r\n    link/ether 00:16:3e:0a:0b:0c brd ff:ff:ff:ff:ff:ff\r\n' + PROMPT,
    );
    h.check();
  });

  it('a disk attached again is announced again', () => {
    expect(h.xl('block-attach', 'g1', '/dev/vg/data,raw,xvdb,rw')).toEqual(ok);
    h.advance('1s');
    expect(consoleOut()).toMatch(/^\[ +\d+\.\d{6}\] blkfront: xvdb: flush diskcache: enabled; [^\n]*\r\n$/);
    h.check();
  });
});

describe("an HVM guest's CD-ROM is not blkfront's", () => {
  it('the disk connects, the CD-ROM frontend stays Initialising (with or without a medium)', () => {
    const h = manualHost();
    const iso = h.file('d.iso');
    expect(h.xl('create', '-q', h.cfg('h1', `name = "h1"\ntype = "hvm"\nmemory = 512\ndisk = [ "/srv/h1.img,raw,hda,rw", "${iso},raw,hdc,cdrom" ]\n`))).toEqual(ok);
    h.advance('30s');
    const list = BLOCK_HEADER + '768   0   1      4     10     8        /local/domain/0/backend/vbd/1/768\n' + '5632  0   1      1     -1     -1       /local/domain/0/backend/vbd/1/5632\n';
    expect(h.xl('block-list', 'h1')).toEqual({ stdout: list, stderr: '', code: 0 });
    expect(h.xl('cd-eject', 'h1', 'hdc')).toEqual(ok);
    expect(h.xl('cd-insert', 'h1', 'hdc', iso)).toEqual(ok);
    h.advance('1s');
    expect(h.xl('block-list', 'h1').stdout).toBe(list);
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vbd/1/5632/params')).toEqual({ stdout: `${iso}\n`, stderr: '', code: 0 });
    h.check();
  });
});

describe('xlsim guest D exec: a command in the guest without a terminal', () => {
  const h = manualHost();

  it('runs once the guest is up, prints what the command prints', () => {
    expect(h.xl('create', '-q', h.cfg('g1', G1))).toEqual(ok);
    expect(h.xlsim('guest', 'g1', 'exec', 'lsblk')).toEqual({ stdout: '', stderr: 'xlsim: g1 (domid 1) is still booting\n', code: 1 });
    h.advance('30s');
    expect(h.xl('block-attach', 'g1', '/dev/vg/data,raw,xvdb,rw')).toEqual(ok);
    h.advance('1s');
    expect(h.xlsim('guest', 'g1', 'exec', 'lsblk')).toEqual({
      stdout: LSBLK_HEAD.replace(/\r\n/g, '\n') + 'xvdb    202:16   0   20G  0 disk \n',
      stderr: '',
      code: 0,
    });
    expect(h.xlsim('guest', 'g1', 'exec', 'ip addr | grep ether')).toEqual({ stdout: '    link/ether 00:16:3e:0a:0b:0c brd ff:ff:ff:ff:ff:ff\n', stderr: '', code: 0 });
  });

  it('refusals', () => {
    expect(h.xlsim('guest', 'g1', 'exec', 'nosuch -x')).toEqual({ stdout: '', stderr: 'bash: line 1: nosuch: command not found\n', code: 127 });
    expect(h.xlsim('guest', 'g1', 'exec', 'stress --hdd 1')).toEqual({
      stdout: '',
      stderr: "xlsim: 'stress' runs until interrupted: give it a time limit, or run it on the console\n",
      code: 1,
    });
    expect(h.xlsim('guest', 'g1', 'exec', ' ')).toEqual({ stdout: '', stderr: "xlsim: exec needs a command line (quote it: exec 'ip addr')\n", code: 1 });
    expect(h.xl('pause', 'g1')).toEqual(ok);
    expect(h.xlsim('guest', 'g1', 'exec', 'uname -r')).toEqual({ stdout: '', stderr: 'xlsim: g1 (domid 1) is paused\n', code: 1 });
    expect(h.xl('unpause', 'g1')).toEqual(ok);
    h.check();
  });

  it('a command with a time limit runs in the background of the exec; poweroff takes the guest down', () => {
    expect(h.xlsim('guest', 'g1', 'exec', 'stress --hdd 1 --timeout 2s')).toEqual({
      stdout: 'stress: info: [612] dispatching hogs: 0 cpu, 0 io, 0 vm, 1 hdd\n',
      stderr: '',
      code: 0,
    });
    expect(h.xlsim('guest', 'g1', 'exec', 'poweroff')).toEqual(ok);
    h.advance('10s');
    expect(h.xl('list', 'g1').code).toBe(1);
    h.check();
  });
});
