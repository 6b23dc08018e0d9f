/**
 * Many xl processes on one host at once: the host lock serialises them, so
 * concurrent creates get distinct domids, a contested name is won exactly
 * once (the losers print xl's duplicate-name sequence for the domid they
 * consumed), and list/pause/unpause/destroy storms never surface a database
 * error and keep the pause counts exact. `xlsim check` after every scenario.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tmpHome } from '../helpers/cli';
import { CHECK_OK, DB_ERROR, LIST_HEADER, SMALL_CFG, bigHost, duplicateNameStderr, listed, type BigHost, type Done } from './host';

/** many node processes on few CPUs: allow for a loaded machine */
const SLOW = 240_000;

let h: BigHost;
let cfg: string;

beforeAll(() => {
  h = bigHost();
  cfg = h.cfg('small', SMALL_CFG);
});

function expectConsistent(): void {
  expect(h.run('xlsim', ['check'])).toEqual(CHECK_OK);
}

function guests(): Map<string, { domid: number; state: string }> {
  const r = h.run('xl', ['list']);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout.startsWith(LIST_HEADER)).toBe(true);
  return new Map(listed(r.stdout).map((d) => [d.name, { domid: d.domid, state: d.state }]));
}

describe('concurrent xl processes on one host', () => {
  it('50 creates of distinct guests started at once: all succeed with distinct domids', async () => {
    const runs = await Promise.all(Array.from({ length: 50 }, (_, i) => h.spawn('xl', ['create', cfg, `name="g${i}"`])));
    for (const r of runs) expect(r).toEqual({ stdout: '', stderr: `Parsing config from ${cfg}\n`, code: 0, signal: null });
    const doms = guests();
    expect(doms.size).toBe(51);
    expect(doms.get('Domain-0')?.domid).toBe(0);
    const ids = Array.from({ length: 50 }, (_, i) => doms.get(`g${i}`)?.domid);
    // a fresh host hands out 1..50, each once, in whatever order the lock granted
    expect([...ids].sort((a, b) => a! - b!)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // each monitor logged the domid its create got
    for (let i = 0; i < 50; i++) {
      expect(h.run('xl', ['domid', `g${i}`])).toEqual({ stdout: `${ids[i]}\n`, stderr: '', code: 0 });
    }
    expectConsistent();
  }, SLOW);

  it('10 creates of one name at once: one guest, nine duplicate-name failures that consumed their domids', async () => {
    const runs = await Promise.all(Array.from({ length: 10 }, () => h.spawn('xl', ['create', cfg, 'name="dup"'])));
    const won = runs.filter((r) => r.code === 0);
    const lost = runs.filter((r) => r.code !== 0);
    expect(won).toEqual([{ stdout: '', stderr: `Parsing config from ${cfg}\n`, code: 0, signal: null }]);
    expect(lost).toHaveLength(9);
    const lostIds: number[] = [];
    for (const r of lost) {
      const m = /Domain (\d+):Domain with name "dup" already exists/.exec(r.stderr);
      expect(m, r.stderr).not.toBeNull();
      const domid = Number(m![1]);
      lostIds.push(domid);
      expect(r).toEqual({ stdout: '', stderr: duplicateNameStderr(cfg, domid, 'dup'), code: 3, signal: null });
    }
    const doms = guests();
    expect([...doms.keys()].filter((n) => n === 'dup')).toEqual(['dup']);
    // ten domids were allocated (51..60): the winner's and the nine thrown away
    const all = [doms.get('dup')!.domid, ...lostIds].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => 51 + i));
    expectConsistent();
    // the consumed ids are not handed out again
    expect(h.run('xl', ['create', '-q', cfg, 'name="after"'])).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.run('xl', ['domid', 'after'])).toEqual({ stdout: '61\n', stderr: '', code: 0 });
    expect(h.run('xl', ['destroy', 'after'])).toEqual({ stdout: '', stderr: '', code: 0 });
    expectConsistent();
  }, SLOW);

  it('a storm of list/pause/unpause/destroy: no database errors, xl statuses, exact pause counts', async () => {
    const before = guests();
    const domidOf = (n: string) => before.get(n)!.domid;
    // a fixed pseudo-random schedule (LCG) so a failure can be replayed
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed >>> 16) % n;
    };
    const cmds: string[][] = [];
    for (let i = 0; i < 300; i++) {
      const g = `g${rnd(50)}`;
      const k = rnd(10);
      if (k < 3) cmds.push(['list']);
      else if (k < 4) cmds.push(['list', g]);
      else if (k < 6) cmds.push(['pause', g]);
      else if (k < 8) cmds.push(['unpause', g]);
      // destroys only among the first 20 guests, so the rest keep their pause counts
      else cmds.push(['destroy', `g${rnd(20)}`]);
    }
    const results: Done[] = [];
    // waves of 30 processes at once, each wave started as the previous ends
    for (let i = 0; i < cmds.length; i += 30) {
      results.push(...(await Promise.all(cmds.slice(i, i + 30).map((c) => h.spawn('xl', c)))));
    }
    const pauses = new Map<string, number>();
    const destroyed = new Map<string, number>();
    for (let i = 0; i < cmds.length; i++) {
      const [cmd, g] = cmds[i]!;
      const r = results[i]!;
      const what = `${cmds[i]!.join(' ')} -> ${JSON.stringify(r)}`;
      expect(r.stderr, what).not.toMatch(DB_ERROR);
      expect(r.signal, what).toBeNull();
      const invalid = { stdout: '', stderr: `${g} is an invalid domain identifier (rc=-6)\n`, code: 1, signal: null };
      const ok = { stdout: '', stderr: '', code: 0, signal: null };
      if (cmd === 'list' && g === undefined) {
        expect(r.code, what).toBe(0);
        expect(r.stderr, what).toBe('');
        expect(r.stdout.startsWith(LIST_HEADER), what).toBe(true);
        for (const d of listed(r.stdout)) expect(before.get(d.name)?.domid, what).toBe(d.domid);
      } else if (cmd === 'list') {
        if (r.code === 1) expect(r, what).toEqual(invalid);
        else {
          expect(r.code, what).toBe(0);
          expect(listed(r.stdout).map((d) => [d.name, d.domid]), what).toEqual([[g, domidOf(g!)]]);
        }
      } else if (cmd === 'pause') {
        if (r.code === 1) expect(r, what).toEqual(invalid);
        else {
          expect(r, what).toEqual(ok);
          pauses.set(g!, (pauses.get(g!) ?? 0) + 1);
        }
      } else if (cmd === 'unpause') {
        if (r.code === 1) expect(r, what).toEqual(invalid);
        else if (r.stderr === '') {
          expect(r, what).toEqual(ok);
          pauses.set(g!, (pauses.get(g!) ?? 0) - 1);
        } else {
          // the pause count was already 0: libxl's error, and xl still exits 0
          expect(r, what).toEqual({
            stdout: '',
            stderr: `libxl: error: libxl_domain.c:686:domain_unpause_done: Domain ${domidOf(g!)}:Unpausing domain: Invalid argument\n`,
            code: 0,
            signal: null,
          });
        }
      } else {
        if (r.code === 1) expect(r, what).toEqual(invalid);
        else {
          expect(r, what).toEqual(ok);
          destroyed.set(g!, (destroyed.get(g!) ?? 0) + 1);
        }
      }
    }
    const after = guests();
    for (let i = 0; i < 50; i++) {
      const g = `g${i}`;
      // a name is destroyed at most once; gone exactly when a destroy succeeded
      expect(destroyed.get(g) ?? 0, g).toBeLessThanOrEqual(1);
      expect(after.has(g), g).toBe(!destroyed.has(g));
      const d = after.get(g);
      if (!d) continue;
      // no pause or unpause was lost: the count never went below 0 and what is left shows
      const count = pauses.get(g) ?? 0;
      expect(count, g).toBeGreaterThanOrEqual(0);
      expect(d.state[2], `${g} ${d.state} pause count ${count}`).toBe(count > 0 ? 'p' : '-');
    }
    expect(destroyed.size).toBeGreaterThan(5);
    expectConsistent();
  }, SLOW);
});

describe('first use of a fresh XLSIM_HOME by many processes at once', () => {
  it('20 xl list and 10 xl create on no host: one default host, every command served', async () => {
    const home = tmpHome('xlsim-concurrency-');
    const env = { XLSIM_HOME: home, XLSIM_CLOCK: 'manual', XLSIM_CONFIG_DIR: path.join(ROOT, 'configs') };
    const small = h.cfg('fresh', SMALL_CFG);
    const runs = await Promise.all([
      ...Array.from({ length: 20 }, () => h.spawn('xl', ['list'], { ...env, XLSIM_HOST: '' })),
      ...Array.from({ length: 10 }, (_, i) => h.spawn('xl', ['create', '-q', small, `name="f${i}"`], { ...env, XLSIM_HOST: '' })),
    ]);
    for (const r of runs) {
      expect(r.stderr).not.toMatch(DB_ERROR);
      expect({ ...r, stdout: '' }).toEqual({ stdout: '', stderr: '', code: 0, signal: null });
    }
    for (const r of runs.slice(0, 20)) {
      expect(r.stdout.startsWith(LIST_HEADER)).toBe(true);
      expect(listed(r.stdout)[0]).toMatchObject({ name: 'Domain-0', domid: 0 });
    }
    const list = h.run('xl', ['list'], { ...env, XLSIM_HOST: '' });
    expect(listed(list.stdout).map((d) => d.domid).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(h.run('xlsim', ['check'], { ...env, XLSIM_HOST: '' })).toEqual(CHECK_OK);
  }, SLOW);
});
