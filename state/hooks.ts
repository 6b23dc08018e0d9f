/**
 * Where the upper layers plug into a host: handlers for event kinds, and
 * the boot routine that builds dom0 and the initial xenstore when a host is
 * created. Registration happens once per process in the composition root
 * (the front end), before any host is opened; state/ knows neither the
 * hypervisor model nor the toolstack.
 */
import type { SimEvent } from '../lib/sim/events';
import type { Session } from './session-types';

export type EventHandler = (s: Session, payload: unknown, ev: SimEvent) => void;
export type HostBoot = (s: Session) => void;

const handlers = new Map<string, EventHandler>();
let bootHook: HostBoot | undefined;

/** Registers the handler for events of `kind` (replacing any earlier one). */
export function registerEventHandler(kind: string, handler: EventHandler): void {
  handlers.set(kind, handler);
}

export function eventHandler(kind: string): EventHandler | undefined {
  return handlers.get(kind);
}

/** The boot routine used when a host is created without an explicit one. */
export function setHostBoot(boot: HostBoot | undefined): void {
  bootHook = boot;
}

export function hostBoot(): HostBoot | undefined {
  return bootHook;
}
