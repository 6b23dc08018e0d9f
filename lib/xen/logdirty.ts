/**
 * Guest page contents and log-dirty (XEN_DOMCTL_shadow_op ENABLE_LOGDIRTY /
 * CLEAN / PEEK / OFF), as paging.c keeps them.
 *
 * A page's contents are modelled by a generation number (bumped on every
 * write by the guest workload); the migration stream carries it as the
 * page's content token. Most pages are never written, so generations are
 * persisted sparse (index → generation) as two packed arrays; the
 * dirty bitmap exists only while log-dirty is on (one migration or save),
 * in memory — a 16 GiB guest (4 Mi pages) costs 4 Mi bits of bitmap.
 *
 * Page index i is the i-th populated page of the guest. PV guests' pfns are
 * the indices; HVM/PVH guests' RAM skips the MMIO hole below 4 GiB
 * (pfns 0xf0000..0xfffff), as hvmloader's default map does.
 */

export type PagingMode = 'shadow' | 'hap' | 'hap-pml';

/** The low-RAM end of an HVM guest (3.75 GiB), where the MMIO hole starts. */
export const HVM_LOWMEM_END_PFN = 0xf0000;
export const HVM_HIGHMEM_START_PFN = 0x100000;

/** XEN_DOMCTL_SHADOW_OP_* */
export const SHADOW_OP = { OFF: 0, CLEAN: 11, PEEK: 12, ENABLE_LOGDIRTY: 2 } as const;
/** XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL */
export const SHADOW_LOGDIRTY_FINAL = 1;

export function pfnOfIndex(hvm: boolean, i: number): number {
  return hvm && i >= HVM_LOWMEM_END_PFN ? i + (HVM_HIGHMEM_START_PFN - HVM_LOWMEM_END_PFN) : i;
}

export function indexOfPfn(hvm: boolean, pfn: number): number {
  if (!hvm || pfn < HVM_LOWMEM_END_PFN) return pfn;
  if (pfn < HVM_HIGHMEM_START_PFN) return -1;
  return pfn - (HVM_HIGHMEM_START_PFN - HVM_LOWMEM_END_PFN);
}

/**
 * What is persisted per domain: the page count and the pages ever written,
 * in one of two forms, whichever is smaller: sparse (each written page's
 * index and generation), or dense (every page's generation across the span
 * from the first written page to the last, 0 for one never written, in as
 * few bytes as the largest generation needs): a working set that a workload
 * wrote all over is stored in a byte a page instead of eight.
 */
export interface PageImageData {
  hvm: boolean;
  nrPages: number;
  /** sparse: base64 of Uint32Array: indices of written pages, ascending */
  idx?: string;
  /** sparse: base64 of Uint32Array: their generations */
  gen?: string;
  /** dense: index of the first page of `dense` */
  base?: number;
  /** dense: bytes per generation (1, 2 or 4) */
  width?: number;
  /** dense: base64 of the generations from `base` on, `width` bytes each, little-endian */
  dense?: string;
}

function pack(a: Uint32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function unpack(s: string): Uint32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Uint32Array(b.length >>> 2);
  Buffer.from(out.buffer).set(b.subarray(0, out.length * 4));
  return out;
}

/** pages per block that writtenCount() compares with zeros at once */
const ZERO_BLOCK = 16384;
const ZEROS = Buffer.alloc(4 * ZERO_BLOCK);

/**
 * The contents of a guest's memory: generation of every page (0 = never
 * written). Dense while in memory (4 bytes a page: 16 MiB for a 16 GiB
 * guest, only while a command works on it) so that a save can walk millions
 * of pages without a lookup each; persisted sparse.
 */
export class PageImage {
  private gens: Uint32Array;
  /**
   * The journal: pages changed since startJournal() (each once, with its
   * generation before the first change), for a caller that keeps something
   * derived from the contents (a digest) and updates it only for these.
   */
  private journalBits: Uint8Array | null = null;
  private journalIdx: number[] = [];
  private journalGen: number[] = [];

  constructor(readonly hvm: boolean, nrPages: number) {
    this.gens = new Uint32Array(nrPages);
  }

  static load(d: PageImageData): PageImage {
    const p = new PageImage(d.hvm, d.nrPages);
    const g = p.gens;
    if (d.dense !== undefined) {
      const b = Buffer.from(d.dense, 'base64');
      const width = d.width === 1 || d.width === 2 ? d.width : 4;
      const base = Math.min(d.base ?? 0, g.length);
      const n = Math.min(Math.floor(b.length / width), g.length - base);
      // a fresh copy: aligned for a view of its width
      const bytes = Uint8Array.from(b.subarray(0, n * width));
      g.set(width === 1 ? bytes : width === 2 ? new Uint16Array(bytes.buffer, 0, n) : new Uint32Array(bytes.buffer, 0, n), base);
      return p;
    }
    const idx = unpack(d.idx ?? '');
    const gen = unpack(d.gen ?? '');
    for (let i = 0; i < idx.length; i++) if (idx[i]! < g.length) g[idx[i]!] = gen[i]!;
    return p;
  }

  get nrPages(): number {
    return this.gens.length;
  }

  /** ballooning: pages beyond the new size are gone, new ones were never written */
  set nrPages(n: number) {
    if (n === this.gens.length) return;
    this.journalBits = null; // a journal cannot describe this: whoever keeps one starts over
    const g = new Uint32Array(n);
    g.set(n < this.gens.length ? this.gens.subarray(0, n) : this.gens);
    this.gens = g;
  }

  save(): PageImageData {
    return pageImageData(this.hvm, this.gens.length, [[0, this.gens]]);
  }

  generation(index: number): number {
    return this.gens[index] ?? 0;
  }

  /** every page's generation, by index: the table itself (valid until nrPages changes) */
  generationTable(): Uint32Array {
    return this.gens;
  }

  /** generations of pages [start, start + out.length) into out */
  generations(start: number, out: Uint32Array): void {
    out.set(this.gens.subarray(start, start + out.length));
  }

  setGeneration(index: number, gen: number): void {
    if (index >= 0 && index < this.gens.length) this.change(index, gen >>> 0);
  }

  /** a guest write: the page's contents change */
  touch(index: number): void {
    if (index >= 0 && index < this.gens.length) this.change(index, (this.gens[index]! + 1) >>> 0);
  }

  private change(index: number, gen: number): void {
    const before = this.gens[index]!;
    this.gens[index] = gen;
    const jb = this.journalBits;
    if (jb && !(jb[index >>> 3]! & (1 << (index & 7)))) {
      jb[index >>> 3] = jb[index >>> 3]! | (1 << (index & 7));
      this.journalIdx.push(index);
      this.journalGen.push(before);
    }
  }

  /** Starts (or restarts) the journal of changed pages. */
  startJournal(): void {
    this.journalBits = new Uint8Array((this.gens.length + 7) >>> 3);
    this.journalIdx = [];
    this.journalGen = [];
  }

  /** Whether a journal is kept (the size changing ends it). */
  get journaling(): boolean {
    return this.journalBits !== null;
  }

  /** Each page changed since the journal (re)started, with its generation then; restarts it. */
  takeJournal(fn: (index: number, before: number, now: number) => void): void {
    const jb = this.journalBits;
    if (!jb) return;
    const idx = this.journalIdx;
    const gen = this.journalGen;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      jb[i >>> 3] = 0;
      fn(i, gen[k]!, this.gens[i]!);
    }
    this.journalIdx = [];
    this.journalGen = [];
  }

  /** pages ever written (bounded by the working set, not by the guest size) */
  writtenCount(): number {
    return countWritten(this.gens);
  }
}

/** non-zero entries of g; most of a guest was never written, so zero blocks go by a native compare */
function countWritten(g: Uint32Array): number {
  let n = 0;
  forNonZeroBlocks(g, (s, e) => {
    for (let i = s; i < e; i++) if (g[i] !== 0) n++;
  });
  return n;
}

function forNonZeroBlocks(g: Uint32Array, fn: (start: number, end: number) => void): void {
  const bytes = Buffer.from(g.buffer, g.byteOffset, g.byteLength);
  for (let s = 0; s < g.length; s += ZERO_BLOCK) {
    const e = Math.min(g.length, s + ZERO_BLOCK);
    if (e - s === ZERO_BLOCK && bytes.subarray(4 * s, 4 * e).equals(ZEROS)) continue;
    fn(s, e);
  }
}

/**
 * What is persisted of an image given as runs of generations, each
 * [index of its first page, generations]: the written pages only, so a
 * received image is stored without a dense copy of it first.
 */
export function pageImageData(hvm: boolean, nrPages: number, runs: ReadonlyArray<readonly [number, Uint32Array]>): PageImageData {
  // the written pages: how many, their span, the largest generation
  let n = 0;
  let lo = -1;
  let hi = -1;
  let max = 0;
  for (const [first, g] of runs) {
    forNonZeroBlocks(g, (s, e) => {
      for (let i = s; i < e; i++) {
        const v = g[i]!;
        if (v === 0) continue;
        n++;
        if (lo < 0) lo = first + i;
        hi = first + i;
        if (v > max) max = v;
      }
    });
  }
  const width = max < 0x100 ? 1 : max < 0x10000 ? 2 : 4;
  const span = hi - lo + 1;
  if (n > 0 && span * width < n * 8) {
    const out = new Uint8Array(span * width);
    const view = width === 1 ? out : width === 2 ? new Uint16Array(out.buffer) : new Uint32Array(out.buffer);
    for (const [first, g] of runs) {
      // this run's pages within [lo, hi]; a narrower view holds every generation (max fits)
      const s = Math.max(0, lo - first);
      const e = Math.min(g.length, hi + 1 - first);
      if (s < e) view.set(g.subarray(s, e), first + s - lo);
    }
    return { hvm, nrPages, base: lo, width, dense: Buffer.from(out.buffer).toString('base64') };
  }
  const idx = new Uint32Array(n);
  const gen = new Uint32Array(n);
  let k = 0;
  for (const [first, g] of runs) {
    forNonZeroBlocks(g, (s, e) => {
      for (let i = s; i < e; i++) {
        if (g[i] !== 0) {
          idx[k] = first + i;
          gen[k++] = g[i]!;
        }
      }
    });
  }
  return { hvm, nrPages, idx: pack(idx), gen: pack(gen) };
}

export interface LogDirtyStats {
  faultCount: number;
  dirtyCount: number;
}

export type ShadowOpResult =
  | { ok: true; stats: LogDirtyStats; bitmap?: Uint8Array }
  | { ok: false; errno: 'EINVAL' | 'ENOENT' };

/**
 * paging_log_dirty_*: the dirty bitmap and counters of one domain while
 * log-dirty is enabled. The cost of noticing a write follows the paging
 * mode: shadow write-protects every L1 entry (each first write after a
 * CLEAN is a fault); HAP write-protects the EPT entry (one nested page fault
 * per page); with PML the CPU logs writes and only a full 512-entry buffer
 * exits to Xen.
 */
export class LogDirty {
  private bitmap: Uint8Array | null = null;
  private dirty = 0;
  private faults = 0;
  private pmlPending = 0;

  constructor(readonly mode: PagingMode, readonly image: PageImage) {}

  get enabled(): boolean {
    return this.bitmap !== null;
  }

  enable(): ShadowOpResult {
    if (this.bitmap) return { ok: false, errno: 'EINVAL' };
    this.bitmap = new Uint8Array((this.image.nrPages + 7) >>> 3);
    this.dirty = 0;
    this.faults = 0;
    this.pmlPending = 0;
    return { ok: true, stats: { faultCount: 0, dirtyCount: 0 } };
  }

  disable(): ShadowOpResult {
    this.bitmap = null;
    return { ok: true, stats: { faultCount: this.faults, dirtyCount: this.dirty } };
  }

  /** A guest write to page `index` (the page's generation advances even with log-dirty off). */
  write(index: number): void {
    this.image.touch(index);
    const bm = this.bitmap;
    if (!bm) return;
    const byte = index >>> 3;
    const bit = 1 << (index & 7);
    if (bm[byte]! & bit) return; // already dirty: the mapping is writable now
    bm[byte] = bm[byte]! | bit;
    this.dirty++;
    if (this.mode === 'hap-pml') {
      if (++this.pmlPending >= 512) {
        this.faults++; // a PML-buffer-full exit
        this.pmlPending = 0;
      }
    } else this.faults++;
  }

  private op(clean: boolean): ShadowOpResult {
    const bm = this.bitmap;
    if (!bm) return { ok: false, errno: 'EINVAL' };
    const stats = { faultCount: this.faults, dirtyCount: this.dirty };
    const out = bm.slice();
    if (clean) {
      bm.fill(0);
      this.dirty = 0;
      this.faults = 0;
      this.pmlPending = 0;
    }
    return { ok: true, stats, bitmap: out };
  }

  /** XEN_DOMCTL_SHADOW_OP_CLEAN: read and reset */
  clean(): ShadowOpResult {
    return this.op(true);
  }

  /** XEN_DOMCTL_SHADOW_OP_PEEK: read only */
  peek(): ShadowOpResult {
    return this.op(false);
  }
}

/** Indices whose bit is set, ascending. */
export function bitmapIndices(bm: Uint8Array, limit: number): Uint32Array {
  // whole 32-bit words at a time where the bitmap allows (most of it is clear)
  const words = (bm.byteOffset & 3) === 0 ? new Uint32Array(bm.buffer, bm.byteOffset, bm.length >>> 2) : new Uint32Array(0);
  const tail = words.length << 2;
  let n = 0;
  for (let w = 0; w < words.length; w++) {
    let v = words[w]!;
    while (v) {
      v &= v - 1;
      n++;
    }
  }
  for (let b = tail; b < bm.length; b++) {
    let v = bm[b]!;
    while (v) {
      v &= v - 1;
      n++;
    }
  }
  const out = new Uint32Array(n);
  let k = 0;
  for (let w = 0; w < words.length; w++) {
    const v = words[w]!;
    if (!v) continue;
    for (let j = 0; j < 32; j++) if (v & (1 << j)) {
      const i = (w << 5) | j;
      if (i < limit) out[k++] = i;
    }
  }
  for (let b = tail; b < bm.length; b++) {
    const v = bm[b]!;
    if (!v) continue;
    for (let j = 0; j < 8; j++) if (v & (1 << j)) {
      const i = (b << 3) | j;
      if (i < limit) out[k++] = i;
    }
  }
  return out.subarray(0, k);
}
