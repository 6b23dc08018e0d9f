// Incremental writer of the libxl v2 / libxc v3 stream: every call frames one
// header or record and hands it to the sink at once, so a sender can emit the
// stream iteration by iteration and never holds more than one record (a PAGE_DATA
// record is at most 16 KiB: 1024 pfn entries + 1024 tokens).
//
// Deviation from Xen (README.md "Page contents as tokens"): page data are 8-byte
// tokens; memoryDigest() adds the xlsim digest record before the libxc END.
//
// PAGE_DATA is filled through Uint32Array views for speed, which presumes a
// little-endian host (x86-64 and arm64: every platform Node ships for); the stream
// itself is little-endian as on x86 Xen.
//
// The writer frames what it is given and does not police record order: the
// reader is the one that enforces the grammar (and tests use the writer to build
// streams that break it). Arguments that cannot be framed at all (a batch larger
// than MAX_BATCH_SIZE, a pfn wider than 52 bits) are program bugs and throw.

import type { MemoryDigestValue } from './digest';
import { StreamUsageError } from './errors';
import {
  align8,
  DHDR_SIZE,
  DHDR_TYPE_X86_HVM,
  DHDR_TYPE_X86_PV,
  IHDR_ID,
  IHDR_SIZE,
  IHDR_VERSION,
  isKnownPageType,
  LIBXL_HEADER_SIZE,
  LIBXL_IDENT_HI,
  LIBXL_IDENT_LO,
  LIBXL_REC,
  LIBXL_VERSION,
  MAX_BATCH_SIZE,
  PAGE_SHIFT,
  pageTypeHasData,
  PFN_MAX,
  REC,
  REC_LENGTH_MAX,
  REC_XLSIM_MEMORY_DIGEST,
  XLSIM_DIGEST_BODY_SIZE,
} from './format';

export type StreamSink = (chunk: Buffer) => void;
export type DomainKind = 'pv' | 'hvm';
export type PvVcpuKind = 'basic' | 'extended' | 'xsave' | 'msrs';

export interface DomainHeaderFields {
  readonly type: DomainKind;
  readonly xenMajor: number;
  readonly xenMinor: number;
  readonly pageShift?: number;
}

export interface TscInfo {
  readonly mode: number;
  readonly khz: number;
  readonly nsec: bigint;
  readonly incarnation: number;
}

const TWO32 = 2 ** 32;
const PV_VCPU_REC: Record<PvVcpuKind, number> = {
  basic: REC.X86_PV_VCPU_BASIC,
  extended: REC.X86_PV_VCPU_EXTENDED,
  xsave: REC.X86_PV_VCPU_XSAVE,
  msrs: REC.X86_PV_VCPU_MSRS,
};

/** Collects a whole stream in memory (small streams, tests). */
export class BufferSink {
  readonly chunks: Buffer[] = [];
  readonly sink: StreamSink = (c) => {
    this.chunks.push(c);
  };
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export interface StreamWriterOptions {
  /**
   * Frame records into slabs of this many bytes and hand the sink whole slabs
   * (a fresh one each time unless reuseSlab) instead of one buffer per record:
   * a sender of millions of pages then allocates and copies far less. The
   * last slab goes out at flush().
   */
  readonly slabBytes?: number;
  /**
   * The sink is done with what it is handed once it returns (it wrote the
   * bytes out): the writer fills the same slab again rather than a fresh one,
   * so a whole guest's stream goes through one slab's worth of memory.
   */
  readonly reuseSlab?: boolean;
}

export class StreamWriter {
  /** Bytes framed so far (handed to the sink, or waiting in the slab until flush()). */
  bytesWritten = 0;
  /** Pfn entries written in PAGE_DATA records so far. */
  pfnsWritten = 0;
  private readonly slabBytes: number;
  private readonly reuseSlab: boolean;
  private slab: Buffer | null = null;
  private slabUsed = 0;

  constructor(private readonly sink: StreamSink, opts: StreamWriterOptions = {}) {
    this.slabBytes = opts.slabBytes ?? 0;
    this.reuseSlab = opts.reuseSlab ?? false;
  }

  private emit(b: Buffer): void {
    if (this.slabBytes) {
      b.copy(this.reserve(b.length));
    } else {
      this.bytesWritten += b.length;
      this.sink(b);
    }
  }

  /**
   * n bytes of output to fill: a view into the current slab, or a fresh
   * 8-aligned buffer handed to the sink by the caller through emit().
   */
  private reserve(n: number, aligned = false): Buffer {
    if (!this.slabBytes) return Buffer.allocUnsafeSlow(n);
    // raw bytes (an xl header) may leave the slab unaligned for a word view: start a new one
    if (!this.slab || this.slab.length - this.slabUsed < n || (aligned && this.slabUsed & 7)) {
      const kept = this.reuseSlab ? this.slab : null;
      this.flush();
      this.slab = kept && kept.length >= n ? kept : Buffer.allocUnsafeSlow(Math.max(this.slabBytes, n));
    }
    const out = this.slab.subarray(this.slabUsed, this.slabUsed + n);
    this.slabUsed += n;
    this.bytesWritten += n;
    return out;
  }

  /** Hands what the current slab holds to the sink (a no-op without slabs). */
  flush(): void {
    if (this.slab && this.slabUsed) this.sink(this.slab.subarray(0, this.slabUsed));
    this.slab = null;
    this.slabUsed = 0;
  }

  /**
   * A PAGE_DATA record of n pfns and `len` body bytes, its header written: a
   * fresh buffer or slab view (never from the pool, so 8-aligned) seen as
   * words; the caller writes every remaining word, so no zero-fill.
   */
  private pageRecordStart(n: number, len: number): { out: Buffer; u32: Uint32Array } {
    const out = this.reserve(8 + len, true);
    const u32 = new Uint32Array(out.buffer, out.byteOffset, (8 + len) >>> 2);
    u32[0] = REC.PAGE_DATA;
    u32[1] = len;
    u32[2] = n;
    u32[3] = 0; // reserved
    return { out, u32 };
  }

  /** The end of a PAGE_DATA record: counted, and handed over unless it sits in a slab. */
  private pageRecordDone(out: Buffer, n: number): void {
    this.pfnsWritten += n;
    if (!this.slabBytes) {
      this.bytesWritten += out.length;
      this.sink(out);
    }
  }

  /** One record: header (type, length; little-endian), body, zero padding to 8. */
  private record(type: number, body: Buffer | null, extraLength = 0): Buffer {
    const len = (body ? body.length : 0) + extraLength;
    if (len > REC_LENGTH_MAX) throw new StreamUsageError(`record 0x${type.toString(16)} length ${len} exceeds REC_LENGTH_MAX`);
    const out = Buffer.alloc(8 + align8(len));
    out.writeUInt32LE(type >>> 0, 0);
    out.writeUInt32LE(len, 4);
    if (body) body.copy(out, 8);
    return out;
  }

  /** Any libxl-layer record, framed as is (also for building invalid streams in tests). */
  libxlRecord(type: number, body: Buffer | null = null): void {
    this.emit(this.record(type, body));
  }

  /** Any libxc-layer record, framed as is. Same framing as libxl's. */
  libxcRecord(type: number, body: Buffer | null = null): void {
    this.emit(this.record(type, body));
  }

  /** Raw bytes (the xl header from writeSaveHeader, or deliberate garbage in tests). */
  raw(bytes: Buffer): void {
    this.emit(bytes);
  }

  // ---- libxl stream v2 ----

  libxlHeader(options = 0): void {
    const b = Buffer.alloc(LIBXL_HEADER_SIZE);
    b.writeUInt32BE(LIBXL_IDENT_HI, 0);
    b.writeUInt32BE(LIBXL_IDENT_LO, 4);
    b.writeUInt32BE(LIBXL_VERSION, 8);
    b.writeUInt32BE(options >>> 0, 12);
    this.emit(b);
  }

  /** Marker: the libxc stream follows (its length is 0, libxl cannot know it). */
  libxcContext(): void {
    this.libxlRecord(LIBXL_REC.LIBXC_CONTEXT);
  }

  /** Key/value pairs, each key and value NUL-terminated, after {emulator id, index}. */
  emulatorXenstoreData(emulatorId: number, index: number, kv: ReadonlyArray<readonly [string, string]>): void {
    const parts: Buffer[] = [emulatorHeader(emulatorId, index)];
    for (const [k, v] of kv) parts.push(Buffer.from(`${k}\0${v}\0`, 'latin1'));
    this.libxlRecord(LIBXL_REC.EMULATOR_XENSTORE_DATA, Buffer.concat(parts));
  }

  emulatorContext(emulatorId: number, index: number, blob: Buffer): void {
    this.libxlRecord(LIBXL_REC.EMULATOR_CONTEXT, Buffer.concat([emulatorHeader(emulatorId, index), blob]));
  }

  checkpointEnd(): void {
    this.libxlRecord(LIBXL_REC.CHECKPOINT_END);
  }

  checkpointState(id: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(id >>> 0, 0);
    this.libxlRecord(LIBXL_REC.CHECKPOINT_STATE, b);
  }

  libxlEnd(): void {
    this.libxlRecord(LIBXL_REC.END);
  }

  // ---- libxc stream v3 ----

  /** Image header, big-endian; options 0 = little-endian records. */
  imageHeader(version = IHDR_VERSION, options = 0): void {
    const b = Buffer.alloc(IHDR_SIZE);
    b.writeUInt32BE(0xffffffff, 0);
    b.writeUInt32BE(0xffffffff, 4);
    b.writeUInt32BE(IHDR_ID, 8);
    b.writeUInt32BE(version >>> 0, 12);
    b.writeUInt16BE(options & 0xffff, 16);
    this.emit(b);
  }

  domainHeader(h: DomainHeaderFields): void {
    const b = Buffer.alloc(DHDR_SIZE);
    b.writeUInt32LE(h.type === 'pv' ? DHDR_TYPE_X86_PV : DHDR_TYPE_X86_HVM, 0);
    b.writeUInt16LE(h.pageShift ?? PAGE_SHIFT, 4);
    b.writeUInt32LE(h.xenMajor >>> 0, 8);
    b.writeUInt32LE(h.xenMinor >>> 0, 12);
    this.emit(b);
  }

  x86PvInfo(guestWidth = 8, ptLevels = 4): void {
    const b = Buffer.alloc(8);
    b[0] = guestWidth;
    b[1] = ptLevels;
    this.libxcRecord(REC.X86_PV_INFO, b);
  }

  cpuidPolicy(blob: Buffer): void {
    this.libxcRecord(REC.X86_CPUID_POLICY, blob);
  }

  msrPolicy(blob: Buffer): void {
    this.libxcRecord(REC.X86_MSR_POLICY, blob);
  }

  staticDataEnd(): void {
    this.libxcRecord(REC.STATIC_DATA_END);
  }

  /** frames: the p2m frame pfns for the frames covering pfns startPfn..endPfn. */
  p2mFrames(startPfn: number, endPfn: number, frames: ArrayLike<number>): void {
    const b = Buffer.alloc(8 + 8 * frames.length);
    b.writeUInt32LE(startPfn >>> 0, 0);
    b.writeUInt32LE(endPfn >>> 0, 4);
    for (let i = 0; i < frames.length; i++) writeU64(b, 8 + 8 * i, frames[i]!);
    this.libxcRecord(REC.X86_PV_P2M_FRAMES, b);
  }

  /**
   * One PAGE_DATA record: count, pfn entries (type << 60 | pfn), then one token
   * per entry whose type carries data. tokens[i] belongs to pfns[i]; types default
   * to NOTAB.
   */
  pageBatch(pfns: ArrayLike<number>, tokens: BigUint64Array, types?: ArrayLike<number>, start = 0, end = pfns.length): void {
    const n = end - start;
    if (n < 1 || n > MAX_BATCH_SIZE) throw new StreamUsageError(`PAGE_DATA batch of ${n} pfns (1..${MAX_BATCH_SIZE})`);
    if (tokens.length < end) throw new StreamUsageError('fewer tokens than pfns');
    let data = n;
    if (types) {
      data = 0;
      for (let i = start; i < end; i++) {
        const t = types[i]!;
        if (!isKnownPageType(t)) throw new StreamUsageError(`unknown page type ${t}`);
        if (pageTypeHasData(t)) data++;
      }
    }
    const len = 8 + 8 * n + 8 * data;
    const { out, u32 } = this.pageRecordStart(n, len);
    let w = 4;
    for (let i = start; i < end; i++, w += 2) {
      const pfn = pfns[i]!;
      if (!(pfn >= 0 && pfn <= PFN_MAX) || pfn !== Math.floor(pfn)) throw new StreamUsageError(`pfn ${pfn} out of range`);
      const t = types ? types[i]! & 0xf : 0;
      u32[w] = pfn >>> 0;
      u32[w + 1] = ((t << 28) | (pfn > 0xffffffff ? pfn / TWO32 : 0)) >>> 0;
    }
    const tw = new Uint32Array(tokens.buffer, tokens.byteOffset, tokens.length * 2);
    if (data === n) {
      u32.set(tw.subarray(2 * start, 2 * end), w);
    } else {
      for (let i = start; i < end; i++) {
        if (pageTypeHasData(types![i]!)) {
          u32[w] = tw[2 * i]!;
          u32[w + 1] = tw[2 * i + 1]!;
          w += 2;
        }
      }
    }
    this.pageRecordDone(out, n);
  }

  /**
   * One PAGE_DATA record of n NOTAB pages whose tokens are 32-bit
   * generations (the token's high word 0): the bytes pageBatch() would frame
   * for the same pfns and tokens, without a 64-bit token array to fill first.
   * pfns: the pages' pfns, or the first of n consecutive ones.
   */
  pageBatchGenerations(pfns: Float64Array | number, gens: Uint32Array, n: number): void {
    if (n < 1 || n > MAX_BATCH_SIZE) throw new StreamUsageError(`PAGE_DATA batch of ${n} pfns (1..${MAX_BATCH_SIZE})`);
    if (gens.length < n || (typeof pfns !== 'number' && pfns.length < n)) throw new StreamUsageError('fewer tokens than pfns');
    const len = 8 + 16 * n;
    const { out, u32 } = this.pageRecordStart(n, len);
    const t0 = 4 + 2 * n;
    if (typeof pfns === 'number' && pfns >= 0 && pfns + n <= 0x100000000 && pfns === Math.floor(pfns)) {
      for (let i = 0, w = 4; i < n; i++, w += 2) {
        u32[w] = pfns + i;
        u32[w + 1] = 0;
      }
    } else {
      for (let i = 0, w = 4; i < n; i++, w += 2) {
        const pfn = typeof pfns === 'number' ? pfns + i : pfns[i]!;
        if (!(pfn >= 0 && pfn <= PFN_MAX) || pfn !== Math.floor(pfn)) throw new StreamUsageError(`pfn ${pfn} out of range`);
        u32[w] = pfn >>> 0;
        u32[w + 1] = pfn > 0xffffffff ? pfn / TWO32 : 0;
      }
    }
    for (let i = 0, w = t0; i < n; i++, w += 2) {
      u32[w] = gens[i]!;
      u32[w + 1] = 0;
    }
    this.pageRecordDone(out, n);
  }

  /** Any number of pages, in batches of MAX_BATCH_SIZE. */
  pages(pfns: ArrayLike<number>, tokens: BigUint64Array, types?: ArrayLike<number>): void {
    for (let s = 0; s < pfns.length; s += MAX_BATCH_SIZE) {
      this.pageBatch(pfns, tokens, types, s, Math.min(pfns.length, s + MAX_BATCH_SIZE));
    }
  }

  verify(): void {
    this.libxcRecord(REC.VERIFY);
  }

  checkpoint(): void {
    this.libxcRecord(REC.CHECKPOINT);
  }

  tscInfo(t: TscInfo): void {
    const b = Buffer.alloc(24);
    b.writeUInt32LE(t.mode >>> 0, 0);
    b.writeUInt32LE(t.khz >>> 0, 4);
    b.writeBigUInt64LE(t.nsec, 8);
    b.writeUInt32LE(t.incarnation >>> 0, 16);
    this.libxcRecord(REC.X86_TSC_INFO, b);
  }

  sharedInfo(page: Buffer): void {
    this.libxcRecord(REC.SHARED_INFO, page);
  }

  pvVcpu(kind: PvVcpuKind, vcpuId: number, blob: Buffer): void {
    const h = Buffer.alloc(8);
    h.writeUInt32LE(vcpuId >>> 0, 0);
    this.libxcRecord(PV_VCPU_REC[kind], Buffer.concat([h, blob]));
  }

  hvmContext(blob: Buffer): void {
    this.libxcRecord(REC.HVM_CONTEXT, blob);
  }

  hvmParams(entries: ReadonlyArray<readonly [bigint, bigint]>): void {
    const b = Buffer.alloc(8 + 16 * entries.length);
    b.writeUInt32LE(entries.length, 0);
    entries.forEach(([k, v], i) => {
      b.writeBigUInt64LE(k, 8 + 16 * i);
      b.writeBigUInt64LE(v, 16 + 16 * i);
    });
    this.libxcRecord(REC.HVM_PARAMS, b);
  }

  /** xlsim: digest of the sender's final memory image (must precede libxcEnd). */
  memoryDigest(d: MemoryDigestValue): void {
    const b = Buffer.alloc(XLSIM_DIGEST_BODY_SIZE);
    writeU64(b, 0, d.pages);
    b.writeUInt32LE(d.lo >>> 0, 8);
    b.writeUInt32LE(d.hi >>> 0, 12);
    this.libxcRecord(REC_XLSIM_MEMORY_DIGEST, b);
  }

  libxcEnd(): void {
    this.libxcRecord(REC.END);
  }
}

function emulatorHeader(id: number, index: number): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32LE(id >>> 0, 0);
  h.writeUInt32LE(index >>> 0, 4);
  return h;
}

function writeU64(b: Buffer, off: number, v: number): void {
  b.writeUInt32LE(v >>> 0, off);
  b.writeUInt32LE(Math.floor(v / TWO32) >>> 0, off + 4);
}
