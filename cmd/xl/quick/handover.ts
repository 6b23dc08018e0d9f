/**
 * A quick bundle lacks most of xl (see entry.ts). Where a command would
 * need what it lacks, it stops with HandOver: nothing is committed (the
 * transaction rolls back on the throw) and nothing has been printed (the
 * list bundle holds its output; the create bundle hands over only a command
 * it does not have, before it starts), so the full xl can run the command
 * from the start.
 */
export class HandOver extends Error {
  constructor(readonly why: string) {
    super(`the quick bundle cannot ${why}`);
  }
}

let handedOver = false;

/** True once anything asked for a hand-over (even if some caller caught it). */
export function handOverAsked(): boolean {
  return handedOver;
}

export function handOver(why: string): never {
  handedOver = true;
  throw new HandOver(why);
}
