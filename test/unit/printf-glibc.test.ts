/**
 * sprintf against glibc's own printf: a small C program formats the same
 * (format, value) pairs and the outputs must be identical. Covers the
 * number fast paths (plain JS integers, the tie check of %f) against the
 * exact answers. Skipped where no C compiler is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sprintf } from '../../lib/util/printf';
import { rng } from '../stream/fixtures';

const cc = spawnSync('cc', ['--version']).status === 0;

const C_SOURCE = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
  char kind[8], fmt[64], val[128];
  while (scanf("%7s %63s %127s", kind, fmt, val) == 3) {
    if (kind[0] == 'i') printf(fmt, (int)strtoll(val, NULL, 10));
    else if (kind[0] == 'l') printf(fmt, (long)strtoll(val, NULL, 10));
    else if (kind[0] == 'u') printf(fmt, (unsigned)strtoull(val, NULL, 10));
    else if (kind[0] == 'U') printf(fmt, (unsigned long)strtoull(val, NULL, 10));
    else printf(fmt, strtod(val, NULL));
    putchar('\n');
  }
  return 0;
}`;

describe.skipIf(!cc)('sprintf matches glibc printf', () => {
  it('on random integers and doubles', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-printf-'));
    try {
      const exe = path.join(dir, 'p');
      fs.writeFileSync(`${exe}.c`, C_SOURCE);
      execFileSync('cc', ['-O0', '-o', exe, `${exe}.c`]);
      const r = rng(42);
      const ints = [0, 1, -1, 7, 255, 4096, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1, 2 ** 40 + 3, -(2 ** 40)];
      const cases: { kind: string; fmt: string; value: number }[] = [];
      const intFormats: [string, string][] = [['i', '%d'], ['i', '%5d'], ['i', '%-6d|'], ['i', '%05d'], ['i', '%+d'], ['i', '%.3d'], ['l', '%ld'], ['l', '%12ld'], ['u', '%u'], ['u', '%5u'], ['u', '%x'], ['u', '%#X'], ['u', '%o'], ['U', '%lu'], ['U', '%5lu'], ['U', '%lx']];
      for (const [kind, fmt] of intFormats) {
        for (const v of ints) cases.push({ kind, fmt, value: v });
        for (let i = 0; i < 40; i++) {
          const mag = 2 ** Math.floor(r() * 50);
          cases.push({ kind, fmt, value: Math.floor((r() - 0.3) * mag) });
        }
      }
      const dblFormats = ['%f', '%.1f', '%8.1f', '%.2f', '%5.2f', '%.0f', '%.3f', '%-9.1f|', '%+.1f'];
      const dbls = [0, -0.01, 0.05, 0.25, 0.35, 0.45, 1.5, 2.5, 812.62, 1e-7, 123456.785, 0.125, 9.995];
      for (const fmt of dblFormats) {
        for (const v of dbls) cases.push({ kind: 'd', fmt, value: v });
        for (let i = 0; i < 60; i++) {
          // halves and quarters hit exact ties; the rest random
          const v = i % 3 === 0 ? Math.round(r() * 4000) / 8 : (r() - 0.2) * 10 ** Math.floor(r() * 8);
          cases.push({ kind: 'd', fmt, value: v });
        }
      }
      const input = cases.map((c) => `${c.kind} ${c.fmt} ${c.kind === 'd' ? c.value.toPrecision(17) : String(c.value)}`).join('\n') + '\n';
      const want = execFileSync(exe, { input, encoding: 'utf8' }).split('\n');
      const got = cases.map((c) => sprintf(c.fmt, c.kind === 'd' ? Number(c.value.toPrecision(17)) : c.value));
      const diffs = cases.map((c, i) => ({ c, want: want[i], got: got[i] })).filter((d) => d.want !== d.got);
      expect(diffs).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
