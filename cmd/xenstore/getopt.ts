/**
 * glibc getopt_long as xenstore_client.c uses it: permuting, and — unlike
 * xl's loops — carrying on after an error. getopt prints its complaint and
 * returns '?', which the tool's switch ignores, so a bad option is reported
 * and then skipped.
 */

export interface XsLongOpt {
  name: string;
  hasArg: boolean;
  val: string;
}

/** An option, or getopt's own complaint (a full line) where it returned '?'. */
export type XsOptEvent = { opt: string; arg?: string } | { complaint: string };

export interface XsGetopt {
  events: XsOptEvent[];
  operands: string[];
}

export function xsGetopt(prog: string, args: readonly string[], shortOpts: string, longOpts: readonly XsLongOpt[]): XsGetopt {
  const res: XsGetopt = { events: [], operands: [] };
  const takesArg = (c: string) => shortOpts[shortOpts.indexOf(c) + 1] === ':';
  let i = 0;
  while (i < args.length) {
    const a = args[i++]!;
    if (a === '--') {
      res.operands.push(...args.slice(i));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      res.operands.push(a);
      continue;
    }
    if (a.startsWith('--')) {
      const body = a.slice(2);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      let found = longOpts.find((o) => o.name === name);
      if (!found) {
        const cands = longOpts.filter((o) => o.name.startsWith(name));
        if (cands.length > 1) {
          res.events.push(complaint(`${prog}: option '--${name}' is ambiguous; possibilities:${cands.map((c) => ` '--${c.name}'`).join('')}\n`));
          continue;
        }
        found = cands[0];
      }
      if (!found) {
        res.events.push(complaint(`${prog}: unrecognized option '${a}'\n`));
        continue;
      }
      if (eq >= 0 && !found.hasArg) {
        res.events.push(complaint(`${prog}: option '--${found.name}' doesn't allow an argument\n`));
        continue;
      }
      if (found.hasArg && eq < 0) {
        if (i >= args.length) {
          res.events.push(complaint(`${prog}: option '--${found.name}' requires an argument\n`));
          continue;
        }
        res.events.push({ opt: found.val, arg: args[i++]! });
        continue;
      }
      res.events.push({ opt: found.val, arg: eq >= 0 ? body.slice(eq + 1) : undefined });
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (c === ':' || !shortOpts.includes(c)) {
        res.events.push(complaint(`${prog}: invalid option -- '${c}'\n`));
        continue;
      }
      if (!takesArg(c)) {
        res.events.push({ opt: c });
        continue;
      }
      if (j + 1 < a.length) res.events.push({ opt: c, arg: a.slice(j + 1) });
      else if (i < args.length) res.events.push({ opt: c, arg: args[i++]! });
      else res.events.push(complaint(`${prog}: option requires an argument -- '${c}'\n`));
      break;
    }
  }
  return res;
}

function complaint(text: string): XsOptEvent {
  return { complaint: text };
}
