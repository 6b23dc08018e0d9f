/** The Session implementation over one open host database (see session-types.ts). */
import { hostWallMs, syncedNow, type ClockMode, type ClockState } from '../lib/sim/clock';
import { UnknownEventKind, type EventFilter, type EventQueue, type ScheduleOptions, type SimEvent } from '../lib/sim/events';
import type { HostProfile } from '../lib/sim/profile';
import { Rng, type RngState } from '../lib/sim/rng';
import { XenStore } from '../lib/xenstore/store';
import type { HostDb } from './db';
import { eventHandler } from './hooks';
import type { Env, HostPaths } from './paths';
import type { DomainRecord, EventLogEntry, EventLogFilter, Session, SessionClock } from './session-types';
import { SqliteXsBackend } from './xsbackend';

export const REC_CLOCK = 'host.clock';
export const REC_RNG = 'host.rng';
export const REC_PROFILE = 'host.profile';
export const REC_INFO = 'host.info';

/** What state/ records about a host besides its profile. */
export interface HostInfo {
  name: string;
  /** the profile file it was created from */
  profileFile: string;
  seed: number;
  createdEpochMs: number;
}

interface EventRow {
  seq: number;
  at: number;
  kind: string;
  domid: number | null;
  payload: string;
}

function toEvent(r: EventRow): SimEvent {
  return { seq: r.seq, at: r.at, kind: r.kind, domid: r.domid, payload: JSON.parse(r.payload) as unknown };
}

function filterSql(f: EventFilter | undefined): { where: string; args: (string | number)[] } {
  const parts: string[] = [];
  const args: (string | number)[] = [];
  if (f?.kind !== undefined) {
    parts.push('kind = ?');
    args.push(f.kind);
  }
  if (f?.domid !== undefined) {
    parts.push('domid = ?');
    args.push(f.domid);
  }
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
}

export class HostSession implements Session {
  readonly xs: XenStore;
  readonly events: EventQueue;
  readonly clock: SessionClock;
  discarded = false;
  private clockState: ClockState;
  private readonly clockSaved: string;
  private nowNs: number;
  private rngObj: Rng | undefined;
  private profileObj: HostProfile | undefined;
  private running = false;

  constructor(
    private readonly h: HostDb,
    readonly paths: HostPaths,
    readonly env: Env,
    private readonly wallMs: number,
  ) {
    this.xs = new XenStore(new SqliteXsBackend(h), 0, true);
    const st = this.getRecord<ClockState>(REC_CLOCK);
    if (!st) throw new Error(`host '${h.hostName}' has no clock record`);
    this.clockState = st;
    this.clockSaved = JSON.stringify(st);
    this.nowNs = st.nowNs;
    this.events = this.makeQueue();
    this.clock = this.makeClock();
  }

  get hostName(): string {
    return this.h.hostName;
  }

  get profile(): HostProfile {
    if (!this.profileObj) {
      const p = this.getRecord<HostProfile>(REC_PROFILE);
      if (!p) throw new Error(`host '${this.h.hostName}' has no profile record`);
      this.profileObj = p;
    }
    return this.profileObj;
  }

  get rng(): Rng {
    if (!this.rngObj) {
      const st = this.getRecord<RngState>(REC_RNG);
      if (!st) throw new Error(`host '${this.h.hostName}' has no rng record`);
      this.rngObj = new Rng(st);
    }
    return this.rngObj;
  }

  // ---- time ---------------------------------------------------------------

  /** Brings the clock to now (real mode) and runs what fell due meanwhile. */
  sync(): void {
    this.runUntil(Math.max(this.nowNs, syncedNow(this.clockState, this.wallMs)));
  }

  private runUntil(target: number): number {
    if (this.running) {
      // A handler advancing the clock would reorder events; it may only schedule.
      throw new Error('the clock cannot be advanced from inside an event handler');
    }
    this.running = true;
    try {
      const next = this.h.stmt('SELECT seq, at, kind, domid, payload FROM events WHERE at <= ? ORDER BY at, seq LIMIT 1');
      const del = this.h.stmt('DELETE FROM events WHERE seq = ?');
      let ran = 0;
      for (;;) {
        const row = next.get(target) as EventRow | undefined;
        if (!row) break;
        del.run(row.seq);
        if (row.at > this.nowNs) this.nowNs = row.at;
        const handler = eventHandler(row.kind);
        if (!handler) throw new UnknownEventKind(row.kind);
        const ev = toEvent(row);
        handler(this, ev.payload, ev);
        ran++;
      }
      if (target > this.nowNs) this.nowNs = target;
      return ran;
    } finally {
      this.running = false;
    }
  }

  private makeClock(): SessionClock {
    const self = this;
    return {
      get mode(): ClockMode {
        return self.clockState.mode;
      },
      get bootEpochMs(): number {
        return self.clockState.bootEpochMs;
      },
      now: () => self.nowNs,
      wallMs: () => hostWallMs(self.clockState, self.nowNs),
      advance(ns: number): number {
        if (!Number.isFinite(ns) || ns < 0) throw new RangeError(`clock.advance: bad interval ${ns}`);
        return self.runUntil(self.nowNs + Math.round(ns));
      },
      advanceTo(atNs: number): number {
        return atNs > self.nowNs ? self.runUntil(Math.round(atNs)) : 0;
      },
      setMode(mode: ClockMode): void {
        self.clockState = { ...self.clockState, mode };
      },
    };
  }

  private makeQueue(): EventQueue {
    const h = this.h;
    const self = this;
    const queue: EventQueue = {
      schedule(atNs: number, kind: string, payload?: unknown, opts?: ScheduleOptions): number {
        if (!Number.isFinite(atNs)) throw new RangeError(`events.schedule: bad time ${atNs}`);
        const at = Math.max(Math.round(atNs), self.nowNs);
        const r = h.stmt('INSERT INTO events (at, kind, domid, payload) VALUES (?, ?, ?, ?)').run(at, kind, opts?.domid ?? null, JSON.stringify(payload ?? null));
        return Number(r.lastInsertRowid);
      },
      after(delayNs: number, kind: string, payload?: unknown, opts?: ScheduleOptions): number {
        return queue.schedule(self.nowNs + Math.max(0, delayNs), kind, payload, opts);
      },
      cancel(seq: number): boolean {
        return h.stmt('DELETE FROM events WHERE seq = ?').run(seq).changes > 0;
      },
      cancelWhere(filter: EventFilter): number {
        const { where, args } = filterSql(filter);
        if (!where) return h.stmt('DELETE FROM events').run().changes;
        return h.stmt(`DELETE FROM events ${where}`).run(...args).changes;
      },
      pending(filter?: EventFilter): SimEvent[] {
        const { where, args } = filterSql(filter);
        return (h.stmt(`SELECT seq, at, kind, domid, payload FROM events ${where} ORDER BY at, seq`).all(...args) as EventRow[]).map(toEvent);
      },
      due(): SimEvent[] {
        return (h.stmt('SELECT seq, at, kind, domid, payload FROM events WHERE at <= ? ORDER BY at, seq').all(self.nowNs) as EventRow[]).map(toEvent);
      },
      next(): SimEvent | undefined {
        const r = h.stmt('SELECT seq, at, kind, domid, payload FROM events ORDER BY at, seq LIMIT 1').get() as EventRow | undefined;
        return r && toEvent(r);
      },
    };
    return queue;
  }

  // ---- the event log ----------------------------------------------------------

  log(kind: string, text: string, domid: number | null = null): void {
    this.h.stmt('INSERT INTO event_log (at, domid, kind, text) VALUES (?, ?, ?, ?)').run(this.nowNs, domid, kind, text);
  }

  eventLog(filter: EventLogFilter = {}): EventLogEntry[] {
    const parts: string[] = [];
    const args: number[] = [];
    if (filter.domid !== undefined) {
      parts.push('domid = ?');
      args.push(filter.domid);
    }
    if (filter.afterId !== undefined) {
      parts.push('id > ?');
      args.push(filter.afterId);
    }
    const where = parts.length ? `WHERE ${parts.join(' AND ')}` : '';
    if (filter.limit !== undefined) {
      const rows = this.h.stmt(`SELECT id, at, domid, kind, text FROM event_log ${where} ORDER BY id DESC LIMIT ?`).all(...args, filter.limit) as EventLogEntry[];
      return rows.reverse();
    }
    return this.h.stmt(`SELECT id, at, domid, kind, text FROM event_log ${where} ORDER BY id`).all(...args) as EventLogEntry[];
  }

  // ---- records ------------------------------------------------------------------

  getRecord<T>(key: string): T | undefined {
    const s = this.h.stmt('SELECT data FROM records WHERE key = ?').pluck().get(key) as string | undefined;
    return s === undefined ? undefined : (JSON.parse(s) as T);
  }

  putRecord(key: string, value: unknown): void {
    this.h.stmt('INSERT INTO records (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data').run(key, JSON.stringify(value));
  }

  deleteRecord(key: string): void {
    this.h.stmt('DELETE FROM records WHERE key = ?').run(key);
  }

  domids(): number[] {
    return this.h.stmt('SELECT domid FROM domains ORDER BY domid').pluck().all() as number[];
  }

  domainRecords<T>(): DomainRecord<T>[] {
    // row by row: each record's JSON text is garbage as soon as it is
    // parsed, instead of all of them living until the last is (with a
    // thousand domains that was a megabyte the young-generation GC copied)
    const out: DomainRecord<T>[] = [];
    for (const [domid, data] of this.h.stmt('SELECT domid, data FROM domains ORDER BY domid').raw().iterate() as IterableIterator<[number, string]>) {
      out.push({ domid, data: JSON.parse(data) as T });
    }
    return out;
  }

  getDomainRecord<T>(domid: number): T | undefined {
    const s = this.h.stmt('SELECT data FROM domains WHERE domid = ?').pluck().get(domid) as string | undefined;
    return s === undefined ? undefined : (JSON.parse(s) as T);
  }

  putDomainRecord(domid: number, value: unknown): void {
    this.h.stmt('INSERT INTO domains (domid, data) VALUES (?, ?) ON CONFLICT (domid) DO UPDATE SET data = excluded.data').run(domid, JSON.stringify(value));
  }

  deleteDomainRecord(domid: number): void {
    this.h.stmt('DELETE FROM domains WHERE domid = ?').run(domid);
  }

  getBuffer(domid: number, name: string): Uint8Array | undefined {
    const b = this.h.stmt('SELECT data FROM buffers WHERE domid = ? AND name = ?').pluck().get(domid, name) as Buffer | undefined;
    return b === undefined ? undefined : new Uint8Array(b);
  }

  putBuffer(domid: number, name: string, data: Uint8Array): void {
    this.h.stmt('INSERT INTO buffers (domid, name, data) VALUES (?, ?, ?) ON CONFLICT (domid, name) DO UPDATE SET data = excluded.data').run(domid, name, Buffer.from(data));
  }

  deleteBuffers(domid: number, name?: string): void {
    if (name === undefined) this.h.stmt('DELETE FROM buffers WHERE domid = ?').run(domid);
    else this.h.stmt('DELETE FROM buffers WHERE domid = ? AND name = ?').run(domid, name);
  }

  discard(): void {
    this.discarded = true;
  }

  /** Saves the clock and generator if they moved; called before COMMIT. */
  flush(): void {
    const st: ClockState = { ...this.clockState, nowNs: this.nowNs, anchorWallMs: this.clockState.mode === 'real' ? this.wallMs : this.clockState.anchorWallMs };
    // In real mode the anchor moves with every sync; store only when time moved
    // or the mode changed, so a command on a manual host writes nothing it need not.
    const text = JSON.stringify(st);
    if (text !== this.clockSaved) this.putRecord(REC_CLOCK, st);
    if (this.rngObj?.dirty) this.putRecord(REC_RNG, this.rngObj.state());
  }
}
