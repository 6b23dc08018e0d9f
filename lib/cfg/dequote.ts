/**
 * Quoted-string decoding (xlu__cfgl_dequote in libxlu_cfg.c), including the
 * escapes that never worked: xl users meet these verdicts, so they are kept.
 *
 *  - `\x..` skips one character too many and then demands more hex digits
 *    than its two-character buffer can hold: every hex escape is an error.
 *  - `\N..` (N octal) reads up to three further characters as a *decimal*
 *    number (strtoul, so leading blanks and a sign count as consumed) and
 *    needs at least two of them; the decoded character is never stored.
 *  - anything else after a backslash is refused with the famous "backlash".
 *
 * Works on "byte strings" (one char per byte, latin1) as the lexer does.
 */

export type DequoteResult = { ok: true; value: string } | { ok: false; message: string };

const SIMPLE: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  a: '\x07',
  b: '\x08',
  f: '\x0c',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\x0b',
};

function isCSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * How many characters strtoul(buf, &ep, base) consumes from `buf`
 * (0 when it converts nothing). Only the length matters to the caller.
 */
function strtoulConsumed(buf: string, base: 10 | 16): number {
  let i = 0;
  while (i < buf.length && isCSpaceCode(buf.charCodeAt(i))) i++;
  if (buf[i] === '+' || buf[i] === '-') i++;
  if (base === 16 && buf[i] === '0' && (buf[i + 1] === 'x' || buf[i + 1] === 'X') && /[0-9a-fA-F]/.test(buf[i + 2] ?? '')) i += 2;
  const start = i;
  const re = base === 16 ? /[0-9a-fA-F]/ : /[0-9]/;
  while (i < buf.length && re.test(buf[i])) i++;
  return i === start ? 0 : i;
}

/**
 * C's strncpy(numbuf, p, maxlen): up to maxlen chars, stopping at the
 * string's end (the terminating NUL of the token copy).
 */
function numbuf(src: string, p: number, maxlen: number): string {
  return src.slice(p, Math.min(src.length, p + maxlen));
}

/** Decode a STRING token, quotes included. */
export function dequote(token: string): DequoteResult {
  const end = token.length - 1; // index of the closing quote
  let out = '';
  let p = 1;
  while (p < end) {
    const bs = token.indexOf('\\', p);
    if (bs < 0 || bs >= end) {
      out += token.slice(p, end);
      break;
    }
    out += token.slice(p, bs);
    p = bs + 1;
    const nc = token[p++];
    const simple = SIMPLE[nc];
    if (simple !== undefined) {
      out += simple;
    } else if (nc === 'x') {
      p++;
      const used = strtoulConsumed(numbuf(token, p, 2), 16);
      // needs used > 2 from a buffer of 2: cannot happen
      if (used <= 2) {
        return { ok: false, message: 'invalid digit after backslash hexnumerical character escape in quoted string' };
      }
      p += used;
    } else if (nc >= '0' && nc <= '7') {
      const used = strtoulConsumed(numbuf(token, p, 3), 10);
      if (used <= 1) {
        return { ok: false, message: 'invalid digit after backslash octalnumerical character escape in quoted string' };
      }
      p += used;
    } else {
      return { ok: false, message: 'invalid character after backlash in quoted string' };
    }
  }
  return { ok: true, value: out };
}
