/**
 * The token rules of the disk-spec scanner (tools/libs/util/libxlu_disk_l.l)
 * with flex's selection semantics, which decide many observable verdicts:
 *
 *  - every rule is tried at the current position and the longest match wins;
 *    ties go to the rule listed first;
 *  - a rule with trailing context (`head/trail`) competes with the length of
 *    head+trail, but only the head is consumed and becomes the token text;
 *  - flex's `.` matches any character except newline.
 *
 * So ` xvda` is skipped whitespace because the whitespace rule's trailing
 * context makes it longer than the positional rule, and `phy:/dev/x` is the
 * `phy:` prefix rule rather than the catch-all prefix error because both span
 * the whole line and the `phy:` rule comes first.
 */

export type DiskRuleKind =
  | 'ws'
  | 'format'
  | 'cdrom'
  | 'devtype-cdrom'
  | 'devtype-disk'
  | 'devtype-bad'
  | 'access'
  | 'backend'
  | 'backendtype'
  | 'specification'
  | 'vdev'
  | 'script'
  | 'direct-io-safe'
  | 'discard'
  | 'no-discard'
  | 'colo'
  | 'no-colo'
  | 'colo-host'
  | 'colo-port'
  | 'colo-export'
  | 'active-disk'
  | 'hidden-disk'
  | 'trusted'
  | 'untrusted'
  | 'grant-usage-1'
  | 'grant-usage-0'
  | 'target'
  | 'unknown-param'
  | 'prefix-format'
  | 'prefix-script'
  | 'prefix-ignored'
  | 'prefix-unknown'
  | 'positional'
  | 'lexerr'
  | 'jam';

export interface DiskToken {
  kind: DiskRuleKind;
  /** yytext: the consumed text (the head, for trailing-context rules) */
  text: string;
}

interface Rule {
  kind: DiskRuleKind;
  /** returns [total match length incl. trailing context, head length] or null */
  match(s: string, at: number): [number, number] | null;
}

/** length of the rest of the line from `at` (flex `.*`) */
function restOfLine(s: string, at: number): number {
  const nl = s.indexOf('\n', at);
  return (nl < 0 ? s.length : nl) - at;
}

/** `<literal>[^,]*,?` style rules and plain `<literal>,?` flags */
function keyed(kind: DiskRuleKind, literal: string, value: boolean): Rule {
  return {
    kind,
    match(s, at) {
      if (!s.startsWith(literal, at)) return null;
      let i = at + literal.length;
      if (value) while (i < s.length && s[i] !== ',') i++;
      if (s[i] === ',') i++;
      return [i - at, i - at];
    },
  };
}

/** anchored regex without trailing context */
function re(kind: DiskRuleKind, r: RegExp): Rule {
  const sticky = new RegExp(r.source, 'y');
  return {
    kind,
    match(s, at) {
      sticky.lastIndex = at;
      const m = sticky.exec(s);
      return m ? [m[0].length, m[0].length] : null;
    },
  };
}

/** `<alternatives>:/.*` — a deprecated prefix that counts as matching the whole line */
function prefix(kind: DiskRuleKind, words: readonly string[]): Rule {
  return {
    kind,
    match(s, at) {
      let best = -1;
      for (const w of words) if (s.startsWith(w + ':', at) && w.length + 1 > best) best = w.length + 1;
      if (best < 0) return null;
      return [best + restOfLine(s, at + best), best];
    },
  };
}

const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n';
const isLowerAlnum = (c: string | undefined): boolean => c !== undefined && /^[a-z0-9]$/.test(c);

const RULES: readonly Rule[] = [
  {
    // [ \t\n]+/([^ \t\n].*)?
    kind: 'ws',
    match(s, at) {
      let i = at;
      while (isWs(s[i])) i++;
      if (i === at) return null;
      const trail = i < s.length ? 1 + restOfLine(s, i + 1) : 0;
      return [i - at + trail, i - at];
    },
  },
  keyed('format', 'format=', true),
  keyed('cdrom', 'cdrom', false),
  keyed('devtype-cdrom', 'devtype=cdrom', false),
  keyed('devtype-disk', 'devtype=disk', false),
  keyed('devtype-bad', 'devtype=', true),
  keyed('access', 'access=', true),
  keyed('backend', 'backend=', true),
  keyed('backendtype', 'backendtype=', true),
  keyed('specification', 'specification=', true),
  keyed('vdev', 'vdev=', true),
  keyed('script', 'script=', true),
  keyed('direct-io-safe', 'direct-io-safe', false),
  keyed('discard', 'discard', false),
  keyed('no-discard', 'no-discard', false),
  keyed('colo', 'colo', false),
  keyed('no-colo', 'no-colo', false),
  keyed('colo-host', 'colo-host=', true),
  keyed('colo-port', 'colo-port=', true),
  keyed('colo-export', 'colo-export=', true),
  keyed('active-disk', 'active-disk=', true),
  keyed('hidden-disk', 'hidden-disk=', true),
  keyed('trusted', 'trusted', false),
  keyed('untrusted', 'untrusted', false),
  keyed('grant-usage-1', 'grant_usage=1', false),
  keyed('grant-usage-0', 'grant_usage=0', false),
  {
    // target=.*
    kind: 'target',
    match(s, at) {
      if (!s.startsWith('target=', at)) return null;
      const n = 7 + restOfLine(s, at + 7);
      return [n, n];
    },
  },
  re('unknown-param', /[a-z][-a-z0-9]*=[^,],?/),
  prefix('prefix-format', ['raw', 'qcow', 'qcow2', 'vhd']),
  prefix('prefix-script', ['iscsi', 'nbd', 'enbd', 'drbd']),
  prefix('prefix-ignored', ['tapdisk']),
  prefix('prefix-ignored', ['tap', 'tap2']),
  prefix('prefix-ignored', ['aio']),
  prefix('prefix-ignored', ['ioemu']),
  prefix('prefix-ignored', ['file']),
  prefix('prefix-ignored', ['phy']),
  {
    // [a-z][a-z0-9]*:/([^a-z0-9].*)?
    kind: 'prefix-unknown',
    match(s, at) {
      if (!/^[a-z]$/.test(s[at] ?? '')) return null;
      let i = at + 1;
      while (isLowerAlnum(s[i])) i++;
      if (s[i] !== ':') return null;
      i++;
      const head = i - at;
      if (i >= s.length || isLowerAlnum(s[i])) return [head, head];
      // [^a-z0-9] also matches a newline; `.*` then stops at the next one
      return [head + 1 + restOfLine(s, i + 1), head];
    },
  },
  {
    // [^=,]*,|[^=,]+,?
    kind: 'positional',
    match(s, at) {
      let i = at;
      while (i < s.length && s[i] !== '=' && s[i] !== ',') i++;
      if (s[i] === ',') i++;
      return i > at ? [i - at, i - at] : null;
    },
  },
  {
    // .
    kind: 'lexerr',
    match(s, at) {
      return at < s.length && s[at] !== '\n' ? [1, 1] : null;
    },
  },
];

/**
 * Scans one spec word, handing each token to `action`; the action returns
 * false to stop (the C actions' `return 0`). A `lexerr` token carries the
 * offending character plus the rest of its line (`.` then yymore() and the
 * LEXERR state's `.*`); at the very end of the input the LEXERR rule never
 * fires, so a trailing stray character produces no token at all. When the
 * stray character is followed by a newline, `.*` could only match the empty
 * string, which a flex DFA cannot do: the generated scanner dies with
 * "flex scanner jammed" (YY_FATAL_ERROR, exit status 2) — reported as a
 * `jam` token.
 */
export function scanDiskSpec(s: string, action: (tok: DiskToken) => boolean): void {
  let at = 0;
  while (at < s.length) {
    let best: Rule | undefined;
    let bestTotal = 0;
    let bestHead = 0;
    for (const r of RULES) {
      const m = r.match(s, at);
      if (m && m[0] > bestTotal) {
        best = r;
        bestTotal = m[0];
        bestHead = m[1];
      }
    }
    if (!best) return; // cannot happen: `.` and the whitespace rule cover every character
    const text = s.slice(at, at + bestHead);
    at += bestHead;
    if (best.kind === 'lexerr') {
      if (at >= s.length) return;
      const more = restOfLine(s, at);
      if (more === 0) {
        action({ kind: 'jam', text });
        return;
      }
      action({ kind: 'lexerr', text: text + s.slice(at, at + more) });
      return;
    }
    if (!action({ kind: best.kind, text })) return;
  }
}
