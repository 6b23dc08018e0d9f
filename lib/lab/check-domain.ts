/**
 * `domain NAME ...` checks: a domain's existence, state, type and memory
 * as xl would report them, and what xl's monitor and `xl migrate` did with
 * it (from the host's event log).
 */
import { GuestGlue } from '../libxl/guest_glue';
import { getDomainConfiguration } from '../libxl/userdata';
import type { Parsed } from '../sim/duration';
import { compare, isOp, parseNumber, type CheckBody, type Op, type Outcome } from './check-types';
import { handledShutdowns, liveDomain, migrationsFrom, SHUTDOWN_REASONS, type HostProbe, type LiveDomain } from './probe';

const STATES = ['running', 'paused', 'shutdown', 'crashed', 'booted', 'logged-in', 'pv', 'pvh', 'hvm'] as const;
type StateWord = (typeof STATES)[number];
const FIELDS = ['memory', 'target', 'maxmem', 'vcpus'] as const;
type Field = (typeof FIELDS)[number];
const ACTIONS = ['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart', 'soft-reset'];
const SHUTDOWN_CRASH = 3;

function missing(p: HostProbe, name: string): Outcome {
  return { ok: false, detail: `there is no domain '${name}' on host ${p.host}` };
}

function stateHolds(p: HostProbe, d: LiveDomain, w: StateWord): boolean {
  const i = d.info;
  switch (w) {
    case 'running':
      return !i.paused && !i.shutdown && !i.dying;
    case 'paused':
      return i.paused;
    case 'shutdown':
      return i.shutdown;
    case 'crashed':
      return i.shutdown && i.shutdown_reason === SHUTDOWN_CRASH;
    case 'booted':
      return (new GuestGlue(() => p.lx).guest(d.domid)?.bootedNs ?? 0) > 0;
    case 'logged-in': {
      const shells = new GuestGlue(() => p.lx).os(d.domid)?.shells ?? {};
      return Object.values(shells).some((s) => s.mode === 'shell' || s.mode === 'busy');
    }
    case 'pv':
    case 'pvh':
    case 'hvm':
      return (d.domid === 0 ? 'pv' : getDomainConfiguration(p.lx, d.domid)?.c_info.type) === w;
  }
}

/** xl list's state letters, to say what the domain is instead. */
function flags(d: LiveDomain): string {
  const i = d.info;
  const crashed = i.shutdown && i.shutdown_reason === SHUTDOWN_CRASH;
  return [i.running ? 'r' : '-', i.blocked ? 'b' : '-', i.paused ? 'p' : '-', i.shutdown ? 's' : '-', crashed ? 'c' : '-', i.dying ? 'd' : '-'].join('');
}

function stateCheck(name: string, negate: boolean, w: StateWord): CheckBody {
  return {
    refs: [],
    run(p) {
      const d = liveDomain(p, name);
      if (!d) return missing(p, name);
      const holds = stateHolds(p, d, w);
      if (holds !== negate) return { ok: true, detail: `'${name}' is ${negate ? 'not ' : ''}${w}` };
      const what = w === 'pv' || w === 'pvh' || w === 'hvm' ? 'of that type' : w;
      return { ok: false, detail: `'${name}' (domid ${d.domid}, state ${flags(d)}) is ${negate ? '' : 'not '}${what} yet` };
    },
  };
}

function memoryNodeMiB(p: HostProbe, domid: number, node: string): number | undefined {
  const t = p.lx.xs.tryRead(`/local/domain/${domid}/memory/${node}`);
  return t === undefined || !/^\d+$/.test(t) ? undefined : Math.floor(Number(t) / 1024);
}

function fieldMiB(p: HostProbe, d: LiveDomain, f: Field): number | undefined {
  switch (f) {
    case 'memory':
      // what xl list shows in its Mem column
      return Math.floor((d.info.current_memkb + d.info.outstanding_memkb) / 1024);
    case 'target':
      return memoryNodeMiB(p, d.domid, 'target');
    case 'maxmem':
      // the limit mem-set is held to; Xen's own max_pages follows every target
      return memoryNodeMiB(p, d.domid, 'static-max');
    case 'vcpus':
      return d.info.vcpu_online;
  }
}

const FIELD_TEXT: Record<Field, string> = {
  memory: 'memory (xl list Mem)',
  target: 'memory target (memory/target)',
  maxmem: 'maximum memory (memory/static-max)',
  vcpus: 'number of online vCPUs',
};

function fieldCheck(name: string, f: Field, op: Op, want: number): CheckBody {
  const unit = f === 'vcpus' ? '' : ' MiB';
  return {
    refs: [],
    run(p) {
      const d = liveDomain(p, name);
      if (!d) return missing(p, name);
      const got = fieldMiB(p, d, f);
      if (got === undefined) return { ok: false, detail: `'${name}' has no ${FIELD_TEXT[f]}` };
      const ok = compare(got, op, want);
      return { ok, detail: `the ${FIELD_TEXT[f]} of '${name}' is ${got}${unit}${ok ? '' : `; wanted ${op} ${want}${unit}`}` };
    },
  };
}

function handledCheck(name: string, reason: string, action: string): CheckBody {
  return {
    refs: [],
    run(p) {
      const seen = handledShutdowns(p).filter((h) => h.name === name);
      const hit = seen.find((h) => h.reason === reason && h.action === action);
      if (hit) return { ok: true, detail: `xl's monitor handled a ${reason} of '${name}' (domid ${hit.domid}) by ${action}` };
      if (seen.length === 0) return { ok: false, detail: `xl's monitor has not seen '${name}' shut down yet` };
      const last = seen[seen.length - 1]!;
      return { ok: false, detail: `no ${reason} of '${name}' handled by ${action} yet (the last: a ${last.reason} handled by ${last.action})` };
    },
  };
}

function migratedCheck(name: string, alias: string, how: 'converged' | 'capped' | undefined): CheckBody {
  return {
    refs: [alias],
    run(p, names) {
      const to = names(alias);
      const all = migrationsFrom(p).filter((m) => m.name === name && m.to === to);
      const hit = all.find((m) => how === undefined || m.converged === (how === 'converged'));
      const story = (m: (typeof all)[number]) =>
        `pages sent ${m.rounds.join('+')}, downtime ${m.downtimeMs} ms: ${m.converged ? 'converged' : `hit the cap of ${m.rounds.length - 1} live iterations`}`;
      if (hit) return { ok: true, detail: `'${name}' went live to ${to} (${story(hit)})` };
      if (all.length === 0) return { ok: false, detail: `'${name}' has not been live-migrated from ${p.host} to ${to} yet` };
      return { ok: false, detail: `'${name}' went to ${to}, but its pre-copy ${how === 'capped' ? 'converged' : 'hit the iteration cap'} (${story(all[all.length - 1]!)})` };
    },
  };
}

export function domainCheck(words: string[]): Parsed<CheckBody> {
  const [name, verb, ...rest] = words;
  if (!name || !verb) return { ok: false, error: 'expected: domain NAME <what>' };
  if (verb === 'exists' || verb === 'absent') {
    if (rest.length) return { ok: false, error: `nothing may follow '${verb}'` };
    const want = verb === 'exists';
    return {
      ok: true,
      value: {
        refs: [],
        run(p) {
          const d = liveDomain(p, name);
          if (Boolean(d) === want) return { ok: true, detail: want ? `'${name}' exists (domid ${d!.domid})` : `'${name}' is gone` };
          return want ? missing(p, name) : { ok: false, detail: `'${name}' still exists (domid ${d!.domid})` };
        },
      },
    };
  }
  if (verb === 'is') {
    const negate = rest[0] === 'not';
    const w = negate ? rest[1] : rest[0];
    if (rest.length !== (negate ? 2 : 1) || !(STATES as readonly string[]).includes(w ?? '')) return { ok: false, error: `expected: domain NAME is [not] ${STATES.join('|')}` };
    return { ok: true, value: stateCheck(name, negate, w as StateWord) };
  }
  if ((FIELDS as readonly string[]).includes(verb)) {
    const [op, n] = rest;
    const want = parseNumber(n);
    if (rest.length !== 2 || !isOp(op) || want === undefined) return { ok: false, error: `expected: domain NAME ${verb} OP NUMBER` };
    return { ok: true, value: fieldCheck(name, verb as Field, op, want) };
  }
  if (verb === 'handled') {
    const [reason, by, action] = rest;
    if (rest.length !== 3 || by !== 'by' || !(SHUTDOWN_REASONS as readonly string[]).includes(reason ?? '') || !ACTIONS.includes(action ?? '')) {
      return { ok: false, error: `expected: domain NAME handled ${SHUTDOWN_REASONS.join('|')} by ${ACTIONS.join('|')}` };
    }
    return { ok: true, value: handledCheck(name, reason!, action!) };
  }
  if (verb === 'migrated') {
    const [to, alias, how] = rest;
    if (to !== 'to' || !alias || rest.length > 3 || (how !== undefined && how !== 'converged' && how !== 'capped')) {
      return { ok: false, error: 'expected: domain NAME migrated to HOST-ALIAS [converged|capped]' };
    }
    return { ok: true, value: migratedCheck(name, alias, how) };
  }
  return { ok: false, error: `unknown domain check '${verb}' (exists, absent, is, ${FIELDS.join(', ')}, handled, migrated)` };
}
