/**
 * The config scanner: the twin of libxlu_cfg_l.l as flex runs it (8bit,
 * yylineno, an exclusive `lexerr` state entered with yymore()).
 *
 * It works on a "byte string" (one char per input byte, code 0..255), so
 * line counting, error texts and the EOF rules come out as flex's do:
 *
 *  - a comment is part of a NEWLINE token, so one without a final "\n"
 *    is not a comment: the `#` becomes junk;
 *  - junk (anything no rule matches) enters `lexerr`, which swallows the
 *    rest of the non-blank run and reports "lexical error" with the junk
 *    as the "near" text; if the junk is the very last byte of the input,
 *    flex reaches EOF with the text still pending and drops it silently;
 *  - `\r` is junk, so every CRLF line reports a lexical error.
 *
 * Besides the token, the scanner keeps what libxlu's error printer reads
 * from flex: the current yytext and yylineno.
 */
import { dequote } from './dequote';
import { T } from './grammar';

/** What the scanner needs from the parse context (CfgParseContext). */
export interface LexContext {
  /** ctx->err: once set, token values are not built and strings not decoded */
  readonly failed: boolean;
  /** ctx->likely_python */
  likelyPython: boolean;
  /** xlu__cfgl_lexicalerror(ctx, msg) */
  lexicalError(message: string): void;
}

const INITIAL = 0;
const LEXERR = 1;

function isIdentTail(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 95; // a-z 0-9 . _
}
function isNumberTail(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || c === 120; // 0-9 a-f x
}

export class Lexer {
  /** yylineno */
  lineno = 1;
  /** the token value (yylval->string); null when not built because of an earlier error */
  value: string | null = null;
  /** the line the token sets in yylloc; undefined for EOF and for tokens that do not set it */
  tokenLine: number | undefined;

  private pos = 0;
  private cond = INITIAL;
  /** start of the pending yymore() text, while in lexerr */
  private moreStart = 0;
  private textStart = 0;
  private textEnd = 0;
  /** yytext is followed by flex's end-of-buffer NUL (EOF "token") */
  private textEof = false;

  constructor(
    private readonly src: string,
    private readonly ctx: LexContext,
  ) {}

  /** yytext as the error printer sees it: raw bytes, with the EOB NUL at EOF */
  text(): string {
    const t = this.src.slice(this.textStart, this.textEnd);
    return this.textEof ? t + '\0' : t;
  }

  private setText(start: number, end: number): void {
    this.textStart = start;
    this.textEnd = end;
    this.textEof = false;
  }

  private atEof(): number {
    // flex: at end of buffer, pending yymore text is dropped and yytext is
    // that text followed by the end-of-buffer NUL
    this.textStart = this.cond === LEXERR ? this.moreStart : this.pos;
    this.textEnd = this.src.length;
    this.textEof = true;
    this.tokenLine = undefined;
    return T.END;
  }

  /** yylex(): the next token number. */
  next(): number {
    const s = this.src;
    const n = s.length;
    for (;;) {
      if (this.cond === LEXERR) {
        if (this.pos >= n) return this.atEof();
        const c = s.charCodeAt(this.pos);
        if (c === 10) {
          this.pos++;
          this.lineno++;
          this.setText(this.moreStart, this.pos);
          this.ctx.lexicalError('lexical error');
          this.cond = INITIAL;
          this.tokenLine = this.lineno;
          this.value = null;
          return T.NEWLINE;
        }
        if (c === 32 || c === 9) {
          this.pos++;
        } else {
          while (this.pos < n) {
            const d = s.charCodeAt(this.pos);
            if (d === 32 || d === 9 || d === 10) break;
            this.pos++;
          }
        }
        this.setText(this.moreStart, this.pos);
        this.ctx.lexicalError('lexical error');
        this.cond = INITIAL;
        continue;
      }

      if (this.pos >= n) return this.atEof();
      const start = this.pos;
      const c = s.charCodeAt(start);

      if (c >= 97 && c <= 122) {
        let i = start + 1;
        while (i < n && isIdentTail(s.charCodeAt(i))) i++;
        return this.token(T.IDENT, start, i, true);
      }
      if (c >= 48 && c <= 57) {
        let i = start + 1;
        while (i < n && isNumberTail(s.charCodeAt(i))) i++;
        return this.token(T.NUMBER, start, i, true);
      }
      switch (c) {
        case 32: // ' '
        case 9: // '\t'
          this.pos++;
          continue;
        case 44:
          return this.token(T.COMMA, start, start + 1, false);
        case 91:
          return this.token(T.LBRACK, start, start + 1, false);
        case 93:
          return this.token(T.RBRACK, start, start + 1, false);
        case 61:
          return this.token(T.EQ, start, start + 1, false);
        case 59:
          return this.token(T.SEMI, start, start + 1, false);
        case 43: // '+'
          if (start + 1 < n && s.charCodeAt(start + 1) === 61) return this.token(T.OP_ADD, start, start + 2, false);
          break;
        case 10:
          return this.newline(start, start + 1);
        case 35: {
          // '#': a comment only if a newline ends it
          const nl = s.indexOf('\n', start + 1);
          if (nl >= 0) return this.newline(start, nl + 1);
          break;
        }
        case 34: // '"'
        case 39: {
          // "'"
          const end = this.stringEnd(start, c);
          if (end >= 0) return this.string(start, end);
          break;
        }
      }
      // junk: enter lexerr; the python-looking characters + - . ( ) : mark the file
      if (c === 43 || c === 45 || c === 46 || c === 40 || c === 41 || c === 58) this.ctx.likelyPython = true;
      this.moreStart = start;
      this.pos = start + 1;
      this.cond = LEXERR;
    }
  }

  private token(tok: number, start: number, end: number, withValue: boolean): number {
    this.pos = end;
    this.setText(start, end);
    this.tokenLine = this.lineno;
    this.value = withValue && !this.ctx.failed ? this.src.slice(start, end) : null;
    return tok;
  }

  private newline(start: number, end: number): number {
    this.pos = end;
    this.lineno++;
    this.setText(start, end);
    this.tokenLine = this.lineno - 1;
    this.value = null;
    return T.NEWLINE;
  }

  /** index just past the closing quote, or -1 when the string rule does not match */
  private stringEnd(start: number, quote: number): number {
    const s = this.src;
    const n = s.length;
    let i = start + 1;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === quote) return i + 1;
      if (c === 10) return -1;
      if (c === 92) {
        if (i + 1 >= n || s.charCodeAt(i + 1) === 10) return -1;
        i += 2;
      } else i++;
    }
    return -1;
  }

  private string(start: number, end: number): number {
    this.pos = end;
    this.setText(start, end);
    this.tokenLine = this.lineno;
    this.value = null;
    if (this.ctx.failed) return T.STRING;
    const tok = this.src.slice(start, end);
    if (tok.indexOf('\0') >= 0) {
      // libxlu measures the token with strlen() and aborts on an assertion;
      // a clone must not crash, so this is reported as a lexical error
      this.ctx.lexicalError('lexical error');
      return T.STRING;
    }
    const r = dequote(tok);
    if (r.ok) this.value = r.value;
    else this.ctx.lexicalError(r.message);
    return T.STRING;
  }
}
