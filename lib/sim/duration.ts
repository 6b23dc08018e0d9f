/**
 * Text → quantity parsers for the lab console and host profiles: durations
 * (`500ms`, `2s`, `1m30s`, `1h`, a bare `60` meaning seconds), memory sizes
 * and link rates. They return a value or a reason, never throw: the caller
 * (xlsim, or the profile loader) words the error for its user.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const NS_PER: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  min: 60e9,
  h: 3600e9,
  d: 86400e9,
};

export const NS_PER_SEC = 1e9;
export const NS_PER_MS = 1e6;

/**
 * Parses a duration into nanoseconds. Components are summed, largest unit
 * first by convention but not required ("1m30s", "1h5m", "1.5s"). A bare
 * number is seconds, as `sleep` reads it.
 */
export function parseDuration(text: string): Parsed<number> {
  const s = text.trim();
  const bad = (): Parsed<number> => ({
    ok: false,
    error: `invalid duration '${text}' (expected e.g. 500ms, 2s, 1m30s, 1h, or a number of seconds)`,
  });
  if (s === '') return bad();
  if (/^\d+(\.\d+)?$/.test(s)) return finish(Number(s) * NS_PER_SEC, text);
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|min|s|m|h|d)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while (pos < s.length && (m = re.exec(s)) !== null) {
    total += Number(m[1]) * NS_PER[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== s.length) return bad();
  return finish(total, text);
}

function finish(ns: number, text: string): Parsed<number> {
  const v = Math.round(ns);
  if (!Number.isSafeInteger(v)) return { ok: false, error: `duration '${text}' is too large` };
  return { ok: true, value: v };
}

/** "1h02m03.5s"-style rendering of a non-negative nanosecond count. */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)}us`;
  if (ns < 1e9) return `${trim(ns / 1e6)}ms`;
  const totalSec = ns / 1e9;
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec - h * 3600) / 60);
  const sec = totalSec - h * 3600 - m * 60;
  let out = '';
  if (h) out += `${h}h`;
  if (h || m) out += `${h ? String(m).padStart(2, '0') : m}m`;
  const secText = trim(sec);
  out += h || m ? `${sec < 10 ? '0' : ''}${secText}s` : `${secText}s`;
  return out;
}

function trim(x: number): string {
  return String(Number(x.toFixed(9)));
}

const SIZE_SHIFT: Record<string, number> = { b: 0, k: 10, m: 20, g: 30, t: 40 };

/**
 * Parses a memory size into bytes. Suffixes K/M/G/T (binary, optional
 * trailing "B" or "iB", any case); a bare number is in `defaultUnit`.
 */
export function parseSize(text: string, defaultUnit: 'b' | 'k' | 'm' | 'g' = 'm'): Parsed<number> {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt])?(?:i?b)?\s*$/i.exec(text);
  if (!m) return { ok: false, error: `invalid size '${text}' (expected e.g. 512M, 16G, or a number of ${unitName(defaultUnit)})` };
  const unit = (m[2] ?? defaultUnit).toLowerCase();
  const bytes = Number(m[1]) * 2 ** SIZE_SHIFT[unit]!;
  if (!Number.isSafeInteger(Math.round(bytes))) return { ok: false, error: `size '${text}' is too large` };
  return { ok: true, value: Math.round(bytes) };
}

function unitName(u: string): string {
  return { b: 'bytes', k: 'KiB', m: 'MiB', g: 'GiB' }[u] ?? u;
}

const RATE_BITS: Record<string, number> = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9, tbit: 1e12 };
const RATE_BYTES: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 2 ** 20, gib: 2 ** 30 };

/**
 * Parses a link rate into bytes per second: `1Gbit`, `10gbit/s`, `100Mbit`,
 * `125MB/s`, `64MiB/s`; a bare number is Mbit/s (how links are quoted).
 */
export function parseRate(text: string): Parsed<number> {
  const r = readRate(text);
  // as for sizes and durations: a rate past 2^53 B/s would print as 5.4e+16
  if (r.ok && !Number.isSafeInteger(r.value)) return { ok: false, error: `rate '${text}' is too large` };
  return r;
}

function readRate(text: string): Parsed<number> {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*?)(?:\/s|ps)?\s*$/i.exec(text);
  const bad: Parsed<number> = { ok: false, error: `invalid rate '${text}' (expected e.g. 1Gbit, 100Mbit, 125MB/s)` };
  if (!m) return bad;
  const n = Number(m[1]);
  const u = m[2]!;
  if (u === '') return { ok: true, value: Math.round((n * 1e6) / 8) };
  const lu = u.toLowerCase();
  if (lu in RATE_BITS) return { ok: true, value: Math.round((n * RATE_BITS[lu]!) / 8) };
  // Bytes need a capital B to be told from bits ("MB/s" vs "Mb/s").
  if (u.endsWith('B') && lu in RATE_BYTES) return { ok: true, value: Math.round(n * RATE_BYTES[lu]!) };
  if (u.endsWith('b') && (lu === 'kb' || lu === 'mb' || lu === 'gb')) {
    return { ok: true, value: Math.round((n * RATE_BITS[lu.replace('b', 'bit')]!) / 8) };
  }
  return bad;
}
