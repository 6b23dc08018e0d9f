// The libxc v3 record grammar as the receiver enforces it: per-record checks
// follow xg_sr_restore*.c (same wording, minus the "xc: error:" prefix the caller
// adds), plus the stricter xlsim checks the simulation needs (README.md
// "Validation"): batch size, order of static/memory/tail records, the digest.

import { digestEquals, formatDigest } from './digest';
import { hex, hex8, streamError, type StreamError, type StreamErrorCode } from './errors';
import type { StreamEvent } from './events';
import {
  CPUID_LEAF_SIZE,
  isKnownPageType,
  MAX_BATCH_SIZE,
  MSR_ENTRY_SIZE,
  PAGE_SIZE,
  pageTypeHasData,
  PV_INFO_SIZE,
  REC,
  REC_TYPE_OPTIONAL,
  REC_XLSIM_MEMORY_DIGEST,
  recTypeName,
  TSC_INFO_SIZE,
  VCPU_CONTEXT_X86_32_SIZE,
  VCPU_CONTEXT_X86_64_SIZE,
  VCPU_EXTENDED_MAX,
  VCPU_MSR_SIZE,
  VCPU_XSAVE_MIN,
  XLSIM_DIGEST_BODY_SIZE,
} from './format';
import type { PageTokenMap } from './memory';
import type { DomainKind, PvVcpuKind } from './writer';

const TWO32 = 2 ** 32;
/** The largest PAGE_DATA body a batch of MAX_BATCH_SIZE can need. */
export const PAGE_DATA_MAX_LENGTH = 8 + 16 * MAX_BATCH_SIZE;

const VCPU_KIND: Record<number, [PvVcpuKind, string]> = {
  [REC.X86_PV_VCPU_BASIC]: ['basic', 'X86_PV_VCPU_BASIC'],
  [REC.X86_PV_VCPU_EXTENDED]: ['extended', 'X86_PV_VCPU_EXTENDED'],
  [REC.X86_PV_VCPU_XSAVE]: ['xsave', 'X86_PV_VCPU_XSAVE'],
  [REC.X86_PV_VCPU_MSRS]: ['msrs', 'X86_PV_VCPU_MSRS'],
};

export interface XcLimits {
  readonly maxPfn: number;
  readonly maxVcpus: number;
  readonly checkpointed: boolean;
  readonly requireDigest: boolean;
  /** 'pages' events' arrays may be reused by the next record */
  readonly transientPages: boolean;
  /** PAGE_DATA records yield 'pages' events (else they only fill the memory map) */
  readonly pageEvents: boolean;
}

export class LibxcRecords {
  private staticDone = false;
  private pvInfo: { width: number; levels: number } | null = null;
  /** Tail (end-of-checkpoint) records seen since the last CHECKPOINT. */
  private inTail = false;
  private digestSeen = false;
  private vcpu0Basic = false;
  private hvmContext = false;

  constructor(
    private readonly domain: DomainKind,
    private readonly formatVersion: number,
    private readonly limits: XcLimits,
    private readonly memory: PageTokenMap,
  ) {}

  /**
   * A record whose body (length bytes, padding stripped) has been read: the
   * event it makes, its error, or null (PAGE_DATA without page events).
   */
  record(type: number, length: number, body: Buffer, offset: number): StreamEvent | StreamError | null {
    const err = (code: StreamErrorCode, msg: string, origin: 'xc' | 'xlsim' = 'xc'): StreamError =>
      streamError(code, origin, msg, offset);
    const name = recTypeName(type);

    if (this.digestSeen && type !== REC.END) {
      return err('out-of-order', `record ${hex8(type)} (${name}) after the xlsim memory digest`, 'xlsim');
    }
    if (type === REC.END) return this.end(offset);
    if (type === REC_XLSIM_MEMORY_DIGEST) return this.digest(length, body, err);

    switch (type) {
      case REC.PAGE_DATA:
        return this.pageData(length, body, err);
      case REC.VERIFY:
        return { kind: 'verify' };
      case REC.CHECKPOINT:
        if (!this.limits.checkpointed) return err('out-of-order', 'Found checkpoint in non-checkpointed stream');
        this.inTail = false;
        return { kind: 'checkpoint' };
      case REC.STATIC_DATA_END:
        if (this.staticDone) return err('out-of-order', 'Multiple STATIC_DATA_END records found');
        this.staticDone = true;
        return { kind: 'static-data-end' };
      case REC.X86_CPUID_POLICY:
      case REC.X86_MSR_POLICY: {
        const cpuid = type === REC.X86_CPUID_POLICY;
        if (this.staticDone) {
          return err('out-of-order', `${cpuid ? 'X86_CPUID_POLICY' : 'X86_MSR_POLICY'} record after STATIC_DATA_END`, 'xlsim');
        }
        // Xen's MSR message names sizeof(xen_cpuid_leaf_t) although it checks the MSR entry size.
        if (length % (cpuid ? CPUID_LEAF_SIZE : MSR_ENTRY_SIZE) !== 0) {
          return err('malformed-record', `${cpuid ? 'X86_CPUID_POLICY' : 'X86_MSR_POLICY'} size ${length} should be multiple of ${CPUID_LEAF_SIZE}`);
        }
        return { kind: cpuid ? 'cpuid-policy' : 'msr-policy', blob: Buffer.from(body) };
      }
      case REC.X86_TSC_INFO:
        if (length !== TSC_INFO_SIZE) {
          return err('malformed-record', `X86_TSC_INFO record wrong size: length ${length}, expected ${TSC_INFO_SIZE}`);
        }
        this.inTail = true;
        return {
          kind: 'tsc-info',
          tsc: { mode: body.readUInt32LE(0), khz: body.readUInt32LE(4), nsec: body.readBigUInt64LE(8), incarnation: body.readUInt32LE(16) },
        };
    }

    if (this.domain === 'pv') {
      switch (type) {
        case REC.X86_PV_INFO:
          return this.pvInfoRecord(length, body, offset, err);
        case REC.X86_PV_P2M_FRAMES:
          return this.p2mFrames(length, body, err);
        case REC.X86_PV_VCPU_BASIC:
        case REC.X86_PV_VCPU_EXTENDED:
        case REC.X86_PV_VCPU_XSAVE:
        case REC.X86_PV_VCPU_MSRS:
          return this.pvVcpu(type, length, body, err);
        case REC.SHARED_INFO:
          if (!this.pvInfo) return err('out-of-order', 'Not yet received X86_PV_INFO record');
          if (length !== PAGE_SIZE) {
            return err('malformed-record', `X86_PV_SHARED_INFO record wrong size: length ${length}, expected 4096`);
          }
          this.inTail = true;
          return { kind: 'shared-info', page: Buffer.from(body) };
      }
    } else {
      switch (type) {
        case REC.HVM_CONTEXT:
          this.inTail = true;
          this.hvmContext = true;
          return { kind: 'hvm-context', blob: Buffer.from(body) };
        case REC.HVM_PARAMS: {
          if (length < 8) return err('malformed-record', `HVM_PARAMS record truncated: length ${length}, header size 8`);
          const count = body.readUInt32LE(0);
          if (length !== 8 + count * 16) {
            return err('malformed-record', `HVM_PARAMS record truncated: header 8, count ${count}, expected len ${count * 16}, got ${length}`);
          }
          const params: Array<[bigint, bigint]> = [];
          for (let i = 0; i < count; i++) params.push([body.readBigUInt64LE(8 + 16 * i), body.readBigUInt64LE(16 + 16 * i)]);
          this.inTail = true;
          return { kind: 'hvm-params', params };
        }
      }
    }

    if (type & REC_TYPE_OPTIONAL) return { kind: 'optional-record', type, body: Buffer.from(body) };
    return err('unknown-record', `Mandatory record ${hex(type)} (${name}) not handled`);
  }

  private pool: ArrayBuffer | null = null;
  private poolUsed = 0;

  /**
   * n bytes (8-aligned, zeroed) in a pool carved front to back: one
   * allocation for many records; with transient pages, the same bytes each
   * time (not zeroed again)
   */
  private eventSpace(n: number): [ArrayBuffer, number] {
    const size = (n + 7) & ~7;
    if (this.limits.transientPages && this.pool && this.pool.byteLength >= size) return [this.pool, 0];
    if (!this.pool || this.pool.byteLength - this.poolUsed < size) {
      this.pool = new ArrayBuffer(Math.max(size, 1 << 20));
      this.poolUsed = 0;
    }
    const at = this.poolUsed;
    this.poolUsed += size;
    return [this.pool, at];
  }

  /**
   * The PAGE_DATA body at u32[base ...] (length bytes) when it is one run of
   * data pages (first, first + 1, ...; NOTAB, pfns below 2^31) read without
   * page events: what pageData's checks accept, found in one pass that
   * compares words, then stored and digested; true. False for any other
   * body, which pageData then reads the general way (errors included).
   */
  private pageRun(length: number, u32: Uint32Array, base: number): boolean {
    if (this.limits.pageEvents) return false;
    const count = u32[base]!;
    if (count < 1 || count > MAX_BATCH_SIZE || length !== 8 + 16 * count) return false;
    const first = u32[base + 2]!;
    const last = first + count - 1;
    if (u32[base + 3] !== 0 || last > this.limits.maxPfn || last >= 0x7fffffff) return false;
    const stop = base + 2 + 2 * count;
    let w = base + 4;
    for (let p = first + 1; w < stop && u32[w] === p && u32[w + 1] === 0; w += 2) p++;
    if (w !== stop) return false;
    this.memory.setRun(first, u32, stop, count);
    return true;
  }

  /**
   * A PAGE_DATA record read where it lies in the input, its body at
   * words[base ...]: null when it was one run of pages and is done,
   * undefined when it must go through record() like any other.
   */
  pageDataInPlace(length: number, words: Uint32Array, base: number): null | undefined {
    if (this.digestSeen || this.inTail || !this.staticDataEndSeen()) return undefined;
    return this.pageRun(length, words, base) ? null : undefined;
  }

  private aligned = new Uint32Array(0);

  /** length bytes of body (a multiple of 4) as words, in a scratch buffer the next call reuses */
  private alignedCopy(body: Buffer, length: number): Uint32Array {
    if (this.aligned.length < length >>> 2) this.aligned = new Uint32Array(Math.max(length, PAGE_DATA_MAX_LENGTH) >>> 2);
    new Uint8Array(this.aligned.buffer, 0, length).set(body.subarray(0, length));
    return this.aligned.subarray(0, length >>> 2);
  }

  private staticDataEndSeen(): boolean {
    // A v2 stream has no STATIC_DATA_END: Xen infers it at the first memory record.
    if (!this.staticDone && this.formatVersion < 3) this.staticDone = true;
    return this.staticDone;
  }

  private pageData(length: number, body: Buffer, err: (c: StreamErrorCode, m: string, o?: 'xc' | 'xlsim') => StreamError): StreamEvent | StreamError | null {
    if (!this.staticDataEndSeen()) return err('out-of-order', 'No STATIC_DATA_END seen');
    if (this.inTail) return err('out-of-order', 'PAGE_DATA record after the end-of-checkpoint records', 'xlsim');
    if (length < 8) return err('malformed-record', `PAGE_DATA record truncated: length ${length}, min 8`);
    // Word access through a typed view: this loop runs for every page of the guest.
    // Nothing below keeps the words, so a body off word alignment goes through one scratch copy.
    const u32 = (body.byteOffset & 3) === 0 ? new Uint32Array(body.buffer, body.byteOffset, length >>> 2) : this.alignedCopy(body, length);
    const count = u32[0]!;
    if (count < 1) return err('malformed-record', 'Expected at least 1 pfn in PAGE_DATA record');
    if (count > MAX_BATCH_SIZE) {
      return err('batch-too-large', `PAGE_DATA record count ${count} exceeds MAX_BATCH_SIZE (${MAX_BATCH_SIZE})`, 'xlsim');
    }
    if (length < 8 + 8 * count) {
      return err('malformed-record', `PAGE_DATA record (length ${length}) too short to contain ${count} pfns worth of information`);
    }
    const maxPfn = this.limits.maxPfn;
    if (this.pageRun(length, u32, 0)) return null;
    // the event's three arrays share one never-reused piece of a pool (types start zeroed: NOTAB)
    const [ab, at] = this.eventSpace(17 * count);
    const pfns = new Float64Array(ab, at, count);
    const tokens = new BigUint64Array(ab, at + 8 * count, count);
    const types = new Uint8Array(ab, at + 16 * count, count);
    if (this.limits.transientPages) types.fill(0);
    let data = 0;
    let top = 0;
    for (let i = 0, w = 2; i < count; i++, w += 2) {
      const hi = u32[w + 1]!;
      if (hi === 0) {
        // NOTAB below 2^32, what a sender sends all but never anything else
        const lo = u32[w]!;
        if (lo > maxPfn) return err('pfn-out-of-range', `pfn ${hex(lo)} (index ${i}) outside domain maximum`);
        pfns[i] = lo;
        if (lo > top) top = lo;
        data++;
        continue;
      }
      const pfn = (hi & 0xfffff) === 0 ? u32[w]! : u32[w]! + (hi & 0xfffff) * TWO32;
      if (pfn > maxPfn) return err('pfn-out-of-range', `pfn ${hex(pfn)} (index ${i}) outside domain maximum`);
      const t = hi >>> 28;
      if (!isKnownPageType(t)) {
        return err('unknown-page-type', `Unknown type ${hex((t << 28) >>> 0)} for pfn ${hex(pfn)} (index ${i})`);
      }
      pfns[i] = pfn;
      if (pfn > top) top = pfn;
      types[i] = t;
      if (t < 0xd) data++;
    }
    if (length !== 8 + 8 * count + 8 * data) {
      return err('malformed-record', `PAGE_DATA record wrong size: length ${length}, expected 8 + ${8 * count} + ${8 * data}`);
    }
    const words = new Uint32Array(ab, at + 8 * count, 2 * count);
    const mem = this.memory;
    if (data === count) {
      words.set(u32.subarray(2 + 2 * count, 2 + 4 * count));
      mem.setBatch(pfns, words, count, top);
    } else {
      for (let i = 0, w = 2 + 2 * count; i < count; i++) {
        if (pageTypeHasData(types[i]!)) {
          words[2 * i] = u32[w]!;
          words[2 * i + 1] = u32[w + 1]!;
          mem.set(pfns[i]!, u32[w]!, u32[w + 1]!);
          w += 2;
        } else mem.clear(pfns[i]!);
      }
    }
    return this.limits.pageEvents ? { kind: 'pages', pfns, types, tokens } : null;
  }

  private pvInfoRecord(
    length: number,
    body: Buffer,
    offset: number,
    err: (c: StreamErrorCode, m: string) => StreamError,
  ): StreamEvent | StreamError {
    if (this.pvInfo) return err('out-of-order', 'Already received X86_PV_INFO record');
    if (length < PV_INFO_SIZE) return err('malformed-record', `X86_PV_INFO record truncated: length ${length}, expected ${PV_INFO_SIZE}`);
    // Xen only refuses a short record; a longer one would silently swallow the
    // records after it (found by the corruption sweep), so xlsim wants it exact.
    if (length !== PV_INFO_SIZE) {
      return streamError('malformed-record', 'xlsim', `X86_PV_INFO record wrong size: length ${length}, expected ${PV_INFO_SIZE}`, offset);
    }
    const w = body[0]!;
    const l = body[1]!;
    if (!((w === 8 && l === 4) || (w === 4 && l === 3))) {
      return err('malformed-record', `Invalid X86_PV_INFO combination: width ${w}, pt_levels ${l}`);
    }
    this.pvInfo = { width: w, levels: l };
    return { kind: 'x86-pv-info', guestWidth: w, ptLevels: l };
  }

  private p2mFrames(length: number, body: Buffer, err: (c: StreamErrorCode, m: string) => StreamError): StreamEvent | StreamError {
    if (!this.staticDataEndSeen()) return err('out-of-order', 'No STATIC_DATA_END seen');
    if (!this.pvInfo) return err('out-of-order', 'Not yet received X86_PV_INFO record');
    if (length < 8) return err('malformed-record', `X86_PV_P2M_FRAMES record truncated: length ${length}, min 16`);
    const start = body.readUInt32LE(0);
    const end = body.readUInt32LE(4);
    if (start > end) return err('malformed-record', `End pfn in stream (${hex(end)}) exceeds Start (${hex(start)})`);
    const fpp = PAGE_SIZE / this.pvInfo.width;
    const s = Math.floor(start / fpp);
    const e = Math.floor(end / fpp) + 1;
    if (length !== 8 + (e - s) * 8) {
      return err(
        'malformed-record',
        `X86_PV_P2M_FRAMES record wrong size: start_pfn ${hex(start)}, end_pfn ${hex(end)}, length ${length}, expected 8 + (${e} - ${s}) * 8`,
      );
    }
    const frames: number[] = [];
    for (let i = 0; i < e - s; i++) frames.push(body.readUInt32LE(8 + 8 * i) + body.readUInt32LE(12 + 8 * i) * TWO32);
    return { kind: 'p2m-frames', startPfn: start, endPfn: end, frames };
  }

  private pvVcpu(type: number, length: number, body: Buffer, err: (c: StreamErrorCode, m: string) => StreamError): StreamEvent | StreamError {
    const [kind, recName] = VCPU_KIND[type]!;
    if (!this.pvInfo) return err('out-of-order', 'Not yet received X86_PV_INFO record');
    if (length < 8) return err('malformed-record', `${recName} record truncated: length ${length}, header size 8`);
    const vcpuId = body.readUInt32LE(0);
    const blobsz = length - 8;
    this.inTail = true;
    if (blobsz === 0) return { kind: 'pv-vcpu', vcpu: kind, vcpuId, blob: Buffer.alloc(0) };
    if (vcpuId >= this.limits.maxVcpus) {
      return err('malformed-record', `${recName} record vcpu_id (${vcpuId}) exceeds domain max (${this.limits.maxVcpus - 1})`);
    }
    switch (kind) {
      case 'basic': {
        const sz = this.pvInfo.width === 8 ? VCPU_CONTEXT_X86_64_SIZE : VCPU_CONTEXT_X86_32_SIZE;
        if (blobsz !== sz) return err('malformed-record', `${recName} record wrong size: expected ${8 + sz}, got ${length}`);
        if (vcpuId === 0) this.vcpu0Basic = true;
        break;
      }
      case 'extended':
        if (blobsz > VCPU_EXTENDED_MAX) return err('malformed-record', `${recName} record too long: max ${8 + VCPU_EXTENDED_MAX}, got ${length}`);
        break;
      case 'xsave':
        if (blobsz < VCPU_XSAVE_MIN) return err('malformed-record', `${recName} record too short: min ${8 + VCPU_XSAVE_MIN}, got ${length}`);
        break;
      case 'msrs':
        if (blobsz % VCPU_MSR_SIZE !== 0) {
          return err('malformed-record', `${recName} record payload size ${blobsz} expected to be a multiple of ${VCPU_MSR_SIZE}`);
        }
        break;
    }
    return { kind: 'pv-vcpu', vcpu: kind, vcpuId, blob: Buffer.from(body.subarray(8)) };
  }

  private digest(length: number, body: Buffer, err: (c: StreamErrorCode, m: string, o?: 'xc' | 'xlsim') => StreamError): StreamEvent | StreamError {
    if (length !== XLSIM_DIGEST_BODY_SIZE) {
      return err('malformed-record', `xlsim memory digest record wrong size: length ${length}, expected ${XLSIM_DIGEST_BODY_SIZE}`, 'xlsim');
    }
    const sent = { pages: body.readUInt32LE(0) + body.readUInt32LE(4) * TWO32, lo: body.readUInt32LE(8), hi: body.readUInt32LE(12) };
    const got = this.memory.value();
    if (!digestEquals(sent, got)) {
      return err('digest-mismatch', `memory digest mismatch: sender has ${formatDigest(sent)}, received ${formatDigest(got)}`, 'xlsim');
    }
    this.digestSeen = true;
    return { kind: 'memory-digest', digest: sent };
  }

  private end(offset: number): StreamEvent | StreamError {
    const missing = (origin: 'xc' | 'xlsim', msg: string): StreamError => streamError('missing-record', origin, msg, offset);
    if (this.limits.requireDigest && !this.digestSeen) return missing('xlsim', 'stream ended without the xlsim memory digest');
    if (this.domain === 'pv') {
      if (!this.pvInfo) return missing('xc', 'Not yet received X86_PV_INFO record');
      if (!this.vcpu0Basic) return missing('xc', "Sender didn't send vcpu0's basic state");
    } else if (!this.hvmContext) {
      return missing('xlsim', 'stream ended without an HVM_CONTEXT record');
    }
    return { kind: 'libxc-end' };
  }
}
