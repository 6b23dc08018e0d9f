/**
 * xentop's network and block counters driven by what the guest does, on a
 * manual clock: the boot-time traffic, an I/O workload from the lab console
 * (counted only while the domain runs), hot-plugged devices counting from
 * zero, `stress --hdd` in the guest shell, blkback's out-of-requests
 * stalls, a reboot starting over, and an HVM guest without PV drivers
 * whose emulated I/O no backend counts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { topHost, type TopHost } from './host';

const NET_IDLE = (i: number): string =>
  `Net${i} RX:        0bytes        0pkts        0err        0drop  TX:        0bytes        0pkts        0err        0drop\n`;
const NET_BOOT = (i: number): string =>
  `Net${i} RX:     1180bytes        6pkts        0err        0drop  TX:      684bytes        2pkts        0err        0drop\n`;
const VBD_BOOT = 'VBD BlkBack 51712 [ca: 0]  OO:        0   RD:     1432   WR:       84   RSECT:      75112   WSECT:       1136\n';
const VBD_SCAN = 'VBD BlkBack 51728 [ca:10]  OO:        0   RD:       12   WR:        0   RSECT:        200   WSECT:          0\n';

const ROW = (state: string, cpu: number, nets: number, tx: number, rx: number, vbds: number, oo: number, rd: number, wr: number, rs: number, ws: number): string =>
  `        g1 ${state} ${String(cpu).padStart(10)}    0.0     524288    3.1     525312       3.1     1 ${String(nets).padStart(4)} ${String(tx).padStart(8)} ${String(rx).padStart(8)} ${String(vbds).padStart(4)} ${String(oo).padStart(8)} ${String(rd).padStart(8)} ${String(wr).padStart(8)} ${String(rs).padStart(10)} ${String(ws).padStart(10)}   12\n`;

describe('a PV guest: boot traffic, an I/O workload, hot-plugged devices', () => {
  let h: TopHost;
  const run = (tool: string, ...args: string[]) => h.run(tool, args);
  /** g1's row and its -n -x lines */
  const g1 = (): string => {
    const out = run('xentop', '-b', '-i', '1', '-n', '-x').stdout;
    return out.slice(out.indexOf('        g1 '));
  };
  const advance = (d: string) => expect(run('xlsim', 'clock', 'advance', d).code).toBe(0);

  beforeAll(() => {
    h = topHost();
    // xvdc is a qcow2 image: QEMU's qdisk serves it and blkback has no statistics for it
    h.guest('g1', 'memory = 512\nvif = [ "bridge=xenbr0" ]\ndisk = [ "/srv/g1.img,raw,xvda,rw", "/srv/data.qcow2,qcow2,xvdc,rw" ]\n');
  });

  it('before the kernel is up nothing moved; after boot, the root disk was read and the network came up', () => {
    expect(g1()).toBe(ROW('-----r', 0, 1, 0, 0, 1, 0, 0, 0, 0, 0) + NET_IDLE(0) + 'VBD BlkBack 51712 [ca: 0]  OO:        0   RD:        0   WR:        0   RSECT:          0   WSECT:          0\n');
    advance('30s');
    expect(g1()).toBe(ROW('--b---', 2, 1, 0, 1, 1, 0, 1432, 84, 75112, 1136) + NET_BOOT(0) + VBD_BOOT);
  });

  it('an idle guest moves nothing more', () => {
    advance('10m');
    expect(g1()).toBe(ROW('--b---', 8, 1, 0, 1, 1, 0, 1432, 84, 75112, 1136) + NET_BOOT(0) + VBD_BOOT);
  });

  it('a workload from the lab console: NETTX is what dom0 sent the guest, NETRX what it got from it', () => {
    expect(run('xlsim', 'guest', 'g1', 'workload', '--net-rate', '1MB/s', '--io-read', '4MiB/s')).toEqual({
      stdout: 'g1 (domid 1): net tx 1MB/s rx 1MB/s, disk read 4MiB/s write 0\n',
      stderr: '',
      code: 0,
    });
    advance('10s');
    expect(g1()).toBe(
      ROW('--b---', 8, 1, 9766, 9766, 1, 0, 1752, 84, 157032, 1136) +
        'Net0 RX: 10001180bytes     6612pkts        0err        0drop  TX: 10000684bytes     6608pkts        0err        0drop\n' +
        'VBD BlkBack 51712 [ca: 0]  OO:        0   RD:     1752   WR:       84   RSECT:     157032   WSECT:       1136\n',
    );
  });

  it('a paused guest moves nothing; unpaused, it goes on', () => {
    expect(run('xl', 'pause', 'g1').code).toBe(0);
    advance('10s');
    expect(g1()).toBe(
      ROW('----p-', 8, 1, 9766, 9766, 1, 0, 1752, 84, 157032, 1136) +
        'Net0 RX: 10001180bytes     6612pkts        0err        0drop  TX: 10000684bytes     6608pkts        0err        0drop\n' +
        'VBD BlkBack 51712 [ca: 0]  OO:        0   RD:     1752   WR:       84   RSECT:     157032   WSECT:       1136\n',
    );
    expect(run('xl', 'unpause', 'g1').code).toBe(0);
    advance('5s');
    const at15 =
      ROW('--b---', 8, 1, 14649, 14649, 1, 0, 1912, 84, 197992, 1136) +
      'Net0 RX: 15001180bytes     9914pkts        0err        0drop  TX: 15000684bytes     9910pkts        0err        0drop\n' +
      'VBD BlkBack 51712 [ca: 0]  OO:        0   RD:     1912   WR:       84   RSECT:     197992   WSECT:       1136\n';
    expect(g1()).toBe(at15);
    // sampling often or seldom gives the same counters
    expect(g1()).toBe(at15);
    expect(run('xlsim', 'guest', 'g1', 'workload', 'idle').stdout).toBe('g1 (domid 1): workload stopped\n');
    advance('1m');
    expect(g1()).toBe(at15);
  });

  it('a hot-plugged disk has its partition table read; a hot-plugged vif starts at zero', () => {
    expect(run('xl', 'block-attach', 'g1', '/dev/vg/data,raw,xvdb,rw').code).toBe(0);
    expect(run('xl', 'network-attach', 'g1').code).toBe(0);
    advance('1s');
    const out = g1();
    expect(out.split('\n')[0]).toBe(ROW('--b---', 8, 2, 14649, 14649, 2, 0, 1924, 84, 198192, 1136).trimEnd());
    expect(out.split('\n').slice(2).join('\n')).toBe(NET_IDLE(1) + 'VBD BlkBack 51712 [ca: 0]  OO:        0   RD:     1912   WR:       84   RSECT:     197992   WSECT:       1136\n' + VBD_SCAN);
  });

  it('stress --hdd in the guest shell writes to the root disk until it ends', () => {
    expect(run('xlsim', 'guest', 'g1', 'type', 'root').code).toBe(0);
    advance('2s');
    expect(run('xlsim', 'guest', 'g1', 'type', 'stress --hdd 2 --timeout 5s').code).toBe(0);
    advance('10s');
    // 2 workers × 64 MiB/s × 5 s = 5120 requests of 128 KiB, 1310720 sectors
    expect(g1().split('\n')[3]).toBe('VBD BlkBack 51712 [ca: 0]  OO:        0   RD:     1912   WR:     5204   RSECT:     197992   WSECT:    1311856');
  });

  it('a disk detached and attached again counts from zero', () => {
    expect(run('xl', 'block-detach', 'g1', 'xvdb').code).toBe(0);
    expect(g1().split('\n')[0]).toBe(ROW('--b---', 9, 2, 14649, 14649, 1, 0, 1912, 5204, 197992, 1311856).trimEnd());
    expect(run('xl', 'block-attach', 'g1', '/dev/vg/data,raw,xvdb,rw').code).toBe(0);
    advance('1s');
    expect(g1().split('\n')[4]).toBe(VBD_SCAN.trimEnd());
  });

  it('a rebooted guest is a new domain: back to what its boot moves', () => {
    expect(run('xl', 'reboot', 'g1').code).toBe(0);
    advance('30s');
    const out = run('xentop', '-b', '-i', '1', '-n', '-x').stdout;
    expect(out.slice(out.indexOf('        g1 '))).toBe(
      ROW('--b---', 2, 2, 1, 2, 2, 0, 1444, 84, 75312, 1136) + NET_BOOT(0) + NET_BOOT(1) + VBD_BOOT + VBD_SCAN,
    );
    expect(run('xl', 'domid', 'g1').stdout).toBe('2\n');
    expect(run('xlsim', 'check').code).toBe(0);
  });
});

describe('blkback out of requests, and a timed workload', () => {
  let h: TopHost;
  beforeAll(() => {
    h = topHost();
    h.guest('g1', 'memory = 512\ndisk = [ "/srv/g1.img,raw,xvda,rw" ]\n');
    h.run('xlsim', ['clock', 'advance', '30s']);
  });

  it('past what blkback serves, VBD_OO counts the stalls; --for ends the workload', () => {
    expect(h.run('xlsim', ['guest', 'g1', 'workload', '--io-rate', '1GiB/s', '--for', '2s'])).toEqual({
      stdout: 'g1 (domid 1): net tx 0 rx 0, disk read 1GiB/s write 1GiB/s\n',
      stderr: '',
      code: 0,
    });
    h.run('xlsim', ['clock', 'advance', '10s']);
    // 2 s × 16384 requests/s, (16384 − 4000) / 64 stalls a second
    expect(h.run('xentop', ['-b', '-i', '1', '-x']).stdout.split('\n').slice(2, 4)).toEqual([
      // the guest's only vCPU was busy moving 2 GiB/s for those 2 s
      ROW('--b---', 4, 0, 0, 0, 1, 387, 17816, 16468, 4269416, 4195440).trimEnd(),
      'VBD BlkBack 51712 [ca: 0]  OO:      387   RD:    17816   WR:    16468   RSECT:    4269416   WSECT:    4195440',
    ]);
  });

  it('bad rates are refused and change nothing', () => {
    const g1Lines = (): string[] => h.run('xentop', ['-b', '-i', '1', '-x']).stdout.split('\n').slice(2, 4);
    const before = g1Lines();
    expect(h.run('xlsim', ['guest', 'g1', 'workload', '--net-rate', 'fast'])).toEqual({
      stdout: '',
      stderr: "xlsim: --net-rate: invalid rate 'fast' (expected e.g. 1Gbit, 100Mbit, 125MB/s)\n",
      code: 1,
    });
    expect(h.run('xlsim', ['guest', 'g1', 'workload', 'idle', '--io-rate', '1MB/s'])).toEqual({ stdout: '', stderr: 'xlsim: workload idle takes no I/O rates\n', code: 1 });
    expect(h.run('xlsim', ['guest', 'g1', 'workload', '--wss', '64M', '--io-rate', '1MB/s'])).toEqual({ stdout: '', stderr: 'xlsim: workload --wss goes with --dirty-rate\n', code: 1 });
    h.run('xlsim', ['clock', 'advance', '10s']);
    expect(g1Lines()).toEqual(before);
    expect(h.run('xlsim', ['check']).code).toBe(0);
  });
});

describe("an HVM guest: QEMU's tap beside the PV vif", () => {
  const hvm = (h: TopHost, name: string): void =>
    h.guest(name, 'type = "hvm"\nmemory = 512\nvif = [ "bridge=xenbr0" ]\ndisk = [ "/srv/h1.img,raw,hda,rw" ]\n');
  const lines = (h: TopHost, name: string): string[] => {
    const out = h.run('xentop', ['-b', '-i', '1', '-n', '-x']).stdout;
    return out.slice(out.indexOf(`${name.padStart(10)} `)).split('\n').slice(1, 4);
  };
  const VBD_768 = (rd: number, wr: number, rs: number, ws: number): string =>
    `VBD BlkBack  768 [ 3: 0]  OO:        0   RD: ${String(rd).padStart(8)}   WR: ${String(wr).padStart(8)}   RSECT: ${String(rs).padStart(10)}   WSECT: ${String(ws).padStart(10)}`;

  it('without PV drivers the emulated NIC carries the traffic and no backend counts the disk', () => {
    const h = topHost();
    hvm(h, 'h1');
    expect(h.run('xlsim', ['guest', 'h1', 'pv-drivers', 'off']).code).toBe(0);
    h.run('xlsim', ['clock', 'advance', '30s']);
    expect(h.run('xlsim', ['guest', 'h1', 'workload', '--net-rate', '10MB/s', '--io-rate', '10MB/s']).code).toBe(0);
    h.run('xlsim', ['clock', 'advance', '30s']);
    // vif1.0-emu is listed first (QEMU made it before libxl added vif1.0), both as id 0
    expect(lines(h, 'h1')).toEqual([
      'Net0 RX: 300000000bytes   198151pkts        0err        0drop  TX: 300000000bytes   198151pkts        0err        0drop',
      NET_IDLE(1).trimEnd(),
      VBD_768(0, 0, 0, 0),
    ]);
  });

  it('with PV drivers the guest unplugged the emulated NIC: traffic goes over the vif', () => {
    const h = topHost();
    hvm(h, 'h2');
    h.run('xlsim', ['clock', 'advance', '30s']);
    expect(h.run('xlsim', ['guest', 'h2', 'workload', '--net-tx', '1MB/s']).code).toBe(0);
    h.run('xlsim', ['clock', 'advance', '10s']);
    expect(lines(h, 'h2')).toEqual([
      NET_IDLE(0).trimEnd(),
      'Net1 RX: 10001180bytes     6612pkts        0err        0drop  TX:      684bytes        2pkts        0err        0drop',
      VBD_768(1432, 84, 75112, 1136),
    ]);
  });
});

describe('the counters do not depend on how often anyone looks', () => {
  const scenario = (looks: number): string => {
    const h = topHost();
    h.guest('g1', 'memory = 512\nvif = [ "bridge=xenbr0" ]\ndisk = [ "/srv/g1.img,raw,xvda,rw" ]\n');
    h.run('xlsim', ['clock', 'advance', '30s']);
    h.run('xlsim', ['guest', 'g1', 'workload', '--net-tx', '3MB/s', '--net-rx', '7MB/s', '--io-write', '5MiB/s']);
    for (let i = 0; i < looks; i++) {
      h.run('xlsim', ['clock', 'advance', `${(10 / looks).toFixed(3)}s`]);
      h.run('xentop', ['-b', '-i', '1', '-n', '-x']);
    }
    if (looks === 0) h.run('xlsim', ['clock', 'advance', '10s']);
    return h.run('xentop', ['-b', '-i', '1', '-n', '-x']).stdout;
  };

  it('looking once or every 2 s gives the same screen', () => {
    const once = scenario(0);
    expect(once).toContain('Net0 RX: 30001180bytes    19822pkts        0err        0drop  TX: 70000684bytes    46238pkts        0err        0drop\n');
    expect(scenario(5)).toBe(once);
  });
});
