// Every single-byte corruption and every truncation of small PV and HVM save
// files is either refused with a typed error of the kind the corrupted field
// calls for, or — only for bytes that are free-form or ignored by design (README
// "Validation") — accepted, and then the memory image must still be exactly the
// sender's: the digest makes a silently altered guest impossible.
import { describe, expect, it } from 'vitest';
import { readStream, StreamReader, type StreamErrorCode, type StreamResult } from '../../lib/libxl/stream/index';
import { buildStream, HVM_DOMAIN, PV_DOMAIN, rng } from './fixtures';
import { layout, type ByteRole } from './layout';

type Outcome = StreamErrorCode | 'ACCEPT';
const ANY_ERROR: Outcome[] = [
  'truncated', 'savefile-truncated', 'bad-magic', 'bad-byteorder', 'unsupported-mandatory-flags', 'legacy-stream',
  'bad-header', 'record-too-long', 'unknown-record', 'malformed-record', 'batch-too-large', 'pfn-out-of-range',
  'unknown-page-type', 'out-of-order', 'missing-record', 'digest-mismatch',
];

const EXPECT: Record<ByteRole, Outcome[]> = {
  'xl.magic': ['bad-magic'],
  'xl.byteorder': ['bad-byteorder'],
  'xl.mflags': ['unsupported-mandatory-flags'],
  'xl.oflags': ['ACCEPT'], // xl never looks at the optional flags
  'xl.optlen': ['savefile-truncated', 'bad-header', 'truncated'],
  'xl.cfglen': ['savefile-truncated', 'ACCEPT'], // shorter: a cut config, refused later by the JSON parser
  'xl.config': ['ACCEPT'], // free-form text, checked by the config parser, not the stream
  'libxl.header': ['bad-header'],
  'libxl.options-hi': ['ACCEPT'], // option bits 2-31 are reserved; libxl checks bit 0 only
  'libxl.rec.type': ANY_ERROR,
  'libxl.rec.length': ANY_ERROR,
  'libxl.emu-hdr': ['ACCEPT'], // emulator id/index: libxl does not check them
  'libxl.body': ['ACCEPT', 'malformed-record'], // emulator data: opaque / key-value text
  'ihdr.fixed': ['bad-header'],
  'ihdr.options-hi': ['ACCEPT'], // option bits 8-15 are reserved, ignored
  'ihdr.reserved': ['ACCEPT'],
  'dhdr.type': ['bad-header'],
  'dhdr.page-shift': ['bad-header'],
  'dhdr.reserved': ['ACCEPT'],
  'dhdr.version': ['ACCEPT'], // the sender's Xen version is informational
  'xc.rec.type': [...ANY_ERROR, 'ACCEPT'], // ACCEPT: bit 31 set turns a dispensable record into a skipped optional one
  'xc.rec.length': ANY_ERROR,
  pad: ['ACCEPT'], // "must be ignored during restore" (libxc spec); libxl does not read it either
  'page.count': ['malformed-record', 'batch-too-large'],
  'page.reserved': ['ACCEPT'],
  'page.pfn': ['pfn-out-of-range', 'digest-mismatch'],
  'page.type': ['unknown-page-type', 'malformed-record'],
  'page.token': ['digest-mismatch'],
  // A page resent by a later iteration: its earlier copy is dead data, and an entry
  // moved to another pfn that is also resent later leaves the final image intact.
  'page.pfn.stale': ['pfn-out-of-range', 'digest-mismatch', 'ACCEPT'],
  'page.token.stale': ['ACCEPT'],
  digest: ['digest-mismatch'],
  state: [...ANY_ERROR, 'ACCEPT'], // opaque vCPU/platform state; only its framing and sizes are checked
};

function outcome(r: StreamResult): Outcome {
  return r.ok ? 'ACCEPT' : r.error.code;
}

function sweep(name: string, bytes: Buffer, maxPfn: number) {
  const opts = { maxPfn, source: 'guest.chk' };
  const good = readStream(bytes, opts).result;
  if (!good.ok) throw new Error(`baseline refused: ${good.error.message}`);
  const want = good.memory.value();
  const roles = layout(bytes);

  it(`${name}: every byte has a role`, () => {
    expect(roles.filter((r) => r === undefined).length).toBe(0);
  });

  it(`${name}: flipping any byte (xor 0xff) gives the error its field calls for`, () => {
    const bad: string[] = [];
    const tally = new Map<string, number>();
    for (let i = 0; i < bytes.length; i++) {
      const c = Buffer.from(bytes);
      c[i]! ^= 0xff;
      const r = readStream(c, opts).result;
      const o = outcome(r);
      tally.set(`${roles[i]} -> ${o}`, (tally.get(`${roles[i]} -> ${o}`) ?? 0) + 1);
      if (!EXPECT[roles[i]!].includes(o)) bad.push(`byte ${i} (${roles[i]}): ${o}${r.ok ? '' : ` "${r.error.message}"`}`);
      if (r.ok) {
        if (JSON.stringify(r.memory.value()) !== JSON.stringify(want)) bad.push(`byte ${i}: accepted with a different memory image`);
      } else {
        if (!r.error.message || r.error.offset < 0 || r.error.offset > bytes.length) bad.push(`byte ${i}: bad error ${JSON.stringify(r.error)}`);
      }
    }
    expect(bad.slice(0, 20)).toEqual([]);
    // The sweep must actually have exercised the detections that matter.
    for (const k of ['page.token -> digest-mismatch', 'page.pfn -> pfn-out-of-range', 'xl.magic -> bad-magic', 'pad -> ACCEPT']) {
      if (roles.includes(k.split(' ')[0] as ByteRole)) expect(tally.get(k) ?? 0, k).toBeGreaterThan(0);
    }
  });

  it(`${name}: random corruptions never throw and never change memory silently`, () => {
    const r0 = rng(7);
    for (let n = 0; n < 3000; n++) {
      const c = Buffer.from(bytes);
      const i = Math.floor(r0() * c.length);
      c[i] = Math.floor(r0() * 256);
      if (r0() < 0.3) c[(i + 1 + Math.floor(r0() * 16)) % c.length] = Math.floor(r0() * 256);
      const r = readStream(c, opts).result;
      if (r.ok) expect(r.memory.value()).toEqual(want);
    }
  });

  it(`${name}: every truncation is refused as truncated, in the reading layer's words`, () => {
    const msgs = new Set<string>();
    for (let k = 0; k < bytes.length; k++) {
      const r = readStream(bytes.subarray(0, k), opts).result;
      expect(r.ok, `cut at ${k}`).toBe(false);
      if (!r.ok) {
        expect(r.error.code, `cut at ${k}: ${r.error.message}`).toBe('truncated');
        msgs.add(r.error.message.replace(/\d+ bytes/, 'N bytes'));
      }
    }
    const allowed = new Set([
      'file/stream truncated reading header from guest.chk',
      'file/stream truncated reading optdata from guest.chk',
      'file/stream truncated reading stream header from guest.chk',
      'file/stream truncated reading record header from guest.chk',
      'file/stream truncated reading record body from guest.chk',
      'Failed to read Image Header from stream',
      'Failed to read Domain Header from stream',
      'Failed to read Record Header from stream',
    ]);
    for (const m of msgs) {
      if (!allowed.has(m)) expect(m).toMatch(/^Failed to read N bytes of data for record \(0x[0-9a-f]{8}, [^)]+\)$/);
    }
    for (const m of allowed) if (!m.includes('record body')) expect(msgs.has(m), m).toBe(true);
    expect(msgs.has('Failed to read N bytes of data for record (0x00000001, Page data)')).toBe(true);
  });

  it(`${name}: a sample of corruptions read in 1-byte chunks ends exactly as the whole-buffer read`, () => {
    for (let i = 0; i < bytes.length; i += 131) {
      const c = Buffer.from(bytes);
      c[i]! ^= 0xff;
      const whole = readStream(c, opts).result;
      const rd = new StreamReader(opts);
      for (let j = 0; j < c.length && !rd.done; j++) rd.push(c.subarray(j, j + 1));
      const bytewise = rd.finish();
      expect(outcome(bytewise), `byte ${i}`).toBe(outcome(whole));
      if (!whole.ok && !bytewise.ok) expect(bytewise.error).toEqual(whole.error);
    }
  });
}

describe('corruption sweep, PV save file', () => {
  sweep('pv', buildStream(PV_DOMAIN, 40, 11, { passes: 2 }).bytes, PV_DOMAIN.maxPfn);
});

describe('corruption sweep, HVM save file', () => {
  sweep('hvm', buildStream(HVM_DOMAIN, 40, 12, { passes: 2 }).bytes, HVM_DOMAIN.maxPfn);
});
