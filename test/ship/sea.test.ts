/**
 * The single executable, end to end: `scripts/build-sea.mjs` builds it,
 * `scripts/install-links.sh -c` installs a copy and its names elsewhere,
 * the build directory is removed (nothing may be read from the checkout or
 * node_modules), and a create/list/destroy transcript runs through the
 * symlinks from yet another directory, with a private TMPDIR so the native
 * addon and the configs are extracted afresh.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seaUnavailable } from '../../scripts/build-sea.mjs';

const ROOT = path.resolve(__dirname, '..', '..');
const HEADER = 'Name                                        ID   Mem VCPUs\tState\tTime(s)\n';
const DOM0 = 'Domain-0                                     0  2048     2     r-----       0.0\n';

const why = seaUnavailable();
if (why) console.warn(`test/ship/sea.test.ts skipped: cannot build a single executable here: ${why}`);

describe.skipIf(why !== null)('single executable (npm run build:sea)', () => {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-sea-'));
  const bin = path.join(top, 'bin');
  const work = path.join(top, 'work');
  const env = {
    PATH: `${bin}:/usr/bin:/bin`,
    HOME: top,
    TZ: 'UTC',
    TMPDIR: path.join(top, 'tmp'),
    XLSIM_HOME: path.join(top, 'home'),
  };

  function run(tool: string, ...args: string[]) {
    // through PATH, as a user types it: argv0 is the bare tool name
    const r = spawnSync(tool, args, { cwd: work, env, encoding: 'utf8', timeout: 30_000 });
    if (r.error) throw r.error;
    return { stdout: r.stdout, stderr: r.stderr, code: r.status };
  }

  beforeAll(() => {
    fs.mkdirSync(work);
    fs.mkdirSync(env.TMPDIR);
    const out = path.join(top, 'build', 'xlsim');
    const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-sea.mjs'), '--out', out, '--quiet'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (b.status !== 0) throw new Error(`build-sea failed (${b.status}):\n${b.stdout}${b.stderr}`);
    const i = spawnSync('sh', [path.join(ROOT, 'scripts', 'install-links.sh'), '-c', bin, out], { encoding: 'utf8' });
    if (i.status !== 0) throw new Error(`install-links failed:\n${i.stdout}${i.stderr}`);
    fs.rmSync(path.join(top, 'build'), { recursive: true, force: true });
  }, 120_000);

  afterAll(() => {
    fs.rmSync(top, { recursive: true, force: true });
  });

  it('installs one binary and a symlink per tool', () => {
    const names = fs.readdirSync(bin).sort();
    expect(names).toEqual(['xenstore-list', 'xenstore-ls', 'xenstore-read', 'xenstore-rm', 'xenstore-write', 'xentop', 'xl', 'xlsim']);
    for (const n of names.filter((n) => n !== 'xlsim')) expect(fs.readlinkSync(path.join(bin, n))).toBe('xlsim');
    expect(fs.lstatSync(path.join(bin, 'xlsim')).isFile()).toBe(true);
  });

  it('runs a create/list/destroy transcript through the symlinks', () => {
    fs.writeFileSync(path.join(work, 'g1.cfg'), 'name = "g1"\nkernel = "/boot/vmlinuz"\nmemory = 128\n');
    expect(run('xlsim', 'host', 'create', 'default', '--clock', 'manual', '--seed', '1')).toEqual({
      stdout: "Created host 'default' (profile default, clock manual, seed 1)\n",
      stderr: '',
      code: 0,
    });
    expect(run('xl', 'list')).toEqual({ stdout: HEADER + DOM0, stderr: '', code: 0 });
    expect(run('xl', 'create', 'g1.cfg')).toEqual({ stdout: '', stderr: 'Parsing config from g1.cfg\n', code: 0 });
    expect(run('xl', 'list')).toEqual({
      stdout: HEADER + DOM0 + 'g1                                           1   128     1     r-----       0.0\n',
      stderr: '',
      code: 0,
    });
    expect(run('xenstore-read', '/local/domain/1/name')).toEqual({ stdout: 'g1\n', stderr: '', code: 0 });
    expect(run('xl', 'destroy', 'g1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(run('xl', 'list')).toEqual({ stdout: HEADER + DOM0, stderr: '', code: 0 });
    // the addon was loaded from the private TMPDIR, keyed by the module ABI
    const native = fs.readdirSync(env.TMPDIR).filter((n) => n.startsWith(`xlsim-native-${process.versions.modules}-`));
    expect(native).toHaveLength(1);
  });

  it('dispatches on the invoked name, and refuses a name it does not know', () => {
    expect(run('xl', 'help').stdout.split('\n')[0]).toBe('Usage xl [-vfNtT] <subcommand> [args]');
    expect(run('xl', 'frobnicate')).toEqual({ stdout: '', stderr: 'command not implemented\n', code: 1 });
    fs.symlinkSync('xlsim', path.join(bin, 'frob'));
    expect(run('frob')).toEqual({
      stdout: '',
      stderr: "xlsim: unknown tool name 'frob' (expected xl, xlsim, xentop or xenstore-*)\n",
      code: 1,
    });
  });
});
