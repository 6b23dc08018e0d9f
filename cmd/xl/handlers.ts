/**
 * Maps the C entry points named in the command table to their code. A
 * command that is not built yet says so honestly instead of pretending.
 */
import type { XlContext } from './context';
import { consoleHandlers } from './reg-console';
import { createHandlers } from './reg-create';
import { devicesHandlers } from './reg-devices';
import { lifecycleHandlers } from './reg-lifecycle';
import { schedHandlers } from './reg-sched';
import { topHandlers } from './reg-top';
import { saverestoreHandlers } from './reg-saverestore';

/** A command: gets C's argv (argv[0] is the command name as typed), returns the exit status. */
export type Handler = (ctx: XlContext, argv: string[]) => number | Promise<number>;

export const HANDLERS: Record<string, Handler> = {
  ...lifecycleHandlers,
  ...createHandlers,
  ...topHandlers,
  ...schedHandlers,
  ...saverestoreHandlers,
  ...consoleHandlers,
  // last: channel-list is the devices area's (libxl numbers channels from 0)
  ...devicesHandlers,
};
