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
