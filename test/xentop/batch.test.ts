/**
 * xentop's batch mode byte for byte on a manual-clock host with two guests
 * (seed 1, 30 s after boot), its options, and its complaints.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../helpers/cli';
import { topHost, twoGuestHost, type TopHost } from './host';

const HEADER =
  '      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID\n';
const DOM0 =
  '  Domain-0 -----r          1    0.0    2097152   12.5    2097152      12.5     2    0        0        0    0        0        0        0          0          0    0\n';
const G1 =
  '        g1 --b---          4    0.0     524288    3.1     525312       3.1     2    1        0        1    1        0     1432       84      75112       1136   12\n';
const G2 =
  ' guest-two --b---          2    0.0     262144    1.6     263168       1.6     1    0        0        0    0        0        0        0          0          0   12\n';

const USAGE =
  'Usage: xentop [OPTION]\n' +
  'Displays ongoing information about xen vm resources \n\n' +
  '-h, --help           display this help and exit\n' +
  '-V, --version        output version information and exit\n' +
  '-d, --delay=SECONDS  seconds between updates (default 3)\n' +
  '-n, --networks       output vif network data\n' +
  '-x, --vbds           output vbd block device data\n' +
  '-r, --repeat-header  repeat table header before each domain\n' +
  '-v, --vcpus          output vcpu data\n' +
  '-b, --batch\t     output in batch mode, no user input accepted\n' +
  '-i, --iterations     number of iterations before exiting\n' +
  '-f, --full-name      output the full domain name (not truncated)\n' +
  '-z, --dom0-first     display dom0 first (ignore sorting)\n' +
  '\n' +
  'Report bugs to <xen-devel@lists.xen.org>.\n';

describe('xentop -b on a manual-clock host', () => {
  let h: TopHost;
  beforeAll(() => {
    h = twoGuestHost();
  });
  const top = (...args: string[]) => h.run('xentop', args);

  it('one iteration: header and rows sorted by name', () => {
    expect(top('-b', '-i', '1')).toEqual({ stdout: HEADER + DOM0 + G1 + G2, stderr: '', code: 0 });
  });

  it('-i 2 repeats the table; no time passed on a manual clock, so CPU(%) stays 0.0 and nothing sleeps', () => {
    const t0 = Date.now();
    expect(top('-b', '-i', '2', '-d', '5')).toEqual({ stdout: (HEADER + DOM0 + G1 + G2).repeat(2), stderr: '', code: 0 });
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('long options and clustered short ones are the same', () => {
    const want = HEADER + DOM0 + G1 + G2;
    expect(top('--batch', '--iterations=1').stdout).toBe(want);
    expect(top('-bi1').stdout).toBe(want);
    expect(top('--bat', '--iter', '1', '--delay=1').stdout).toBe(want);
  });

  it('-v -n -x: vCPU, network and block lines under each domain', () => {
    expect(top('-b', '-i', '1', '-v', '-n', '-x').stdout).toBe(
      HEADER +
        DOM0 +
        'VCPUs(sec):   0:          0s  1:          0s\n' +
        G1 +
        'VCPUs(sec):   0:          2s  1:          2s\n' +
        'Net0 RX:     1180bytes        6pkts        0err        0drop  TX:      684bytes        2pkts        0err        0drop\n' +
        'VBD BlkBack 51712 [ca: 0]  OO:        0   RD:     1432   WR:       84   RSECT:      75112   WSECT:       1136\n' +
        G2 +
        'VCPUs(sec):   0:          2s\n',
    );
  });

  it('-r repeats the header before every domain', () => {
    expect(top('-b', '-i', '1', '-r').stdout).toBe(HEADER + DOM0 + HEADER + G1 + HEADER + G2);
  });

  it('an idle guest keeps its boot-time counters while CPU(sec) grows with simulated time', () => {
    expect(h.run('xlsim', ['clock', 'advance', '600s']).code).toBe(0);
    const rows = top('-b', '-i', '1').stdout.split('\n');
    const g1 = rows.find((l) => l.startsWith('        g1 '))!;
    expect(g1).toBe('        g1 --b---         16    0.0     524288    3.1     525312       3.1     2    1        0        1    1        0     1432       84      75112       1136   12');
    // and the same host gives the same numbers again
    expect(top('-b', '-i', '1').stdout.split('\n')).toEqual(rows);
  });
});

describe('xentop name and sort options', () => {
  let h: TopHost;
  beforeAll(() => {
    h = topHost();
    h.guest('a-very-long-guest-name', 'memory = 128\n');
    h.guest('Zed', 'memory = 128\n');
  });

  it('names are cut to 10 characters, sorted case-insensitively', () => {
    const out = h.run('xentop', ['-b', '-i', '1']).stdout.split('\n').map((l) => l.slice(0, 10));
    expect(out).toEqual(['      NAME', 'a-very-lon', '  Domain-0', '       Zed', '']);
  });

  it('-f widens the name column to the longest name', () => {
    const out = h.run('xentop', ['-b', '-i', '1', '-f']).stdout.split('\n');
    expect(out[0]).toBe('                  NAME  STATE' + HEADER.slice(17, -1));
    expect(out.slice(1, 4).map((l) => l.slice(0, 23))).toEqual([
      'a-very-long-guest-name ',
      '              Domain-0 ',
      '                   Zed ',
    ]);
  });

  it('-z puts Domain-0 first', () => {
    const out = h.run('xentop', ['-b', '-i', '1', '-z']).stdout.split('\n').map((l) => l.slice(0, 10));
    expect(out).toEqual(['      NAME', '  Domain-0', 'a-very-lon', '       Zed', '']);
  });
});

describe('xentop help, version and bad options', () => {
  const home = { XLSIM_HOME: '/nonexistent-xentop-home' };
  // never reaches a host: options are parsed first
  const top = (...args: string[]) => runTool('xentop', args, { env: home });

  it('-h and --help print the usage, exit 0', () => {
    expect(top('-h')).toEqual({ stdout: USAGE, stderr: '', code: 0 });
    expect(top('--help')).toEqual({ stdout: USAGE, stderr: '', code: 0 });
  });

  it('-V prints the version', () => {
    expect(top('-V')).toEqual({
      stdout:
        'xentop 1.0\nWritten by Judy Fischbach, David Hendricks, Josh Triplett\n\n' +
        'Copyright (C) 2005  International Business Machines  Corp\n' +
        'This is free software; see the source for copying conditions.There is NO\n' +
        'warranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\n',
      stderr: '',
      code: 0,
    });
  });

  it.each([
    [['-q'], "xentop: invalid option -- 'q'\n"],
    [['-b', '-d'], "xentop: option requires an argument -- 'd'\n"],
    [['--bogus=1'], "xentop: unrecognized option '--bogus=1'\n"],
    [['--v'], "xentop: option '--v' is ambiguous; possibilities: '--version' '--vbds' '--vcpus'\n"],
    [['--help=yes'], "xentop: option '--help' doesn't allow an argument\n"],
    [['-b', '--iterations'], "xentop: option '--iterations' requires an argument\n"],
  ])('%j: getopt complains, usage follows, exit 0 (xentop treats ? like -h)', (args, err) => {
    expect(top(...args)).toEqual({ stdout: USAGE, stderr: err, code: 0 });
  });
});
