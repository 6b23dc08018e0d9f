import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { UnknownEventKind } from '../../lib/sim/events';
import { createHost, ensureHost, HostError, listHosts, openHost, registerEventHandler, removeHost, useHost, withHost, withHostSync, type Session } from '../../state/session';
import { currentHostName } from '../../state/paths';
import { dumpDb } from './fixtures/dump';

function home(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-session-'));
}
const manual = () => ({ XLSIM_HOME: home(), XLSIM_CLOCK: 'manual' });
const S = 1e9;

// Handlers are per process: register the kinds these tests use once.
const trace: string[] = [];
registerEventHandler('test.trace', (s, p) => {
  trace.push(`${s.clock.now() / S}:${String((p as { tag: string }).tag)}`);
  s.log('test.trace', String((p as { tag: string }).tag));
});
registerEventHandler('test.chain', (s, p) => {
  const n = (p as { n: number }).n;
  trace.push(`${s.clock.now() / S}:chain${n}`);
  if (n > 0) s.events.after(1 * S, 'test.chain', { n: n - 1 });
});
registerEventHandler('test.boom', () => {
  throw new Error('handler failed');
});

describe('first use and host files', () => {
  test('the default host is created on first use, with xl.conf and directories', async () => {
    const env = manual();
    const name = await withHost(env, (s) => s.hostName);
    expect(name).toBe('default');
    expect(listHosts(env)).toEqual(['default']);
    const dir = path.join(env.XLSIM_HOME, 'hosts', 'default');
    expect(fs.existsSync(path.join(dir, 'xl.conf'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'log'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'dump'))).toBe(true);
    expect(fs.readdirSync(path.join(env.XLSIM_HOME, 'hosts')).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  test('a named host must exist; XLSIM_HOST and `current` pick it', async () => {
    const env = manual();
    await expect(withHost({ ...env, XLSIM_HOST: 'lab' }, () => 0)).rejects.toThrow("xlsim: no such host 'lab' (create it with: xlsim host create lab)");
    createHost(env, 'lab', { profile: 'tiny' });
    expect(await withHost({ ...env, XLSIM_HOST: 'lab' }, (s) => s.profile.name)).toBe('tiny');
    useHost(env, 'lab');
    expect(currentHostName(env)).toBe('lab');
    expect(await withHost(env, (s) => s.hostName)).toBe('lab');
    removeHost(env, 'lab');
    expect(currentHostName(env)).toBe('default');
    expect(() => createHost(env, '../etc')).toThrow(HostError);
  });

  test('remove refuses a host with guests unless forced', () => {
    const env = manual();
    createHost(env, 'busy');
    withHostSync(env, (s) => s.putDomainRecord(1, { name: 'g' }), { host: 'busy' });
    expect(() => removeHost(env, 'busy')).toThrow("xlsim: host 'busy' still has 1 guest domain; use --force to remove it anyway");
    removeHost(env, 'busy', true);
    expect(listHosts(env)).toEqual([]);
  });

  test('the boot hook runs inside the first transaction', async () => {
    const env = manual();
    createHost(env, 'b', {
      boot: (s) => {
        s.xs.write('/local/domain/0/name', 'Domain-0');
        s.putDomainRecord(0, { name: 'Domain-0', uuid: s.rng.uuid() });
        s.events.after(2 * S, 'test.trace', { tag: 'booted' });
      },
    });
    const r = await withHost(env, (s) => ({ name: s.xs.read('/local/domain/0/name'), d0: s.getDomainRecord<{ uuid: string }>(0), pending: s.events.pending().length }), { host: 'b' });
    expect(r.name).toBe('Domain-0');
    expect(r.d0?.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.pending).toBe(1);
  });

  test('ensureHost creates only the default host, and says where it lives', () => {
    const env = manual();
    const p = ensureHost(env);
    expect(p.name).toBe('default');
    expect(fs.existsSync(p.xlConf)).toBe(true);
    expect(fs.readFileSync(p.xlConf, 'utf8')).toBe(fs.readFileSync(path.resolve(__dirname, '..', '..', 'configs', 'xl.conf'), 'utf8'));
    expect(() => ensureHost({ ...env, XLSIM_HOST: 'other' })).toThrow("xlsim: no such host 'other'");
    expect(() => ensureHost({ ...env, XLSIM_HOST: 'a b' })).toThrow('invalid host name');
  });

  test('half-built databases of dead creators are cleaned up', () => {
    const env = manual();
    const hosts = path.join(env.XLSIM_HOME, 'hosts');
    fs.mkdirSync(hosts, { recursive: true });
    const stale = path.join(hosts, 'default.db.tmp-4194303999-1');
    const live = path.join(hosts, `default.db.tmp-${process.ppid}-1`);
    fs.writeFileSync(stale, 'partial');
    fs.writeFileSync(live, 'someone else, still working');
    createHost(env, 'default');
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    expect(listHosts(env)).toEqual(['default']);
  });

  test('a failing boot leaves no host behind', () => {
    const env = manual();
    expect(() =>
      createHost(env, 'bad', {
        boot: () => {
          throw new Error('no dom0');
        },
      }),
    ).toThrow('no dom0');
    expect(listHosts(env)).toEqual([]);
    expect(fs.readdirSync(path.join(env.XLSIM_HOME, 'hosts')).filter((f) => f.includes('.db'))).toEqual([]);
  });
});

describe('one command, one transaction', () => {
  test('a throw rolls everything back: the database is exactly as before', async () => {
    const env = manual();
    await withHost(env, (s) => {
      s.xs.write('/a/b', '1');
      s.putRecord('x.rec', { v: 1 });
      s.events.after(10 * S, 'test.trace', { tag: 'later' });
    });
    const db = path.join(env.XLSIM_HOME, 'hosts', 'default.db');
    const before = dumpDb(db);
    await expect(
      withHost(env, (s) => {
        s.clock.advance(5 * S);
        s.rng.uuid();
        s.xs.write('/a/b', '2');
        s.xs.rm('/a');
        s.putRecord('x.rec', { v: 2 });
        s.putDomainRecord(4, {});
        s.putBuffer(4, 'console', new Uint8Array([1, 2]));
        s.log('k', 'text');
        s.events.after(1 * S, 'test.trace', { tag: 'never' });
        s.clock.setMode('real');
        throw new Error('command failed');
      }),
    ).rejects.toThrow('command failed');
    expect(dumpDb(db)).toBe(before);
  });

  test('discard() rolls back without an error', async () => {
    const env = manual();
    await withHost(env, () => 0);
    const db = path.join(env.XLSIM_HOME, 'hosts', 'default.db');
    const before = dumpDb(db);
    expect(
      await withHost(env, (s) => {
        s.xs.write('/x', 'y');
        s.discard();
        return 7;
      }),
    ).toBe(7);
    expect(dumpDb(db)).toBe(before);
  });

  test('a read-only command on a manual host writes nothing', async () => {
    const env = manual();
    await withHost(env, () => 0);
    const db = path.join(env.XLSIM_HOME, 'hosts', 'default.db');
    const before = dumpDb(db);
    await withHost(env, (s) => s.xs.directory('/'));
    expect(dumpDb(db)).toBe(before);
  });

  test('records, domain records and buffers round-trip as JSON', () => {
    const env = manual();
    withHostSync(env, (s) => {
      s.putRecord('xen.host', { free: 10 });
      s.putDomainRecord(3, { name: 'c' });
      s.putDomainRecord(1, { name: 'a' });
      s.putBuffer(1, 'console.out', Uint8Array.from([104, 105]));
    });
    withHostSync(env, (s) => {
      expect(s.getRecord('xen.host')).toEqual({ free: 10 });
      expect(s.getRecord('nope')).toBeUndefined();
      expect(s.domids()).toEqual([1, 3]);
      expect(s.domainRecords()).toEqual([
        { domid: 1, data: { name: 'a' } },
        { domid: 3, data: { name: 'c' } },
      ]);
      expect(Array.from(s.getBuffer(1, 'console.out')!)).toEqual([104, 105]);
      s.deleteDomainRecord(3);
      s.deleteBuffers(1);
      s.deleteRecord('xen.host');
    });
    withHostSync(env, (s) => {
      expect(s.domids()).toEqual([1]);
      expect(s.getBuffer(1, 'console.out')).toBeUndefined();
      expect(s.getRecord('xen.host')).toBeUndefined();
    });
  });
});

describe('clock and events', () => {
  test('events run in (time, seq) order, each at its own time; handlers may schedule', async () => {
    const env = manual();
    trace.length = 0;
    await withHost(env, (s) => {
      s.events.schedule(3 * S, 'test.trace', { tag: 'c' });
      s.events.schedule(1 * S, 'test.trace', { tag: 'a' });
      s.events.schedule(3 * S, 'test.trace', { tag: 'd' });
      s.events.schedule(2 * S, 'test.chain', { n: 2 });
      s.events.schedule(10 * S, 'test.trace', { tag: 'late' });
    });
    expect(trace).toEqual([]);
    const [now, ran] = await withHost(env, (s) => {
      const n = s.clock.advance(5 * S);
      return [s.clock.now(), n];
    });
    expect(now).toBe(5 * S);
    expect(ran).toBe(6);
    expect(trace).toEqual(['1:a', '2:chain2', '3:c', '3:d', '3:chain1', '4:chain0']);
    const log = await withHost(env, (s) => s.eventLog().map((e) => [e.at / S, e.text]));
    expect(log).toEqual([
      [1, 'a'],
      [3, 'c'],
      [3, 'd'],
    ]);
  });

  test('a manual clock stays put between commands; due events run at the next command', async () => {
    const env = manual();
    trace.length = 0;
    await withHost(env, (s) => s.events.after(0, 'test.trace', { tag: 'now' }));
    expect(trace).toEqual([]);
    expect(await withHost(env, (s) => s.clock.now())).toBe(0);
    expect(trace).toEqual(['0:now']);
  });

  test('a real clock follows wall time', async () => {
    const env = { XLSIM_HOME: home(), XLSIM_CLOCK: 'real' };
    const t0 = await withHost(env, (s) => s.clock.now());
    await new Promise((r) => setTimeout(r, 120));
    const t1 = await withHost(env, (s) => s.clock.now());
    expect(t1 - t0).toBeGreaterThanOrEqual(100e6);
    expect(t1 - t0).toBeLessThan(5 * S);
    // advance jumps ahead on a real clock too; switching to manual freezes it
    const t2 = await withHost(env, (s) => {
      s.clock.advance(60 * S);
      s.clock.setMode('manual');
      return s.clock.now();
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(await withHost(env, (s) => s.clock.now())).toBe(t2);
    expect(t2 - t1).toBeGreaterThanOrEqual(60 * S);
  });

  test('wall clock: the profile epoch on a manual clock', async () => {
    const env = manual();
    const w = await withHost(env, (s) => {
      s.clock.advance(1.5 * S);
      return [s.clock.bootEpochMs, s.clock.wallMs()];
    });
    expect(w).toEqual([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + 1500]);
  });

  test('cancel, cancelWhere, pending, next, due', async () => {
    const env = manual();
    await withHost(env, (s) => {
      const a = s.events.schedule(5 * S, 'test.trace', { tag: 'a' }, { domid: 1 });
      s.events.schedule(6 * S, 'test.trace', { tag: 'b' }, { domid: 2 });
      s.events.schedule(7 * S, 'test.chain', { n: 0 }, { domid: 1 });
      expect(s.events.next()).toMatchObject({ seq: a, at: 5 * S, kind: 'test.trace', domid: 1, payload: { tag: 'a' } });
      expect(s.events.due()).toEqual([]);
      expect(s.events.cancelWhere({ domid: 1 })).toBe(2);
      expect(s.events.pending().map((e) => e.payload)).toEqual([{ tag: 'b' }]);
      expect(s.events.cancel(a)).toBe(false);
      expect(s.events.cancel(s.events.next()!.seq)).toBe(true);
      expect(s.events.pending()).toEqual([]);
      // the past is clamped to now
      s.clock.advance(S);
      expect(s.events.schedule(0, 'test.trace', { tag: 'x' })).toBeGreaterThan(0);
      expect(s.events.due().map((e) => e.at)).toEqual([S]);
    });
  });

  test('an event with no handler fails the command and changes nothing', async () => {
    const env = manual();
    await withHost(env, (s) => s.events.after(S, 'nobody.handles.this', {}));
    const db = path.join(env.XLSIM_HOME, 'hosts', 'default.db');
    const before = dumpDb(db);
    await expect(withHost(env, (s) => s.clock.advance(2 * S))).rejects.toThrow(UnknownEventKind);
    await expect(withHost(env, (s) => s.clock.advance(2 * S))).rejects.toThrow("no handler registered for simulated event kind 'nobody.handles.this'");
    expect(dumpDb(db)).toBe(before);
  });

  test('a failing handler rolls back the command', async () => {
    const env = manual();
    await withHost(env, (s) => s.events.after(S, 'test.boom', {}));
    await expect(withHost(env, (s) => s.clock.advance(S))).rejects.toThrow('handler failed');
    expect(await withHost(env, (s) => [s.clock.now(), s.events.pending().length])).toEqual([0, 1]);
  });

  test('a handler may not advance the clock', async () => {
    registerEventHandler('test.advancer', (s: Session) => s.clock.advance(S));
    const env = manual();
    await withHost(env, (s) => s.events.after(S, 'test.advancer', {}));
    await expect(withHost(env, (s) => s.clock.advance(S))).rejects.toThrow('the clock cannot be advanced from inside an event handler');
  });

  test('a handle runs several short transactions', async () => {
    const env = manual();
    const h = openHost(env);
    try {
      for (let i = 0; i < 3; i++) await h.txn((s) => s.clock.advance(S));
      expect(h.txnSync((s) => s.clock.now())).toBe(3 * S);
    } finally {
      h.close();
    }
  });
});

describe('determinism', () => {
  async function script(seed: string) {
    const env = { XLSIM_HOME: home(), XLSIM_CLOCK: 'manual', XLSIM_SEED: seed };
    const out: string[] = [];
    for (let i = 0; i < 3; i++) {
      out.push(...(await withHost(env, (s) => [s.rng.uuid(), s.rng.mac(), String(s.rng.int(100))])));
    }
    return out;
  }

  test('same seed, same commands: same UUIDs and MACs, across commands', async () => {
    const a = await script('42');
    const b = await script('42');
    expect(a).toEqual(b);
    expect(new Set(a.filter((x) => x.length === 36)).size).toBe(3);
    expect(await script('43')).not.toEqual(a);
  });

  test('explicit seed and clock beat the environment and the profile', () => {
    const env = { XLSIM_HOME: home(), XLSIM_CLOCK: 'real', XLSIM_SEED: '5' };
    const r = createHost(env, 'x', { seed: 9, clock: 'manual' });
    expect([r.seed, r.clock]).toEqual([9, 'manual']);
    expect(withHostSync(env, (s) => [s.profile.clock.seed, s.clock.mode], { host: 'x' })).toEqual([9, 'manual']);
    expect(() => createHost({ ...env, XLSIM_SEED: 'x' }, 'y')).toThrow("xlsim: XLSIM_SEED='x' is not a non-negative integer");
  });
});
