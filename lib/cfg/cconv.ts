/**
 * The C library conversions the device-spec parsers are built on (glibc,
 * LP64). xl's verdicts hinge on their corner cases — base-0 octal, leading
 * whitespace and signs accepted, silent wrap-around of negative numbers,
 * saturation at ULONG_MAX, 32-bit truncation of scanf's %x/%u — so they are
 * modelled once here instead of approximated with parseInt at each call site.
 */

export const ULONG_MAX = (1n << 64n) - 1n;
const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/** isspace() in the C locale */
export function isCSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

function digitValue(c: string | undefined): number {
  if (c === undefined) return 99;
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  if (code >= 65 && code <= 90) return code - 55;
  return 99;
}

interface RawConv {
  /** magnitude as parsed (no sign applied), saturated flag set on overflow */
  magnitude: bigint;
  negative: boolean;
  /** index just past the number; 0 (the start) when no digits were found */
  end: number;
  /** true when at least one digit was consumed */
  digits: boolean;
}

function scanInteger(s: string, start: number, base: number, limit: bigint): RawConv & { overflow: boolean } {
  let i = start;
  while (isCSpace(s[i])) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  let b = base;
  if ((b === 0 || b === 16) && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && digitValue(s[i + 2]) < 16) {
    i += 2;
    b = 16;
  } else if (b === 0) {
    b = s[i] === '0' ? 8 : 10;
  }
  const digitsStart = i;
  let mag = 0n;
  let overflow = false;
  const bb = BigInt(b);
  while (digitValue(s[i]) < b) {
    if (!overflow) {
      mag = mag * bb + BigInt(digitValue(s[i]));
      if (mag > limit) overflow = true;
    }
    i++;
  }
  if (i === digitsStart) return { magnitude: 0n, negative: false, end: start, digits: false, overflow: false };
  return { magnitude: mag, negative, end: i, digits: true, overflow };
}

export interface CConv {
  value: bigint;
  /** C's *endptr as an index into the string */
  end: number;
  /** errno == ERANGE */
  erange: boolean;
}

/** strtoul / strtoull (64-bit): negative values wrap, overflow saturates at ULONG_MAX. */
export function strtoul(s: string, base: number, start = 0): CConv {
  const r = scanInteger(s, start, base, ULONG_MAX);
  if (r.overflow) return { value: ULONG_MAX, end: r.end, erange: true };
  const v = r.negative ? (ULONG_MAX + 1n - r.magnitude) & ULONG_MAX : r.magnitude;
  return { value: v, end: r.end, erange: false };
}

/** strtol (64-bit long): clamps to LONG_MIN/LONG_MAX on overflow. */
export function strtol(s: string, base: number, start = 0): CConv {
  const r = scanInteger(s, start, base, 1n << 63n);
  let v = r.negative ? -r.magnitude : r.magnitude;
  let erange = false;
  if (r.overflow || v > LONG_MAX || v < LONG_MIN) {
    v = r.negative ? LONG_MIN : LONG_MAX;
    erange = true;
  }
  return { value: v, end: r.end, erange };
}

/** (int) conversion of a C long/unsigned long: two's complement truncation to 32 bits. */
export function toInt32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

/** (unsigned int) conversion: truncation to 32 bits. */
export function toUint32(v: bigint): number {
  return Number(BigInt.asUintN(32, v));
}

/** atoi(): glibc's is (int)strtol(s, NULL, 10). */
export function atoi(s: string): number {
  return toInt32(strtol(s, 10).value);
}

/** strtoul(s, NULL, 0) stored into a C unsigned int field */
export function strtoulUint32(s: string): number {
  return toUint32(strtoul(s, 0).value);
}

/**
 * One sscanf conversion of %x (base 16) or %u (base 10) into an unsigned
 * int: whitespace and a sign are accepted, the value is truncated to 32
 * bits, and "0x" with no hex digit after it still reads as 0.
 * Returns null on a matching failure (no digit at all).
 */
export function scanfUnsigned(s: string, start: number, base: 10 | 16): { value: number; end: number } | null {
  let i = start;
  while (isCSpace(s[i])) i++;
  const signAt = i;
  if (s[i] === '+' || s[i] === '-') i++;
  if (base === 16 && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && digitValue(s[i + 2]) >= 16) {
    return { value: 0, end: i + 2 };
  }
  const r = strtoul(s, base, signAt);
  if (r.end === signAt) return null;
  return { value: toUint32(r.value), end: r.end };
}

/** strtok(s, delims): the non-empty pieces between delimiter characters. */
export function strtok(s: string, delims: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const c of s) {
    if (delims.includes(c)) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** The `while (*p == ' ') p++;` every xl token loop does (spaces only, not tabs). */
export function skipSpaces(s: string): string {
  let i = 0;
  while (s[i] === ' ') i++;
  return s.slice(i);
}

/** xl's MATCH_OPTION: an exact `key=` prefix; returns the value or undefined. */
export function matchOption(key: string, token: string): string | undefined {
  return token.startsWith(key + '=') ? token.slice(key.length + 1) : undefined;
}

/** strcasecmp() == 0 for ASCII */
export function strcaseeq(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/**
 * libuuid's uuid_parse(): exactly 36 characters, dashes at 8/13/18/23, hex
 * elsewhere. Returns the canonical lower-case text or undefined.
 */
export function parseUuid(s: string): string | undefined {
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s)) return undefined;
  return s.toLowerCase();
}
