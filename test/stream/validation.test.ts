import { describe, expect, it } from 'vitest';
import {
  BufferSink,
  digestOfArrays,
  LIBXL_REC,
  readStream,
  REC,
  StreamReader,
  StreamWriter,
  writeStreamEpilogue,
  writeStreamPrologue,
  type StreamDomain,
  type StreamError,
  type StreamReaderOptions,
} from '../../lib/libxl/stream/index';
import { HVM_DOMAIN, PV_DOMAIN, randomTokens } from './fixtures';

function stream(build: (w: StreamWriter) => void): Buffer {
  const sink = new BufferSink();
  build(new StreamWriter(sink.sink));
  return sink.toBuffer();
}

function refusal(b: Buffer, opts: StreamReaderOptions = {}): Pick<StreamError, 'code' | 'origin' | 'message'> | 'accepted' {
  const r = readStream(b, { start: 'libxl', ...opts }).result;
  return r.ok ? 'accepted' : { code: r.error.code, origin: r.error.origin, message: r.error.message };
}

const PFNS = [0, 1, 2, 3];
const TOK = randomTokens(4, 8);
const DIGEST = digestOfArrays(PFNS, TOK);

/** A complete valid stream of `d` with `mid` spliced in after the pages. */
function full(d: StreamDomain, mid: (w: StreamWriter) => void = () => {}, pages = true): Buffer {
  return stream((w) => {
    writeStreamPrologue(w, d);
    if (pages) w.pages(PFNS, TOK);
    mid(w);
    writeStreamEpilogue(w, d, DIGEST);
  });
}

describe('stream validation', () => {
  it('accepts the baseline streams', () => {
    expect(refusal(full(PV_DOMAIN))).toBe('accepted');
    expect(refusal(full(HVM_DOMAIN))).toBe('accepted');
  });

  it('libxl header', () => {
    const b = full(PV_DOMAIN);
    const ident = Buffer.from(b);
    ident[0] = 0x4d;
    expect(refusal(ident)).toEqual({ code: 'bad-header', origin: 'libxl', message: 'Invalid ident: expected 0x4c6962786c466d74, got 0x4d6962786c466d74' });
    const ver = Buffer.from(b);
    ver.writeUInt32BE(3, 8);
    expect(refusal(ver)).toMatchObject({ message: 'Unexpected Version: expected 2, got 3' });
    const be = Buffer.from(b);
    be.writeUInt32BE(1, 12);
    expect(refusal(be)).toMatchObject({ message: 'Unable to handle big endian streams' });
  });

  it('libxc image and domain headers', () => {
    const b = full(PV_DOMAIN);
    const id = Buffer.from(b);
    id.writeUInt32BE(0x58454e47, 24 + 8);
    expect(refusal(id)).toEqual({ code: 'bad-header', origin: 'xc', message: 'Invalid ID: Expected 0x58454e46, Got 0x58454e47' });
    const marker = Buffer.from(b);
    marker[24] = 0;
    expect(refusal(marker)).toMatchObject({ message: 'Invalid marker: Got 0x00ffffffffffffff' });
    const v = Buffer.from(b);
    v.writeUInt32BE(4, 24 + 12);
    expect(refusal(v)).toMatchObject({ message: 'Invalid Version: Expected 2 <= ver <= 3, Got 4' });
    expect(refusal(b, { domainType: 'hvm' })).toMatchObject({ message: 'Unable to restore x86 PV domain into an x86 HVM domain' });
    const shift = Buffer.from(b);
    shift.writeUInt16LE(13, 48 + 4);
    expect(refusal(shift)).toMatchObject({ message: 'Invalid page size 8192 for x86 PV domains' });
  });

  it('records out of order', () => {
    const early = stream((w) => {
      w.libxlHeader();
      w.libxcContext();
      w.imageHeader();
      w.domainHeader({ type: 'hvm', xenMajor: 4, xenMinor: 20 });
      w.pages(PFNS, TOK);
    });
    expect(refusal(early)).toEqual({ code: 'out-of-order', origin: 'xc', message: 'No STATIC_DATA_END seen' });
    expect(refusal(full(HVM_DOMAIN, (w) => w.staticDataEnd()))).toMatchObject({ code: 'out-of-order', message: 'Multiple STATIC_DATA_END records found' });
    expect(
      refusal(full(HVM_DOMAIN, (w) => { w.tscInfo(HVM_DOMAIN.tsc); w.pages([9], randomTokens(1, 1)); })),
    ).toMatchObject({ code: 'out-of-order', origin: 'xlsim' });
    expect(refusal(full(PV_DOMAIN, (w) => w.x86PvInfo()))).toMatchObject({ message: 'Already received X86_PV_INFO record' });
    const afterDigest = stream((w) => {
      writeStreamPrologue(w, HVM_DOMAIN);
      w.pages(PFNS, TOK);
      w.memoryDigest(DIGEST);
      w.tscInfo(HVM_DOMAIN.tsc);
    });
    expect(refusal(afterDigest)).toMatchObject({ code: 'out-of-order', message: 'record 0x00000008 (x86 TSC info) after the xlsim memory digest' });
    const twice = stream((w) => {
      w.libxlHeader();
      w.libxlRecord(LIBXL_REC.EMULATOR_CONTEXT, Buffer.alloc(8));
    });
    expect(refusal(twice, { domainType: 'hvm' })).toMatchObject({ code: 'out-of-order' });
    expect(refusal(stream((w) => { w.libxlHeader(); w.libxlEnd(); }))).toMatchObject({ code: 'missing-record' });
  });

  it('PAGE_DATA checks', () => {
    const rec = (body: Buffer) => full(HVM_DOMAIN, (w) => w.libxcRecord(REC.PAGE_DATA, body), true);
    const body = (count: number, entries: bigint[], tokens: number) => {
      const b = Buffer.alloc(8 + 8 * entries.length + 8 * tokens);
      b.writeUInt32LE(count, 0);
      entries.forEach((e, i) => b.writeBigUInt64LE(e, 8 + 8 * i));
      return b;
    };
    expect(refusal(rec(body(0, [], 0)))).toMatchObject({ code: 'malformed-record', message: 'Expected at least 1 pfn in PAGE_DATA record' });
    expect(refusal(rec(body(1025, [], 0)))).toMatchObject({ code: 'batch-too-large', message: 'PAGE_DATA record count 1025 exceeds MAX_BATCH_SIZE (1024)' });
    expect(refusal(rec(body(2, [1n], 0)))).toMatchObject({ message: 'PAGE_DATA record (length 16) too short to contain 2 pfns worth of information' });
    expect(refusal(rec(body(1, [0x100000n], 1)), { maxPfn: 0xfffff })).toMatchObject({ code: 'pfn-out-of-range', message: 'pfn 0x100000 (index 0) outside domain maximum' });
    expect(refusal(rec(body(1, [(5n << 60n) | 1n], 1)))).toMatchObject({ code: 'unknown-page-type', message: 'Unknown type 0x50000000 for pfn 0x1 (index 0)' });
    expect(refusal(rec(body(1, [1n], 2)))).toMatchObject({ code: 'malformed-record', message: 'PAGE_DATA record wrong size: length 32, expected 8 + 8 + 8' });
    const huge = Buffer.alloc(16);
    huge.writeUInt32LE(REC.PAGE_DATA, 0);
    huge.writeUInt32LE(8 + 16 * 1024 + 8, 4);
    expect(refusal(full(HVM_DOMAIN, (w) => w.raw(huge)))).toMatchObject({ code: 'batch-too-large' });
    const long = Buffer.alloc(8);
    long.writeUInt32LE(REC.HVM_CONTEXT, 0);
    long.writeUInt32LE((128 << 20) + 1, 4);
    expect(refusal(full(HVM_DOMAIN, (w) => w.raw(long)))).toMatchObject({ code: 'record-too-long', message: 'Record (0x00000009, HVM context) length 0x8000001 exceeds max (0x8000000)' });
    expect(() => new StreamWriter(() => {}).pageBatch(new Array(1025).fill(0), new BigUint64Array(1025))).toThrow(/PAGE_DATA batch/);
  });

  it('the digest catches a lost page, a reordered resend and a missing digest', () => {
    const lost = stream((w) => {
      writeStreamPrologue(w, PV_DOMAIN);
      w.pages(PFNS.slice(0, 3), TOK);
      writeStreamEpilogue(w, PV_DOMAIN, DIGEST);
    });
    const e = refusal(lost);
    expect(e).toMatchObject({ code: 'digest-mismatch', origin: 'xlsim' });
    expect(e !== 'accepted' && e.message).toMatch(/^memory digest mismatch: sender has 4 pages, 0x[0-9a-f]{16}, received 3 pages, 0x[0-9a-f]{16}$/);
    // Pass 2 resends pfn 1 with a new token; delivering it before pass 1 leaves the stale token.
    const newer = randomTokens(1, 77);
    const final = new BigUint64Array(TOK);
    final[1] = newer[0]!;
    const inOrder = stream((w) => {
      writeStreamPrologue(w, PV_DOMAIN);
      w.pages(PFNS, TOK);
      w.pages([1], newer);
      writeStreamEpilogue(w, PV_DOMAIN, digestOfArrays(PFNS, final));
    });
    expect(refusal(inOrder)).toBe('accepted');
    const swapped = stream((w) => {
      writeStreamPrologue(w, PV_DOMAIN);
      w.pages([1], newer);
      w.pages(PFNS, TOK);
      writeStreamEpilogue(w, PV_DOMAIN, digestOfArrays(PFNS, final));
    });
    expect(refusal(swapped)).toMatchObject({ code: 'digest-mismatch' });
    const none = stream((w) => {
      writeStreamPrologue(w, HVM_DOMAIN);
      w.pages(PFNS, TOK);
      w.tscInfo(HVM_DOMAIN.tsc);
      w.hvmContext(Buffer.alloc(8));
      w.libxcEnd();
      w.libxlEnd();
    });
    expect(refusal(none)).toMatchObject({ code: 'missing-record', message: 'stream ended without the xlsim memory digest' });
    expect(refusal(none, { requireDigest: false })).toBe('accepted');
  });

  it('unknown and misplaced records', () => {
    expect(refusal(full(HVM_DOMAIN, (w) => w.libxcRecord(0x13)))).toMatchObject({ code: 'unknown-record', origin: 'xc', message: 'Mandatory record 0x13 (Reserved) not handled' });
    expect(refusal(full(HVM_DOMAIN, (w) => w.libxcRecord(0x80000013, Buffer.alloc(3))))).toBe('accepted');
    expect(refusal(full(HVM_DOMAIN, (w) => w.x86PvInfo()))).toMatchObject({ message: 'Mandatory record 0x2 (x86 PV info) not handled' });
    expect(refusal(full(PV_DOMAIN, (w) => w.hvmContext(Buffer.alloc(8))))).toMatchObject({ message: 'Mandatory record 0x9 (HVM context) not handled' });
    expect(refusal(full(HVM_DOMAIN, (w) => w.checkpoint()))).toMatchObject({ message: 'Found checkpoint in non-checkpointed stream' });
    const lx = (t: number, body?: Buffer) =>
      stream((w) => {
        writeStreamPrologue(w, PV_DOMAIN);
        w.pages(PFNS, TOK);
        writeStreamEpilogue(w, PV_DOMAIN, DIGEST);
      }).subarray(0, -8).toString('hex') + stream((w) => { w.libxlRecord(t, body ?? null); w.libxlEnd(); }).toString('hex');
    expect(refusal(Buffer.from(lx(7), 'hex'))).toEqual({ code: 'unknown-record', origin: 'libxl', message: 'Unrecognised record 0x00000007' });
    expect(refusal(Buffer.from(lx(LIBXL_REC.EMULATOR_CONTEXT, Buffer.alloc(8)), 'hex'))).toMatchObject({ message: 'Received an emulator context record when none was expected' });
    expect(refusal(Buffer.from(lx(LIBXL_REC.CHECKPOINT_END), 'hex'))).toMatchObject({ message: 'Unexpected CHECKPOINT_END record in stream' });
  });

  it('per-record size checks use Xen\'s words', () => {
    expect(refusal(full(HVM_DOMAIN, (w) => w.libxcRecord(REC.X86_TSC_INFO, Buffer.alloc(16))))).toMatchObject({ message: 'X86_TSC_INFO record wrong size: length 16, expected 24' });
    expect(refusal(full(PV_DOMAIN, (w) => w.sharedInfo(Buffer.alloc(100))))).toMatchObject({ message: 'X86_PV_SHARED_INFO record wrong size: length 100, expected 4096' });
    expect(refusal(full(PV_DOMAIN, (w) => w.pvVcpu('basic', 0, Buffer.alloc(10))))).toMatchObject({ message: 'X86_PV_VCPU_BASIC record wrong size: expected 5176, got 18' });
    expect(refusal(full(PV_DOMAIN, (w) => w.pvVcpu('extended', 500, Buffer.alloc(10))))).toMatchObject({ message: 'X86_PV_VCPU_EXTENDED record vcpu_id (500) exceeds domain max (127)' });
    const params = Buffer.alloc(8);
    params.writeUInt32LE(2, 0);
    expect(refusal(full(HVM_DOMAIN, (w) => w.libxcRecord(REC.HVM_PARAMS, params)))).toMatchObject({ message: 'HVM_PARAMS record truncated: header 8, count 2, expected len 32, got 8' });
    const noVcpu = stream((w) => {
      writeStreamPrologue(w, PV_DOMAIN);
      w.pages(PFNS, TOK);
      w.memoryDigest(DIGEST);
      w.libxcEnd();
      w.libxlEnd();
    });
    expect(refusal(noVcpu)).toMatchObject({ code: 'missing-record', origin: 'xc', message: "Sender didn't send vcpu0's basic state" });
  });

  it('checkpointed streams: CHECKPOINT hands back to libxl until CHECKPOINT_END', () => {
    const b = stream((w) => {
      writeStreamPrologue(w, HVM_DOMAIN);
      w.pages(PFNS, TOK);
      w.tscInfo(HVM_DOMAIN.tsc);
      w.checkpoint();
      w.emulatorContext(2, 0, Buffer.from('qemu'));
      w.checkpointEnd();
      w.pages([1], new BigUint64Array([TOK[1]!]));
      writeStreamEpilogue(w, HVM_DOMAIN, DIGEST);
    });
    expect(refusal(b, { checkpointed: true })).toBe('accepted');
    expect(refusal(b)).toMatchObject({ message: 'Found checkpoint in non-checkpointed stream' });
  });

  it('after a refusal the reader stays closed with the same error', () => {
    const b = Buffer.from(full(PV_DOMAIN));
    b[0] = 0;
    const r = new StreamReader({ start: 'libxl' });
    const ev = r.push(b);
    const err = ev.at(-1);
    expect(err && 'code' in err && err.code).toBe('bad-header');
    expect(r.push(Buffer.from('more'))).toEqual([err]);
    expect(r.finish()).toEqual({ ok: false, error: err });
  });
});
