/**
 * Value quoting of tools/xs-clients/xenstore_client.c: values may be
 * binary, so the tools print them escaped (sanitise) and xenstore-write
 * reads the same escapes back (unsanitise).
 */

/** Printable ASCII except '\' as is; \t \n \r \\; other bytes below 8 as \ooo, the rest as \xhh. */
export function sanitise(v: Uint8Array): string {
  let out = '';
  for (const c of v) {
    if (c >= 0x20 && c <= 0x7e && c !== 0x5c) {
      out += String.fromCharCode(c);
      continue;
    }
    switch (c) {
      case 0x09:
        out += '\\t';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      default:
        out += c < 8 ? `\\${c.toString(8).padStart(3, '0')}` : `\\x${c.toString(16).padStart(2, '0')}`;
    }
  }
  return out;
}

const HEX = /^[0-9a-fA-F]{1,2}/;
const OCT = /^[0-7]{1,3}/;

/**
 * The inverse, with the C code's edges: an unknown escape yields the
 * character itself, "\x" without hex digits yields "x", and a trailing
 * backslash yields a NUL byte.
 */
export function unsanitise(text: string): Uint8Array {
  const src = Buffer.from(text, 'utf8');
  const out: number[] = [];
  let i = 0;
  while (i < src.length) {
    let c = src[i++]!;
    if (c === 0x5c) {
      if (i >= src.length) {
        out.push(0);
        break;
      }
      c = src[i++]!;
      const rest = () => src.subarray(i, i + 3).toString('latin1');
      switch (c) {
        case 0x74: // t
          c = 0x09;
          break;
        case 0x6e: // n
          c = 0x0a;
          break;
        case 0x72: // r
          c = 0x0d;
          break;
        case 0x78: {
          // x
          const m = HEX.exec(rest());
          if (m) {
            c = parseInt(m[0], 16);
            i += m[0].length;
          }
          break;
        }
        default:
          if (c >= 0x30 && c <= 0x37) {
            i--;
            const m = OCT.exec(rest())!;
            c = parseInt(m[0], 8) & 0xff;
            i += m[0].length;
          }
      }
    }
    out.push(c);
  }
  return Uint8Array.from(out);
}
