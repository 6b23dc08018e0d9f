/**
 * The LALR(1) tables derived from the grammar must be the ones GNU Bison 3.3
 * builds for libxlu_cfg_y.y: the same 32 states, the accepting state, which
 * states reduce without reading a token, and the default reductions — the
 * error messages and the recovery depend on exactly these.
 */
import { describe, expect, it } from 'vitest';
import { TOKEN_NAMES, parseTables } from '../../lib/cfg/grammar';

describe('parse tables', () => {
  const t = parseTables();
  it('has Bison\'s state count and final state', () => {
    expect(t.nstates).toBe(32);
    expect(t.acceptState).toBe(3);
  });
  it('default reductions per state (Bison\'s yydefact, minus one; -1 = error)', () => {
    // state 3 accepts on entry, so its "$accept" reduction is never looked up
    expect(Array.from(t.defaultRule)).toEqual([
      3, -1, -1, -1, -1, -1, 10, 11, 4, 2, 6, 7, -1, -1, 5, 14, 15, 21, 9, 12, 8, 16, 22, 21, -1, 17, 19, 13, 21, 18, 21, 20,
    ]);
  });
  it('states that need no lookahead (Bison\'s YYPACT_NINF)', () => {
    const noRead = [...t.readsToken.keys()].filter((s) => !t.readsToken[s]);
    expect(noRead).toEqual([0, 3, 6, 7, 8, 10, 11, 14, 15, 16, 17, 18, 19, 20, 22, 23, 27, 28, 30]);
  });
  it('the expected-token lists behind the verbose messages', () => {
    const lists = new Set(t.expected.map((e) => e.map((x) => TOKEN_NAMES[x]).join(' or ')));
    expect(lists).toEqual(
      new Set([
        '',
        '$end',
        "$end or IDENT or NEWLINE or ';'",
        'NEWLINE',
        "+= or '='",
        "NEWLINE or ';'",
        "STRING or NUMBER or '['",
        "STRING or NUMBER or NEWLINE or '['",
        "']'",
        "','",
      ]),
    );
  });
});

describe('embedded tables', () => {
  it('serialising and reviving the derived tables loses nothing', async () => {
    const g = await import('../../lib/cfg/grammar');
    const t = g.deriveTables();
    const s = g.serializeTables(t);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(s.action.length).toBe(t.nstates * g.NTOKENS);
    expect(s.acceptState).toBe(t.acceptState);
  });
});
