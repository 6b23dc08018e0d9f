/**
 * JSON text -> JNode, the twin of libxl__json_parse (libxl_json.c): keeps map
 * keys in document order (duplicates too; lookups take the first, as
 * libxl__json_map_get does) and numbers as text, so uint64 values are exact.
 * Layout-agnostic: reads YAJL and json-c output alike (`\/` is just an escape).
 */

import type { JNode } from './json-tree';

export interface JsonSyntaxError {
  readonly kind: 'syntax';
  /** offset into the text, in UTF-16 code units */
  readonly offset: number;
  readonly message: string;
}

export type JsonTextResult = { ok: true; value: JNode } | { ok: false; error: JsonSyntaxError };

class Fail {
  constructor(readonly offset: number, readonly message: string) {}
}

const MAX_DEPTH = 512;

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  run(): JNode {
    this.ws();
    if (this.i >= this.s.length) throw new Fail(this.i, 'premature EOF');
    const v = this.value(0);
    this.ws();
    if (this.i < this.s.length) throw new Fail(this.i, 'trailing garbage');
    return v;
  }

  private ws(): void {
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else break;
    }
  }

  private value(depth: number): JNode {
    if (depth > MAX_DEPTH) throw new Fail(this.i, 'nesting too deep');
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return { t: 'str', v: this.string() };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, node] of [['true', { t: 'bool', v: true }], ['false', { t: 'bool', v: false }], ['null', { t: 'null' }]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return node;
      }
    }
    if (c === undefined) throw new Fail(this.i, 'premature EOF');
    throw new Fail(this.i, 'invalid char in json text');
  }

  private object(depth: number): JNode {
    this.i++;
    const m: Array<[string, JNode]> = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { t: 'obj', m };
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') throw new Fail(this.i, 'invalid object key (must be a string)');
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ':') throw new Fail(this.i, "object key and value must be separated by a colon (':')");
      this.i++;
      this.ws();
      m.push([k, this.value(depth + 1)]);
      this.ws();
      const c = this.s[this.i];
      if (c === ',') { this.i++; continue; }
      if (c === '}') { this.i++; return { t: 'obj', m }; }
      throw new Fail(this.i, 'after key and value, inside map, I expect \',\' or \'}\'');
    }
  }

  private array(depth: number): JNode {
    this.i++;
    const a: JNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { t: 'arr', a };
    }
    for (;;) {
      this.ws();
      a.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i];
      if (c === ',') { this.i++; continue; }
      if (c === ']') { this.i++; return { t: 'arr', a }; }
      throw new Fail(this.i, 'after array element, I expect \',\' or \']\'');
    }
  }

  private number(): JNode {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m || m[0] === '-') throw new Fail(this.i, 'malformed number, a digit is required after the minus sign');
    this.i += m[0].length;
    return { t: 'num', v: m[0] };
  }

  private string(): string {
    const start = this.i;
    this.i++;
    let out = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) throw new Fail(start, 'premature EOF in string');
      if (c === '"') { this.i++; return out; }
      if (c === '\\') {
        const e = this.s[this.i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          this.i += 2;
          continue;
        }
        if (e === 'u') {
          const h = this.s.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) throw new Fail(this.i, 'invalid (non-hex) character occurs after \'\\u\' inside string.');
          out += String.fromCharCode(parseInt(h, 16));
          this.i += 6;
          continue;
        }
        throw new Fail(this.i, 'inside a JSON string, an invalid escape was found');
      }
      if (c.charCodeAt(0) < 0x20) throw new Fail(this.i, 'invalid character inside string.');
      out += c;
      this.i++;
    }
  }
}

export function parseJsonText(text: string): JsonTextResult {
  try {
    return { ok: true, value: new Parser(text).run() };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: { kind: 'syntax', offset: e.offset, message: e.message } };
    throw e;
  }
}
