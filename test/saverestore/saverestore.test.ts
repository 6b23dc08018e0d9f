// xl save / xl restore end to end on a manual-clock host: exact transcripts,
// round trips of every guest type with the memory digest checked, and save
// files with a flipped byte or cut short refused cleanly.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manualHost, PV_CFG, HVM_CFG, PVH_CFG } from '../lifecycle/transcript';

function framesLines(total: number): string {
  // xc progress: reported every 1024 pages, printed when up >= 5 points
  let out = '';
  let last = 0;
  for (let n = 1024; n < total; n += 1024) {
    const pct = Math.floor((n * 100) / total);
    if (pct < last || pct >= last + 5) {
      out += `xc: progress: Frames: ${n}/${total}  ${String(pct).padStart(3)}%\n`;
      last = pct;
    }
  }
  out += `xc: progress: Frames: ${total}/${total}  100%\n`;
  return out;
}

describe('xl save / restore', () => {
  it('saves a PV guest with xl progress lines and restores it under a new domid', () => {
    const h = manualHost();
    const cfg = h.cfg('pv1', PV_CFG);
    expect(h.xl('create', cfg).code).toBe(0);
    h.xlsim('clock', 'advance', '5s');
    const file = path.join(h.home, 'pv1.chk');
    const s = h.xl('save', 'pv1', file);
    const optlen = fs.readFileSync(file).readUInt32LE(44);
    expect(s.stderr).toBe(
      `Saving to ${file} new xl format (info 0x3/0x0/${optlen})\n` +
        'xc: info: Saving domain 1, type x86 PV\n' +
        framesLines(131072) +
        'xc: progress: End of stream: 0/0    0%\n',
    );
    expect(s.code).toBe(0);
    expect(h.xl('list', 'pv1').code).not.toBe(0);
    const r = h.xl('restore', file);
    expect(r.stderr).toBe(
      `Loading new save file ${file} (new xl fmt info 0x3/0x0/${optlen})\n` +
        ' Savefile contains xl domain config in JSON format\n' +
        'Parsing config from <saved>\n' +
        'xc: info: Found x86 PV domain from Xen 4.20\n' +
        'xc: info: Restoring domain\n' +
        'xc: info: Restore successful\n' +
        'xc: info: XenStore: mfn 0x120001, dom 0, evt 1\n' +
        'xc: info: Console: mfn 0x120000, dom 0, evt 2\n',
    );
    expect(r.code).toBe(0);
    const l = h.xl('list', 'pv1');
    expect(l.stdout).toMatch(/^pv1\s+2\s+512\s+2\s+/m);
  });

  for (const [name, text, kind] of [
    ['pv1', PV_CFG, 'PV'],
    ['hvm1', HVM_CFG, 'HVM'],
    ['pvh1', PVH_CFG, 'HVM'],
  ] as const) {
    it(`round-trips a ${name} guest (digest checked by the reader), -c keeps it running`, () => {
      const h = manualHost();
      expect(h.xl('create', h.cfg(name, text)).code).toBe(0);
      h.xlsim('clock', 'advance', '10s');
      const file = path.join(h.home, `${name}.chk`);
      const c = h.xl('save', '-c', name, file);
      expect(c.code).toBe(0);
      expect(c.stderr).toContain(`xc: info: Saving domain 1, type x86 ${kind}\n`);
      expect(h.xl('list', name).stdout).toMatch(new RegExp(`^${name}\\s+1\\s`, 'm'));
      // restoring while the original runs fails on the name
      const dup = h.xl('restore', file);
      expect(dup.code).toBe(1);
      expect(dup.stderr).toContain(`Domain with name "${name}" already exists.`);
      expect(h.xl('destroy', name).code).toBe(0);
      const r = h.xl('restore', file);
      expect(r.stderr).toContain('xc: info: Restore successful\n');
      expect(r.code).toBe(0);
      expect(h.xl('list', name).code).toBe(0);
    });
  }

  it('save -p leaves the domain paused', () => {
    const h = manualHost();
    h.xl('create', h.cfg('pvh1', PVH_CFG));
    h.xlsim('clock', 'advance', '5s');
    expect(h.xl('save', '-p', 'pvh1', path.join(h.home, 'x.chk')).code).toBe(0);
    expect(h.xl('list', 'pvh1').stdout).toMatch(/^pvh1\s+1\s+\d+\s+\d+\s+--p---/m);
  });

  it('refuses an unwritable path and a missing file', () => {
    const h = manualHost();
    h.xl('create', h.cfg('pvh1', PVH_CFG));
    const s = h.xl('save', 'pvh1', '/nonexistent/dir/x.chk');
    expect(s).toEqual({ stdout: '', stderr: 'Failed to open temp file /nonexistent/dir/x.chk for writing\n', code: 1 });
    expect(h.xl('list', 'pvh1').code).toBe(0);
    const r = h.xl('restore', '/nonexistent/x.chk');
    expect(r).toEqual({ stdout: '', stderr: "Can't open restore file: No such file or directory\n", code: 1 });
  });

  it('refuses a save file with a flipped byte or cut short, leaving no domain behind', () => {
    const h = manualHost();
    h.xl('create', h.cfg('pvh1', PVH_CFG));
    h.xlsim('clock', 'advance', '5s');
    const file = path.join(h.home, 'g.chk');
    expect(h.xl('save', 'pvh1', file).code).toBe(0);
    const good = fs.readFileSync(file);
    const bad = path.join(h.home, 'bad.chk');
    fs.writeFileSync(bad, good.subarray(0, 20));
    const t = h.xl('restore', bad);
    expect(t.code).toBe(1);
    expect(t.stderr).toBe(
      `libxl: error: libxl_utils.c:507:libxl_read_exactly: file/stream truncated reading header from ${bad}\n` +
        'xl: fatal error: xl_vmcontrol.c:751: Protocol error: libxl_read_exactly( ctx, restore_fd, &hdr, sizeof(hdr), restore_source, "header")\n',
    );
    const m = Buffer.from(good);
    m[0] = m[0]! ^ 0xff;
    fs.writeFileSync(bad, m);
    expect(h.xl('restore', bad)).toEqual({ stdout: '', stderr: 'File has wrong magic number - corrupt or for a different tool?\n', code: 1 });
    // a cut in the page data and a flipped page token: refused after the domain was made
    for (const mutate of [(b: Buffer) => b.subarray(0, b.length - 5000), (b: Buffer) => flipToken(b)]) {
      fs.writeFileSync(bad, mutate(Buffer.from(good)));
      const r = h.xl('restore', bad);
      expect(r.code).toBe(1);
      expect(r.stderr).not.toContain('Restore successful');
      expect(h.xl('list').stdout.split('\n').filter((l) => l.startsWith('pvh1')).length).toBe(0);
    }
    expect(h.xlsim('check').code).toBe(0);
  });
});

/** flips one byte of the first page token (first PAGE_DATA record, type 1 in the libxc stream) */
function flipToken(b: Buffer): Buffer {
  const optlen = b.readUInt32LE(44);
  let off = 48 + optlen + 16 + 8 + 24 + 16; // xl hdr, libxl hdr, LIBXC_CONTEXT, image hdr, domain hdr
  for (;;) {
    const type = b.readUInt32LE(off);
    const len = b.readUInt32LE(off + 4);
    if (type === 1) {
      const count = b.readUInt32LE(off + 8);
      b[off + 8 + 8 + 8 * count] ^= 0x01;
      return b;
    }
    off += 8 + ((len + 7) & ~7);
  }
}
