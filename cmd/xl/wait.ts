/**
 * How a waiting xl command waits (libxl_event_wait, the xswait timeouts,
 * the foreground monitor loop): see lib/libxl/event_wait.ts. `check` runs
 * in the command and may print.
 */
import { waitOnHost, type WaitStep } from '../../lib/libxl/event_wait';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import type { XlContext } from './context';

export type { WaitStep };

export function waitFor<T>(ctx: XlContext, check: (lx: LibxlCtx) => WaitStep<T>): Promise<T> {
  return waitOnHost(ctx.io.env, ctx.logger, check);
}
