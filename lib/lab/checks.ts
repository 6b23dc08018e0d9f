/**
 * The check vocabulary of a lab step: one line of lab.ini each, parsed when
 * the lab is loaded (a typo fails `lab list`, not the learner's check) and
 * run read-only against a host's state.
 *
 *   [on ALIAS:] domain NAME exists | absent
 *   [on ALIAS:] domain NAME is [not] running|paused|shutdown|crashed|booted|logged-in|pv|pvh|hvm
 *   [on ALIAS:] domain NAME memory|target|maxmem|vcpus OP MIB     OP: = != < <= > >=
 *   [on ALIAS:] domain NAME handled REASON by ACTION      (an xl monitor's decision)
 *   [on ALIAS:] domain NAME migrated to ALIAS2 [converged|capped]
 *   [on ALIAS:] xenstore PATH = VALUE
 *   [on ALIAS:] altp2m NAME is active
 *   [on ALIAS:] altp2m NAME has view ACCESS               (a view whose default access is ACCESS)
 *   [on ALIAS:] altp2m NAME vcpus in view ACCESS          (every vCPU switched to such a view)
 *   [on ALIAS:] altp2m NAME page GFN is ACCESS            (in some view other than 0)
 *   [on ALIAS:] altp2m NAME violations OP N               (mem_access events the guest raised)
 *
 * Without `on ALIAS:` a check looks at the lab's first host.
 */
import type { Parsed } from '../sim/duration';
import { parseNumber, type Check, type CheckBody } from './check-types';
import { SHUTDOWN_REASONS } from './probe';
import { altp2mCheck } from './check-altp2m';
import { domainCheck } from './check-domain';

function xenstoreCheck(words: string[]): Parsed<CheckBody> {
  const [path, eq, ...rest] = words;
  if (!path?.startsWith('/') || eq !== '=' || rest.length === 0) return { ok: false, error: 'expected: xenstore PATH = VALUE' };
  const want = rest.join(' ');
  return {
    ok: true,
    value: {
      refs: [],
      run(p) {
        const got = p.lx.xs.tryRead(path);
        if (got === undefined) return { ok: false, detail: `nothing is written at ${path} yet` };
        if (sameAnswer(got, want)) return { ok: true, detail: `${path} holds '${got}'` };
        return { ok: false, detail: `${path} holds '${got}', which is not the right answer yet` };
      },
    },
  };
}

/** Answers compare without case or surrounding blanks, and numbers by value (0x10 = 16). */
export function sameAnswer(got: string, want: string): boolean {
  const g = got.trim().toLowerCase();
  const w = want.trim().toLowerCase();
  if (g === w) return true;
  const gn = parseNumber(g);
  const wn = parseNumber(w);
  return gn !== undefined && gn === wn;
}

export function parseCheck(line: string): Parsed<Check> {
  const text = line.trim();
  let rest = text;
  let host = '';
  const on = /^on\s+([A-Za-z0-9_-]+):\s*(.*)$/.exec(rest);
  if (on) {
    host = on[1]!;
    rest = on[2]!;
  }
  const [subject, ...words] = rest.split(/\s+/).filter((w) => w !== '');
  let body: Parsed<CheckBody>;
  switch (subject) {
    case 'domain':
      body = domainCheck(words);
      break;
    case 'xenstore':
      body = xenstoreCheck(words);
      break;
    case 'altp2m':
      body = altp2mCheck(words);
      break;
    default:
      body = { ok: false, error: `unknown check subject '${subject ?? ''}' (domain, xenstore or altp2m)` };
  }
  if (!body.ok) return { ok: false, error: `check '${text}': ${body.error}` };
  return { ok: true, value: { ...body.value, text, host } };
}

export { SHUTDOWN_REASONS };
export * from './check-types';
