/**
 * A C printf for exact output. xl's text is defined by its format strings
 * ("%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f"), so we keep the format
 * strings and format them the way glibc does, instead of padding by hand.
 *
 * Supported: flags "-0+ #", width and precision (also "*"), length
 * modifiers (hh h l ll j z t L q — accepted and ignored: JS numbers carry
 * the value), conversions d i u o x X c s f F e E g G p %.
 *
 * %u / %x of a negative number wrap as the C unsigned int would (32 bits,
 * or 64 with an l/ll/j/z modifier); %f rounds exact ties to even, as glibc
 * does in its default rounding mode.
 */

export type PrintfArg = string | number | bigint | boolean | null | undefined;

const SPEC = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(hh|h|ll|l|j|z|t|L|q)?([diouxXcsfFeEgGp%])/g;

function pad(body: string, width: number, left: boolean, zero: boolean, signLen: number): string {
  if (body.length >= width) return body;
  if (left) return body + ' '.repeat(width - body.length);
  if (zero) return body.slice(0, signLen) + '0'.repeat(width - body.length) + body.slice(signLen);
  return ' '.repeat(width - body.length) + body;
}

function toBig(v: PrintfArg): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) ? BigInt(Math.trunc(n)) : 0n;
  }
  if (v === null || v === undefined || !Number.isFinite(v)) return 0n;
  return BigInt(Math.trunc(v));
}

function toNum(v: PrintfArg): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return Number(v);
  return 0;
}

/** 10^i, exact (the powers a %f precision asks for). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Rounds like glibc: to nearest, exact ties to even. */
export function fixed(x: number, prec: number): string {
  // (the common case is written without calls: `xl list` prints a thousand)
  // NaN and the infinities are the numbers for which x - x is not 0
  if (x - x !== 0) return x !== x ? 'nan' : x < 0 ? '-inf' : 'inf';
  let s = x.toFixed(prec);
  // An exact tie k.5 x 10^-prec (k < 2^52) scales to exactly k + 0.5, so a
  // scaled value with another fraction is no tie: toFixed is right as is.
  // (% 1 of a non-negative double is its exact fraction.)
  const scaled = (x < 0 ? -x : x) * (prec < POW10.length ? POW10[prec]! : 10 ** prec);
  // -0 keeps its sign, which toFixed drops
  if (scaled % 1 !== 0.5) return x === 0 && 1 / x < 0 ? '-' + s : s;
  // toFixed rounds exact ties away from zero; glibc rounds them to even. A
  // tie is exact only when the full decimal expansion of the double is the
  // kept digits followed by a 5 and nothing else (100 digits hold it for
  // any value we print).
  const full = Math.abs(x).toFixed(Math.min(100, prec + 60));
  const dot = full.indexOf('.');
  const tail = full.slice(dot + 1 + prec);
  if (/^50*$/.test(tail)) {
    const kept = full.slice(0, dot + 1 + prec).replace(/\.$/, '');
    const lastDigit = Number(kept[kept.length - 1]);
    if (lastDigit % 2 === 0) s = (x < 0 ? '-' : '') + kept;
  }
  if (Object.is(x, -0)) s = '-' + s;
  return s;
}

function expo(x: number, prec: number, upper: boolean): string {
  let s = x.toExponential(prec);
  s = s.replace(/e([+-])(\d)$/, 'e$10$2');
  return upper ? s.toUpperCase() : s;
}

function general(x: number, prec: number, alt: boolean, upper: boolean): string {
  const p = prec === 0 ? 1 : prec;
  if (x === 0) return alt ? (0).toFixed(p - 1) : '0';
  const e = Math.floor(Math.log10(Math.abs(Number(x.toExponential(p - 1)))));
  let s: string;
  if (e < -4 || e >= p) {
    s = expo(x, p - 1, upper);
    if (!alt) s = s.replace(/\.?0+e/, 'e').replace(/\.?0+E/, 'E');
  } else {
    s = fixed(x, Math.max(0, p - 1 - e));
    if (!alt && s.includes('.')) s = s.replace(/\.?0+$/, '');
  }
  return s;
}

interface Spec {
  left: boolean;
  zero: boolean;
  plus: boolean;
  space: boolean;
  alt: boolean;
  /** a fixed width, or '*' (taken from the arguments) */
  w: number | '*';
  /** a fixed precision, '*' (from the arguments), or none */
  p: number | '*' | undefined;
  /** l, ll, j, z, t or q: 64-bit integers */
  wide: boolean;
  conv: string;
  /**
   * The conversion for the values most calls pass (a string to %s, a small
   * integer to %d or %u), made once per format: undefined for any other
   * value, which then takes the general path.
   */
  fast?: (v: PrintfArg) => string | undefined;
}

function padder(width: number, left: boolean): (s: string) => string {
  if (width === 0) return (s) => s;
  return left ? (s) => (s.length >= width ? s : s + ' '.repeat(width - s.length)) : (s) => (s.length >= width ? s : ' '.repeat(width - s.length) + s);
}

/** The fast path of a spec, where it has one: no '*', no flag but '-', no precision but %f's. */
function fastPath(spec: Spec): Spec['fast'] {
  if (spec.w === '*' || spec.p === '*' || spec.zero || spec.plus || spec.space || spec.alt) return undefined;
  const padded = padder(spec.w, spec.left);
  if (spec.conv === 'f' || spec.conv === 'F') {
    // fixed() carries the sign and spells nan and inf as %f does
    const prec = spec.p ?? 6;
    return (v) => (typeof v === 'number' ? padded(fixed(v, prec)) : undefined);
  }
  if (spec.p !== undefined) return undefined;
  switch (spec.conv) {
    case 's':
      return (v) => (typeof v === 'string' ? padded(v) : undefined);
    case 'd':
    case 'i': {
      const max = spec.wide ? Number.MAX_SAFE_INTEGER : 0x7fffffff;
      const min = spec.wide ? Number.MIN_SAFE_INTEGER : -0x80000000;
      return (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? padded(String(v)) : undefined);
    }
    case 'u': {
      const max = spec.wide ? Number.MAX_SAFE_INTEGER : 0xffffffff;
      return (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max ? padded(String(v)) : undefined);
    }
    case 'c':
      return (v) => (typeof v === 'string' && v.length === 1 ? padded(v) : undefined);
    default:
      return undefined;
  }
}

// A format string is parsed once: xl prints thousands of rows with the same
// few formats (xl list of 1000 domains).
const compiled = new Map<string, Array<string | Spec>>();

function compile(format: string): Array<string | Spec> {
  const parts: Array<string | Spec> = [];
  let last = 0;
  SPEC.lastIndex = 0;
  for (let m = SPEC.exec(format); m; m = SPEC.exec(format)) {
    if (m.index > last) parts.push(format.slice(last, m.index));
    if (m[5] === '%') parts.push('%');
    else {
      const flags = m[1]!;
      const len = m[4];
      const spec: Spec = {
        left: flags.includes('-'),
        zero: flags.includes('0'),
        plus: flags.includes('+'),
        space: flags.includes(' '),
        alt: flags.includes('#'),
        w: m[2] === '*' ? '*' : m[2] ? Number(m[2]) : 0,
        p: m[3] === undefined ? undefined : m[3] === '*' ? '*' : m[3] === '' ? 0 : Number(m[3]),
        wide: len === 'l' || len === 'll' || len === 'j' || len === 'z' || len === 't' || len === 'q',
        conv: m[5]!,
      };
      spec.fast = fastPath(spec);
      parts.push(spec);
    }
    last = m.index + m[0].length;
  }
  if (last < format.length) parts.push(format.slice(last));
  return parts;
}

export function sprintf(format: string, ...args: PrintfArg[]): string {
  let parts = compiled.get(format);
  if (!parts) {
    parts = compile(format);
    if (compiled.size < 512) compiled.set(format, parts);
  }
  let ai = 0;
  let next: (() => PrintfArg) | undefined;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    if (part.fast !== undefined) {
      const s = part.fast(args[ai]);
      if (s !== undefined) {
        out += s;
        ai++;
        continue;
      }
    }
    next ??= () => args[ai++];
    out += convert(part, next);
  }
  return out;
}

/**
 * The integer as C would hold it: a JS integer that fits in 53 bits is
 * converted with plain numbers (the common case: thousands of rows in
 * xl list), anything else through BigInt.
 */
function signedDigits(v: PrintfArg, wide: boolean): { neg: boolean; digits: string; zero: boolean } {
  if (typeof v === 'number' && Number.isSafeInteger(v) && (wide || (v >= -0x80000000 && v <= 0x7fffffff))) {
    return { neg: v < 0, digits: String(v < 0 ? -v : v), zero: v === 0 };
  }
  let n = toBig(v);
  if (!wide) n = BigInt.asIntN(32, n);
  const neg = n < 0n;
  return { neg, digits: (neg ? -n : n).toString(), zero: n === 0n };
}

function convert(spec: Spec, next: () => PrintfArg): string {
  const { zero: zeroFlag, plus, space, alt, wide, conv } = spec;
  {
    let left = spec.left;
    let width = 0;
    if (spec.w === '*') {
      width = Number(toBig(next()));
      if (width < 0) {
        left = true;
        width = -width;
      }
    } else width = spec.w;
    let prec: number | undefined;
    if (spec.p === '*') {
      const v = Number(toBig(next()));
      prec = v < 0 ? undefined : v;
    } else prec = spec.p;
    const v = next();
    switch (conv) {
      case 'd':
      case 'i': {
        const r = signedDigits(v, wide);
        let digits = r.digits;
        if (prec !== undefined) {
          if (prec === 0 && r.zero) digits = '';
          digits = digits.padStart(prec, '0');
        }
        const sign = r.neg ? '-' : plus ? '+' : space ? ' ' : '';
        return pad(sign + digits, width, left, zeroFlag && prec === undefined && !left, sign.length);
      }
      case 'u':
      case 'o':
      case 'x':
      case 'X': {
        // a non-negative JS integer that fits is its own unsigned value
        const n =
          typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && (wide || v <= 0xffffffff)
            ? v
            : BigInt.asUintN(wide ? 64 : 32, toBig(v));
        const isZero = n === 0 || n === 0n;
        const radix = conv === 'u' ? 10 : conv === 'o' ? 8 : 16;
        let digits = n.toString(radix);
        if (conv === 'X') digits = digits.toUpperCase();
        if (prec !== undefined) {
          if (prec === 0 && isZero) digits = '';
          digits = digits.padStart(prec, '0');
        }
        let prefix = '';
        if (alt && !isZero) {
          if (conv === 'x') prefix = '0x';
          else if (conv === 'X') prefix = '0X';
          else if (conv === 'o' && !digits.startsWith('0')) prefix = '0';
        }
        return pad(prefix + digits, width, left, zeroFlag && prec === undefined && !left, prefix.length);
      }
      case 'c': {
        const ch = typeof v === 'string' ? v.slice(0, 1) : String.fromCharCode(Number(toBig(v)) & 0xff);
        return pad(ch, width, left, false, 0);
      }
      case 's': {
        // glibc prints "(null)" for a NULL %s (xl list relies on it for zombies)
        let s = v === null || v === undefined ? '(null)' : String(v);
        if (prec !== undefined) s = s.slice(0, prec);
        return pad(s, width, left, false, 0);
      }
      case 'p': {
        const n = toBig(v);
        return pad(n === 0n ? '(nil)' : '0x' + n.toString(16), width, left, false, 0);
      }
      default: {
        const x = toNum(v);
        const pr = prec ?? 6;
        let body: string;
        if (conv === 'f' || conv === 'F') body = fixed(x, pr);
        else if (conv === 'e' || conv === 'E') body = expo(x, pr, conv === 'E');
        else body = general(x, pr, alt, conv === 'G');
        if (alt && pr === 0 && (conv === 'f' || conv === 'F') && !body.includes('.')) body += '.';
        let sign = '';
        if (body.startsWith('-')) {
          sign = '-';
          body = body.slice(1);
        } else if (plus) sign = '+';
        else if (space) sign = ' ';
        return pad(sign + body, width, left, zeroFlag && !left && Number.isFinite(x), sign.length);
      }
    }
  }
}
