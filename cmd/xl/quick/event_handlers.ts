/**
 * Stands for lib/libxl/event_handlers.ts in the quick `xl list` bundle: no
 * event kind has a handler here, so a host with events due stops with
 * UnknownEventKind before the command runs (entry.ts hands it over), and
 * there is no guest model to hook into.
 */
import type * as real from '../../../lib/libxl/event_handlers';
import { handOver } from './handover';

export type { LibxlEventHandler } from '../../../lib/libxl/event_handlers';

export const installEventHandlers: typeof real.installEventHandlers = () => {};

export const guestHooksFor: typeof real.guestHooksFor = () => handOver('reach the guest model');
