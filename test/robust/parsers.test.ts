/**
 * Fuzzing the small parsers of user input the other fuzz tests leave out:
 * xl's memory sizes, the lab console's durations, sizes and rates, and
 * xenstore paths. Whatever the text, each returns a verdict (never throws,
 * never hangs); what it accepts it reads as a reference reading would;
 * what it refuses it says why. Fixed seeds: a run is reproducible.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMemSizeKb } from '../../cmd/xl/mem';
import { formatDuration, parseDuration, parseRate, parseSize } from '../../lib/sim/duration';
import { canonicalize, XENSTORE_REL_PATH_MAX } from '../../lib/xenstore/path';

const RUNS = { numRuns: 3000, seed: 8 };

/**
 * Any code points, control characters and NUL included (fast-check's
 * 'binary' unit costs seconds to set up; this is the same text, cheaply).
 */
export function anyText(maxLength = 30): fc.Arbitrary<string> {
  const cp = fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0x80, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff }));
  return fc.array(cp, { maxLength }).map((a) => String.fromCodePoint(...a));
}

/** text built from the pieces a grammar cares about, and arbitrary text */
function soup(pieces: string[], max = 10): fc.Arbitrary<string> {
  return fc.oneof(fc.array(fc.constantFrom(...pieces), { maxLength: max }).map((a) => a.join('')), fc.string({ maxLength: 30 }), anyText());
}

const NUMS = ['0', '1', '7', '12', '1024', '4294967296', '99999999999999999999', '.', '.5', '1.5', '-', '+', ' ', '\t', '\n', 'e3', '0x1f'];

describe('xl memory sizes (parse_mem_size_kb)', () => {
  const UNITS = ['', 'b', 'B', 'k', 'K', 'm', 'M', 'g', 'G', 't', 'T', 'kb', 'MiB', 'x', 'q', 'mm'];

  it('any text: KiB or -1, never an exception', () => {
    fc.assert(
      fc.property(soup([...NUMS, ...UNITS]), (s) => {
        const kb = parseMemSizeKb(s);
        expect(typeof kb).toBe('number');
        expect(Number.isNaN(kb)).toBe(false);
      }),
      RUNS,
    );
  });

  it('a number and at most one unit letter reads as strtoll and the switch of xl_parse.c do', () => {
    const mult: Record<string, number> = { '': 1024, b: 1 / 1024, k: 1, m: 1024, g: 1024 ** 2, t: 1024 ** 3 };
    fc.assert(
      fc.property(fc.constantFrom(' ', '', '\t'), fc.constantFrom('', '+', '-'), fc.nat({ max: 1 << 30 }), fc.constantFrom('', 'b', 'k', 'm', 'g', 't', 'B', 'K', 'M', 'G', 'T'), (ws, sign, n, unit) => {
        const v = sign === '-' ? -n : n;
        const want = unit.toLowerCase() === 'b' ? Math.floor(v / 1024) : v * mult[unit.toLowerCase()]!;
        // (+ 0: strtoll reads "-0" as 0, not as IEEE's -0)
        expect(parseMemSizeKb(`${ws}${sign}${n}${unit}`) + 0).toBe(want + 0);
      }),
      RUNS,
    );
  });

  it('two letters after the number, or none of the known ones, are refused', () => {
    fc.assert(
      fc.property(fc.nat(), fc.stringMatching(/^[a-zA-Z]{1,4}$/).filter((t) => t.length > 1 || !'bkmgtBKMGT'.includes(t)), (n, tail) => {
        expect(parseMemSizeKb(`${n}${tail}`)).toBe(-1);
      }),
      RUNS,
    );
  });
});

describe('durations, sizes and rates of the lab console', () => {
  const DUR = [...NUMS, 'ns', 'us', 'µs', 'ms', 's', 'm', 'min', 'h', 'd', 'x', 'sec', 'parsecs'];

  it('any text: a non-negative safe integer or a reason naming the text', () => {
    fc.assert(
      fc.property(soup(DUR, 12), (s) => {
        for (const r of [parseDuration(s), parseSize(s), parseSize(s, 'k'), parseRate(s)]) {
          if (r.ok) {
            expect(Number.isSafeInteger(r.value)).toBe(true);
            expect(r.value).toBeGreaterThanOrEqual(0);
          } else {
            expect(r.error).toContain(`'${s}'`);
          }
        }
      }),
      RUNS,
    );
  });

  it('components add up: NhNmNs is its sum in nanoseconds', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), fc.nat({ max: 59 }), fc.nat({ max: 59 }), fc.nat({ max: 999 }), (h, m, s, ms) => {
        expect(parseDuration(`${h}h${m}m${s}s${ms}ms`)).toEqual({ ok: true, value: ((h * 60 + m) * 60 + s) * 1e9 + ms * 1e6 });
        expect(parseDuration(` ${s} `)).toEqual({ ok: true, value: s * 1e9 });
      }),
      RUNS,
    );
  });

  it('what formatDuration prints reads back as the same duration', () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat({ max: 1e6 }), fc.nat({ max: 1e9 }).map((x) => x * 1000), fc.nat({ max: 1e6 }).map((x) => x * 1e9)), (ns) => {
        expect(parseDuration(formatDuration(ns))).toEqual({ ok: true, value: ns });
      }),
      RUNS,
    );
  });

  it('sizes: a number with K/M/G/T (any case, optional B or iB) is that many bytes', () => {
    const shift: Record<string, number> = { k: 10, m: 20, g: 30, t: 40 };
    fc.assert(
      fc.property(fc.nat({ max: 4096 }), fc.constantFrom('k', 'm', 'g', 't', 'K', 'M', 'G', 'T'), fc.constantFrom('', 'b', 'B', 'iB', 'ib'), (n, u, tail) => {
        expect(parseSize(`${n}${u}${tail}`)).toEqual({ ok: true, value: n * 2 ** shift[u.toLowerCase()]! });
      }),
      RUNS,
    );
  });
});

describe('xenstore paths (canonicalize)', () => {
  const PIECES = ['/', '/', 'local', 'domain', '0', '1', '7', 'a', 'A', '-', '_', '@', '@releaseDomain', 'x'.repeat(50), '.', ' ', '*', '\\', '\0', 'é'];

  it('any path: undefined or a canonical absolute path, never an exception', () => {
    fc.assert(
      fc.property(soup(PIECES, 30), fc.nat({ max: 70000 }), fc.boolean(), fc.boolean(), (p, caller, priv, special) => {
        const c = canonicalize(p, caller, priv, special);
        if (c === undefined) return;
        expect(c).toMatch(/^[A-Za-z0-9\-/_@]*$/);
        expect(c.startsWith('/') || (special && c.startsWith('@'))).toBe(true);
        expect(c).not.toContain('//');
        if (c !== '/') expect(c.endsWith('/')).toBe(false);
        // a relative path lands in the caller's home
        if (!p.startsWith('/') && !p.startsWith('@')) expect(c).toBe(`/local/domain/${caller}/${p}`);
        else expect(c).toBe(p);
        if (!priv) {
          const rel = c.replace(/^\/local\/domain\/\d{1,5}\//, '');
          expect(rel.length).toBeLessThanOrEqual(XENSTORE_REL_PATH_MAX);
        }
      }),
      RUNS,
    );
  });

  it('paths with a character outside [A-Za-z0-9-/_@] are refused', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), anyText(3).filter((b) => /[^A-Za-z0-9\-/_@]/.test(b)), fc.string({ maxLength: 20 }), (a, bad, c) => {
        expect(canonicalize(`/${a}${bad}${c}`, 0, true, true)).toBeUndefined();
      }),
      RUNS,
    );
  });
});
