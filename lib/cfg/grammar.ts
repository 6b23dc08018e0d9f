/**
 * The config grammar (libxlu_cfg_y.y) and the LALR(1) tables GNU Bison 3.3
 * would build from it.
 *
 * The parse-error messages xl users see are a by-product of Bison's tables:
 * which state the parser is in when it notices the error (after "default
 * reductions" that run without looking at the next token), and which tokens
 * have explicit actions there ("expecting X or Y"). So rather than writing a
 * recursive-descent parser and approximating the messages, the tables are
 * derived here from the grammar with Bison's own rules: LALR(1) lookaheads,
 * a default reduction in every state except those that can shift `error`,
 * and "consistent" states that reduce without reading a token.
 */

/** Terminal numbers, in Bison's order (yytname). */
export const T = {
  END: 0,
  ERROR: 1,
  UNDEF: 2,
  IDENT: 3,
  STRING: 4,
  NUMBER: 5,
  NEWLINE: 6,
  OP_ADD: 7,
  EQ: 8,
  SEMI: 9,
  LBRACK: 10,
  RBRACK: 11,
  COMMA: 12,
} as const;
export const NTOKENS = 13;

/** How Bison names each terminal in messages (after yytnamerr unquoting). */
export const TOKEN_NAMES: readonly string[] = [
  '$end',
  'error',
  '$undefined',
  'IDENT',
  'STRING',
  'NUMBER',
  'NEWLINE',
  '+=',
  "'='",
  "';'",
  "'['",
  "']'",
  "','",
];

/** Nonterminals, numbered after the terminals as Bison does. */
export const N = {
  ACCEPT: 13,
  FILE: 14,
  STMTS: 15,
  STMT: 16,
  ASSIGNMENT: 17,
  ENDSTMT: 18,
  VALUE: 19,
  ATOM: 20,
  VALUELIST: 21,
  VALUES: 22,
  NLOK: 23,
} as const;
const NSYMS = 24;

export interface Rule {
  readonly lhs: number;
  readonly rhs: readonly number[];
}

/** Rule numbers match Bison's (0 is $accept). The parser's actions switch on them. */
export const RULES: readonly Rule[] = [
  { lhs: N.ACCEPT, rhs: [N.FILE, T.END] }, // 0
  { lhs: N.FILE, rhs: [N.STMTS] }, // 1
  { lhs: N.FILE, rhs: [N.STMTS, N.ASSIGNMENT] }, // 2
  { lhs: N.STMTS, rhs: [] }, // 3
  { lhs: N.STMTS, rhs: [N.STMTS, N.STMT] }, // 4
  { lhs: N.STMT, rhs: [N.ASSIGNMENT, N.ENDSTMT] }, // 5
  { lhs: N.STMT, rhs: [N.ENDSTMT] }, // 6
  { lhs: N.STMT, rhs: [T.ERROR, T.NEWLINE] }, // 7
  { lhs: N.ASSIGNMENT, rhs: [T.IDENT, T.EQ, N.VALUE] }, // 8
  { lhs: N.ASSIGNMENT, rhs: [T.IDENT, T.OP_ADD, N.VALUE] }, // 9
  { lhs: N.ENDSTMT, rhs: [T.NEWLINE] }, // 10
  { lhs: N.ENDSTMT, rhs: [T.SEMI] }, // 11
  { lhs: N.VALUE, rhs: [N.ATOM] }, // 12
  { lhs: N.VALUE, rhs: [T.LBRACK, N.NLOK, N.VALUELIST, T.RBRACK] }, // 13
  { lhs: N.ATOM, rhs: [T.STRING] }, // 14
  { lhs: N.ATOM, rhs: [T.NUMBER] }, // 15
  { lhs: N.VALUELIST, rhs: [] }, // 16
  { lhs: N.VALUELIST, rhs: [N.VALUES] }, // 17
  { lhs: N.VALUELIST, rhs: [N.VALUES, T.COMMA, N.NLOK] }, // 18
  { lhs: N.VALUES, rhs: [N.VALUE, N.NLOK] }, // 19
  { lhs: N.VALUES, rhs: [N.VALUES, T.COMMA, N.NLOK, N.VALUE, N.NLOK] }, // 20
  { lhs: N.NLOK, rhs: [] }, // 21
  { lhs: N.NLOK, rhs: [N.NLOK, T.NEWLINE] }, // 22
];

/**
 * Per state: `action[tok]` > 0 shifts to that state, < 0 reduces by rule
 * -action, 0 means "use the default". `defaultRule` is the default
 * reduction (-1: the default is an error). `readsToken` is false for states
 * whose action row is empty (Bison's YYPACT_NINF): they reduce without
 * fetching a lookahead. `expected` lists the tokens with explicit actions,
 * in token order, as the verbose error message does.
 */
export interface ParseTables {
  readonly nstates: number;
  /** nstates * NTOKENS */
  readonly action: Int32Array;
  readonly defaultRule: Int32Array;
  readonly readsToken: Uint8Array;
  /** nstates * NSYMS; only nonterminal columns are used */
  readonly gotoTable: Int32Array;
  readonly expected: readonly (readonly number[])[];
  /** the state reached by shifting $end: entering it accepts */
  readonly acceptState: number;
}

type Item = number; // rule * 16 + dot

function item(rule: number, dot: number): Item {
  return rule * 16 + dot;
}
function itemRule(it: Item): number {
  return it >> 4;
}
function itemDot(it: Item): number {
  return it & 15;
}
function nextSym(it: Item): number | undefined {
  return RULES[itemRule(it)].rhs[itemDot(it)];
}
function isTerminal(sym: number): boolean {
  return sym < NTOKENS;
}

function computeNullableFirst(): { nullable: boolean[]; first: Set<number>[] } {
  const nullable = new Array<boolean>(NSYMS).fill(false);
  const first: Set<number>[] = [];
  for (let s = 0; s < NSYMS; s++) first.push(isTerminal(s) ? new Set([s]) : new Set());
  let changed = true;
  while (changed) {
    changed = false;
    for (const r of RULES) {
      let allNullable = true;
      for (const s of r.rhs) {
        for (const t of first[s]) {
          if (!first[r.lhs].has(t)) {
            first[r.lhs].add(t);
            changed = true;
          }
        }
        if (!nullable[s]) {
          allNullable = false;
          break;
        }
      }
      if (allNullable && !nullable[r.lhs]) {
        nullable[r.lhs] = true;
        changed = true;
      }
    }
  }
  return { nullable, first };
}

function closure0(kernel: readonly Item[]): Item[] {
  const out = [...kernel];
  const seen = new Set(out);
  for (let i = 0; i < out.length; i++) {
    const s = nextSym(out[i]);
    if (s === undefined || isTerminal(s)) continue;
    RULES.forEach((r, ri) => {
      if (r.lhs !== s) return;
      const it = item(ri, 0);
      if (!seen.has(it)) {
        seen.add(it);
        out.push(it);
      }
    });
  }
  return out;
}

function addAll(into: Set<number>, from: Iterable<number>): boolean {
  let grew = false;
  for (const t of from) {
    if (!into.has(t)) {
      into.add(t);
      grew = true;
    }
  }
  return grew;
}

/** LR(1) closure of kernel items with their lookahead sets */
function closure1(
  kernel: ReadonlyMap<Item, ReadonlySet<number>>,
  { nullable, first }: { nullable: boolean[]; first: Set<number>[] },
): Map<Item, Set<number>> {
  const out = new Map<Item, Set<number>>();
  for (const [it, l] of kernel) out.set(it, new Set(l));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [it, l] of out) {
      const b = nextSym(it);
      if (b === undefined || isTerminal(b)) continue;
      // FIRST(rest of the rule, then the item's lookahead)
      const rhs = RULES[itemRule(it)].rhs;
      const f = new Set<number>();
      let restNullable = true;
      for (let i = itemDot(it) + 1; i < rhs.length && restNullable; i++) {
        addAll(f, first[rhs[i]]);
        restNullable = nullable[rhs[i]];
      }
      if (restNullable) addAll(f, l);
      RULES.forEach((r, ri) => {
        if (r.lhs !== b) return;
        const ni = item(ri, 0);
        let set = out.get(ni);
        if (!set) {
          set = new Set();
          out.set(ni, set);
          grew = true;
        }
        if (addAll(set, f)) grew = true;
      });
    }
  }
  return out;
}

function buildTables(): ParseTables {
  // LR(0) automaton
  const kernels: Item[][] = [[item(0, 0)]];
  const keyOf = (k: readonly Item[]) => [...k].sort((a, b) => a - b).join(',');
  const index = new Map<string, number>([[keyOf(kernels[0]), 0]]);
  const trans: Map<number, number>[] = [];
  const closures: Item[][] = [];
  for (let s = 0; s < kernels.length; s++) {
    const cl = closure0(kernels[s]);
    closures.push(cl);
    const bySym = new Map<number, Item[]>();
    for (const it of cl) {
      const x = nextSym(it);
      if (x === undefined) continue;
      const k = bySym.get(x) ?? [];
      k.push(it + 1);
      bySym.set(x, k);
    }
    const t = new Map<number, number>();
    for (const [x, k] of [...bySym.entries()].sort((a, b) => a[0] - b[0])) {
      const key = keyOf(k);
      let target = index.get(key);
      if (target === undefined) {
        target = kernels.length;
        kernels.push(k);
        index.set(key, target);
      }
      t.set(x, target);
    }
    trans.push(t);
  }
  const nstates = kernels.length;

  // LALR(1) lookaheads: propagate kernel lookaheads through LR(1) closures
  // along the LR(0) transitions until nothing grows
  const ff = computeNullableFirst();
  const kernelLA: Map<Item, Set<number>>[] = kernels.map((k) => new Map(k.map((it) => [it, new Set<number>()])));
  const reduceLA: Map<Item, Set<number>>[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (let s = 0; s < nstates; s++) {
      const cl = closure1(kernelLA[s], ff);
      const completed = new Map<Item, Set<number>>();
      for (const [it, l] of cl) {
        const x = nextSym(it);
        if (x === undefined) completed.set(it, l);
        else if (addAll(kernelLA[trans[s].get(x)!].get(it + 1)!, l)) changed = true;
      }
      reduceLA[s] = completed;
    }
  }

  // Bison's action rows
  const action = new Int32Array(nstates * NTOKENS);
  const defaultRule = new Int32Array(nstates).fill(-1);
  const readsToken = new Uint8Array(nstates);
  const gotoTable = new Int32Array(nstates * NSYMS).fill(-1);
  const expected: number[][] = [];
  let acceptState = -1;
  for (let s = 0; s < nstates; s++) {
    const reductions: number[] = [];
    for (const it of closures[s]) if (nextSym(it) === undefined && itemRule(it) !== 0) reductions.push(itemRule(it));
    reductions.sort((a, b) => a - b);
    const tokenShifts = [...trans[s].keys()].filter(isTerminal);
    const consistent = !(reductions.length > 1 || (reductions.length === 1 && tokenShifts.length > 0));
    const row = action.subarray(s * NTOKENS, (s + 1) * NTOKENS);
    let nodefault = false;
    if (!consistent) {
      for (const r of reductions) {
        for (const [it, l] of reduceLA[s]) if (itemRule(it) === r) for (const t of l) row[t] = -r;
      }
    }
    for (const t of tokenShifts) {
      row[t] = trans[s].get(t)!;
      if (t === T.ERROR) nodefault = true;
      if (t === T.END) acceptState = trans[s].get(t)!;
    }
    if (reductions.length >= 1 && !nodefault) {
      if (consistent) defaultRule[s] = reductions[0];
      else {
        let max = 0;
        for (const r of reductions) {
          let count = 0;
          for (let t = 0; t < NTOKENS; t++) if (row[t] === -r) count++;
          if (count > max) {
            max = count;
            defaultRule[s] = r;
          }
        }
        if (max > 0) for (let t = 0; t < NTOKENS; t++) if (row[t] === -defaultRule[s]) row[t] = 0;
      }
    }
    const exp: number[] = [];
    for (let t = 0; t < NTOKENS; t++) if (row[t] !== 0) exp.push(t);
    readsToken[s] = exp.length > 0 ? 1 : 0;
    expected.push(exp.filter((t) => t !== T.ERROR));
    for (const [x, target] of trans[s]) if (!isTerminal(x)) gotoTable[s * NSYMS + x] = target;
  }
  return { nstates, action, defaultRule, readsToken, gotoTable, expected, acceptState };
}

let tables: ParseTables | undefined;

/** The tables as plain arrays, for embedding at build time. */
export interface SerializedTables {
  nstates: number;
  action: number[];
  defaultRule: number[];
  readsToken: number[];
  gotoTable: number[];
  expected: number[][];
  acceptState: number;
}

export function serializeTables(t: ParseTables): SerializedTables {
  return {
    nstates: t.nstates,
    action: [...t.action],
    defaultRule: [...t.defaultRule],
    readsToken: [...t.readsToken],
    gotoTable: [...t.gotoTable],
    expected: t.expected.map((e) => [...e]),
    acceptState: t.acceptState,
  };
}

function revive(t: SerializedTables): ParseTables {
  return {
    nstates: t.nstates,
    action: Int32Array.from(t.action),
    defaultRule: Int32Array.from(t.defaultRule),
    readsToken: Uint8Array.from(t.readsToken),
    gotoTable: Int32Array.from(t.gotoTable),
    expected: t.expected,
    acceptState: t.acceptState,
  };
}

// build.mjs derives the tables once and embeds them in the bundle: deriving
// them costs a few milliseconds of a cold process, on every xl command.
declare const __XLSIM_CFG_TABLES__: SerializedTables | undefined;

/** The tables: embedded by the build, else derived once per process. */
export function parseTables(): ParseTables {
  tables ??= typeof __XLSIM_CFG_TABLES__ !== 'undefined' ? revive(__XLSIM_CFG_TABLES__) : buildTables();
  return tables;
}

/** Derives the tables from the grammar (the build embeds the result). */
export function deriveTables(): ParseTables {
  return buildTables();
}

export const GOTO_STRIDE = NSYMS;
