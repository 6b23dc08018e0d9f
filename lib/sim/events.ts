/**
 * The host's persistent event queue. Everything that takes time in Xen (a
 * guest's boot, ballooning, the shutdown acknowledgement, the reboot delay,
 * migration rounds, the domid reuse embargo) is an event due at some
 * simulated time. Events run in (time, sequence) order whenever a command
 * moves the clock past them, each one seeing the clock at its own due time.
 * The queue itself lives in the host database (state/); this file is the
 * shape every layer sees.
 */

export interface SimEvent<P = unknown> {
  /** scheduling order; breaks ties between events due at the same time */
  readonly seq: number;
  /** due time, ns of simulated time since host boot */
  readonly at: number;
  /** handler name, e.g. "guest.boot" — registered by the upper layers */
  readonly kind: string;
  /** the domain the event concerns, if any (lets destroy cancel them all) */
  readonly domid: number | null;
  readonly payload: P;
}

export interface ScheduleOptions {
  domid?: number;
}

export interface EventFilter {
  kind?: string;
  domid?: number;
}

export interface EventQueue {
  /** Queues `kind` at absolute time `atNs` (clamped to now if in the past); returns its seq. */
  schedule(atNs: number, kind: string, payload?: unknown, opts?: ScheduleOptions): number;
  /** Queues `kind` `delayNs` after the current simulated time. */
  after(delayNs: number, kind: string, payload?: unknown, opts?: ScheduleOptions): number;
  /** Removes one event; false if it had already run or was cancelled. */
  cancel(seq: number): boolean;
  /** Removes every pending event matching the filter; returns how many. */
  cancelWhere(filter: EventFilter): number;
  /** Pending events matching the filter, in run order. */
  pending(filter?: EventFilter): SimEvent[];
  /** Events already due (at ≤ now) that have not run yet, in run order. */
  due(): SimEvent[];
  /** The next pending event, if any. */
  next(): SimEvent | undefined;
}

/** Raised when an event is due whose kind no layer registered a handler for. */
export class UnknownEventKind extends Error {
  constructor(readonly kind: string) {
    super(`no handler registered for simulated event kind '${kind}'`);
  }
}
