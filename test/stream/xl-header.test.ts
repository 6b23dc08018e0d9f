import { describe, expect, it } from 'vitest';
import {
  StreamReader,
  containsConfigMessage,
  loadingMessage,
  readSaveHeader,
  savingMessage,
  writeSaveHeader,
} from '../../lib/libxl/stream/index';

const MAGIC_HEX = '58656e20736176656420646f6d61696e2c20786c20666f726d61740a2000200d';

describe('xl save-file header', () => {
  it('lays out magic, byte order, flags, optional data and the config + NUL', () => {
    const cfg = '{\n    "c_info": {}\n}\n';
    const { bytes, info } = writeSaveHeader(cfg);
    expect(bytes.subarray(0, 32).toString('hex')).toBe(MAGIC_HEX);
    expect(bytes.subarray(32, 36).toString('hex')).toBe('04030201');
    expect(bytes.readUInt32LE(36)).toBe(3);
    expect(bytes.readUInt32LE(40)).toBe(0);
    expect(bytes.readUInt32LE(44)).toBe(4 + cfg.length + 1);
    expect(bytes.readUInt32LE(48)).toBe(cfg.length + 1);
    expect(bytes.subarray(52).toString('latin1')).toBe(cfg + '\0');
    expect(info).toEqual({ mandatoryFlags: 3, optionalFlags: 0, optionalDataLen: 4 + cfg.length + 1 });
    expect(savingMessage('/var/lib/xen/save/g.chk', info)).toBe(
      `Saving to /var/lib/xen/save/g.chk new xl format (info 0x3/0x0/${4 + cfg.length + 1})`,
    );
  });

  it('without a config: STREAMv2 only and a zero config length', () => {
    const { bytes, info } = writeSaveHeader(null);
    expect(info).toEqual({ mandatoryFlags: 2, optionalFlags: 0, optionalDataLen: 4 });
    expect(bytes.length).toBe(52);
    const r = readSaveHeader(bytes);
    expect(r).toEqual({ ok: true, info, config: null, consumed: 52 });
  });

  it('reads back the config and prints what restore prints', () => {
    const { bytes } = writeSaveHeader('{"a":1}');
    const r = readSaveHeader(Buffer.concat([bytes, Buffer.from('rest')]), 'g.chk');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.consumed).toBe(bytes.length);
    expect(r.config?.text).toBe('{"a":1}');
    expect(r.config?.json).toBe(true);
    expect(loadingMessage('g.chk', r.info)).toBe('Loading new save file g.chk (new xl fmt info 0x3/0x0/12)');
    expect(containsConfigMessage(r.info)).toBe(' Savefile contains xl domain config in JSON format');
  });

  it('refuses with xl\'s messages, in xl\'s order', () => {
    const { bytes } = writeSaveHeader('{}');
    const magic = Buffer.from(bytes);
    magic[5] = 0;
    expect(readSaveHeader(magic)).toEqual({
      ok: false,
      error: { code: 'bad-magic', origin: 'xl', message: 'File has wrong magic number - corrupt or for a different tool?', offset: 0 },
    });
    const order = Buffer.from(bytes);
    order.writeUInt32BE(0x01020304, 32);
    const r1 = readSaveHeader(order);
    expect(r1.ok || r1.error.message).toBe('File has wrong byte order');
    const flags = Buffer.from(bytes);
    flags.writeUInt32LE(0x13, 36);
    const r2 = readSaveHeader(flags);
    expect(r2.ok).toBe(false);
    if (!r2.ok) {
      expect(r2.error.message).toBe('Savefile has mandatory flag(s) 0x10 which are not supported; need newer xl');
      // xl prints its "Loading ..." line before this check: the info comes with the error.
      expect(r2.info).toEqual({ mandatoryFlags: 0x13, optionalFlags: 0, optionalDataLen: 7 });
    }
    const cut = Buffer.from(bytes);
    cut.writeUInt32LE(100, 48);
    const r3 = readSaveHeader(cut);
    expect(r3.ok || [r3.error.code, r3.error.message]).toEqual(['savefile-truncated', 'Savefile truncated.']);
    const r4 = readSaveHeader(bytes.subarray(0, 47), 'x.chk');
    expect(r4.ok || [r4.error.code, r4.error.message]).toEqual(['truncated', 'file/stream truncated reading header from x.chk']);
    expect(r4.ok || r4.error.xlFatal).toBe('Protocol error: libxl_read_exactly( ctx, restore_fd, &hdr, sizeof(hdr), restore_source, "header")');
    const r5 = readSaveHeader(bytes.subarray(0, bytes.length - 1), 'x.chk');
    expect(r5.ok || r5.error.message).toBe('file/stream truncated reading optdata from x.chk');
    const legacy = Buffer.from(bytes);
    legacy.writeUInt32LE(1, 36);
    const r6 = readSaveHeader(legacy);
    expect(r6.ok || r6.error.code).toBe('legacy-stream');
  });

  it('ignores optional flags and trailing optional data as xl does', () => {
    const { bytes } = writeSaveHeader('{}');
    const b = Buffer.concat([bytes, Buffer.from('XYZW')]);
    b.writeUInt32LE(0xffff, 40);
    b.writeUInt32LE(b.readUInt32LE(44) + 4, 44);
    const r = readSaveHeader(b);
    expect(r.ok && [r.config?.text, r.consumed]).toEqual(['{}', b.length]);
  });
});

describe('xl header through the streaming reader', () => {
  it('yields the header info before refusing unknown mandatory flags (xl prints "Loading" first)', () => {
    const { bytes } = writeSaveHeader('{}');
    const b = Buffer.from(bytes);
    b.writeUInt32LE(0x103, 36);
    const r = new StreamReader({ source: 'g.chk' });
    const ev = r.push(b);
    expect(ev.map((e) => ('code' in e ? e.code : e.kind))).toEqual(['xl-header', 'unsupported-mandatory-flags']);
    expect(ev[1] && 'message' in ev[1] && ev[1].message).toBe('Savefile has mandatory flag(s) 0x100 which are not supported; need newer xl');
  });

  it('EOF inside the header carries xl\'s fatal Protocol error', () => {
    const r = new StreamReader({ source: '<incoming migration stream>' });
    r.push(Buffer.from('Xen saved'));
    const f = r.finish();
    expect(f.ok || [f.error.message, f.error.xlFatal]).toEqual([
      'file/stream truncated reading header from <incoming migration stream>',
      'Protocol error: libxl_read_exactly( ctx, restore_fd, &hdr, sizeof(hdr), restore_source, "header")',
    ]);
  });
});
