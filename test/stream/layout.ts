// An independent walker over a *valid* stream that names what every byte is, so
// the corruption sweep can say which refusal each flipped byte must produce.
import { LIBXL_REC, REC, REC_XLSIM_MEMORY_DIGEST } from '../../lib/libxl/stream/index';

export type ByteRole =
  | 'xl.magic' | 'xl.byteorder' | 'xl.mflags' | 'xl.oflags' | 'xl.optlen' | 'xl.cfglen' | 'xl.config'
  | 'libxl.header' | 'libxl.options-hi'
  | 'libxl.rec.type' | 'libxl.rec.length' | 'libxl.body' | 'libxl.emu-hdr'
  | 'ihdr.fixed' | 'ihdr.options-hi' | 'ihdr.reserved'
  | 'dhdr.type' | 'dhdr.page-shift' | 'dhdr.reserved' | 'dhdr.version'
  | 'xc.rec.type' | 'xc.rec.length' | 'pad'
  | 'page.count' | 'page.reserved' | 'page.pfn' | 'page.type' | 'page.token' | 'page.pfn.stale' | 'page.token.stale'
  | 'digest'
  | 'state';

const a8 = (n: number) => Math.ceil(n / 8) * 8;

export function layout(b: Buffer): ByteRole[] {
  const roles: ByteRole[] = new Array(b.length);
  const mark = (from: number, len: number, r: ByteRole) => {
    for (let i = from; i < from + len; i++) roles[i] = r;
  };
  mark(0, 32, 'xl.magic');
  mark(32, 4, 'xl.byteorder');
  mark(36, 4, 'xl.mflags');
  mark(40, 4, 'xl.oflags');
  mark(44, 4, 'xl.optlen');
  const optlen = b.readUInt32LE(44);
  mark(48, 4, 'xl.cfglen');
  mark(52, optlen - 4, 'xl.config');
  let p = 48 + optlen;
  mark(p, 16, 'libxl.header');
  mark(p + 12, 3, 'libxl.options-hi');
  p += 16;
  const libxlRecord = (): number => {
    const type = b.readUInt32LE(p);
    const len = b.readUInt32LE(p + 4);
    mark(p, 4, 'libxl.rec.type');
    mark(p + 4, 4, 'libxl.rec.length');
    mark(p + 8, a8(len), 'pad');
    if (type === LIBXL_REC.EMULATOR_CONTEXT || type === LIBXL_REC.EMULATOR_XENSTORE_DATA) {
      mark(p + 8, 8, 'libxl.emu-hdr');
      mark(p + 16, len - 8, 'libxl.body');
    }
    p += 8 + a8(len);
    return type;
  };
  // libxl records up to LIBXC_CONTEXT
  while (libxlRecord() !== LIBXL_REC.LIBXC_CONTEXT);
  mark(p, 16, 'ihdr.fixed');
  mark(p + 16, 1, 'ihdr.options-hi');
  mark(p + 17, 1, 'ihdr.fixed');
  mark(p + 18, 6, 'ihdr.reserved');
  p += 24;
  mark(p, 4, 'dhdr.type');
  mark(p + 4, 2, 'dhdr.page-shift');
  mark(p + 6, 2, 'dhdr.reserved');
  mark(p + 8, 8, 'dhdr.version');
  p += 16;
  // Pre-pass: the record index at which each pfn is sent for the last time.
  const last = new Map<number, number>();
  {
    let q = p;
    for (let rec = 0; ; rec++) {
      const type = b.readUInt32LE(q);
      const len = b.readUInt32LE(q + 4);
      if (type === REC.PAGE_DATA) {
        const count = b.readUInt32LE(q + 8);
        for (let i = 0; i < count; i++) last.set(b.readUInt32LE(q + 16 + 8 * i), rec);
      }
      q += 8 + a8(len);
      if (type === REC.END) break;
    }
  }
  for (let rec = 0; ; rec++) {
    const type = b.readUInt32LE(p);
    const len = b.readUInt32LE(p + 4);
    mark(p, 4, 'xc.rec.type');
    mark(p + 4, 4, 'xc.rec.length');
    mark(p + 8, a8(len), 'pad');
    const body = p + 8;
    if (type === REC.PAGE_DATA) {
      const count = b.readUInt32LE(body);
      mark(body, 4, 'page.count');
      mark(body + 4, 4, 'page.reserved');
      for (let i = 0; i < count; i++) {
        const stale = last.get(b.readUInt32LE(body + 8 + 8 * i)) !== rec;
        mark(body + 8 + 8 * i, 7, stale ? 'page.pfn.stale' : 'page.pfn');
        mark(body + 15 + 8 * i, 1, 'page.type');
        // All test pages carry data: token i follows the pfn array.
        mark(body + 8 + 8 * count + 8 * i, 8, stale ? 'page.token.stale' : 'page.token');
      }
    } else if (type === REC_XLSIM_MEMORY_DIGEST) {
      mark(body, len, 'digest');
    } else {
      mark(body, len, 'state');
    }
    p += 8 + a8(len);
    if (type === REC.END) break;
  }
  while (p < b.length) libxlRecord();
  return roles;
}
