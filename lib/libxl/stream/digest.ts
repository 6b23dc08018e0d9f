// The xlsim memory digest: proves the receiver ended with exactly the sender's
// memory image. It is a sum (mod 2^32, in two independently seeded lanes) of a
// per-page hash of (pfn, token) over every page that holds data at the end of the
// stream. A sum is order-independent and invertible, so a receiver can keep it
// current while later iterations overwrite pages, and a sender can compute it
// straight from its page table without replaying the stream. A page that was lost,
// a stale resend that overtook a newer one (reordering) or a token altered in
// transit all change the final image and so the digest.

// The per-page hash: two 32-bit lanes, each a short multiply/xor-shift chain that
// lets every bit of pfn and token reach the output. Cheap on purpose: it runs for
// every page on both ends of a migration (4 Mi pages for a 16 GiB guest).
export function laneA(pl: number, ph: number, lo: number, hi: number): number {
  let a = Math.imul(pl ^ 0x9e3779b9, 0x85ebca6b) ^ lo;
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35) ^ hi ^ ph;
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  return (a ^ (a >>> 13)) >>> 0;
}

export function laneB(pl: number, ph: number, lo: number, hi: number): number {
  let b = Math.imul(hi ^ 0x7f4a7c15, 0x27d4eb2f) ^ pl;
  b = Math.imul(b ^ (b >>> 15), 0x165667b1) ^ lo ^ ph;
  b = Math.imul(b ^ (b >>> 16), 0x27d4eb2f);
  return (b ^ (b >>> 15)) >>> 0;
}

/** The digest as it travels: page count and the two 32-bit lanes (lo = lane A). */
export interface MemoryDigestValue {
  readonly pages: number;
  readonly lo: number;
  readonly hi: number;
}

export function digestEquals(a: MemoryDigestValue, b: MemoryDigestValue): boolean {
  return a.pages === b.pages && a.lo === b.lo && a.hi === b.hi;
}

export function formatDigest(d: MemoryDigestValue): string {
  return `${d.pages} pages, 0x${d.hi.toString(16).padStart(8, '0')}${d.lo.toString(16).padStart(8, '0')}`;
}

const TWO32 = 2 ** 32;

/** Order-independent accumulator over (pfn, token) pairs; tokens as two u32 halves. */
export class MemoryDigest {
  private a = 0;
  private b = 0;
  private n = 0;

  /** An accumulator that starts from a digest already known. */
  static from(v: MemoryDigestValue): MemoryDigest {
    const d = new MemoryDigest();
    d.a = v.lo >>> 0;
    d.b = v.hi >>> 0;
    d.n = v.pages;
    return d;
  }

  add(pfn: number, tokLo: number, tokHi: number): void {
    const pl = pfn >>> 0;
    const ph = pfn > 0xffffffff ? (pfn / TWO32) >>> 0 : 0;
    this.a = (this.a + laneA(pl, ph, tokLo, tokHi)) >>> 0;
    this.b = (this.b + laneB(pl, ph, tokLo, tokHi)) >>> 0;
    this.n++;
  }

  remove(pfn: number, tokLo: number, tokHi: number): void {
    const pl = pfn >>> 0;
    const ph = pfn > 0xffffffff ? (pfn / TWO32) >>> 0 : 0;
    this.a = (this.a - laneA(pl, ph, tokLo, tokHi)) >>> 0;
    this.b = (this.b - laneB(pl, ph, tokLo, tokHi)) >>> 0;
    this.n--;
  }

  /**
   * Pages firstPfn, firstPfn + 1, ... with tokens gens[i] (high word 0): the
   * same sum as add() per page, in one loop over a generation table.
   */
  addGenerations(firstPfn: number, gens: Uint32Array): void {
    if (firstPfn + gens.length > 0x100000000) {
      for (let i = 0; i < gens.length; i++) this.add(firstPfn + i, gens[i]!, 0);
      return;
    }
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < gens.length; i++) {
      const pl = (firstPfn + i) >>> 0;
      const lo = gens[i]!;
      a = (a + laneA(pl, 0, lo, 0)) >>> 0;
      b = (b + laneB(pl, 0, lo, 0)) >>> 0;
    }
    this.a = a;
    this.b = b;
    this.n += gens.length;
  }

  /** Adds sums of laneA/laneB over pages (added minus removed) kept by a caller's own loop. */
  adjust(dA: number, dB: number, dPages: number): void {
    this.a = (this.a + dA) >>> 0;
    this.b = (this.b + dB) >>> 0;
    this.n += dPages;
  }

  addToken(pfn: number, token: bigint): void {
    this.add(pfn, Number(token & 0xffffffffn), Number((token >> 32n) & 0xffffffffn));
  }

  value(): MemoryDigestValue {
    return { pages: this.n, lo: this.a, hi: this.b };
  }
}

/** Digest of a whole memory image given as (pfn, token) pairs. */
export function digestOf(pages: Iterable<readonly [number, bigint]>): MemoryDigestValue {
  const d = new MemoryDigest();
  for (const [pfn, tok] of pages) d.addToken(pfn, tok);
  return d.value();
}

/** Digest of pfns[i] → tokens[i] (a sender's page table in array form). */
export function digestOfArrays(pfns: ArrayLike<number>, tokens: BigUint64Array): MemoryDigestValue {
  const d = new MemoryDigest();
  const w = new Uint32Array(tokens.buffer, tokens.byteOffset, tokens.length * 2);
  for (let i = 0; i < pfns.length; i++) d.add(pfns[i]!, w[2 * i]!, w[2 * i + 1]!);
  return d.value();
}
