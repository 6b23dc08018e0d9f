/** `xlsim host ...`: exact output, exit codes, bad input. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { runTool, tmpHome } from '../helpers/cli';

let home: string;
const xlsim = (args: string[], extra: Record<string, string> = {}) => runTool('xlsim', args, { env: { XLSIM_HOME: home, ...extra } });
const res = (stdout: string, stderr = '', code = 0) => ({ stdout, stderr, code });
const HEADER = '  NAME                 PROFILE      CLOCK   DOMAINS  DESCRIPTION\n';

beforeEach(() => {
  home = tmpHome();
});

describe('xlsim host create', () => {
  test('from the default profile and from a named one', () => {
    expect(xlsim(['host', 'create', 'lab1'])).toEqual(res("Created host 'lab1' (profile default, clock real, seed 1)\n"));
    expect(xlsim(['host', 'create', 'lab2', '--profile', 'amd-epyc', '--seed', '99', '--clock', 'manual'])).toEqual(res("Created host 'lab2' (profile amd-epyc, clock manual, seed 99)\n"));
    expect(fs.existsSync(path.join(home, 'hosts', 'lab2.db'))).toBe(true);
    expect(fs.existsSync(path.join(home, 'hosts', 'lab2', 'xl.conf'))).toBe(true);
  });

  test('a profile given as a path, relative to the working directory', () => {
    const dir = tmpHome('xlsim-prof-');
    fs.writeFileSync(path.join(dir, 'mine.ini'), '[hardware]\ncores_per_socket = 2\nmemory = 4G\n[dom0]\nmemory = 1G\n[clock]\nmode = manual\n');
    expect(runTool('xlsim', ['host', 'create', 'own', '--profile', 'mine.ini'], { env: { XLSIM_HOME: home }, cwd: dir })).toEqual(res("Created host 'own' (profile mine, clock manual, seed 1)\n"));
  });

  test('refusals', () => {
    xlsim(['host', 'create', 'lab']);
    expect(xlsim(['host', 'create', 'lab'])).toEqual(res('', "xlsim: host 'lab' already exists\n", 1));
    expect(xlsim(['host', 'create', '-x'])).toMatchObject({ code: 1 });
    expect(xlsim(['host', 'create', 'a/b'])).toEqual(
      res('', "xlsim: invalid host name 'a/b' (letters, digits, '.', '_' and '-', at most 64 characters, not starting with a punctuation mark)\n", 1),
    );
    expect(xlsim(['host', 'create', 'x', '--seed', '-3'])).toEqual(res('', "xlsim: --seed '-3' is not a non-negative integer\n", 1));
    const r = xlsim(['host', 'create', 'x', '--profile', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^xlsim: cannot read host profile \S+\/configs\/hosts\/nope\.ini: no such file \(shipped profiles: amd-epyc, default, tiny\)\n$/);
    const bad = path.join(tmpHome('xlsim-prof-'), 'bad.ini');
    fs.writeFileSync(bad, '[hardware]\nmemory = 1G\ncores_per_socket = 1\n[xen]\nscheduler = bogus\n[dom0]\nmemory=128M\n');
    expect(xlsim(['host', 'create', 'x', '--profile', bad])).toEqual(res('', `xlsim: host profile ${bad} is invalid:\n  [xen] scheduler: 'bogus' is not one of credit2, credit, rtds, arinc653, null\n`, 1));
    const c = xlsim(['host', 'create', 'x', '--clock', 'sometimes']);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/Invalid values:\n {2}Argument: clock, Given: "sometimes", Choices: "real", "manual"\n$/);
    expect(fs.readdirSync(path.join(home, 'hosts')).filter((f) => f.endsWith('.db'))).toEqual(['lab.db']);
  });
});

test('an unusable XLSIM_HOME is reported, not thrown', () => {
  const file = path.join(tmpHome(), 'plain-file');
  fs.writeFileSync(file, '');
  const r = runTool('xlsim', ['host', 'create', 'x'], { env: { XLSIM_HOME: file } });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(new RegExp(`^xlsim: cannot create host 'x' in ${file}: ENOTDIR: not a directory, mkdir '${file}/hosts/x/log'\n$`));
});

describe('xlsim host list / use / remove', () => {
  test('list marks the host in use', () => {
    expect(xlsim(['host', 'list'])).toEqual(res(HEADER));
    xlsim(['host', 'create', 'b', '--profile', 'tiny', '--clock', 'manual']);
    xlsim(['host', 'create', 'a', '--profile', 'amd-epyc']);
    const list = xlsim(['host', 'list']);
    expect(list.code).toBe(0);
    const lines = list.stdout.split('\n');
    expect(lines[0] + '\n').toBe(HEADER);
    expect(lines[1]).toMatch(/^ {2}a {20}amd-epyc {5}real {4}\s+\d+ {2}AMD EPYC server: 2 sockets, 64 threads, 128 GiB, 2 NUMA nodes, no VMFUNC\/PML$/);
    expect(lines[2]).toMatch(/^ {2}b {20}tiny {9}manual\s+\d+ {2}Small old host: 2 cores, 2 GiB, no HAP \(shadow paging only\)$/);
    expect(xlsim(['host', 'use', 'b'])).toEqual(res("Using host 'b'\n"));
    expect(xlsim(['host', 'list']).stdout.split('\n')[2]).toMatch(/^\* b /);
    expect(xlsim(['host', 'list'], { XLSIM_HOST: 'a' }).stdout.split('\n')[1]).toMatch(/^\* a /);
    expect(xlsim(['host', 'use', 'zzz'])).toEqual(res('', "xlsim: no such host 'zzz' (create it with: xlsim host create zzz)\n", 1));
  });

  test('a broken host is listed as unusable, status 1', () => {
    xlsim(['host', 'create', 'ok', '--clock', 'manual']);
    fs.writeFileSync(path.join(home, 'hosts', 'broken.db'), 'garbage'.repeat(100));
    const r = xlsim(['host', 'list']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[1]).toBe('  broken               -            -             -  (unusable, see xlsim host show)');
  });

  test('remove', () => {
    xlsim(['host', 'create', 'gone']);
    xlsim(['host', 'use', 'gone']);
    expect(xlsim(['host', 'remove', 'gone'])).toEqual(res("Removed host 'gone'\n"));
    expect(fs.existsSync(path.join(home, 'hosts', 'gone.db'))).toBe(false);
    expect(fs.existsSync(path.join(home, 'hosts', 'gone'))).toBe(false);
    expect(fs.existsSync(path.join(home, 'current'))).toBe(false);
    expect(xlsim(['host', 'remove', 'gone'])).toEqual(res('', "xlsim: no such host 'gone'\n", 1));
    expect(xlsim(['host', 'remove'])).toMatchObject({ code: 1, stdout: '' });
  });
});

describe('xlsim host show', () => {
  test('describes the profile, clock and contents', () => {
    xlsim(['host', 'create', 'lab', '--clock', 'manual', '--seed', '4']);
    const r = xlsim(['host', 'show', 'lab']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 13)).toEqual([
      'host:           lab',
      'profile:        default (Lab host: one Intel Xeon, 8 threads, 16 GiB, altp2m enabled)',
      'cpu:            Intel, Intel(R) Xeon(R) E-2278G CPU @ 3.40GHz, 3408 MHz',
      'topology:       1 socket(s) x 4 core(s) x 2 thread(s) = 8 pCPUs, 1 NUMA node(s)',
      'memory:         16384 MiB',
      'features:       hap(ept) vmfunc pml altp2m',
      'xen:            4.20.0-xlsim, scheduler credit2',
      'xen cmdline:    dom0_mem=2048M,max:2048M dom0_max_vcpus=2 altp2m=1 hap=1 loglvl=all guest_loglvl=all',
      'dom0:           2048 MiB, 2 vCPU(s)',
      'migration link: 1 Gbit/s',
      'clock:          manual, 0.000000000 s since boot',
      'seed:           4',
      expect.stringMatching(/^domains: {8}\d+$/),
    ]);
    expect(lines[13]).toMatch(/^pending events: \d+/);
    expect(lines[14]).toBe(`database:       ${path.join(home, 'hosts', 'lab.db')}`);
  });

  test('without a name: the host in use, created on first use', () => {
    const r = xlsim(['host', 'show'], { XLSIM_CLOCK: 'manual' });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('host:           default');
    expect(r.stdout).toContain('clock:          manual, 0.000000000 s since boot\n');
  });

  test('a missing host', () => {
    expect(xlsim(['host', 'show', 'nope'])).toEqual(res('', "xlsim: no such host 'nope' (create it with: xlsim host create nope)\n", 1));
  });
});

describe('the console itself', () => {
  test('no command: help on stderr, status 1; --help on stdout, status 0', () => {
    const none = xlsim([]);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('xlsim host');
    expect(none.stderr).toContain('Give a command (see xlsim --help).');
    const help = xlsim(['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toContain('xlsim clock');
  });

  test('unknown commands and options', () => {
    const r = xlsim(['hots']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Did you mean host?');
    expect(xlsim(['host', 'list', '--bogus'])).toMatchObject({ code: 1, stdout: '' });
  });
});
