/**
 * A JSON value tree in generation order, and the two text layouts libxl can
 * produce from it: YAJL's beautifier (Xen <= 4.20, our default) and json-c's
 * JSON_C_TO_STRING_PRETTY (Xen 4.21+). Both keep map keys in insertion order,
 * which for libxl objects is IDL order.
 *
 * Numbers are kept as their decimal text so uint64 values survive untouched.
 */

export type JNode =
  | { readonly t: 'obj'; readonly m: Array<[string, JNode]> }
  | { readonly t: 'arr'; readonly a: JNode[] }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'num'; readonly v: string }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'null' };

export type JsonStyle = 'yajl' | 'json-c';

export const jobj = (m: Array<[string, JNode]> = []): JNode & { t: 'obj' } => ({ t: 'obj', m });
export const jarr = (a: JNode[] = []): JNode & { t: 'arr' } => ({ t: 'arr', a });
export const jstr = (v: string): JNode => ({ t: 'str', v });
export const jnull: JNode = { t: 'null' };
export const jbool = (v: boolean): JNode => ({ t: 'bool', v });

/** An integer as yajl_gen_integer / libxl__uint64_gen_json print it. */
export function jint(n: number | bigint): JNode {
  if (typeof n === 'bigint') return { t: 'num', v: n.toString() };
  if (!Number.isFinite(n)) throw new RangeError(`not an integer: ${n}`);
  return { t: 'num', v: BigInt(Math.trunc(n)).toString() };
}

function hex4(c: number, upper: boolean): string {
  const h = c.toString(16).padStart(4, '0');
  return upper ? h.toUpperCase() : h;
}

/**
 * yajl_string_encode without escape_solidus: `"` `\` and control characters
 * only; other control chars as \u00XX with upper-case hex; bytes >= 0x80 pass.
 */
function escapeYajl(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      default: out += c < 0x20 ? `\\u${hex4(c, true)}` : ch;
    }
  }
  return out;
}

/** json-c json_escape_str: as YAJL, plus `/` -> `\/`, and lower-case hex. */
function escapeJsonc(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '/': out += '\\/'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      default: out += c < 0x20 ? `\\u${hex4(c, false)}` : ch;
    }
  }
  return out;
}

interface Layout {
  indent: string;
  colon: string;
  escape: (s: string) => string;
  /** what goes between the brackets of an empty object/array, before the closing indentation */
  emptyFill: string;
  /** appended after a complete document */
  final: string;
}

const LAYOUTS: Record<JsonStyle, Layout> = {
  // yajl_gen_beautify, indent "    ": an empty container still gets the
  // newline after "{" and the newline before "}", hence the blank line.
  yajl: { indent: '    ', colon: ': ', escape: escapeYajl, emptyFill: '\n\n', final: '\n' },
  'json-c': { indent: '  ', colon: ':', escape: escapeJsonc, emptyFill: '\n', final: '' },
};

function render(n: JNode, depth: number, L: Layout): string {
  switch (n.t) {
    case 'str': return `"${L.escape(n.v)}"`;
    case 'num': return n.v;
    case 'bool': return n.v ? 'true' : 'false';
    case 'null': return 'null';
    case 'obj':
    case 'arr': {
      const [open, close] = n.t === 'obj' ? ['{', '}'] : ['[', ']'];
      const closeIndent = L.indent.repeat(depth);
      const items = n.t === 'obj'
        ? n.m.map(([k, v]) => `${L.indent.repeat(depth + 1)}"${L.escape(k)}"${L.colon}${render(v, depth + 1, L)}`)
        : n.a.map((v) => `${L.indent.repeat(depth + 1)}${render(v, depth + 1, L)}`);
      if (items.length === 0) return `${open}${L.emptyFill}${closeIndent}${close}`;
      return `${open}\n${items.join(',\n')}\n${closeIndent}${close}`;
    }
  }
}

/**
 * The buffer the generator holds after the document is complete: YAJL ends it
 * with a newline, json-c does not.
 */
export function renderJson(n: JNode, style: JsonStyle = 'yajl'): string {
  const L = LAYOUTS[style];
  return render(n, 0, L) + L.final;
}
