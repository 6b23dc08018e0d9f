import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseProfile } from '../../lib/sim/profile';
import { parseXenCmdline } from '../../lib/sim/xencmdline';

const HOSTS = path.resolve(__dirname, '..', '..', 'configs', 'hosts');

function load(name: string) {
  const r = parseProfile(fs.readFileSync(path.join(HOSTS, `${name}.ini`), 'utf8'), name);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('shipped profiles', () => {
  test('every shipped profile parses', () => {
    const names = fs.readdirSync(HOSTS).filter((f) => f.endsWith('.ini'));
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const f of names) load(f.replace(/\.ini$/, ''));
  });

  test('default: a modest Intel lab host with altp2m on the Xen command line', () => {
    const p = load('default');
    expect(p.hardware).toMatchObject({ cpuVendor: 'Intel', sockets: 1, coresPerSocket: 4, threadsPerCore: 2, nrCpus: 8, numaNodes: 1, memoryMiB: 16384, hap: true, vmfunc: true, pml: true });
    expect(p.xen).toMatchObject({ version: '4.20.0', major: 4, minor: 20, extra: '.0-xlsim', fullVersion: '4.20.0-xlsim', scheduler: 'credit2' });
    expect(p.xen.cmdline).toMatchObject({ altp2m: true, hap: true, loglvl: 'all', guestLoglvl: 'all', dom0Mem: { amountKiB: 2048 * 1024, maxKiB: 2048 * 1024 }, dom0MaxVcpus: 2 });
    expect(p.dom0).toEqual({ memoryMiB: 2048, vcpus: 2 });
    expect(p.migration.bandwidthBytesPerSec).toBe(125_000_000);
    expect(p.clock).toEqual({ mode: 'real', seed: 1, epochMs: Date.UTC(2026, 0, 1) });
    // the comment saying why altp2m is on
    expect(fs.readFileSync(path.join(HOSTS, 'default.ini'), 'utf8')).toMatch(/altp2m=1: .*\n.*altp2m/);
  });

  test('amd-epyc: NPT, no VMFUNC, no PML, no altp2m', () => {
    const p = load('amd-epyc');
    expect(p.hardware).toMatchObject({ cpuVendor: 'AMD', hap: true, vmfunc: false, pml: false, nrCpus: 64, numaNodes: 2 });
    expect(p.xen.cmdline.altp2m).toBe(false);
  });

  test('tiny: small, no HAP, dom0 sized by [dom0] (no dom0_mem=)', () => {
    const p = load('tiny');
    expect(p.hardware).toMatchObject({ memoryMiB: 2048, hap: false, nrCpus: 2 });
    expect(p.xen.cmdline.dom0Mem).toBeUndefined();
    expect(p.dom0.memoryMiB).toBe(1024);
  });
});

describe('validation', () => {
  const base = `[hardware]\ncores_per_socket = 2\nmemory = 4G\n[dom0]\nmemory = 512M\n`;

  test('a minimal profile gets defaults', () => {
    const r = parseProfile(base, 'mini');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.hardware).toMatchObject({ cpuVendor: 'Intel', sockets: 1, threadsPerCore: 1, nrCpus: 2, vmfunc: true, pml: true });
    expect(r.value.xen.scheduler).toBe('credit2');
    expect(r.value.xen.fullVersion).toBe('4.20.0-xlsim');
    expect(r.value.clock.mode).toBe('real');
  });

  test('errors name section and key, one per line', () => {
    const r = parseProfile(
      `[hardware]\ncpu_vendor = AMD\ncores_per_socket = zero\nmemory = 4G\nvmfunc = true\n[xen]\nscheduler = fifo\n[dom0]\nmemory = 512M\n[clock]\nmode = sometimes\n`,
      'bad',
    );
    expect(r).toEqual({
      ok: false,
      error: [
        "[hardware] cores_per_socket: 'zero' is not an integer in 1..256",
        '[hardware] vmfunc: AMD CPUs have no VMFUNC',
        "[xen] scheduler: 'fifo' is not one of credit2, credit, rtds, arinc653, null",
        "[clock] mode: 'sometimes' is not real or manual",
      ].join('\n'),
    });
  });

  test('missing memory', () => {
    const r = parseProfile(`[hardware]\ncores_per_socket = 2\n[dom0]\nmemory=512\n`, 'x');
    expect(r).toEqual({ ok: false, error: '[hardware] memory: missing' });
  });

  test('dom0 larger than the machine', () => {
    const r = parseProfile(`[hardware]\ncores_per_socket = 2\nmemory = 1G\n[dom0]\nmemory = 2G\n`, 'x');
    expect(r).toEqual({ ok: false, error: 'dom0 memory 2048 MiB does not fit in 1024 MiB of RAM' });
  });

  test('dom0_mem= and [dom0] memory must agree', () => {
    const r = parseProfile(`[hardware]\ncores_per_socket = 2\nmemory = 4G\n[xen]\ncmdline = dom0_mem=1G\n[dom0]\nmemory = 512M\n`, 'x');
    expect(r).toEqual({ ok: false, error: '[dom0] memory: 512 MiB disagrees with dom0_mem= on the Xen command line (1024 MiB)' });
  });
});

describe('Xen command line', () => {
  test('options the model acts on', () => {
    const r = parseXenCmdline('dom0_mem=min:512M,max:2G,1024M  altp2m=1 no-hap loglvl=all sched=credit dom0_max_vcpus=4 console=vga');
    expect(r).toEqual({
      ok: true,
      value: {
        raw: 'dom0_mem=min:512M,max:2G,1024M altp2m=1 no-hap loglvl=all sched=credit dom0_max_vcpus=4 console=vga',
        dom0Mem: { minKiB: 512 * 1024, maxKiB: 2 * 1024 * 1024, amountKiB: 1024 * 1024 },
        altp2m: true,
        hap: false,
        loglvl: 'all',
        guestLoglvl: 'none/warning',
        sched: 'credit',
        dom0MaxVcpus: 4,
      },
    });
  });

  test('defaults: altp2m off, hap on; a bare size is KiB', () => {
    const r = parseXenCmdline('dom0_mem=524288');
    expect(r.ok && r.value).toMatchObject({ altp2m: false, hap: true, dom0Mem: { amountKiB: 524288 } });
  });

  test('bad values', () => {
    expect(parseXenCmdline('altp2m=maybe')).toEqual({ ok: false, error: "bad boolean in 'altp2m=maybe'" });
    expect(parseXenCmdline('dom0_mem=lots')).toEqual({ ok: false, error: "bad size 'lots' in 'dom0_mem=lots'" });
  });
});
