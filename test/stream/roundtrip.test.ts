import { describe, expect, it } from 'vitest';
import {
  BufferSink,
  digestOfArrays,
  PFINFO,
  readStream,
  StreamReader,
  StreamWriter,
  writeStreamEpilogue,
  writeStreamPrologue,
  type StreamEvent,
} from '../../lib/libxl/stream/index';
import { buildStream, HVM_DOMAIN, PV_DOMAIN, randomTokens } from './fixtures';

function finalImage(pfns: Float64Array, tokens: BigUint64Array): Array<[number, bigint]> {
  return Array.from(pfns, (p, i) => [p, tokens[i]!] as [number, bigint]).sort((a, b) => a[0] - b[0]);
}

describe('round trip', () => {
  for (const d of [PV_DOMAIN, HVM_DOMAIN]) {
    it(`${d.type}: three passes of random tokens come back as the final image`, () => {
      const s = buildStream(d, 3000, 99, { passes: 3 });
      const { events, result, remainder } = readStream(s.bytes, { maxPfn: d.maxPfn });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect([...result.memory.entries()]).toEqual(finalImage(s.pfns, s.tokens));
      expect(result.bytes).toBe(s.bytes.length);
      expect(remainder.length).toBe(0);
      const kinds = events.map((e) => e.kind);
      const tail =
        d.type === 'pv'
          ? ['tsc-info', 'shared-info', ...Array(4 * d.vcpus).fill('pv-vcpu'), 'memory-digest', 'libxc-end', 'end']
          : ['tsc-info', 'hvm-context', 'hvm-params', 'memory-digest', 'libxc-end', 'emulator-xenstore-data', 'emulator-context', 'end'];
      const head =
        d.type === 'pv'
          ? ['xl-header', 'xl-config', 'libxl-header', 'libxc-context', 'image-header', 'domain-header', 'x86-pv-info', 'cpuid-policy', 'msr-policy', 'static-data-end', 'p2m-frames']
          : ['xl-header', 'xl-config', 'libxl-header', 'libxc-context', 'image-header', 'domain-header', 'cpuid-policy', 'msr-policy', 'static-data-end'];
      expect(kinds.slice(0, head.length)).toEqual(head);
      expect(kinds.slice(kinds.length - tail.length)).toEqual(tail);
      const pages = events.filter((e): e is Extract<StreamEvent, { kind: 'pages' }> => e.kind === 'pages');
      expect(pages.every((p) => p.pfns.length <= 1024)).toBe(true);
      expect(pages.slice(0, 3).map((p) => p.pfns.length)).toEqual([1024, 1024, 952]);
      const dh = events.find((e) => e.kind === 'domain-header');
      expect(dh).toEqual({ kind: 'domain-header', domain: d.type, typeName: d.type === 'pv' ? 'x86 PV' : 'x86 HVM', pageShift: 12, xenMajor: 4, xenMinor: 20 });
      const cfg = events.find((e) => e.kind === 'xl-config');
      expect(cfg?.kind === 'xl-config' && cfg.config?.text).toBe(s.config);
      if (d.type === 'hvm') {
        const xs = events.find((e) => e.kind === 'emulator-xenstore-data');
        expect(xs).toEqual({ kind: 'emulator-xenstore-data', emulatorId: 2, index: 0, entries: [['physmap/0/size', '0x1000'], ['state', 'running']] });
        const tsc = events.find((e) => e.kind === 'tsc-info');
        expect(tsc).toEqual({ kind: 'tsc-info', tsc: d.tsc });
      }
    });

    it(`${d.type}: 1-byte chunks give the same events as one buffer`, () => {
      const s = buildStream(d, 700, 5, { passes: 2 });
      const whole = readStream(s.bytes, { maxPfn: d.maxPfn });
      const r = new StreamReader({ maxPfn: d.maxPfn });
      const ev: unknown[] = [];
      for (let i = 0; i < s.bytes.length; i++) ev.push(...r.push(s.bytes.subarray(i, i + 1)));
      const fin = r.finish();
      expect(ev).toEqual(whole.events);
      expect(fin.ok && whole.result.ok && [...fin.memory.entries()]).toEqual(whole.result.ok && [...whole.result.memory.entries()]);
    });
  }

  it('frames exactly as Xen: big-endian headers, little-endian records, 8-byte padding', () => {
    const sink = new BufferSink();
    const w = new StreamWriter(sink.sink);
    w.libxlHeader();
    w.libxcContext();
    w.imageHeader();
    w.domainHeader({ type: 'hvm', xenMajor: 4, xenMinor: 20 });
    w.libxcRecord(0x11, Buffer.from([1, 2, 3]));
    const b = sink.toBuffer();
    expect(b.subarray(0, 16).toString('hex')).toBe('4c6962786c466d74' + '00000002' + '00000000');
    expect(b.subarray(16, 24).toString('hex')).toBe('0100000000000000');
    expect(b.subarray(24, 48).toString('hex')).toBe('ffffffffffffffff' + '58454e46' + '00000003' + '0000' + '0000' + '00000000');
    expect(b.subarray(48, 64).toString('hex')).toBe('02000000' + '0c00' + '0000' + '04000000' + '14000000');
    expect(b.subarray(64).toString('hex')).toBe('11000000' + '03000000' + '0102030000000000');
  });

  it('PAGE_DATA: pfn entries carry the type in bits 63-60 and only data pages get a token', () => {
    const sink = new BufferSink();
    const w = new StreamWriter(sink.sink);
    const tokens = new BigUint64Array([0x1111n, 0x2222n, 0x3333n]);
    w.pageBatch([5, 0x123456789, 7], tokens, [PFINFO.L1TAB_PIN, PFINFO.XTAB, PFINFO.NOTAB]);
    const b = sink.toBuffer();
    expect(b.readUInt32LE(0)).toBe(1);
    expect(b.readUInt32LE(4)).toBe(8 + 24 + 16);
    expect(b.readUInt32LE(8)).toBe(3);
    expect(b.readBigUInt64LE(16)).toBe((0x9n << 60n) | 5n);
    expect(b.readBigUInt64LE(24)).toBe((0xfn << 60n) | 0x123456789n);
    expect(b.readBigUInt64LE(32)).toBe(7n);
    expect(b.readBigUInt64LE(40)).toBe(0x1111n);
    expect(b.readBigUInt64LE(48)).toBe(0x3333n);
    expect(b.length).toBe(56);
  });

  it('pages without data empty the pfn; the digest covers what is left', () => {
    const sink = new BufferSink();
    const w = new StreamWriter(sink.sink);
    writeStreamPrologue(w, PV_DOMAIN);
    const tokens = randomTokens(4, 3);
    w.pageBatch([1, 2, 3, 4], tokens);
    w.pageBatch([2], new BigUint64Array(1), [PFINFO.XTAB]);
    writeStreamEpilogue(w, PV_DOMAIN, digestOfArrays([1, 3, 4], new BigUint64Array([tokens[0]!, tokens[2]!, tokens[3]!])));
    const { result, events } = readStream(sink.toBuffer(), { start: 'libxl' });
    expect(result.ok).toBe(true);
    if (result.ok) expect([...result.memory.entries()].map(([p]) => p)).toEqual([1, 3, 4]);
    const last = events.filter((e) => e.kind === 'pages').at(-1);
    expect(last?.kind === 'pages' && [...last.types]).toEqual([PFINFO.XTAB]);
  });

  it('stops at END and leaves the following bytes (the migration handshake) to the caller', () => {
    const s = buildStream(PV_DOMAIN, 10, 1);
    const tail = Buffer.from('domain is yours, you are cleared to unpause\0');
    const r = new StreamReader();
    r.push(Buffer.concat([s.bytes, tail.subarray(0, 10)]));
    expect(r.done).toBe(true);
    r.push(tail.subarray(10));
    expect(r.remainder().equals(tail)).toBe(true);
    expect(r.finish().ok).toBe(true);
  });
});
