/**
 * What a command sees of its host while it holds the host's lock: one
 * SQLite transaction, opened by withHost() (state/host.ts). Everything
 * written through a Session commits together or not at all.
 *
 * Records are plain JSON: get returns a fresh copy, and nothing is saved
 * unless put back (write-through, so only what changed is written).
 */
import type { ClockMode } from '../lib/sim/clock';
import type { EventQueue } from '../lib/sim/events';
import type { HostProfile } from '../lib/sim/profile';
import type { Rng } from '../lib/sim/rng';
import type { XenStore } from '../lib/xenstore/store';
import type { Env, HostPaths } from './paths';

export interface SessionClock {
  readonly mode: ClockMode;
  /** simulated ns since the host booted (Xen's NOW()) */
  now(): number;
  /** the host's wall clock, ms since the epoch (boot time + now) */
  wallMs(): number;
  /** when the host booted, ms since the epoch */
  readonly bootEpochMs: number;
  /** Moves time forward by `ns`, running every event that falls due, in order; returns how many ran. */
  advance(ns: number): number;
  /** Moves time forward to `atNs` (no-op if already past), running due events; returns how many ran. */
  advanceTo(atNs: number): number;
  /** Switches real/manual; simulated time stays where it is. */
  setMode(mode: ClockMode): void;
}

export interface EventLogEntry {
  id: number;
  /** ns since host boot */
  at: number;
  domid: number | null;
  kind: string;
  text: string;
}

export interface EventLogFilter {
  domid?: number;
  /** only entries with id > afterId (for following the log) */
  afterId?: number;
  /** the last `limit` entries */
  limit?: number;
}

export interface DomainRecord<T> {
  domid: number;
  data: T;
}

export interface Session {
  readonly hostName: string;
  readonly paths: HostPaths;
  readonly env: Env;
  /** the host's profile, as validated when the host was created */
  readonly profile: HostProfile;
  readonly clock: SessionClock;
  readonly events: EventQueue;
  /** the host's seeded generator; every random choice must come from it */
  readonly rng: Rng;
  /** the store as dom0 sees it; `xs.as(domid)` for a guest's view */
  readonly xs: XenStore;

  /** Appends to the host's event log (for `xlsim events`), stamped with now. */
  log(kind: string, text: string, domid?: number | null): void;
  eventLog(filter?: EventLogFilter): EventLogEntry[];

  /** Host-level records by key (JSON). Keys "host.*" are reserved for state/. */
  getRecord<T>(key: string): T | undefined;
  putRecord(key: string, value: unknown): void;
  deleteRecord(key: string): void;

  /** Per-domain records (JSON), ordered by domid. */
  domids(): number[];
  domainRecords<T>(): DomainRecord<T>[];
  getDomainRecord<T>(domid: number): T | undefined;
  putDomainRecord(domid: number, value: unknown): void;
  deleteDomainRecord(domid: number): void;

  /** Named byte buffers per domain (console rings, logs), kept as blobs. */
  getBuffer(domid: number, name: string): Uint8Array | undefined;
  putBuffer(domid: number, name: string, data: Uint8Array): void;
  /** Deletes one buffer, or all of a domain's when `name` is omitted. */
  deleteBuffers(domid: number, name?: string): void;

  /** Ends the command without committing anything it wrote. */
  discard(): void;
}
