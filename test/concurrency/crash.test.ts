/**
 * Crash safety: an xl process SIGKILLed anywhere inside a command leaves the
 * host as before the command or as after it, never in between. The kill
 * points come from XLSIM_TEST_KILL_AT (state/testkill.ts): named places in
 * the create sequence and the transaction, and every N-th SQL statement,
 * swept from the first to the last the command runs. After every kill the
 * host must pass `xlsim check` and its database and log files must equal,
 * row for row, either the state before or the state an uninterrupted run
 * produces (the host is deterministic: manual clock, seeded generator).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dumpDb } from '../state/fixtures/dump';
import { CHECK_OK, SMALL_CFG, bigHost, cloneHost, type BigHost, type Done } from './host';

const PV_CFG = `${SMALL_CFG}vcpus = 2\ndisk = [ 'phy:/dev/vg/c,xvda,w' ]\nvif = [ 'bridge=xenbr0' ]\n`;

/** Everything a host holds: every database row, and its log files. */
interface Snapshot {
  db: string;
  logs: string;
}

function snapshot(h: BigHost): Snapshot {
  // the generator moves when a create draws its uuid (a transaction of its
  // own, before the build): a consumed random number is not a trace
  const db = dumpDb(h.db)
    .split('\n')
    .filter((l) => !l.startsWith('{"key":"host.rng"'))
    .join('\n')
    // records name files under the host's directory (each copy has its own)
    .split(JSON.stringify(h.home).slice(1, -1))
    .join('$XLSIM_HOME');
  const logs = fs.existsSync(h.logDir) ? fs.readdirSync(h.logDir).sort() : [];
  return { db, logs: logs.map((f) => `== ${f}\n${fs.readFileSync(path.join(h.logDir, f), 'utf8')}`).join('\n') };
}

/** hundreds of short processes: allow for a loaded machine */
const SLOW = 240_000;

let base: BigHost;
let cfg: string;

beforeAll(() => {
  base = bigHost();
  cfg = base.cfg('c', PV_CFG);
  for (const n of ['a0', 'a1']) expect(base.run('xl', ['create', '-q', cfg, `name="${n}"`]).code).toBe(0);
});

interface Outcome {
  before: Snapshot;
  after: Snapshot;
}

/**
 * Runs `args` to completion on a copy of `from`: the reference "after" state.
 */
function reference(from: BigHost, tool: string, args: string[], expected: Partial<Done>): { host: BigHost; outcome: Outcome } {
  const host = cloneHost(from);
  const r = host.run(tool, args);
  expect(r).toMatchObject(expected);
  expect(host.run('xlsim', ['check'])).toEqual(CHECK_OK);
  return { host, outcome: { before: snapshot(from), after: snapshot(host) } };
}

/** Kills `args` at `point` on a copy of `from`; returns which state it left. */
async function killAt(from: BigHost, tool: string, args: string[], point: string, o: Outcome): Promise<'before' | 'after' | 'finished'> {
  const host = cloneHost(from);
  const r = await host.spawn(tool, args, { XLSIM_TEST_KILL_AT: point });
  const check = host.run('xlsim', ['check']);
  expect(check, `${point}: ${check.stdout}`).toEqual(CHECK_OK);
  const s = snapshot(host);
  fs.rmSync(host.home, { recursive: true, force: true });
  if (r.signal === null) {
    // the point was never reached: the command ran to its end
    expect(s, point).toEqual(o.after);
    return 'finished';
  }
  expect(r.signal, point).toBe('SIGKILL');
  if (s.db === o.before.db && s.logs === o.before.logs) return 'before';
  // log lines are written once the database has committed (as xl's daemon
  // writes only about a domain that exists): killed in between, the domain
  // is complete and the lines are missing
  if (s.db === o.after.db && (s.logs === o.after.logs || s.logs === o.before.logs)) return 'after';
  expect.fail(
    `${point} left the host half way:\nagainst before:\n${diff(o.before, s)}\nagainst after:\n${diff(o.after, s)}`,
  );
}

/** The lines only one side has, shortened: enough to see what was left behind. */
function diff(want: Snapshot, got: Snapshot): string {
  const a = new Set(`${want.db}\n${want.logs}`.split('\n'));
  const b = new Set(`${got.db}\n${got.logs}`.split('\n'));
  const cut = (l: string) => (l.length > 160 ? `${l.slice(0, 160)}...` : l);
  const out = [...[...a].filter((l) => !b.has(l)).map((l) => `- ${cut(l)}`), ...[...b].filter((l) => !a.has(l)).map((l) => `+ ${cut(l)}`)];
  return out.slice(0, 30).join('\n');
}

/** Every N-th statement from the first until the command no longer gets killed. */
async function sweep(from: BigHost, tool: string, args: string[], o: Outcome, step: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let n = 1; ; n += step) {
    const got = await killAt(from, tool, args, `stmt:${n}`, o);
    seen.set(got, (seen.get(got) ?? 0) + 1);
    if (got === 'finished') return seen;
    if (n > 100_000) throw new Error('the command never finished');
  }
}

describe('SIGKILL inside xl create', () => {
  let o: Outcome;
  beforeAll(() => {
    o = reference(base, 'xl', ['create', cfg, 'name="c"'], { stdout: '', stderr: `Parsing config from ${cfg}\n`, code: 0 }).outcome;
    expect(o.after.db).not.toBe(o.before.db);
    expect(o.after.logs).toContain('== xl-c.log\nWaiting for domain c (domid 3) to die [pid 4323]\n');
  });

  const named = ['create:domain', 'create:xenstore', 'create:memory', 'create:devices', 'create:done', 'create:unpaused', 'create:monitor'];
  it.each(named)('killed at %s: no trace of the guest', async (point) => {
    expect(await killAt(base, 'xl', ['create', cfg, 'name="c"'], point, o)).toBe('before');
  }, SLOW);

  it('killed at each transaction boundary: before, or the complete domain once the build committed', async () => {
    const got: string[] = [];
    for (const point of ['txn-begin:1', 'txn-commit:1', 'txn-committed:1', 'txn-begin:2', 'txn-commit:2', 'txn-committed:2', 'txn-begin:3']) {
      got.push(`${point}=${await killAt(base, 'xl', ['create', cfg, 'name="c"'], point, o)}`);
    }
    // one transaction draws the uuid and builds the domain; nothing follows
    // that changes the host (the process has finished before a second one)
    expect(got).toEqual([
      'txn-begin:1=before',
      'txn-commit:1=before',
      'txn-committed:1=after',
      'txn-begin:2=finished',
      'txn-commit:2=finished',
      'txn-committed:2=finished',
      'txn-begin:3=finished',
    ]);
  }, SLOW);

  it('killed at every 9th SQL statement: always before or after', async () => {
    const seen = await sweep(base, 'xl', ['create', cfg, 'name="c"'], o, 9);
    expect(seen.get('before')).toBeGreaterThan(20);
    expect(seen.get('finished')).toBe(1);
  }, SLOW);
});

describe('SIGKILL inside xl destroy', () => {
  let withC: BigHost;
  let o: Outcome;
  beforeAll(() => {
    withC = reference(base, 'xl', ['create', '-q', cfg, 'name="c"'], { code: 0 }).host;
    o = reference(withC, 'xl', ['destroy', 'c'], { stdout: '', stderr: '', code: 0 }).outcome;
  }, SLOW);

  it('killed at every 3rd SQL statement and at the commit: the guest is whole or entirely gone', async () => {
    const seen = await sweep(withC, 'xl', ['destroy', 'c'], o, 3);
    expect(seen.get('before')).toBeGreaterThan(5);
    expect(await killAt(withC, 'xl', ['destroy', 'c'], 'txn-commit', o)).toBe('before');
    expect(await killAt(withC, 'xl', ['destroy', 'c'], 'txn-committed', o)).toBe('after');
  }, SLOW);
});

/** The record keys that name domain `domid`. */
function recordKeysOf(dump: string, domid: string): string[] {
  const keys = [...dump.matchAll(/^\{"key":"([^"]*)"/gm)].map((m) => m[1]!);
  return keys.filter((k) => new RegExp(`/${domid}(\\.|$)`).test(k));
}

describe('SIGKILL inside xl shutdown -w', () => {
  let withC: BigHost;
  let freeBefore: string;
  let domid: string;
  let uuid: string;
  beforeAll(() => {
    withC = reference(base, 'xl', ['create', '-q', cfg, 'name="c"'], { code: 0 }).host;
    freeBefore = base.run('xl', ['info', 'free_memory']).stdout;
    domid = withC.run('xl', ['domid', 'c']).stdout.trim();
    const vm = withC.run('xenstore-read', [`/local/domain/${domid}/vm`]);
    expect(vm.stdout).toMatch(/^\/vm\/[0-9a-f-]{36}\n$/);
    uuid = vm.stdout.slice(4, -1);
  });

  /** No row, node, record or monitor of the domain is left. */
  function gone(h: BigHost): void {
    const dump = dumpDb(h.db);
    expect(dump).not.toContain(uuid);
    expect(dump).not.toMatch(new RegExp(`"path":"/(local/domain|libxl)/${domid}(/|")`));
    expect(dump).not.toMatch(new RegExp(`"path":"/local/domain/0/backend/[^/"]+/${domid}(/|")`));
    // kept on purpose: the recently-used domid (xl's domid history) and the
    // last shutdown reason a late `shutdown -w` waiter reports; the guest
    // model's own record is checked on its own below
    const kept = /^(libxl\.domid-history|libxl\.shutdowns|guest)\//;
    expect(recordKeysOf(dump, domid).filter((k) => !kept.test(k))).toEqual([]);
    expect(dump).not.toMatch(new RegExp(`^\\{"domid":${domid},`, 'm'));
    expect(h.run('xl', ['info', 'free_memory']).stdout).toBe(freeBefore);
  }

  it('runs to the end without a kill', () => {
    const h = cloneHost(withC);
    expect(h.run('xl', ['shutdown', '-w', 'c'])).toEqual({
      stdout: '',
      stderr: `Shutting down domain ${domid}\nWaiting for 1 domains\nDomain ${domid} has been shut down, reason code 0\n`,
      code: 0,
    });
    gone(h);
  }, SLOW);

  it('the guest model forgets a domain the monitor destroyed', () => {
    const h = cloneHost(withC);
    expect(h.run('xl', ['shutdown', '-w', 'c']).code).toBe(0);
    expect(recordKeysOf(dumpDb(h.db), domid).filter((k) => k.startsWith('guest/'))).toEqual([]);
  }, SLOW);

  it('killed at 30 statements spread over the whole wait: the guest still runs or the shutdown completes, never half a domain', async () => {
    // how many statements the whole command runs (it waits through the guest's shutdown)
    const killed = async (n: number): Promise<boolean> => {
      const h = cloneHost(withC);
      const r = await h.spawn('xl', ['shutdown', '-w', 'c'], { XLSIM_TEST_KILL_AT: `stmt:${n}` });
      fs.rmSync(h.home, { recursive: true, force: true });
      return r.signal !== null;
    };
    let lo = 1;
    let hi = 1;
    while (await killed(hi)) {
      lo = hi;
      hi *= 2;
    }
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (await killed(mid)) lo = mid;
      else hi = mid;
    }
    const step = Math.ceil(hi / 30);
    const seen = { running: 0, gone: 0 };
    for (let n = 1; ; n += step) {
      const h = cloneHost(withC);
      const r = await h.spawn('xl', ['shutdown', '-w', 'c'], { XLSIM_TEST_KILL_AT: `stmt:${n}` });
      expect(h.run('xlsim', ['check'])).toEqual(CHECK_OK);
      // what was committed plays out: the guest reacts, the monitor destroys it
      expect(h.run('xlsim', ['clock', 'advance', '60s']).code).toBe(0);
      expect(h.run('xlsim', ['check'])).toEqual(CHECK_OK);
      // a monitor step that was rolled back runs again: its log lines must not appear twice
      const log = fs.readFileSync(path.join(h.logDir, 'xl-c.log'), 'utf8');
      expect(log.split('\n').filter((l, i, all) => l !== '' && all.indexOf(l) !== i), `stmt:${n}\n${log}`).toEqual([]);
      const list = h.run('xl', ['list', 'c']);
      if (list.code === 0) {
        // the request never committed: the guest runs on, whole
        expect(list.stdout).toMatch(new RegExp(`^c +${domid} +64 +2 +-b---- `, 'm'));
        seen.running++;
      } else {
        expect(list).toEqual({ stdout: '', stderr: 'c is an invalid domain identifier (rc=-6)\n', code: 1 });
        gone(h);
        seen.gone++;
      }
      fs.rmSync(h.home, { recursive: true, force: true });
      if (r.signal === null) {
        expect(r.code).toBe(0);
        break;
      }
      expect(r.signal).toBe('SIGKILL');
      // the statement count was measured above: past it the command must have finished
      if (n > 2 * hi + step) throw new Error(`shutdown -w still killed at statement ${n} of ${hi}`);
    }
    expect(seen.running).toBeGreaterThan(0);
    expect(seen.gone).toBeGreaterThan(1);
  }, 2 * SLOW);
});
