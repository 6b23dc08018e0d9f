/**
 * glibc getopt_long as xentop's main() uses it: permuting, with glibc's own
 * complaints on stderr. xentop stops at the first '?' (it prints its usage
 * and exits), so parsing stops there too.
 */

export interface TopLongOpt {
  name: string;
  hasArg: boolean;
  val: string;
}

export type TopOptEvent = { opt: string; arg?: string } | { complaint: string };

export function topGetopt(prog: string, args: readonly string[], shortOpts: string, longOpts: readonly TopLongOpt[]): TopOptEvent[] {
  const events: TopOptEvent[] = [];
  const known = (c: string) => c !== ':' && shortOpts.includes(c);
  const takesArg = (c: string) => shortOpts[shortOpts.indexOf(c) + 1] === ':';
  let i = 0;
  while (i < args.length) {
    const a = args[i++]!;
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-') continue;
    if (a.startsWith('--')) {
      const body = a.slice(2);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      let found = longOpts.find((o) => o.name === name);
      if (!found) {
        const cands = longOpts.filter((o) => o.name.startsWith(name));
        if (cands.length > 1) {
          events.push({ complaint: `${prog}: option '--${name}' is ambiguous; possibilities:${cands.map((c) => ` '--${c.name}'`).join('')}\n` });
          return events;
        }
        found = cands[0];
      }
      if (!found) {
        events.push({ complaint: `${prog}: unrecognized option '${a}'\n` });
        return events;
      }
      if (eq >= 0 && !found.hasArg) {
        events.push({ complaint: `${prog}: option '--${found.name}' doesn't allow an argument\n` });
        return events;
      }
      if (found.hasArg && eq < 0) {
        if (i >= args.length) {
          events.push({ complaint: `${prog}: option '--${found.name}' requires an argument\n` });
          return events;
        }
        events.push({ opt: found.val, arg: args[i++]! });
      } else {
        events.push(eq >= 0 ? { opt: found.val, arg: body.slice(eq + 1) } : { opt: found.val });
      }
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (!known(c)) {
        events.push({ complaint: `${prog}: invalid option -- '${c}'\n` });
        return events;
      }
      if (!takesArg(c)) {
        events.push({ opt: c });
        continue;
      }
      const rest = a.slice(j + 1);
      if (rest.length > 0) events.push({ opt: c, arg: rest });
      else if (i < args.length) events.push({ opt: c, arg: args[i++]! });
      else {
        events.push({ complaint: `${prog}: option requires an argument -- '${c}'\n` });
        return events;
      }
      break;
    }
  }
  return events;
}

/** C's atoi: leading blanks, a sign, digits; anything else ends the number (0 if none). */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(s)!;
  const digits = m[2]!;
  if (!digits) return 0;
  // glibc's atoi is (int)strtol: strtol clamps to the long range, the cast keeps the low 32 bits
  let v = BigInt(m[1] === '-' ? '-' + digits : digits);
  const lim = 2n ** 63n;
  if (v >= lim) v = lim - 1n;
  if (v < -lim) v = -lim;
  return Number(BigInt.asIntN(32, v));
}
