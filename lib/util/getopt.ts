/**
 * GNU getopt_long semantics, as xl relies on them (glibc's getopt):
 *
 * - argument permutation: options may follow operands, unless the option
 *   string starts with '+' (or POSIXLY_CORRECT is set), in which case parsing
 *   stops at the first operand — this is how xl keeps global options in front
 *   of the subcommand;
 * - "--" ends option parsing; a lone "-" is an operand;
 * - short options cluster ("-vvN"); "x:" takes a required argument, either
 *   glued ("-sfoo") or the next word; "x::" takes an optional glued argument;
 * - long options match unambiguous prefixes ("--verb" for "--verbose"), take
 *   "--opt=value" or, when required, the next word.
 *
 * It never prints: an error is returned as `{ kind: '?', optopt }` with
 * glibc's `optopt` (the offending short option character, the long option's
 * `val` when its argument is missing, or the empty string for an unknown long
 * option — C's 0). Callers decide the wording, as xl's def_getopt does.
 */

export interface LongOption {
  name: string;
  /** 0 no argument, 1 required, 2 optional (only as --name=value) */
  hasArg: 0 | 1 | 2;
  /** the short option character reported for this long option */
  val: string;
}

export type GetoptEvent =
  | { kind: 'opt'; opt: string; arg: string | undefined }
  | { kind: '?'; optopt: string };

export interface GetoptResult {
  /** options and errors in the order getopt would return them */
  events: GetoptEvent[];
  /** the operands, in order, after permutation */
  operands: string[];
}

interface ShortSpec {
  arg: 0 | 1 | 2;
}

function parseShortSpec(optstring: string): { specs: Map<string, ShortSpec>; inOrder: boolean } {
  let s = optstring;
  let inOrder = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    inOrder = s.startsWith('+');
    s = s.slice(1);
  }
  if (s.startsWith(':')) s = s.slice(1);
  const specs = new Map<string, ShortSpec>();
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === ':') continue;
    let arg: 0 | 1 | 2 = 0;
    if (s[i + 1] === ':') {
      arg = s[i + 2] === ':' ? 2 : 1;
    }
    specs.set(c, { arg });
  }
  return { specs, inOrder };
}

/**
 * Runs getopt_long over `args` (which excludes the program/command name,
 * i.e. C's argv+1). Stops at the first error, as xl's loops do (they exit).
 */
export function getoptLong(
  args: readonly string[],
  optstring: string,
  longopts: readonly LongOption[] = [],
  env: Record<string, string | undefined> = process.env,
): GetoptResult {
  const { specs, inOrder: plus } = parseShortSpec(optstring);
  const inOrder = plus || env.POSIXLY_CORRECT !== undefined;
  const events: GetoptEvent[] = [];
  const operands: string[] = [];
  let i = 0;
  while (i < args.length) {
    const a = args[i]!;
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      return { events, operands };
    }
    if (!a.startsWith('-') || a === '-') {
      if (inOrder) {
        operands.push(...args.slice(i));
        return { events, operands };
      }
      operands.push(a);
      i++;
      continue;
    }
    if (a.startsWith('--')) {
      const body = a.slice(2);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      const exact = longopts.find((o) => o.name === name);
      let found: LongOption | undefined = exact;
      if (!found) {
        const cands = longopts.filter((o) => o.name.startsWith(name));
        // glibc accepts an ambiguous prefix when every candidate is the same option
        if (cands.length === 1 || (cands.length > 1 && cands.every((c) => c.hasArg === cands[0]!.hasArg && c.val === cands[0]!.val))) {
          found = cands[0];
        }
      }
      i++;
      if (!found) {
        events.push({ kind: '?', optopt: '' });
        return { events, operands: operands.concat(args.slice(i)) };
      }
      if (eq >= 0) {
        if (found.hasArg === 0) {
          events.push({ kind: '?', optopt: found.val });
          return { events, operands: operands.concat(args.slice(i)) };
        }
        events.push({ kind: 'opt', opt: found.val, arg: body.slice(eq + 1) });
      } else if (found.hasArg === 1) {
        if (i >= args.length) {
          events.push({ kind: '?', optopt: found.val });
          return { events, operands };
        }
        events.push({ kind: 'opt', opt: found.val, arg: args[i]! });
        i++;
      } else {
        events.push({ kind: 'opt', opt: found.val, arg: undefined });
      }
      continue;
    }
    // a cluster of short options
    i++;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const spec = specs.get(c);
      if (!spec) {
        events.push({ kind: '?', optopt: c });
        return { events, operands: operands.concat(args.slice(i)) };
      }
      if (spec.arg === 0) {
        events.push({ kind: 'opt', opt: c, arg: undefined });
        continue;
      }
      const rest = a.slice(j + 1);
      if (rest.length > 0) {
        events.push({ kind: 'opt', opt: c, arg: rest });
      } else if (spec.arg === 2) {
        events.push({ kind: 'opt', opt: c, arg: undefined });
      } else if (i < args.length) {
        events.push({ kind: 'opt', opt: c, arg: args[i]! });
        i++;
      } else {
        events.push({ kind: '?', optopt: c });
        return { events, operands };
      }
      break;
    }
  }
  return { events, operands };
}
