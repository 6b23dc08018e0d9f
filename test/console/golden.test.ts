/**
 * Boot transcripts per guest type on a manual clock: what the primary
 * console shows from the first line to the login prompt, and the guest's
 * `(d<N>)` lines in `xl dmesg` (hvmloader and SeaBIOS on the debug port).
 * Same seed, same commands → the same bytes, so they are golden files.
 */
import { describe, expect, it } from 'vitest';
import { golden, lab } from './helpers';

const TYPES: { cfg: string; extra?: string; name: string; golden: string }[] = [
  { cfg: 'configs/pv-guest.cfg', name: 'pv-guest', golden: 'pv' },
  // the same guest without `quiet`: every kernel line reaches hvc0
  { cfg: 'configs/pv-guest.cfg', extra: 'extra="console=hvc0"', name: 'pv-guest', golden: 'pv-verbose' },
  { cfg: 'configs/pvh-guest.cfg', name: 'pvh-guest', golden: 'pvh' },
  { cfg: 'configs/hvm-guest.cfg', name: 'hvm-guest', golden: 'hvm-seabios' },
];

describe('boot transcripts', () => {
  for (const t of TYPES) {
    it(`${t.golden}: console and xl dmesg are deterministic`, () => {
      const runs = [lab(11), lab(11)].map((l) => {
        const c = l.xl(['create', t.cfg, ...(t.extra ? [t.extra] : [])]);
        expect(c.code).toBe(0);
        // stdin at EOF, not a terminal: the client streams until the guest is idle
        const con = l.xl(['console', t.name]);
        expect(con.stderr).toBe('');
        expect(con.code).toBe(0);
        const dmesg = l.xl(['dmesg']);
        expect(dmesg.code).toBe(0);
        const guestLines = dmesg.stdout.split('\n').filter((x) => /^\(d\d+\) /.test(x));
        return { console: con.stdout, dmesg: guestLines.join('\n') + '\n' };
      });
      expect(runs[1]).toEqual(runs[0]);
      const r = runs[0]!;
      expect(r.console).toMatch(new RegExp(`${t.name} login: $`));
      const gc = golden(`${t.golden}.console.txt`, r.console);
      expect(gc.actual).toBe(gc.expected);
      const gd = golden(`${t.golden}.dmesg.txt`, r.dmesg);
      expect(gd.actual).toBe(gd.expected);
      if (t.golden === 'hvm-seabios') {
        expect(r.dmesg).toMatch(/^\(d1\) HVM Loader$/m);
        expect(r.dmesg).toMatch(/SeaBIOS/);
      } else expect(r.dmesg).toBe('\n');
    });
  }
});
