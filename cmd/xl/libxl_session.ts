/**
 * xl's libxl_ctx for one command: the host opened through a session (one
 * transaction), with xl's logger handed down to the library.
 */
import { withCtx, type LibxlCtx } from '../../lib/libxl/ctx';
import type { XlContext } from './context';

export function withLibxl<T>(ctx: XlContext, fn: (lx: LibxlCtx) => T): T {
  return withCtx({ env: ctx.io.env, xtl: ctx.logger }, fn);
}
