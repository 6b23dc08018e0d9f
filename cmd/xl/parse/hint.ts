/**
 * Learner hints (DESIGN principle 1): an extra stderr line after a cryptic
 * xl message, prefixed "xlsim: hint:", only when stderr is a terminal or
 * XLSIM_HINTS=1, so scripts see exactly what real xl prints.
 */
import type { XlContext } from '../context';

export function hint(ctx: XlContext, text: string): void {
  if (ctx.io.stderr.isTTY || ctx.io.env.XLSIM_HINTS === '1') ctx.io.stderr.write(`xlsim: hint: ${text}\n`);
}
