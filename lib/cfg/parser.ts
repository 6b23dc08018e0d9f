/**
 * The config parser: the LALR(1) driver of Bison's yacc.c skeleton over the
 * tables of grammar.ts, with libxlu_cfg_y.y's actions and libxlu_cfg.c's
 * error printing (xlu__cfg_yyerror, xlu__cfgl_lexicalerror).
 *
 * Behaviours that users see and that follow from the machinery rather than
 * the grammar:
 *  - error recovery: on a syntax error the stack is popped to the statement
 *    level, an `error` token is shifted and tokens are thrown away up to the
 *    next NEWLINE; a new message is printed only after three tokens have
 *    been shifted since the last one (yyerrstatus);
 *  - the line printed for a NEWLINE lookahead is one too small, because the
 *    printer subtracts one for a token ending in "\n" while the NEWLINE
 *    token already carries its own line;
 *  - after a lexical error on line N, errors for lines <= N are not printed;
 *  - after the first error of any kind, values are no longer stored (but
 *    parsing goes on to report further syntax errors);
 *  - the stack is limited to 10000 entries, as YYMAXDEPTH ("memory exhausted").
 */
import { GOTO_STRIDE, NTOKENS, RULES, T, TOKEN_NAMES, parseTables } from './grammar';
import { Lexer, type LexContext } from './lexer';
import type { ReportSink } from './report';
import type { XluConfigList, XluConfigSetting, XluConfigValue, XluOperation } from './value';

/** What the parser needs from the XLU_Config it fills. */
export interface CfgStore {
  readonly source: string;
  readonly report: ReportSink;
  find(name: string): XluConfigSetting | undefined;
  push(setting: XluConfigSetting): void;
}

const YYMAXDEPTH = 10000;

const PYTHON_WARNING = [
  'warning: Config file looks like it contains Python code.\n',
  'warning:  Arbitrary Python is no longer supported.\n',
  'warning:  See https://wiki.xen.org/wiki/PythonInXlConfig\n',
];

/** Byte string (latin1) -> the text it encodes as UTF-8 (for values and messages). */
function fromBytes(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\x80-\xff]/.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

/** Input -> byte string, one char per byte. */
function toBytes(data: string | Uint8Array): string {
  if (typeof data === 'string') {
    // eslint-disable-next-line no-control-regex
    return /[^\x00-\x7f]/.test(data) ? Buffer.from(data, 'utf8').toString('latin1') : data;
  }
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
}

/** A semantic value on the parser stack. */
type Sem = string | XluConfigValue | null;

class ParseContext implements LexContext {
  err: 0 | 'EINVAL' | 'ERANGE' | 'ENOMEM' = 0;
  lexerrlineno = -1;
  likelyPython = false;
  lexer!: Lexer;

  constructor(readonly store: CfgStore) {}

  get failed(): boolean {
    return this.err !== 0;
  }

  /** xlu__cfg_yyerror: print one "config parsing error" unless suppressed. */
  yyerror(firstLine: number, message: string): void {
    if (firstLine <= this.lexerrlineno) return;
    const text = this.lexer.text();
    let len = text.length;
    let lineno = firstLine;
    let newline = '';
    if (len > 0 && text.charCodeAt(len - 1) === 10) {
      len--;
      lineno--;
      if (len === 0) newline = '<newline>';
    }
    while (len > 0 && (text.charCodeAt(len - 1) === 9 || text.charCodeAt(len - 1) === 32)) len--;
    // printf("%.*s") stops at a NUL byte
    let shown = text.slice(0, len);
    const nul = shown.indexOf('\0');
    if (nul >= 0) shown = shown.slice(0, nul);
    const near = len ? `\`${fromBytes(shown)}'` : '';
    this.store.report(`${this.store.source}:${lineno}: config parsing error near ${near}${newline}: ${message}\n`);
    if (!this.err) this.err = 'EINVAL';
  }

  /** xlu__cfgl_lexicalerror: reported at the scanner's current line, which then mutes earlier lines. */
  lexicalError(message: string): void {
    const line = this.lexer.lineno;
    this.yyerror(line, message);
    this.lexerrlineno = line;
    if (!this.err) this.err = 'EINVAL';
  }

  /** xlu__cfg_set_store, with `+=` concatenation */
  setStore(name: string | null, op: XluOperation, value: XluConfigValue | null, lineno: number): void {
    if (this.err || name === null || value === null) return;
    let stored = value;
    if (op === '+=') {
      const prev = this.store.find(name);
      if (prev) {
        if (prev.value.type !== value.type) {
          this.lexicalError('can\'t add [list] to "string" or vice versa');
          this.err = 'EINVAL';
          return;
        }
        if (prev.value.type === 'string' && value.type === 'string') {
          stored = { type: 'string', value: prev.value.value + value.value, line: value.line };
        } else if (prev.value.type === 'list' && value.type === 'list') {
          // libxlu moves the old items (the old setting is left empty)
          const moved = prev.value.values.splice(0, prev.value.values.length);
          stored = { type: 'list', values: moved.concat(value.values), line: value.line };
        }
      }
    }
    this.store.push({ name, value: stored, op, lineno });
  }
}

function syntaxErrorMessage(tok: number, expected: readonly number[]): string {
  const unexpected = `syntax error, unexpected ${TOKEN_NAMES[tok]}`;
  // Bison names at most four expected tokens, and none when there are more
  if (expected.length === 0 || expected.length > 4) return unexpected;
  return `${unexpected}, expecting ${expected.map((t) => TOKEN_NAMES[t]).join(' or ')}`;
}

/**
 * Lines that are blank or a comment, each ending in a newline: the lexer
 * makes each a NEWLINE, which the grammar takes as an empty statement.
 */
const NOTHING_SET = /^(?:[ \t]*(?:#[^\n]*)?\n)*$/;

/**
 * xlu_cfg_readdata's parse(): returns 0 or the errno that the config
 * context ends with. Never throws on any input.
 */
export function parseConfigData(store: CfgStore, data: string | Uint8Array): 0 | 'EINVAL' | 'ERANGE' | 'ENOMEM' {
  const bytes = toBytes(data);
  // A file of comments and blank lines (the xl.conf every host starts
  // with, read by every xl command) sets nothing and reports nothing: the
  // parser's answer, without running it.
  if (NOTHING_SET.test(bytes)) return 0;
  const ctx = new ParseContext(store);
  const lexer = new Lexer(bytes, ctx);
  ctx.lexer = lexer;
  runParser(ctx, lexer);
  if (ctx.err && ctx.likelyPython) for (const line of PYTHON_WARNING) store.report(line);
  return ctx.err;
}

function runParser(ctx: ParseContext, lexer: Lexer): void {
  const tb = parseTables();
  const { action, defaultRule, readsToken, gotoTable, acceptState } = tb;
  // the three Bison stacks, indexed by sp (the top entry); YYMAXDEPTH bounds them
  const states = new Int32Array(YYMAXDEPTH);
  const lines = new Int32Array(YYMAXDEPTH);
  const sems: Sem[] = new Array<Sem>(YYMAXDEPTH).fill(null);
  let sp = 0;
  let state = 0;
  /** yylloc.first_line: the line of the last token that set it */
  let yylloc = 0;
  let yychar = -1; // YYEMPTY
  let yyval: string | null = null;
  let errstatus = 0;

  for (;;) {
    // yybackup
    let rule: number;
    if (readsToken[state]) {
      if (yychar < 0) {
        yychar = lexer.next();
        yyval = lexer.value;
        if (lexer.tokenLine !== undefined) yylloc = lexer.tokenLine;
      }
      const act = action[state * NTOKENS + yychar];
      if (act > 0) {
        // shift
        if (errstatus) errstatus--;
        if (act === acceptState) return;
        state = act;
        if (++sp >= YYMAXDEPTH - 1) return ctx.yyerror(yylloc, 'memory exhausted');
        states[sp] = state;
        sems[sp] = yyval;
        lines[sp] = yylloc;
        yychar = -1;
        continue;
      }
      rule = act < 0 ? -act : defaultRule[state];
    } else {
      rule = defaultRule[state];
    }

    if (rule < 0) {
      // yyerrlab
      if (!errstatus) ctx.yyerror(yylloc, syntaxErrorMessage(yychar, tb.expected[state]));
      if (errstatus === 3) {
        if (yychar === T.END) return;
        yychar = -1;
      }
      // yyerrlab1: pop to a state that shifts `error`
      errstatus = 3;
      let target: number;
      while ((target = action[state * NTOKENS + T.ERROR]) <= 0) {
        if (sp === 0) return;
        sems[sp] = null;
        state = states[--sp];
      }
      state = target;
      if (++sp >= YYMAXDEPTH - 1) return ctx.yyerror(yylloc, 'memory exhausted');
      states[sp] = state;
      sems[sp] = null;
      lines[sp] = yylloc;
      continue;
    }

    // yyreduce
    const r = RULES[rule];
    const base = sp + 1 - r.rhs.length;
    const firstLine = r.rhs.length ? lines[base] : 0;
    const result = r.rhs.length === 0 && rule !== 16 ? null : reduce(ctx, rule, sems, base, lines, yylloc);
    for (let i = base; i <= sp; i++) sems[i] = null;
    sp = base;
    state = gotoTable[states[base - 1] * GOTO_STRIDE + r.lhs];
    if (sp >= YYMAXDEPTH - 1) return ctx.yyerror(yylloc, 'memory exhausted');
    states[sp] = state;
    sems[sp] = result;
    lines[sp] = firstLine;
  }
}

/** The grammar actions of libxlu_cfg_y.y; `base` indexes $1. */
function reduce(ctx: ParseContext, rule: number, sems: Sem[], base: number, lines: Int32Array, yylloc: number): Sem {
  switch (rule) {
    case 8: // assignment: IDENT '=' value
    case 9: // assignment: IDENT "+=" value
      ctx.setStore(sems[base] as string | null, rule === 8 ? '=' : '+=', sems[base + 2] as XluConfigValue | null, lines[base + 2]);
      return null;
    case 12: {
      // value: atom
      const atom = sems[base] as string | null;
      if (ctx.err || atom === null) return null;
      return { type: 'string', value: fromBytes(atom), line: lines[base] };
    }
    case 13: // value: '[' nlok valuelist ']'
      return sems[base + 2];
    case 14: // atom: STRING
    case 15: // atom: NUMBER
    case 17: // valuelist: values
    case 18: // valuelist: values ',' nlok
      return sems[base];
    case 16: // valuelist: /* empty */  (located at the lookahead)
      return ctx.err ? null : ({ type: 'list', values: [], line: yylloc } satisfies XluConfigList);
    case 19: {
      // values: value nlok
      const v = sems[base] as XluConfigValue | null;
      if (ctx.err || v === null) return null;
      return { type: 'list', values: [v], line: lines[base] } satisfies XluConfigList;
    }
    case 20: {
      // values: values ',' nlok value nlok
      const list = sems[base] as XluConfigList | null;
      const v = sems[base + 3] as XluConfigValue | null;
      if (!ctx.err && list !== null && v !== null) list.values.push(v);
      return list;
    }
    default:
      return null;
  }
}
