/**
 * What the composition root plugs into a host: the handler of every event
 * kind the upper layers schedule (the guest model through GuestGlue, xl's
 * monitor restarting a domain, frontends and backends moving through
 * XenbusState, paging faults), and the guest hooks libxl calls into.
 *
 * Apart from compose.ts because it reaches most of libxl and the whole
 * guest model. The quick `xl list` bundle (cmd/xl/quick/) is built with
 * this module replaced by one that registers no handler and has no guest:
 * a command there that needs either is handed to the full xl.
 */
import { GUEST_EVENT_KINDS } from '../guest/guest';
import type { SimEvent } from '../sim/events';
import type { GuestHooks, LibxlCtx } from './ctx';
import { XENBUS_EVENT, onXenbusEvent } from './devices-xenbus';
import { GuestGlue } from './guest_glue';
import { monitorRestart, type RestartPayload } from './monitor';
import { onPagingFault, PAGING_FAULT_EVENT } from './paging';

export type LibxlEventHandler = (lx: LibxlCtx, payload: unknown, ev: SimEvent) => void;

/** Calls `handle` once for each event kind and its handler. */
export function installEventHandlers(handle: (kind: string, fn: LibxlEventHandler) => void): void {
  for (const kind of GUEST_EVENT_KINDS) {
    handle(kind, (lx, payload) => new GuestGlue(() => lx).onEvent(kind, payload));
  }
  handle('xl.monitor.restart', (lx, payload) => monitorRestart(lx, payload as RestartPayload));
  // frontends and backends moving through XenbusState with the guest's drivers
  handle(XENBUS_EVENT, (lx, payload) => onXenbusEvent(lx, payload));
  handle(PAGING_FAULT_EVENT, (lx, payload) => onPagingFault(lx, payload));
}

/** The guest hooks of a ctx (`lx` is read when a hook runs, not now). */
export function guestHooksFor(lx: () => LibxlCtx): GuestHooks {
  return new GuestGlue(lx).hooks;
}
