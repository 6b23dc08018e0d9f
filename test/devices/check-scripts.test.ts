/**
 * The acceptance check: Xen's own tools/xl/check-xl-*-parse scripts, run
 * unmodified against xlsim's `xl` (found on PATH, since the scripts prefer
 * ./xl when it exists and we must not provide one). They print `all ok.`
 * and exit 0 only if every case matches. Skipped when the Xen 4.20 tree is
 * not on this machine (CI has none); test/devices/cli.test.ts carries the
 * same expectations and always runs. Run `node build.mjs` first.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runTool, tmpHome } from '../helpers/cli';

const XL_SRC = '/work/xen-4.20/tools/xl';
const haveXen = fs.existsSync(path.join(XL_SRC, 'check-xl-disk-parse'));
if (!haveXen) console.warn(`test/devices/check-scripts: ${XL_SRC} not found — skipping the upstream check-xl-*-parse scripts`);

function runScript(name: string, args: string[] = [], extraEnv: Record<string, string> = {}): { stdout: string; stderr: string; code: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-check-'));
  for (const f of fs.readdirSync(XL_SRC)) if (f.startsWith('check-xl-')) fs.copyFileSync(path.join(XL_SRC, f), path.join(dir, f));
  fs.chmodSync(path.join(dir, name), 0o755);
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'xl'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(BIN, 'xl.cjs')}" "$@"\n`, { mode: 0o755 });
  const r = spawnSync(path.join(dir, name), args, {
    cwd: dir,
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME, XLSIM_HOME: tmpHome('xlsim-check-home-'), TZ: 'UTC', ...extraEnv },
    encoding: 'utf8',
    timeout: 600_000,
  });
  return { stdout: String(r.stdout), stderr: String(r.stderr), code: r.status ?? -1 };
}

describe.skipIf(!haveXen)('upstream check-xl-*-parse scripts', () => {
  it('check-xl-disk-parse prints all ok.', () => {
    const r = runScript('check-xl-disk-parse');
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('all ok.');
    expect(r.code).toBe(0);
  }, 600_000);
  it('check-xl-vif-parse prints all ok.', () => {
    const r = runScript('check-xl-vif-parse');
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('all ok.');
    expect(r.code).toBe(0);
  }, 600_000);
  // also needs `xl info` / `xl info -n` (another area) to describe the host
  it('check-xl-vcpupin-parse prints all ok. (seed 42)', () => {
    const r = runScript('check-xl-vcpupin-parse', ['-r', '42']);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('all ok.');
    expect(r.code).toBe(0);
  }, 600_000);
  it('check-xl-vcpupin-parse on a two-node host (amd-epyc)', () => {
    const home = tmpHome('xlsim-check-epyc-');
    expect(runTool('xlsim', ['host', 'create', 'epyc', '--profile', 'amd-epyc'], { env: { XLSIM_HOME: home } }).code).toBe(0);
    const r = runScript('check-xl-vcpupin-parse', ['-r', '7'], { XLSIM_HOME: home, XLSIM_HOST: 'epyc' });
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('all ok.');
    expect(r.code).toBe(0);
  }, 600_000);
});
