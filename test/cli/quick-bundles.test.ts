/**
 * The quick bundles (cmd/xl/quick): bin/xl.cjs runs `xl list` and `xl
 * create` in bundles of their own, which must print exactly what the full
 * xl prints, and hand a command over to the full xl — having printed and
 * committed nothing — whenever it needs what its bundle lacks.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ROOT, type RunResult } from '../helpers/cli';
import { PV_CFG, manualHost } from '../lifecycle/transcript';

/** The full xl (dist/xl.cjs) on the same arguments, as bin/xl.cjs runs it for any other command. */
function fullXl(home: string, args: string[]): RunResult {
  const load = JSON.stringify(path.join(ROOT, 'bin', 'load.cjs'));
  const r = spawnSync(process.execPath, ['-e', `require(${load})('xl').exports.run('xl', process.argv.slice(1))`, '--', ...args], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', XLSIM_HOME: home },
    encoding: 'utf8',
  });
  return { stdout: String(r.stdout), stderr: String(r.stderr), code: r.status ?? 128 };
}

/** The host's first pending event of `domid`, and how long after the host's last command it falls due. */
function firstEventOf(home: string, domid: number): { seq: number; kind: string; afterNs: number } | undefined {
  const db = new Database(path.join(home, 'hosts', 'default.db'), { readonly: true });
  try {
    const clock = JSON.parse((db.prepare("SELECT data FROM records WHERE key = 'host.clock'").get() as { data: string }).data) as { nowNs: number };
    const e = db.prepare('SELECT seq, kind, at FROM events WHERE domid = ? ORDER BY at, seq LIMIT 1').get(domid) as { seq: number; kind: string; at: number } | undefined;
    return e && { seq: e.seq, kind: e.kind, afterNs: e.at - clock.nowNs };
  } finally {
    db.close();
  }
}

describe('the quick xl list', () => {
  const h = manualHost();
  const a = h.cfg('a', PV_CFG.replace('"pv1"', '"a"'));
  const b = h.cfg('b', PV_CFG.replace('"pv1"', '"b"').replace('memory = 512', 'memory = 256'));

  it('prints what the full xl prints, for every form of list it runs', () => {
    expect(h.xl('create', a).code).toBe(0);
    expect(h.xl('create', b).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('pause', 'b').code).toBe(0);
    const forms = [
      ['list'], ['list', '-v'], ['list', '-Z'], ['list', '-c'], ['list', '-n'], ['list', '-vc'], ['list', 'a'], ['list', '2'],
      ['-v', 'list'], ['list', 'nosuch'], ['list', 'a', 'b'], ['list', '-x'], ['list', '-h'], ['list', '--numa'],
    ];
    for (const args of forms) {
      const quick = h.xl(...args);
      expect({ args, ...quick }).toEqual({ args, ...fullXl(h.home, args) });
    }
    // and they are what xl prints (a few pinned exactly)
    expect(h.xl('list', 'nosuch')).toEqual({ stdout: '', stderr: 'nosuch is an invalid domain identifier (rc=-6)\n', code: 1 });
    expect(h.xl('list').stdout.replace(/ +\d+\.\d$/gm, '').split('\n')).toEqual([
      'Name                                        ID   Mem VCPUs\tState\tTime(s)',
      'Domain-0                                     0  2048     2     r-----',
      'a                                            1   512     2     -b----',
      'b                                            2   256     2     --p---',
      '',
    ]);
    expect(h.xlsim('check').code).toBe(0);
  });

  it('hands `list -l` to the full xl: the same JSON, nothing printed twice', () => {
    const quick = h.xl('list', '-l', 'a');
    expect(quick.code).toBe(0);
    expect(quick.stderr).toBe('');
    expect(quick.stdout.startsWith('[\n    {\n        "domid": 1,\n')).toBe(true);
    expect(quick).toEqual(fullXl(h.home, ['list', '-l', 'a']));
  });

  it('hands a host with events due to the full xl, which runs them', () => {
    const c = h.cfg('c', PV_CFG.replace('"pv1"', '"c"').replace('memory = 512', 'memory = 128'));
    expect(h.xl('create', c).code).toBe(0);
    expect(h.xlsim('clock', 'mode', 'real').code).toBe(0);
    // the new guest's next step falls due within 50 ms (its kernel starting,
    // its devices probed); the real clock gets there while we wait
    const first = firstEventOf(h.home, 3)!;
    expect(first.afterNs).toBeLessThanOrEqual(50_000_000);
    const until = Date.now() + 100;
    while (Date.now() < until) {
      // let more than 30 ms of wall time pass
    }
    const r = h.xl('list', 'c');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name {40}ID {3}Mem VCPUs\tState\tTime\(s\)\nc {44}3 {3}128 {5}2 {5}[r-][b-]---- +\d+\.\d\n$/);
    // the quick bundle has no handler for it: only the full xl can have run it
    const after = firstEventOf(h.home, 3);
    expect(after?.seq).not.toBe(first.seq);
    expect(h.xlsim('check').code).toBe(0);
  });

  it('is the small bundle it is meant to be', () => {
    const quick = fs.statSync(path.join(ROOT, 'dist', 'xl-list.cjs')).size;
    const full = fs.statSync(path.join(ROOT, 'dist', 'xl.cjs')).size;
    expect(quick).toBeLessThan(full / 2);
    // no guest model in it
    expect(fs.readFileSync(path.join(ROOT, 'dist', 'xl-list.cjs'), 'latin1')).not.toContain('bookworm');
    expect(fs.readFileSync(path.join(ROOT, 'dist', 'xl.cjs'), 'latin1')).toContain('bookworm');
  });
});

describe('the quick xl create', () => {
  it('creates as the full xl does, transcript for transcript', () => {
    // the same commands on two hosts of one seed: one created through the
    // quick bundle (bin/xl.cjs), one through the full xl
    const q = manualHost(7);
    const f = manualHost(7);
    const cfgs = [PV_CFG.replace('"pv1"', '"a"'), PV_CFG.replace('"pv1"', '"b"').replace('memory = 512', 'memory = 99999999')];
    // a guest, one that does not fit in memory (exit 3, libxl's teardown),
    // and the first one again (the duplicate-name quirk)
    for (const [i, text] of [...cfgs.entries(), [0, cfgs[0]!] as const]) {
      const qr = q.xl('create', q.cfg(`c${i}`, text));
      const fr = fullXl(f.home, ['create', f.cfg(`c${i}`, text)]);
      expect(qr).toEqual({ ...fr, stderr: fr.stderr.split(f.home).join(q.home) });
      expect(qr.stderr).toContain(`Parsing config from ${q.home}/c${i}.cfg\n`);
    }
    expect(q.xl('list')).toEqual(fullXl(f.home, ['list']));
    expect(q.xlsim('check').code).toBe(0);
  });

  it('is built without the commands create does not use', () => {
    const quick = fs.readFileSync(path.join(ROOT, 'dist', 'xl-create.cjs'), 'latin1');
    const full = fs.readFileSync(path.join(ROOT, 'dist', 'xl.cjs'), 'latin1');
    expect(quick.length).toBeLessThan(full.length * 0.8);
    // migration's receiving side is not in it; the guest model is
    expect(quick).not.toContain('migration target: Ready to receive domain.');
    expect(full).toContain('migration target: Ready to receive domain.');
    expect(quick).toContain('bookworm');
  });
});
