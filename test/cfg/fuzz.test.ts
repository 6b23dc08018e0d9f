/**
 * Property tests of the config parser with fast-check (fixed seeds, so a run
 * is reproducible): whatever the input, it returns (never throws, never
 * hangs), is deterministic, and only says what libxlu can say; configs
 * written from a model read back as that model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { XluConfigValue } from '../../lib/cfg/config';
import { parse, show } from './helpers';

// every line the parser itself can report
const REPORT_LINE = new RegExp(
  [
    "^g\\.cfg:-?\\d+: config parsing error near (`[^\\n]*'|<newline>|): (lexical error|syntax error, unexpected [^\\n]+|memory exhausted|invalid [^\\n]+ in quoted string|can't add \\[list\\] to \"string\" or vice versa)\\n$",
    '^warning: Config file looks like it contains Python code\\.\\n$',
    '^warning:  Arbitrary Python is no longer supported\\.\\n$',
    '^warning:  See https://wiki\\.xen\\.org/wiki/PythonInXlConfig\\n$',
  ].join('|'),
);

function digest(text: string | Uint8Array): string {
  const p = parse(text);
  const settings = p.cfg
    .settings()
    .map((s) => `${s.name}${s.op}${s.lineno}:${show(s.value, true)}`)
    .join(';');
  return `${p.ok}|${p.report}|${settings}`;
}

function checkInvariants(text: string | Uint8Array): void {
  const p = parse(text);
  for (const line of p.lines) expect(line).toMatch(REPORT_LINE);
  const errors = p.lines.filter((l) => l.includes('config parsing error')).length;
  // failure is always explained, success never is
  expect(errors > 0).toBe(!p.ok);
  expect(digest(text)).toBe(digest(text));
}

const TOKENS = [
  'a', 'memory', 'vif.default.script', 'x_1', '"str"', "'s'", '"a\\nb"', '"\\x41"', '"\\101"', '"\\12"', '"\\q"',
  '5', '0x1f', '0X1F', '08', '1e3', '-1', '1.5', '=', '+=', '+', '[', ']', ',', ';', '\n', '\n', '\r\n', '# c\n',
  '#', ' ', '\t', 'Name', '_x', 'foo-bar', '(', ')', ':', '"open', "'", '"', '\\', 'é', '\x00', 'M', '[[', ']]',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(''));
const bytes = fc.uint8Array({ maxLength: 300 });
const anyString = fc.string({ unit: 'binary', maxLength: 200 });

// a model of a valid config: distinct keys, values nested at most 3 deep
const key = fc.stringMatching(/^[a-z][a-z0-9._]{0,8}$/);
const scalar = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 ,=#:/._-]{0,12}$/).map((s) => ({ kind: 's' as const, s })),
  fc.nat({ max: 100000 }).map((n) => ({ kind: 'n' as const, s: String(n) })),
  fc.nat({ max: 0xffff }).map((n) => ({ kind: 'n' as const, s: '0x' + n.toString(16) })),
);
type Model = { kind: 's'; s: string } | { kind: 'n'; s: string } | { kind: 'l'; items: Model[] };
const { model } = fc.letrec<{ model: Model }>((tie) => ({
  model: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('model'), { maxLength: 4 }).map((items) => ({ kind: 'l' as const, items })),
  ),
}));
const layout = fc.record({
  sep: fc.constantFrom(' ', '', '\t', '  '),
  nl: fc.constantFrom('', '\n', '\n  ', ' # note\n'),
  trailingComma: fc.boolean(),
  quote: fc.constantFrom('"', "'"),
  end: fc.constantFrom('\n', ';', ' # end\n', '\n\n'),
});

function write(m: Model, l: { sep: string; nl: string; trailingComma: boolean; quote: string }): string {
  if (m.kind === 'n') return m.s;
  if (m.kind === 's') return l.quote + m.s + l.quote;
  const items = m.items.map((i) => write(i, l) + l.nl);
  return `[${l.nl}${items.join(`,${l.sep}${l.nl}`)}${l.trailingComma && items.length ? ',' : ''}${l.nl}]`;
}

function expected(m: Model): string {
  if (m.kind === 's' || m.kind === 'n') return JSON.stringify(m.s);
  return `[${m.items.map(expected).join(',')}]`;
}

function shown(v: XluConfigValue | undefined): string {
  return show(v);
}

describe('the parser on arbitrary input', () => {
  it('token soup: never throws, deterministic, only libxlu texts', () => {
    fc.assert(fc.property(tokenSoup, (t) => checkInvariants(t)), { numRuns: 2500, seed: 4201 });
  });
  it('random bytes', () => {
    fc.assert(fc.property(bytes, (b) => checkInvariants(b)), { numRuns: 1500, seed: 4202 });
  });
  it('random strings', () => {
    fc.assert(fc.property(anyString, (s) => checkInvariants(s)), { numRuns: 1500, seed: 4203 });
  });
});

describe('valid configs read back as written', () => {
  it('round-trips a model through any layout', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, model), { selector: (e) => e[0], maxLength: 8 }), layout, (entries, l) => {
        const text = entries.map(([k, m]) => `${k}${l.sep}=${l.sep}${write(m, l)}${l.end}`).join('');
        const p = parse(text);
        expect(p.report).toBe('');
        expect(p.ok).toBe(true);
        for (const [k, m] of entries) expect(shown(p.cfg.find(k)?.value)).toBe(expected(m));
      }),
      { numRuns: 1500, seed: 4204 },
    );
  });
  it('mutated valid configs keep the invariants', () => {
    const mutated = fc
      .tuple(fc.array(fc.tuple(key, model), { maxLength: 6 }), layout, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...TOKENS), fc.nat({ max: 3 })), { maxLength: 4 }))
      .map(([entries, l, muts]) => {
        let text = entries.map(([k, m]) => `${k}${l.sep}=${l.sep}${write(m, l)}${l.end}`).join('');
        for (const [at, tok, del] of muts) {
          const i = text.length ? at % text.length : 0;
          text = text.slice(0, i) + tok + text.slice(i + del);
        }
        return text;
      });
    fc.assert(fc.property(mutated, (t) => checkInvariants(t)), { numRuns: 2000, seed: 4205 });
  });
});

describe('size and speed', () => {
  it('parses a 10,000-line config quickly', () => {
    const lines: string[] = [];
    for (let i = 0; i < 10000; i++) {
      lines.push(i % 3 === 0 ? `key${i} = "value ${i}" # c` : i % 3 === 1 ? `n${i} = 0x${i.toString(16)}` : `l${i} = [ "a", "b", 'c' ]`);
    }
    const text = lines.join('\n') + '\n';
    parse(text); // warm-up
    const t0 = performance.now();
    const p = parse(text);
    const ms = performance.now() - t0;
    expect(p.ok).toBe(true);
    expect(p.cfg.settings().length).toBe(10000);
    // the real figure is in test/bench/cfg-parse.bench.mjs (target < 50 ms)
    expect(ms).toBeLessThan(500);
  });
  it('10 MB of junk, quotes or newlines return promptly', () => {
    const junk = new Uint8Array(10 << 20);
    for (let i = 0; i < junk.length; i++) junk[i] = (Math.imul(i, 2654435761) >>> 24) & 0xff;
    const t0 = performance.now();
    expect(parse(junk).ok).toBe(false);
    expect(parse('"'.repeat(1 << 20)).ok).toBe(false);
    expect(parse('x = "' + 'a'.repeat(10 << 20) + '"\n').ok).toBe(true);
    expect(parse('#'.repeat(1 << 20)).ok).toBe(false);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
