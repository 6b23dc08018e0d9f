// The receiver's view of the guest's memory while a stream is read: the latest
// token of every pfn, kept in flat typed arrays (9 bytes a pfn) that grow by
// powers of two up to the highest pfn seen, as xg_sr_restore.c grows its populated
// bitmap. The running digest is updated as pages are (re)written, so the final check
// costs nothing.

import { laneA, laneB, MemoryDigest, type MemoryDigestValue } from './digest';

const ONES = Buffer.alloc(1 << 16, 1);

export class PageTokenMap {
  private lo = new Uint32Array(0);
  /** high token words: only once one is not 0 (an xlsim sender's never are) */
  private hi: Uint32Array | null = null;
  private present = new Uint8Array(0);
  /** every pfn holding data is below this (pages arrive in ascending order at first) */
  private highWater = 0;
  private readonly digest = new MemoryDigest();
  /** no token with a non-zero high word was ever stored (an xlsim sender's generations) */
  lowWordsOnly = true;

  /** Highest pfn that may be stored; the caller checks ranges before set(). */
  constructor(readonly maxPfn: number) {}

  private grow(pfn: number): void {
    let size = Math.max(1024, this.present.length);
    while (size <= pfn) size *= 2;
    this.reserve(size);
  }

  /** Room for pfns [0, n) at once (a receiver that knows the guest's size), instead of growing by doubling. */
  reserve(n: number): void {
    const size = Math.min(n, this.maxPfn + 1);
    if (size <= this.present.length) return;
    const lo = new Uint32Array(size);
    lo.set(this.lo);
    const hi = this.hi ? new Uint32Array(size) : null;
    if (hi && this.hi) hi.set(this.hi);
    const pr = new Uint8Array(size);
    pr.set(this.present);
    this.lo = lo;
    this.hi = hi;
    this.present = pr;
  }

  private highWords(): Uint32Array {
    this.hi ??= new Uint32Array(this.present.length);
    return this.hi;
  }

  set(pfn: number, tokLo: number, tokHi: number): void {
    if (pfn >= this.present.length) this.grow(pfn);
    if (this.present[pfn]) this.digest.remove(pfn, this.lo[pfn]!, this.hi ? this.hi[pfn]! : 0);
    this.lo[pfn] = tokLo;
    if (tokHi) {
      this.highWords()[pfn] = tokHi;
      this.lowWordsOnly = false;
    } else if (this.hi) this.hi[pfn] = 0;
    this.present[pfn] = 1;
    if (pfn >= this.highWater) this.highWater = pfn + 1;
    this.digest.add(pfn, tokLo, tokHi);
  }

  /**
   * set() for pfns[i] → (words[2i], words[2i+1]), i < n: one PAGE_DATA
   * batch in a loop without a call per page. The caller checked the pfns
   * and knows the highest (top).
   */
  setBatch(pfns: Float64Array, words: Uint32Array, n: number, top: number): void {
    if (top > 0x7fffffff) {
      for (let i = 0; i < n; i++) this.set(pfns[i]!, words[2 * i]!, words[2 * i + 1]!);
      return;
    }
    if (top >= this.present.length) this.grow(top);
    let highBits = 0;
    for (let i = 1; i < 2 * n; i += 2) highBits |= words[i]!;
    const lo = this.lo;
    const hi = highBits ? this.highWords() : this.hi;
    const pr = this.present;
    // pfns fit in 31 bits here: small-integer indices, and the lanes' high pfn word is 0
    let a = 0;
    let b = 0;
    let pages = 0;
    for (let i = 0; i < n; i++) {
      const pfn = pfns[i]! | 0;
      if (pr[pfn]) {
        const oh = hi ? hi[pfn]! : 0;
        a = (a - laneA(pfn, 0, lo[pfn]!, oh)) | 0;
        b = (b - laneB(pfn, 0, lo[pfn]!, oh)) | 0;
        pages--;
      }
      const l = words[2 * i]!;
      const h = words[2 * i + 1]!;
      lo[pfn] = l;
      if (hi) hi[pfn] = h;
      pr[pfn] = 1;
      a = (a + laneA(pfn, 0, l, h)) | 0;
      b = (b + laneB(pfn, 0, l, h)) | 0;
      pages++;
    }
    if (top >= this.highWater) this.highWater = top + 1;
    this.digest.adjust(a, b, pages);
    if (highBits) this.lowWordsOnly = false;
  }

  /**
   * set() for the n consecutive pfns first, first + 1, ... whose tokens are
   * the (low, high) word pairs at src[at], src[at + 1], ...: a PAGE_DATA batch
   * that is one run of pages, as a sender's batches all but always are. Loops
   * without a call per page; pages already held (a resend in a later
   * iteration) first leave the digest.
   */
  setRun(first: number, src: Uint32Array, at: number, n: number): void {
    const end = first + n;
    let highBits = 0;
    for (let w = at + 1; w < at + 2 * n; w += 2) highBits |= src[w]!;
    if (end > 0x7fffffff || highBits) {
      for (let i = 0, w = at; i < n; i++, w += 2) this.set(first + i, src[w]!, src[w + 1]!);
      return;
    }
    if (end > this.present.length) this.grow(end - 1);
    const lo = this.lo;
    const hi = this.hi;
    const pr = this.present;
    let a = 0;
    let b = 0;
    let pages = n;
    // a run above every page held is all new (the first iteration's every run)
    const fresh = first >= this.highWater;
    if (!fresh) {
      for (let p = first; p < end; p++) {
        if (!pr[p]) continue;
        const oh = hi ? hi[p]! : 0;
        a = (a - laneA(p, 0, lo[p]!, oh)) | 0;
        b = (b - laneB(p, 0, lo[p]!, oh)) | 0;
        pages--;
      }
    }
    for (let p = first, w = at; p < end; p++, w += 2) {
      const l = src[w]!;
      // a fresh run's table is still 0: a page never written (token 0, most
      // of an idle guest) is not stored, so that part of it is never touched
      if (l !== 0 || !fresh) lo[p] = l;
      a = (a + laneA(p, 0, l, 0)) | 0;
      b = (b + laneB(p, 0, l, 0)) | 0;
    }
    if (hi) hi.fill(0, first, end);
    pr.fill(1, first, end);
    if (end > this.highWater) this.highWater = end;
    this.digest.adjust(a, b, pages);
  }

  /** How many pfns in [from, to) hold data. */
  countPresent(from: number, to: number): number {
    const pr = this.present;
    const end = Math.min(to, pr.length);
    let n = 0;
    let p = from;
    // whole blocks at once where every pfn holds data (a received guest's RAM)
    const bytes = Buffer.from(pr.buffer, pr.byteOffset, pr.byteLength);
    for (; p + ONES.length <= end; p += ONES.length) {
      if (bytes.subarray(p, p + ONES.length).equals(ONES)) n += ONES.length;
      else for (let q = p; q < p + ONES.length; q++) n += pr[q]!;
    }
    for (; p < end; p++) n += pr[p]!;
    return n;
  }

  /**
   * The low token words of pfns [from, from + n) as a view of the table
   * (no copy), for pfns that all hold data (countPresent() says so).
   */
  lowWordsView(from: number, n: number): Uint32Array {
    return this.lo.subarray(from, from + n);
  }

  /** A pfn sent without data (XTAB, BROKEN, XALLOC) holds no content afterwards. */
  clear(pfn: number): void {
    if (pfn < this.present.length && this.present[pfn]) {
      this.digest.remove(pfn, this.lo[pfn]!, this.hi ? this.hi[pfn]! : 0);
      this.present[pfn] = 0;
    }
  }

  get(pfn: number): bigint | undefined {
    if (pfn >= this.present.length || !this.present[pfn]) return undefined;
    return (BigInt(this.hi ? this.hi[pfn]! : 0) << 32n) | BigInt(this.lo[pfn]!);
  }

  get size(): number {
    return this.digest.value().pages;
  }

  value(): MemoryDigestValue {
    return this.digest.value();
  }

  /** Every pfn holding data, ascending, with its token's two halves (no BigInt per page). */
  forEachPage(fn: (pfn: number, tokLo: number, tokHi: number) => void): void {
    const pr = this.present;
    const hi = this.hi;
    for (let p = 0; p < pr.length; p++) if (pr[p]) fn(p, this.lo[p]!, hi ? hi[p]! : 0);
  }

  /** Every pfn holding data, ascending, with its token. */
  *entries(): IterableIterator<[number, bigint]> {
    for (let p = 0; p < this.present.length; p++) {
      if (this.present[p]) yield [p, (BigInt(this.hi ? this.hi[p]! : 0) << 32n) | BigInt(this.lo[p]!)];
    }
  }
}
