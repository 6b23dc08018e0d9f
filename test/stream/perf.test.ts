// A 16 GiB guest (4 Mi pages) streamed through a pipe-sized chunking, in-process.
// Loose bounds only (CI machines vary); test/bench/stream.bench.mjs measures it
// precisely against a raw pipe.
import { describe, expect, it } from 'vitest';
import {
  MAX_BATCH_SIZE,
  MemoryDigest,
  StreamReader,
  StreamWriter,
  writeSaveHeader,
  writeStreamEpilogue,
  writeStreamPrologue,
  type StreamDomain,
} from '../../lib/libxl/stream/index';

const PAGES = 4 * 1024 * 1024;
const PIPE_BUF = 64 * 1024;

describe('streaming a 16 GiB guest', () => {
  it('4 Mi tokens go through a 64 KiB-chunked pipe quickly and verify', () => {
    const d: StreamDomain = { type: 'hvm', xenMajor: 4, xenMinor: 20, vcpus: 4, maxPfn: PAGES - 1, tsc: { mode: 0, khz: 2_400_000, nsec: 1n, incarnation: 0 } };
    // The sender's page table: token = generation, here pseudo-random 64-bit values.
    const tokens = new BigUint64Array(PAGES);
    const w32 = new Uint32Array(tokens.buffer);
    let x = 0x12345678;
    for (let i = 0; i < w32.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      w32[i] = x >>> 0;
    }
    const digest = new MemoryDigest();
    for (let p = 0; p < PAGES; p++) digest.add(p, w32[2 * p]!, w32[2 * p + 1]!);

    const reader = new StreamReader({ maxPfn: PAGES - 1, source: '<incoming migration stream>' });
    let pending: Buffer[] = [];
    let pendingLen = 0;
    let pagesSeen = 0;
    let maxBuffered = 0;
    const flush = () => {
      const chunk = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingLen);
      pending = [];
      pendingLen = 0;
      for (let off = 0; off < chunk.length; off += PIPE_BUF) {
        for (const e of reader.push(chunk.subarray(off, off + PIPE_BUF))) {
          if ('code' in e) throw new Error(e.message);
          if (e.kind === 'pages') pagesSeen += e.pfns.length;
        }
      }
    };
    const writer = new StreamWriter((c) => {
      pending.push(c);
      pendingLen += c.length;
      maxBuffered = Math.max(maxBuffered, pendingLen);
      if (pendingLen >= PIPE_BUF) flush();
    });
    const t0 = performance.now();
    writer.raw(writeSaveHeader('{}').bytes);
    writeStreamPrologue(writer, d);
    const pfns = new Float64Array(MAX_BATCH_SIZE);
    for (let s = 0; s < PAGES; s += MAX_BATCH_SIZE) {
      for (let i = 0; i < MAX_BATCH_SIZE; i++) pfns[i] = s + i;
      writer.pageBatch(pfns, tokens.subarray(s, s + MAX_BATCH_SIZE));
    }
    writeStreamEpilogue(writer, d, digest.value());
    flush();
    const r = reader.finish();
    const ms = performance.now() - t0;
    expect(r.ok).toBe(true);
    expect(pagesSeen).toBe(PAGES);
    if (r.ok) expect(r.memory.size).toBe(PAGES);
    // 4 Mi pfn entries + 4 Mi tokens: 64 MiB of stream, not 16 GiB.
    expect(writer.bytesWritten).toBeLessThan(65 * 1024 * 1024);
    expect(maxBuffered).toBeLessThan(PIPE_BUF + 17 * 1024);
    console.log(`16 GiB guest: ${(writer.bytesWritten / 2 ** 20).toFixed(1)} MiB in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5000);
  });
});
