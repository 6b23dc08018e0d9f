/**
 * Resolving which host a command means, and the one-command-one-transaction
 * wrapper every front end goes through.
 */
import fs from 'node:fs';
import { machineWallMs } from '../lib/sim/clock';
import { retryBusy, type HostDb } from './db';
import { acquireHostDb } from './conncache';
import { HostError, translateDbError } from './errors';
import type { HostBoot } from './hooks';
import { HostSession } from './hostsession';
import { checkName, createHost } from './hosts';
import { currentHostName, hostPaths, type Env, type HostPaths } from './paths';
import type { Session } from './session-types';
import { testKillPoint } from './testkill';

export interface WithHostOptions {
  /** the host to use instead of XLSIM_HOST / current / default */
  host?: string;
  /** builds dom0 and the initial store if the host is created now (default: setHostBoot's) */
  boot?: HostBoot;
  /** create "default" on first use (default true) */
  createDefault?: boolean;
}


/**
 * The host a command means (opts.host, XLSIM_HOST, `current`, "default"),
 * created first if it is "default" and missing. Front ends that read the
 * host's files (xl reads its xl.conf before anything else) call this first.
 */
export function ensureHost(env: Env, opts: WithHostOptions = {}): HostPaths {
  const name = opts.host ?? currentHostName(env);
  checkName(name);
  const paths = hostPaths(env, name);
  if (!fs.existsSync(paths.db)) {
    if (name === 'default' && opts.createDefault !== false) {
      createHost(env, 'default', { boot: opts.boot, ifMissing: true });
    } else {
      throw new HostError('missing', `xlsim: no such host '${name}' (create it with: xlsim host create ${name})`);
    }
  }
  return paths;
}

/** Per open transaction in this process (innermost last): what waits for its COMMIT. */
const commitQueues: Array<Array<() => void>> = [];

/**
 * Runs `fn` once the current transaction has committed, or never if it rolls
 * back (a SIGKILL, a throw, `s.discard()`); at once when none is open. For
 * effects outside the database — log files — so that a command that dies
 * half way leaves no line about something that never happened.
 */
export function onCommit(fn: () => void): void {
  const q = commitQueues[commitQueues.length - 1];
  if (q) q.push(fn);
  else fn();
}

function runQueue(q: Array<() => void>): void {
  let first: unknown;
  for (const fn of q) {
    try {
      fn();
    } catch (e) {
      first ??= e;
    }
  }
  if (first !== undefined) throw first;
}

/** An open host: run one or more transactions on it, then close it. */
export class HostHandle {
  private queue: Array<() => void> | undefined;

  private constructor(
    private readonly h: HostDb,
    readonly paths: HostPaths,
    private readonly env: Env,
  ) {}

  static open(env: Env, opts: WithHostOptions = {}): HostHandle {
    const paths = ensureHost(env, opts);
    return new HostHandle(acquireHostDb(paths.name, paths.db), paths, env);
  }

  get name(): string {
    return this.h.hostName;
  }

  private begin(): HostSession {
    retryBusy(this.h.hostName, () => this.h.db.exec('BEGIN IMMEDIATE'));
    testKillPoint('txn-begin');
    this.queue = [];
    commitQueues.push(this.queue);
    try {
      const s = new HostSession(this.h, this.paths, this.env, machineWallMs());
      s.sync();
      return s;
    } catch (e) {
      this.rollback();
      throw this.translate(e);
    }
  }

  private end(s: HostSession): void {
    if (s.discarded) {
      this.rollback();
      return;
    }
    s.flush();
    testKillPoint('txn-commit');
    retryBusy(this.h.hostName, () => this.h.db.exec('COMMIT'));
    testKillPoint('txn-committed');
    runQueue(this.dropQueue());
  }

  /** This transaction's onCommit queue, taken off the stack. */
  private dropQueue(): Array<() => void> {
    const q = this.queue;
    this.queue = undefined;
    if (!q) return [];
    const i = commitQueues.lastIndexOf(q);
    if (i >= 0) commitQueues.splice(i, 1);
    return q;
  }

  private rollback(): void {
    this.dropQueue();
    try {
      if (this.h.db.inTransaction) this.h.db.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back (e.g. after an I/O error); nothing to undo.
    }
  }

  private translate(e: unknown): unknown {
    return translateDbError(this.h.hostName, this.h.file, e);
  }

  /**
   * One transaction: BEGIN IMMEDIATE, bring the clock to now and run due
   * events, fn, save, COMMIT. If anything throws, ROLLBACK: the database is
   * exactly as before.
   */
  txnSync<T>(fn: (s: Session) => T): T {
    const s = this.begin();
    try {
      const r = fn(s);
      this.end(s);
      return r;
    } catch (e) {
      this.rollback();
      throw this.translate(e);
    }
  }

  /** txnSync for async work. The lock is held across awaits: never wait for the user inside. */
  async txn<T>(fn: (s: Session) => T | Promise<T>): Promise<T> {
    const s = this.begin();
    try {
      const r = await fn(s);
      this.end(s);
      return r;
    } catch (e) {
      this.rollback();
      throw this.translate(e);
    }
  }

  close(): void {
    this.h.close();
  }
}

export function openHost(env: Env, opts: WithHostOptions = {}): HostHandle {
  return HostHandle.open(env, opts);
}

/** The common case: open the host, one transaction, close. */
export async function withHost<T>(env: Env, fn: (s: Session) => T | Promise<T>, opts: WithHostOptions = {}): Promise<T> {
  const h = HostHandle.open(env, opts);
  try {
    return await h.txn(fn);
  } finally {
    h.close();
  }
}

export function withHostSync<T>(env: Env, fn: (s: Session) => T, opts: WithHostOptions = {}): T {
  const h = HostHandle.open(env, opts);
  try {
    return h.txnSync(fn);
  } finally {
    h.close();
  }
}

