/** A ctx that logs through another logger (xl's monitor log, a caller's stderr). */
import type { Xtl } from '../util/xtl';
import type { LibxlCtx } from './ctx';

export function withXtl(lx: LibxlCtx, xtl: Xtl): LibxlCtx {
  return Object.create(lx, { xtl: { value: xtl, enumerable: true } }) as LibxlCtx;
}
