// xl -v save: libxc's detail level shows the fd line, the 1-4 % progress
// steps and xlsim's round line; without -v the transcript is the plain one.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manualHost, PV_CFG } from '../lifecycle/transcript';

/** xtl's progress at detail level: every new percentage, "progress" when it rose by 5 or more */
function verboseFrames(total: number): string {
  let out = '';
  let last = 0;
  for (let n = 1024; n <= total; n += 1024) {
    const pct = Math.floor((n * 100) / total);
    if (pct === last) continue;
    out += `xc: ${pct >= last + 5 ? 'progress' : 'detail'}: Frames: ${n}/${total}  ${String(pct).padStart(3)}%\n`;
    last = pct;
  }
  return out;
}

describe('xl -v save', () => {
  it('adds the detail lines and nothing else', () => {
    const h = manualHost();
    expect(h.xl('create', h.cfg('pv1', PV_CFG)).code).toBe(0);
    const file = path.join(h.home, 'pv1.chk');
    const quiet = h.xl('save', '-c', 'pv1', file);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('detail');
    const s = h.xl('-v', 'save', 'pv1', file);
    const optlen = fs.readFileSync(file).readUInt32LE(44);
    expect(s.stderr.replace(/^xc: detail: fd \d+,/m, 'xc: detail: fd N,')).toBe(
      `Saving to ${file} new xl format (info 0x3/0x0/${optlen})\n` +
        'xc: detail: fd N, dom 1, flags 0, hvm 0\n' +
        'xc: info: Saving domain 1, type x86 PV\n' +
        verboseFrames(131072) +
        'xc: detail: Iteration 0 (suspended): sent 131072 pages, 4.294967 s\n' +
        'xc: progress: End of stream: 0/0    0%\n' +
        `xc: detail: Downtime 4335.0 ms, ${fs.statSync(file).size - 48 - optlen} bytes in 4.334967 s (non-live)\n`,
    );
    expect(s.stdout).toBe('');
    expect(s.code).toBe(0);
  });
});
