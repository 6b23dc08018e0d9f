// The bulk paths a migration of a big guest takes (slabs, generation batches,
// batch digests, transient reads) frame and read the same bytes as the
// per-record ones the other stream tests use.
import { describe, expect, it } from 'vitest';
import {
  BufferSink,
  MemoryDigest,
  PageTokenMap,
  StreamReader,
  StreamWriter,
  writeSaveHeader,
  writeStreamEpilogue,
  writeStreamPrologue,
} from '../../lib/libxl/stream/index';
import { HVM_DOMAIN } from './fixtures';

const PAGES = 5000;

function generations(seed: number): Uint32Array {
  const g = new Uint32Array(PAGES);
  let s = seed;
  for (let i = 0; i < g.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    g[i] = s % 7 === 0 ? 0 : s >>> 8; // some pages never written
  }
  return g;
}

/** the stream the slow way: pageBatch with 64-bit tokens, a buffer per record; pfns start at `first` */
function perRecord(g: Uint32Array, first: number, digest: ReturnType<MemoryDigest['value']>): Buffer {
  const sink = new BufferSink();
  const w = new StreamWriter(sink.sink);
  w.raw(writeSaveHeader('{"x":1}').bytes); // an odd length: the slabs must realign
  writeStreamPrologue(w, HVM_DOMAIN);
  const toks = new BigUint64Array(g.length);
  g.forEach((v, i) => (toks[i] = BigInt(v)));
  w.pages(Float64Array.from(g, (_, i) => first + i), toks);
  writeStreamEpilogue(w, HVM_DOMAIN, digest);
  return sink.toBuffer();
}

function perPageDigest(g: Uint32Array, first: number): ReturnType<MemoryDigest['value']> {
  const d = new MemoryDigest();
  g.forEach((v, i) => d.add(first + i, v, 0));
  return d.value();
}

describe('bulk paths', () => {
  it('addGenerations sums what add() does page by page', () => {
    const g = generations(7);
    const d = new MemoryDigest();
    d.addGenerations(0x100000, g);
    expect(d.value()).toEqual(perPageDigest(g, 0x100000));
    expect(MemoryDigest.from(d.value()).value()).toEqual(d.value());
  });

  it('slabs and generation batches frame the bytes of per-record pageBatch', () => {
    const g = generations(11);
    const digest = perPageDigest(g, 0);
    const chunks: Buffer[] = [];
    const w = new StreamWriter((c) => chunks.push(c), { slabBytes: 4096 });
    w.raw(writeSaveHeader('{"x":1}').bytes);
    writeStreamPrologue(w, HVM_DOMAIN);
    const pfns = new Float64Array(1024);
    for (let s = 0, k = 0; s < g.length; s += 1024, k++) {
      const n = Math.min(1024, g.length - s);
      // alternate the two ways of naming the pfns
      if (k % 2) w.pageBatchGenerations(s, g.subarray(s, s + n), n);
      else {
        for (let i = 0; i < n; i++) pfns[i] = s + i;
        w.pageBatchGenerations(pfns, g.subarray(s, s + n), n);
      }
    }
    writeStreamEpilogue(w, HVM_DOMAIN, digest);
    const before = chunks.length;
    w.flush();
    expect(chunks.length).toBe(before + 1);
    const bytes = Buffer.concat(chunks);
    expect(w.bytesWritten).toBe(bytes.length);
    expect(bytes.equals(perRecord(g, 0, digest))).toBe(true);
  });

  it('a transient reader over a reused buffer ends with the same verified image', () => {
    const g = generations(13);
    const bytes = perRecord(g, 0, perPageDigest(g, 0));
    const r = new StreamReader({ maxPfn: PAGES + 10, transientPages: true });
    const scratch = Buffer.alloc(777);
    let pages = 0;
    for (let o = 0; o < bytes.length; o += scratch.length) {
      const n = bytes.copy(scratch, 0, o, o + scratch.length);
      for (const e of r.push(scratch.subarray(0, n))) {
        if ('code' in e) throw new Error(e.message);
        if (e.kind === 'pages') pages += e.pfns.length;
      }
      r.ownInput();
      scratch.fill(0xee); // what the reader kept must not be this memory
    }
    const res = r.finish();
    expect(res.ok).toBe(true);
    expect(pages).toBe(PAGES);
    if (!res.ok) return;
    expect(res.memory.lowWordsOnly).toBe(true);
    expect(res.memory.countPresent(0, PAGES)).toBe(PAGES);
    expect([...res.memory.lowWordsView(0, PAGES)]).toEqual([...g]);
  });

  it('setRun stores and digests what set() does page by page, resent runs and high words included', () => {
    const runs: Array<[number, number[]]> = [
      [10, [5, 6, 7, 8]], // new pages, above every page held
      [0, [1, 2]], // new pages below those held
      [8, [40, 41, 42, 43, 44]], // resent (8..13: 10..13 held) and new (14)
      [20, [0xffffffff, 0x80000000]], // words that are not small integers
      [50, [0, 3, 0, 0]], // never-written pages (token 0) in a new run
      [49, [7, 9, 0, 4, 0]], // resent: 50 from 0 to 9, 51 from 3 to 0
    ];
    const fast = new PageTokenMap(100);
    const slow = new PageTokenMap(100);
    for (const [first, toks] of runs) {
      const words = new Uint32Array(3 + 2 * toks.length); // at an odd word offset, as in a record
      toks.forEach((t, i) => (words[3 + 2 * i] = t));
      fast.setRun(first, words, 3, toks.length);
      toks.forEach((t, i) => slow.set(first + i, t, 0));
    }
    // a token with a high word goes the per-page way, and is kept
    const hw = Uint32Array.from([9, 7, 11, 0]);
    fast.setRun(30, hw, 0, 2);
    slow.set(30, 9, 7);
    slow.set(31, 11, 0);
    expect(fast.value()).toEqual(slow.value());
    expect(fast.value().pages).toBe(17); // 0-1, 8-13, 20-21, 30-31, 49-53
    for (let p = 0; p <= 60; p++) expect(fast.get(p)).toBe(slow.get(p));
    expect(fast.get(9)).toBe(41n);
    expect(fast.lowWordsOnly).toBe(false);
  });

  it('a reader without page events, its chunks placed where chunkAlignment says or anywhere, verifies the same image', () => {
    const g = generations(17);
    const bytes = perRecord(g, 0, perPageDigest(g, 0));
    const hdr = writeSaveHeader('{"x":1}').bytes.length; // the libxl stream starts here (odd)
    for (const [size, aligned] of [
      [4096, true],
      [4096, false],
      [1000, true],
      [16408, true],
      [333, false],
    ] as const) {
      const r = new StreamReader({ maxPfn: PAGES + 10, transientPages: true, pageEvents: false });
      const buf = Buffer.alloc(size + 8);
      let pushed = 0;
      for (let o = 0; o < bytes.length; o += size) {
        const at = aligned ? r.chunkAlignment : 3;
        if (pushed >= hdr) expect(r.chunkAlignment).toBe((pushed - hdr) & 7);
        const n = bytes.copy(buf, at, o, o + size);
        for (const e of r.push(buf.subarray(at, at + n))) {
          if ('code' in e) throw new Error(e.message);
          expect(e.kind).not.toBe('pages');
        }
        r.ownInput();
        buf.fill(0xee);
        pushed += n;
      }
      const res = r.finish();
      expect(res.ok).toBe(true);
      if (!res.ok) return;
      expect(res.memory.value()).toEqual(perPageDigest(g, 0));
      expect([...res.memory.lowWordsView(0, PAGES)]).toEqual([...g]);
    }
  });

  it('records read where they lie in the input: an altered token is caught by the digest, a cut by the general path', () => {
    const g = generations(23);
    const bytes = perRecord(g, 0, perPageDigest(g, 0));
    const hdr = writeSaveHeader('{"x":1}').bytes.length;
    const readAligned = (b: Buffer): string | undefined => {
      const r = new StreamReader({ maxPfn: PAGES + 10, transientPages: true, pageEvents: false });
      const buf = Buffer.alloc(b.length + 8);
      // two chunks: the header alone, then the rest placed word-aligned, whole
      const first = b.copy(buf, 0, 0, hdr);
      for (const e of r.push(buf.subarray(0, first))) if ('code' in e) return e.code;
      r.ownInput();
      const at = r.chunkAlignment;
      const n = b.copy(buf, at, hdr);
      for (const e of r.push(buf.subarray(at, at + n))) if ('code' in e) return e.code;
      const res = r.finish();
      return res.ok ? undefined : res.error.code;
    };
    expect(readAligned(bytes)).toBeUndefined();
    // the token of some page in the middle (the last PAGE_DATA records hold tokens at their ends)
    const flipped = Buffer.from(bytes);
    const tail = bytes.length - 1024;
    flipped[tail - 8 * 300] ^= 1;
    expect(readAligned(flipped)).toBe('digest-mismatch');
    // cut inside a record: read in place up to it, then the general path reports the truncation
    expect(readAligned(bytes.subarray(0, bytes.length - 5000))).toBe('truncated');
  });

  it('a reader without page events still refuses a pfn out of range and a run that is not one', () => {
    const g = generations(19).subarray(0, 2048);
    const d = perPageDigest(g, 0);
    const bytes = perRecord(g, 0, d);
    // maxPfn below the pages sent: the run's last pfn is out of range
    const r = new StreamReader({ maxPfn: 1500, transientPages: true, pageEvents: false });
    const out = r.push(bytes);
    const err = out.find((e) => 'code' in e);
    expect(err && 'code' in err ? err.code : undefined).toBe('pfn-out-of-range');
    // pfns out of order (not one run): the same image through the per-page checks
    const sink = new BufferSink();
    const w = new StreamWriter(sink.sink);
    w.raw(writeSaveHeader('{"x":1}').bytes);
    writeStreamPrologue(w, HVM_DOMAIN);
    const order = Float64Array.from({ length: g.length }, (_, i) => g.length - 1 - i);
    w.pages(order, BigUint64Array.from(order, (p) => BigInt(g[p]!)));
    writeStreamEpilogue(w, HVM_DOMAIN, d);
    const r2 = new StreamReader({ transientPages: true, pageEvents: false });
    for (const e of r2.push(sink.toBuffer())) if ('code' in e) throw new Error(e.message);
    const res = r2.finish();
    expect(res.ok && res.memory.value()).toEqual(d);
  });

  it('setBatch keeps the digest of overwritten pages, and high words when they come', () => {
    const m = new PageTokenMap(100);
    const pfns = Float64Array.from([3, 4, 5]);
    m.setBatch(pfns, Uint32Array.from([1, 0, 2, 0, 3, 0]), 3, 5);
    m.setBatch(Float64Array.from([4]), Uint32Array.from([9, 7]), 1, 4);
    const d = new MemoryDigest();
    d.add(3, 1, 0);
    d.add(4, 9, 7);
    d.add(5, 3, 0);
    expect(m.value()).toEqual(d.value());
    expect(m.get(4)).toBe((7n << 32n) | 9n);
    expect(m.get(5)).toBe(3n);
    expect(m.lowWordsOnly).toBe(false);
  });
});
