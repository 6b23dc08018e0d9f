// Shadow paging and HAP from the command line: `xl debug-keys S` and the
// fault storm that follows, a starved shadow pool crashing its guest with
// Xen's message (and xl's monitor acting on it), log-dirty by hand, and the
// log-dirty cost of a live migration in each mode.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTool, tmpHome, type RunResult } from '../helpers/cli';
import { twoHosts } from '../migrate/hosts';

const PROFILES = path.resolve(__dirname, '../../configs/hosts');

interface Host {
  home: string;
  xl(...args: string[]): RunResult;
  xlsim(...args: string[]): RunResult;
  cfg(name: string, text: string): string;
}

/** A manual-clock host from the default profile with `edit` applied to its text. */
function hostFrom(edit: (ini: string) => string): Host {
  const home = tmpHome('xlsim-paging-');
  const prof = path.join(home, 'lab.ini');
  fs.writeFileSync(prof, edit(fs.readFileSync(path.join(PROFILES, 'default.ini'), 'utf8')));
  const env = { XLSIM_HOME: home, XLSIM_HOST: 'lab' };
  const r = runTool('xlsim', ['host', 'create', 'lab', '--clock', 'manual', '--seed', '7', '--profile', prof], { env: { XLSIM_HOME: home }, cwd: home });
  expect(r.code, r.stderr).toBe(0);
  return {
    home,
    xl: (...args) => runTool('xl', args, { env, cwd: home }),
    xlsim: (...args) => runTool('xlsim', args, { env, cwd: home }),
    cfg(name, text) {
      const file = path.join(home, `${name}.cfg`);
      fs.writeFileSync(file, text);
      return file;
    },
  };
}

const debugBuild = (ini: string) => ini.replace(/^version = .*$/m, '$&\ndebug = true');
const SHADOW_CFG = 'name = "sh"\ntype = "hvm"\nmemory = 1024\nvcpus = 2\nhap = 0\n';
const HAP_CFG = 'name = "hp"\ntype = "hvm"\nmemory = 1024\nvcpus = 2\n';

interface ShadowJson {
  l1: number;
  l4: number;
  pinned: number;
  mapped_pages: number;
  faults: number;
  blows: number;
  top_level_per_vcpu: number[];
}
interface ModelJson {
  pool: { pages: number; p2m_pages: number; shadow_pages: number; logdirty_pages: number; free_pages: number };
  shadows: ShadowJson | null;
  log_dirty: { trap: string; fault_count: number; dirty_count: number; ept_violations: number; pml_exits: number } | null;
}

function model(h: Host, dom: string): ModelJson {
  const r = h.xlsim('inspect', dom, 'paging', '--json');
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { model: ModelJson }).model;
}

describe("xl debug-keys S on a debug build", () => {
  let h: Host;
  beforeAll(() => {
    h = hostFrom(debugBuild);
    expect(h.xl('create', h.cfg('sh', SHADOW_CFG)).code).toBe(0);
    expect(h.xl('create', h.cfg('hp', HAP_CFG)).code).toBe(0);
    expect(h.xlsim('clock', 'advance', '3s').code).toBe(0);
  });

  it('blows the shadow tables; the guest faults them back as it runs', () => {
    const before = model(h, 'sh').shadows!;
    expect(before.mapped_pages).toBeGreaterThan(1000);
    expect(Math.abs(before.faults - before.mapped_pages)).toBeLessThanOrEqual(1); // both rounded from the model's expectation
    expect(h.xl('debug-keys', 'S')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('dmesg').stdout.split('\n').slice(-2)).toEqual(["(XEN) 'S' pressed -> blowing all shadow tables", '']);
    const blown = model(h, 'sh').shadows!;
    expect(blown).toMatchObject({ l1: 0, l4: 2, pinned: 0, mapped_pages: 0, blows: 1, faults: before.faults, top_level_per_vcpu: [1, 1] });
    // a HAP guest has nothing to blow
    expect(model(h, 'hp').shadows).toBeNull();
    expect(h.xlsim('clock', 'advance', '200ms').code).toBe(0);
    const after = model(h, 'sh').shadows!;
    expect(after.mapped_pages).toBeGreaterThan(1000);
    expect(Math.abs(after.faults - before.faults - after.mapped_pages)).toBeLessThanOrEqual(1);
    expect(after.pinned).toBe(2);
    const text = h.xlsim('inspect', 'sh', 'paging').stdout;
    expect(text).toContain(`shadow faults:    ${after.faults} fixed; 0 top-level shadows unpinned to make room; tables blown 1 time(s)\n`);
    expect(text).toContain('top-level:        v0 1, v1 1 (shadow_table[] hooked in CR3)\n');
    expect(h.xlsim('check')).toEqual({ stdout: 'xlsim check: host is consistent\n', stderr: '', code: 0 });
  });

  it('q shows the paging bits per domain and per vCPU', () => {
    expect(h.xl('debug-keys', 'q').code).toBe(0);
    const lines = h.xl('dmesg').stdout.split('\n');
    expect(lines).toContain('(XEN)     paging assistance: shadow refcounts translate external ');
    expect(lines).toContain('(XEN)     paging assistance: hap refcounts translate external ');
    expect(lines).toContain('(XEN)     paging assistance: shadowed 4-on-4');
    expect(lines).toContain('(XEN)     paging assistance: hap, 4 levels');
  });

  it('log-dirty by hand: shadow blows on enable and CLEAN, HAP with PML logs', () => {
    expect(h.xlsim('guest', 'sh', 'workload', '--dirty-rate', '10000', '--wss', '64M').code).toBe(0);
    expect(h.xlsim('guest', 'hp', 'workload', '--dirty-rate', '10000', '--wss', '64M').code).toBe(0);
    for (const d of ['sh', 'hp']) expect(h.xlsim('paging', d, 'logdirty', 'enable').stdout).toBe(`${d} (domid ${d === 'sh' ? 1 : 2}): log-dirty on\n`);
    expect(h.xlsim('paging', 'sh', 'logdirty', 'enable')).toEqual({ stdout: '', stderr: 'xlsim: sh (domid 1): log-dirty enable: Invalid argument\n', code: 1 });
    expect(h.xlsim('clock', 'advance', '1s').code).toBe(0);
    const sh = model(h, 'sh').log_dirty!;
    const hp = model(h, 'hp').log_dirty!;
    expect(sh.trap).toBe('shadow-fault');
    expect(hp.trap).toBe('pml');
    expect(hp.fault_count).toBe(0);
    expect(sh.fault_count).toBeGreaterThan(sh.dirty_count);
    expect(hp.pml_exits).toBe(Math.floor(hp.dirty_count / 512));
    expect(h.xlsim('paging', 'sh', 'logdirty', 'clean').stdout).toBe(`sh (domid 1): fault_count ${sh.fault_count} dirty_count ${sh.dirty_count}\n`);
    expect(h.xlsim('paging', 'sh', 'logdirty', 'peek').stdout).toBe('sh (domid 1): fault_count 0 dirty_count 0\n');
    expect(model(h, 'sh').shadows).toMatchObject({ mapped_pages: 0, blows: 3 });
    expect(h.xl('debug-keys', 'q').code).toBe(0);
    expect(h.xl('dmesg').stdout).toContain('(XEN)     paging assistance: shadow refcounts log_dirty translate external \n');
    for (const d of ['sh', 'hp']) expect(h.xlsim('paging', d, 'logdirty', 'off').code).toBe(0);
    expect(model(h, 'sh').log_dirty).toBeNull();
    expect(h.xlsim('check').code).toBe(0);
  });
});

describe('a starved shadow pool', () => {
  it("Xen's message on the shrink, then the next fault crashes the guest and on_crash destroys it", () => {
    const h = hostFrom((s) => s);
    expect(h.xl('create', h.cfg('sh', SHADOW_CFG)).code).toBe(0);
    expect(h.xlsim('clock', 'advance', '2s').code).toBe(0);
    const p2m = model(h, 'sh').pool.p2m_pages;
    expect(h.xlsim('paging', 'sh', 'pool', '0')).toEqual({
      stdout: '',
      stderr: 'xlsim: sh (domid 1): set_paging_mempool_size: Cannot allocate memory (see xl dmesg)\n',
      code: 1,
    });
    expect(h.xl('dmesg').stdout.split('\n').slice(-3)).toEqual(["(XEN) Can't pre-allocate 1 shadow pages!", `(XEN)   shadow pages total = 8, free = 0, p2m=${p2m}`, '']);
    // still running until it next touches memory it has no shadow for
    expect(h.xl('list', 'sh').stdout).toMatch(/^sh +1 +1024 +2 +r-----/m);
    expect(h.xlsim('check').code).toBe(0);
    expect(h.xlsim('clock', 'advance', '1ms').code).toBe(0);
    const dmesg = h.xl('dmesg').stdout.split('\n');
    expect(dmesg.slice(-4, -1)).toEqual(["(XEN) Can't pre-allocate 1 shadow pages!", `(XEN)   shadow pages total = 8, free = 0, p2m=${p2m}`, expect.stringMatching(/^\(XEN\) Domain 1 \(vcpu#0\) crashed on cpu#\d+:$/)]);
    const events = h.xlsim('events').stdout;
    expect(events).toMatch(/d1 +xl\.monitor +Domain 1 has shut down, reason code 3 0x3\n/);
    expect(events).toMatch(/d1 +xl\.monitor +Action for shutdown reason code 3 is destroy\n/);
    expect(h.xl('list', 'sh')).toMatchObject({ code: 1 });
    expect(h.xlsim('check')).toEqual({ stdout: 'xlsim check: host is consistent\n', stderr: '', code: 0 });
  });

  it('a shadow pool below the minimum is raised to it; bad sizes are refused', () => {
    const h = hostFrom((s) => s);
    expect(h.xl('create', h.cfg('sh', SHADOW_CFG)).code).toBe(0);
    expect(h.xlsim('paging', 'sh', 'pool', '1M').stdout).toMatch(/^sh \(domid 1\): paging pool (\d+) pages\n$/);
    const min = Number(/Xen's minimum for this shadow pool: (\d+) pages/.exec(h.xlsim('inspect', 'sh', 'paging').stdout)![1]);
    expect(model(h, 'sh').pool.pages).toBe(min);
    expect(h.xlsim('paging', 'sh', 'pool', '1000b')).toEqual({ stdout: '', stderr: "xlsim: pool size '1000b' is not a whole number of 4 KiB pages\n", code: 1 });
    expect(h.xlsim('paging', 'nosuch', 'pool', '8M')).toEqual({ stdout: '', stderr: "xlsim: no such domain 'nosuch'\n", code: 1 });
    expect(h.xlsim('paging', 'sh', 'logdirty', 'bogus')).toEqual({ stdout: '', stderr: 'xlsim: logdirty needs one of enable, clean, peek, off\n', code: 1 });
    expect(h.xlsim('check').code).toBe(0);
  });
});

describe('live migration: the log-dirty cost of the same workload in each mode', () => {
  function migrateBusy(cfg: string, name: string): { mode: string; traps: number; kind: string } {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg(name, cfg)).code).toBe(0);
    expect(a.xlsim('guest', name, 'workload', '--dirty-rate', '64MiB/s', '--wss', '128M').code).toBe(0);
    expect(a.xl('migrate', name, 'b').code).toBe(0);
    const ev = a.xlsim('events').stdout;
    const m = / \((\S+) log-dirty\); log-dirty traps: (\d+) (shadow faults|EPT violations|PML buffer-full exits)\n/.exec(ev);
    expect(m, ev).not.toBeNull();
    for (const host of ['a', 'b']) expect(t.on(host).xlsim('check').code).toBe(0);
    return { mode: m![1]!, traps: Number(m![2]), kind: m![3]! };
  }

  it('shadow faults on every first write and on re-shadowing after each CLEAN; PML exits once per 512 pages', () => {
    const sh = migrateBusy(SHADOW_CFG, 'sh');
    const hp = migrateBusy(HAP_CFG, 'hp');
    expect(sh).toMatchObject({ mode: 'shadow', kind: 'shadow faults' });
    expect(hp).toMatchObject({ mode: 'hap-pml', kind: 'PML buffer-full exits' });
    // 64 MiB/s over 128 MiB for the ~2 s of pre-copy: tens of thousands of first writes
    expect(sh.traps).toBeGreaterThan(20000);
    expect(hp.traps).toBeGreaterThan(0);
    expect(hp.traps * 100).toBeLessThan(sh.traps);
  });
});
