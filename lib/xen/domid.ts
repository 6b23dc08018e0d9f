/**
 * Domain id allocation as Xen's domid_alloc does it: explicit ids are taken
 * if free; DOMID_ANY searches upward from just after the last id handed out
 * and wraps to 1, so id 0 is never handed out automatically and ids keep
 * rising after a destroy instead of reusing the lowest free one.
 */
import { DOMID_ANY, DOMID_FIRST_RESERVED } from './constants';

export interface DomidAlloc {
  domid: number;
  /** the cursor after the call (only moved by DOMID_ANY searches) */
  last: number;
}

export function allocDomid(used: ReadonlySet<number>, last: number, requested: number): DomidAlloc | undefined {
  if (requested >= DOMID_FIRST_RESERVED && requested !== DOMID_ANY) return undefined;
  if (requested < DOMID_FIRST_RESERVED) {
    return used.has(requested) ? undefined : { domid: requested, last };
  }
  const firstFree = (from: number, bound: number): number | undefined => {
    for (let id = from; id < bound; id++) if (!used.has(id)) return id;
    return undefined;
  };
  let id = firstFree(last + 1, DOMID_FIRST_RESERVED);
  // The wrap-around pass ends at the cursor inclusive, as Xen's bound does.
  if (id === undefined && last !== 0) id = firstFree(1, last + 1);
  return id === undefined ? undefined : { domid: id, last: id };
}
