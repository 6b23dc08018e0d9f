// Builders of small, complete streams for the stream tests.
import {
  BufferSink,
  digestOfArrays,
  qemuStateBlob,
  StreamWriter,
  writeSaveHeader,
  writeStreamEpilogue,
  writeStreamPrologue,
  type StreamDomain,
} from '../../lib/libxl/stream/index';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomTokens(n: number, seed: number): BigUint64Array {
  const r = rng(seed);
  const t = new BigUint64Array(n);
  const w = new Uint32Array(t.buffer);
  for (let i = 0; i < w.length; i++) w[i] = (r() * 2 ** 32) >>> 0;
  return t;
}

export const PV_DOMAIN: StreamDomain = {
  type: 'pv',
  xenMajor: 4,
  xenMinor: 20,
  vcpus: 2,
  maxPfn: 4095,
  tsc: { mode: 0, khz: 2_400_000, nsec: 123_456_789n, incarnation: 1 },
};

export const HVM_DOMAIN: StreamDomain = {
  type: 'hvm',
  xenMajor: 4,
  xenMinor: 20,
  vcpus: 1,
  maxPfn: 0xfffff,
  tsc: { mode: 0, khz: 2_400_000, nsec: 42n, incarnation: 0 },
  storePfn: 0xfeffe,
  consolePfn: 0xfefff,
  emulator: { state: qemuStateBlob(100), xenstore: [['physmap/0/size', '0x1000'], ['state', 'running']] },
};

export interface BuiltStream {
  bytes: Buffer;
  pfns: Float64Array;
  tokens: BigUint64Array;
  config: string;
}

/**
 * A save file: xl header + config, prologue, `passes` passes of pages (later
 * passes resend a subset with new tokens, like pre-copy iterations), epilogue.
 */
export function buildStream(d: StreamDomain, nPages: number, seed: number, opts: { passes?: number; xlHeader?: boolean } = {}): BuiltStream {
  const sink = new BufferSink();
  const w = new StreamWriter(sink.sink);
  const config = JSON.stringify({ c_info: { type: d.type, name: 'guest' } }, null, 4);
  if (opts.xlHeader !== false) w.raw(writeSaveHeader(config).bytes);
  writeStreamPrologue(w, d);
  const pfns = new Float64Array(nPages);
  const r = rng(seed ^ 0x55);
  // Spread pfns over the guest's range, ascending.
  // (within the first 8192 so a reader's page table stays small in the sweeps)
  const span = Math.min(d.maxPfn + 1, 8192);
  for (let i = 0; i < nPages; i++) pfns[i] = Math.floor((i * span) / nPages);
  const tokens = randomTokens(nPages, seed);
  w.pages(pfns, tokens);
  for (let p = 1; p < (opts.passes ?? 1); p++) {
    const idx: number[] = [];
    for (let i = 0; i < nPages; i++) if (r() < 0.3) idx.push(i);
    if (!idx.length) continue;
    const fresh = randomTokens(idx.length, seed + p);
    const sub = Float64Array.from(idx, (i) => pfns[i]!);
    idx.forEach((i, k) => (tokens[i] = fresh[k]!));
    w.pages(sub, fresh);
  }
  writeStreamEpilogue(w, d, digestOfArrays(pfns, tokens));
  return { bytes: sink.toBuffer(), pfns, tokens, config };
}
