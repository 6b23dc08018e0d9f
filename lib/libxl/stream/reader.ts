// Incremental reader of a save file / migration stream: feed it chunks as they
// arrive (a pipe, a file read in pieces, one byte at a time) and it returns the
// items completed by each chunk. It holds at most one record plus the unparsed
// tail of the last chunk, so a 16 GiB guest's stream never sits in memory.
//
// Grammar: [xl header + optional data] libxl header, libxl records; LIBXC_CONTEXT
// hands over to the libxc stream (image header, domain header, records, END),
// after which libxl records resume until libxl END. Bytes after END are not
// consumed (on a migration they are the handshake) — see remainder().
//
// Deviation from Xen (README.md "Page contents as tokens"): PAGE_DATA carries
// 8-byte tokens, and the libxc stream must end with the xlsim memory digest.

import { hex8, streamError, type StreamError } from './errors';
import type { StreamEvent } from './events';
import {
  DHDR_SIZE,
  DHDR_TYPE_X86_HVM,
  DHDR_TYPE_X86_PV,
  domainTypeName,
  IHDR_ID,
  IHDR_OPT_BIG_ENDIAN,
  IHDR_SIZE,
  LIBXL_HEADER_SIZE,
  LIBXL_IDENT_HI,
  LIBXL_IDENT_LO,
  LIBXL_OPT_BIG_ENDIAN,
  LIBXL_VERSION,
  PAGE_SHIFT,
  REC,
  REC_LENGTH_MAX,
  recTypeName,
  XL_HEADER_SIZE,
  align8,
} from './format';
import { handleLibxlRecord, type LibxlState } from './libxl-records';
import { PageTokenMap } from './memory';
import type { DomainKind } from './writer';
import { LibxcRecords, PAGE_DATA_MAX_LENGTH } from './xc-records';
import {
  checkXlFixedHeader,
  parseXlOptData,
  truncatedReading,
  XL_FATAL_HEADER,
  XL_FATAL_OPTDATA,
  type XlHeaderInfo,
} from './xl-header';

export interface StreamReaderOptions {
  /** Where the bytes begin: at the xl save-file header (default) or at the libxl header. */
  readonly start?: 'xl-header' | 'libxl';
  /** Name used in truncation messages, as xl's restore_source ("<incoming migration stream>"). */
  readonly source?: string;
  /** Highest pfn the receiving domain can hold (default 2^24-1: 64 GiB). */
  readonly maxPfn?: number;
  /** The receiving domain's vCPU count, bounds vcpu_id in PV vCPU records (default 128). */
  readonly maxVcpus?: number;
  /** Type of the domain being restored (from its config); a stream of the other type is refused. */
  readonly domainType?: DomainKind;
  /** Remus/COLO stream: CHECKPOINT / CHECKPOINT_END are allowed. */
  readonly checkpointed?: boolean;
  /** Refuse a libxc stream without the xlsim digest (default true). */
  readonly requireDigest?: boolean;
  /** A 'pages' event's arrays are reused by the next PAGE_DATA record (a consumer that keeps none). */
  readonly transientPages?: boolean;
  /** PAGE_DATA records yield 'pages' events (default true); false: they only fill `memory` */
  readonly pageEvents?: boolean;
}

export type StreamResult =
  | { readonly ok: true; readonly memory: PageTokenMap; readonly bytes: number }
  | { readonly ok: false; readonly error: StreamError };

type Phase =
  | 'xl-fixed'
  | 'xl-opt'
  | 'libxl-header'
  | 'libxl-rec-hdr'
  | 'libxl-rec-body'
  | 'ihdr'
  | 'dhdr'
  | 'xc-rec-hdr'
  | 'xc-rec-body'
  | 'done'
  | 'failed';

export class StreamReader {
  private readonly chunks: Buffer[] = [];
  private head = 0; // offset into chunks[0]
  private avail = 0;
  /** Stream offset of the next unconsumed byte. */
  private pos = 0;
  private phase: Phase;
  private need: number;
  private itemOffset = 0;
  private recType = 0;
  private recLength = 0;
  /** stream offset of the libxl header: records are 8-aligned relative to it */
  private recordBase = 0;
  /** a word view of the memory under the input (readPagesInPlace), and that memory */
  private words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private wordsOf: ArrayBufferLike | null = null;
  private xlInfo: XlHeaderInfo | null = null;
  private xc: LibxcRecords | null = null;
  private xcVersion = 3;
  private error: StreamError | null = null;
  private readonly opts: Required<Omit<StreamReaderOptions, 'domainType'>> & { domainType?: DomainKind };
  private readonly libxl: LibxlState;
  readonly memory: PageTokenMap;

  constructor(options: StreamReaderOptions = {}) {
    this.opts = {
      start: options.start ?? 'xl-header',
      source: options.source ?? '<stream>',
      maxPfn: options.maxPfn ?? 2 ** 24 - 1,
      maxVcpus: options.maxVcpus ?? 128,
      checkpointed: options.checkpointed ?? false,
      requireDigest: options.requireDigest ?? true,
      transientPages: options.transientPages ?? false,
      pageEvents: options.pageEvents ?? true,
      ...(options.domainType ? { domainType: options.domainType } : {}),
    };
    this.memory = new PageTokenMap(this.opts.maxPfn);
    this.libxl = { domain: options.domainType ?? null, libxc: 'pending', inCheckpoint: false, checkpointed: this.opts.checkpointed };
    if (this.opts.start === 'xl-header') {
      this.phase = 'xl-fixed';
      this.need = XL_HEADER_SIZE;
    } else {
      this.phase = 'libxl-header';
      this.need = LIBXL_HEADER_SIZE;
    }
  }

  /** True once libxl END was read. */
  get done(): boolean {
    return this.phase === 'done';
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.pos;
  }

  /**
   * Where the next chunk's first byte should sit in an 8-aligned buffer
   * (0..7) for the records in it to be word-aligned there, so that their
   * pages are read in place, not copied first.
   */
  get chunkAlignment(): number {
    return (this.pos + this.avail - this.recordBase) & 7;
  }

  /**
   * Feeds bytes; returns the events they complete. The reader keeps references to
   * the chunk (events may view into it): do not reuse its memory afterwards. On a refusal the last element is
   * the error and the reader is closed; later calls return only that error again.
   */
  push(chunk: Uint8Array): Array<StreamEvent | StreamError> {
    const out: Array<StreamEvent | StreamError> = [];
    if (this.error) return [this.error];
    if (chunk.length) {
      this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.avail += chunk.length;
    }
    while (this.phase !== 'done' && this.avail >= this.need) {
      if (this.phase === 'xc-rec-hdr' && this.readPagesInPlace()) continue;
      const item = this.take(this.need);
      const r = this.step(item, out);
      if (r) {
        this.fail(r);
        out.push(r);
        break;
      }
    }
    return out;
  }

  /**
   * The migration's bulk: PAGE_DATA records that lie whole and word-aligned
   * in the current input chunk, read there through one word view of its
   * memory, with no copy, buffer or event per record. Stops (false when it
   * read none) at anything else, which the general path then reads.
   */
  private readPagesInPlace(): boolean {
    const xc = this.xc;
    if (!xc || this.opts.pageEvents || this.chunks.length !== 1) return false;
    const c = this.chunks[0]!;
    if (this.wordsOf !== c.buffer) {
      this.words = new Uint32Array(c.buffer, 0, c.buffer.byteLength >>> 2);
      this.wordsOf = c.buffer;
    }
    const words = this.words;
    let read = false;
    while (this.avail >= 8) {
      const at = c.byteOffset + this.head;
      if (at & 3) break;
      const w = at >>> 2;
      const length = words[w + 1]!;
      if (words[w] !== REC.PAGE_DATA || length > PAGE_DATA_MAX_LENGTH) break;
      const total = 8 + align8(length);
      if (this.avail < total || xc.pageDataInPlace(length, words, w + 2) === undefined) break;
      this.head += total;
      this.avail -= total;
      this.itemOffset = this.pos + 8;
      this.pos += total;
      read = true;
    }
    if (this.head === c.length) {
      this.chunks.length = 0;
      this.head = 0;
    }
    return read;
  }

  /** Call at EOF: the verdict on the whole stream. */
  finish(): StreamResult {
    if (this.error) return { ok: false, error: this.error };
    if (this.phase === 'done') return { ok: true, memory: this.memory, bytes: this.pos };
    const e = this.truncation();
    this.fail(e);
    return { ok: false, error: e };
  }

  /**
   * Copies what the reader still holds of pushed chunks (the start of an
   * item not complete yet) into memory of its own, so the caller may reuse
   * the chunks' memory.
   */
  ownInput(): void {
    if (!this.avail) {
      this.chunks.length = 0;
      this.head = 0;
      return;
    }
    const own = Buffer.allocUnsafe(this.avail);
    let at = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      at += c.copy(own, at, i === 0 ? this.head : 0);
    }
    this.chunks.length = 0;
    this.chunks.push(own);
    this.head = 0;
  }

  /** Bytes pushed after the libxl END record (not part of the stream). */
  remainder(): Buffer {
    if (this.avail === 0) return Buffer.alloc(0);
    return this.take(this.avail);
  }

  private fail(e: StreamError): void {
    this.error = e;
    this.phase = 'failed';
    this.chunks.length = 0;
    this.avail = 0;
  }

  private take(n: number): Buffer {
    let out: Buffer;
    if (n === 0) out = Buffer.alloc(0);
    else if (this.chunks[0]!.length - this.head >= n) {
      out = this.chunks[0]!.subarray(this.head, this.head + n);
      this.head += n;
    } else {
      out = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const c = this.chunks[0]!;
        const k = Math.min(n - got, c.length - this.head);
        c.copy(out, got, this.head, this.head + k);
        got += k;
        this.head += k;
        if (this.head === c.length) {
          this.chunks.shift();
          this.head = 0;
        }
      }
    }
    while (this.chunks.length && this.head === this.chunks[0]!.length) {
      this.chunks.shift();
      this.head = 0;
    }
    this.avail -= n;
    this.itemOffset = this.pos;
    this.pos += n;
    return out;
  }

  private expect(phase: Phase, need: number): void {
    this.phase = phase;
    this.need = need;
  }

  private recordHeader(phase: 'libxl-rec-hdr' | 'xc-rec-hdr'): void {
    this.expect(phase, 8);
  }

  /** Consumes one complete item; returns an error to stop. */
  private step(b: Buffer, out: Array<StreamEvent | StreamError>): StreamError | null {
    const at = this.itemOffset;
    switch (this.phase) {
      case 'xl-fixed': {
        const r = checkXlFixedHeader(b);
        if (!r.ok) return r.error;
        this.xlInfo = r.info;
        out.push({ kind: 'xl-header', info: r.info });
        if (r.flagsError) return r.flagsError;
        this.expect('xl-opt', r.info.optionalDataLen);
        return null;
      }
      case 'xl-opt': {
        const r = parseXlOptData(b, this.xlInfo!, at);
        if (!r.ok) return r.error;
        out.push({ kind: 'xl-config', config: r.config ? { ...r.config, data: Buffer.from(r.config.data) } : null });
        this.recordBase = this.pos;
        this.expect('libxl-header', LIBXL_HEADER_SIZE);
        return null;
      }
      case 'libxl-header': {
        const hi = b.readUInt32BE(0);
        const lo = b.readUInt32BE(4);
        const version = b.readUInt32BE(8);
        const options = b.readUInt32BE(12);
        if (hi !== LIBXL_IDENT_HI || lo !== LIBXL_IDENT_LO) {
          return streamError('bad-header', 'libxl', `Invalid ident: expected 0x4c6962786c466d74, got 0x${hex16(hi, lo)}`, at);
        }
        if (version !== LIBXL_VERSION) {
          return streamError('bad-header', 'libxl', `Unexpected Version: expected ${LIBXL_VERSION}, got ${version}`, at);
        }
        if (options & LIBXL_OPT_BIG_ENDIAN) return streamError('bad-header', 'libxl', 'Unable to handle big endian streams', at);
        out.push({ kind: 'libxl-header', version, options });
        this.recordHeader('libxl-rec-hdr');
        return null;
      }
      case 'libxl-rec-hdr':
      case 'xc-rec-hdr': {
        this.recType = b.readUInt32LE(0);
        this.recLength = b.readUInt32LE(4);
        const xc = this.phase === 'xc-rec-hdr';
        if (this.recLength > REC_LENGTH_MAX) {
          const name = xc ? recTypeName(this.recType) : `libxl record`;
          return streamError(
            'record-too-long',
            xc ? 'xc' : 'xlsim',
            `Record (${hex8(this.recType)}, ${name}) length 0x${this.recLength.toString(16)} exceeds max (0x${REC_LENGTH_MAX.toString(16)})`,
            at,
          );
        }
        if (xc && this.recType === REC.PAGE_DATA && this.recLength > PAGE_DATA_MAX_LENGTH) {
          return streamError(
            'batch-too-large',
            'xlsim',
            `PAGE_DATA record length ${this.recLength} exceeds the largest batch (${PAGE_DATA_MAX_LENGTH} for 1024 pfns)`,
            at,
          );
        }
        this.expect(xc ? 'xc-rec-body' : 'libxl-rec-body', align8(this.recLength));
        return null;
      }
      case 'libxl-rec-body': {
        const r = handleLibxlRecord(this.libxl, this.recType, this.recLength, b.subarray(0, this.recLength), at - 8);
        if ('code' in r) return r;
        out.push(r);
        if (r.kind === 'libxc-context') this.expect('ihdr', IHDR_SIZE);
        else if (r.kind === 'end') this.phase = 'done';
        else if (r.kind === 'checkpoint-end') this.recordHeader('xc-rec-hdr');
        else this.recordHeader('libxl-rec-hdr');
        return null;
      }
      case 'ihdr': {
        const mhi = b.readUInt32BE(0);
        const mlo = b.readUInt32BE(4);
        const id = b.readUInt32BE(8);
        const version = b.readUInt32BE(12);
        const options = b.readUInt16BE(16);
        if (mhi !== 0xffffffff || mlo !== 0xffffffff) return streamError('bad-header', 'xc', `Invalid marker: Got 0x${hex16(mhi, mlo)}`, at);
        if (id !== IHDR_ID) return streamError('bad-header', 'xc', `Invalid ID: Expected ${hex8(IHDR_ID)}, Got ${hex8(id)}`, at);
        if (version < 2 || version > 3) {
          return streamError('bad-header', 'xc', `Invalid Version: Expected 2 <= ver <= 3, Got ${version | 0}`, at);
        }
        if (options & IHDR_OPT_BIG_ENDIAN) return streamError('bad-header', 'xc', 'Unable to handle big endian streams', at);
        this.xcVersion = version;
        out.push({ kind: 'image-header', version, options });
        this.expect('dhdr', DHDR_SIZE);
        return null;
      }
      case 'dhdr': {
        const type = b.readUInt32LE(0);
        const pageShift = b.readUInt16LE(4);
        const xenMajor = b.readUInt32LE(8);
        const xenMinor = b.readUInt32LE(12);
        const name = domainTypeName(type);
        const want = this.libxl.domain;
        if (type !== DHDR_TYPE_X86_PV && type !== DHDR_TYPE_X86_HVM) {
          return streamError('bad-header', 'xc', `Unable to restore ${name} domain into an ${want === 'pv' ? 'x86 PV' : 'x86 HVM'} domain`, at);
        }
        const domain: DomainKind = type === DHDR_TYPE_X86_PV ? 'pv' : 'hvm';
        if (want && want !== domain) {
          return streamError('bad-header', 'xc', `Unable to restore ${name} domain into an ${want === 'pv' ? 'x86 PV' : 'x86 HVM'} domain`, at);
        }
        if (pageShift !== PAGE_SHIFT) {
          return streamError('bad-header', 'xc', `Invalid page size ${2 ** Math.min(pageShift, 31)} for ${name} domains`, at);
        }
        this.libxl.domain = domain;
        this.xc = new LibxcRecords(domain, this.xcVersion, this.opts, this.memory);
        out.push({ kind: 'domain-header', domain, typeName: name, pageShift, xenMajor, xenMinor });
        this.recordHeader('xc-rec-hdr');
        return null;
      }
      case 'xc-rec-body': {
        const r = this.xc!.record(this.recType, this.recLength, b.subarray(0, this.recLength), at - 8);
        if (r === null) {
          this.recordHeader('xc-rec-hdr');
          return null;
        }
        if ('code' in r) return r;
        out.push(r);
        if (r.kind === 'libxc-end') {
          this.libxl.libxc = 'done';
          this.recordHeader('libxl-rec-hdr');
        } else if (r.kind === 'checkpoint') {
          this.libxl.inCheckpoint = true;
          this.recordHeader('libxl-rec-hdr');
        } else this.recordHeader('xc-rec-hdr');
        return null;
      }
      case 'done':
      case 'failed':
        return null;
    }
  }

  /** The error for EOF in the current phase, in the wording of whoever reads that item. */
  private truncation(): StreamError {
    const at = this.pos;
    const src = this.opts.source;
    const t = (origin: 'libxl' | 'xc', msg: string): StreamError => streamError('truncated', origin, msg, at);
    switch (this.phase) {
      case 'xl-fixed':
        return { ...t('libxl', truncatedReading('header', src)), xlFatal: XL_FATAL_HEADER };
      case 'xl-opt':
        return { ...t('libxl', truncatedReading('optdata', src)), xlFatal: XL_FATAL_OPTDATA };
      case 'libxl-header':
        return t('libxl', truncatedReading('stream header', src));
      case 'libxl-rec-hdr':
        return t('libxl', truncatedReading('record header', src));
      case 'libxl-rec-body':
        return t('libxl', truncatedReading('record body', src));
      case 'ihdr':
        return t('xc', 'Failed to read Image Header from stream');
      case 'dhdr':
        return t('xc', 'Failed to read Domain Header from stream');
      case 'xc-rec-hdr':
        return t('xc', 'Failed to read Record Header from stream');
      default:
        return t('xc', `Failed to read ${this.need} bytes of data for record (${hex8(this.recType)}, ${recTypeName(this.recType)})`);
    }
  }
}

function hex16(hi: number, lo: number): string {
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** Whole-buffer convenience: all events, then the verdict (as if the buffer were the whole stream). */
export function readStream(buf: Buffer, options: StreamReaderOptions = {}): { events: StreamEvent[]; result: StreamResult; remainder: Buffer } {
  const r = new StreamReader(options);
  const events: StreamEvent[] = [];
  for (const e of r.push(buf)) if (!('code' in e)) events.push(e);
  const remainder = r.done ? r.remainder() : Buffer.alloc(0);
  return { events, result: r.finish(), remainder };
}
