/**
 * `altp2m NAME ...` checks: what an external agent (xlsim altp2m, a VMI
 * tool) set up in Xen's alternate p2m views of a domain, and whether the
 * guest ran into the restrictions.
 */
import { altp2mInfo, type Altp2mSnapshot } from '../libxl/altp2m';
import type { Parsed } from '../sim/duration';
import { memAccessValue } from '../xen/altp2m-types';
import { compare, isOp, parseNumber, type CheckBody, type Op, type Outcome } from './check-types';
import { liveDomain, type HostProbe } from './probe';

interface Seen {
  domid: number;
  snap: Altp2mSnapshot;
}

function look(p: HostProbe, name: string): Seen | Outcome {
  const d = liveDomain(p, name);
  if (!d) return { ok: false, detail: `there is no domain '${name}' on host ${p.host}` };
  const r = altp2mInfo(p.lx.hv, d.domid);
  if (!r.ok) return { ok: false, detail: `'${name}' has no altp2m state` };
  return { domid: d.domid, snap: r.value };
}

function body(name: string, fn: (s: Seen, p: HostProbe) => Outcome): CheckBody {
  return {
    refs: [],
    run(p) {
      const s = look(p, name);
      return 'ok' in s ? s : fn(s, p);
    },
  };
}

function accessName(s: string | undefined): string | undefined {
  // "default" is a request, not something a view holds
  return s !== undefined && s !== 'default' && memAccessValue(s) !== undefined ? s : undefined;
}

/** A check about views of one default access: the word must name one. */
function withAccess(word: string, make: (access: string) => CheckBody): Parsed<CheckBody> {
  const a = accessName(word);
  return a ? { ok: true, value: make(a) } : { ok: false, error: `'${word}' is not a mem_access name` };
}

function viewsWith(snap: Altp2mSnapshot, access: string): number[] {
  return snap.views.filter((v) => v.defaultAccess === access).map((v) => v.idx);
}

function violations(name: string, op: Op, n: number): CheckBody {
  return body(name, (s, p) => {
    const mon = p.domainRecord(s.domid)?.altp2mState?.monitor;
    const got = mon ? mon.nextSeq - 1 + mon.dropped : 0;
    const ok = compare(got, op, n);
    return { ok, detail: `'${name}' raised ${got} mem_access event(s)${ok ? '' : `; wanted ${op} ${n}`}` };
  });
}

export function altp2mCheck(words: string[]): Parsed<CheckBody> {
  const [name, ...rest] = words;
  const t = rest.join(' ');
  if (!name) return { ok: false, error: 'expected: altp2m NAME <what>' };
  if (t === 'is active') {
    return {
      ok: true,
      value: body(name, (s) =>
        s.snap.active ? { ok: true, detail: `altp2m is active on '${name}'` } : { ok: false, detail: `altp2m is not active on '${name}' (mode ${s.snap.mode})` },
      ),
    };
  }
  let m = /^has view (\S+)$/.exec(t);
  if (m) {
    return withAccess(m[1]!, (a) =>
      body(name, (s) => {
        const v = viewsWith(s.snap, a);
        if (v.length) return { ok: true, detail: `'${name}' has view ${v[0]} with default access ${a}` };
        return { ok: false, detail: `'${name}' has no view with default access ${a} (views: ${s.snap.views.map((x) => `${x.idx}:${x.defaultAccess}`).join(', ') || 'only 0'})` };
      }),
    );
  }
  m = /^vcpus in view (\S+)$/.exec(t);
  if (m) {
    return withAccess(m[1]!, (a) =>
      body(name, (s) => {
        const v = viewsWith(s.snap, a);
        const off = s.snap.vcpuView.map((view, vcpu) => ({ view, vcpu })).filter((x) => !v.includes(x.view));
        if (s.snap.active && off.length === 0) return { ok: true, detail: `every vCPU of '${name}' runs in view ${s.snap.vcpuView[0]} (${a})` };
        const where = off.map((x) => `vCPU ${x.vcpu} in ${x.view < 0 ? 'no view' : `view ${x.view}`}`).join(', ');
        return { ok: false, detail: `not every vCPU of '${name}' runs in a view with default access ${a}: ${where}` };
      }),
    );
  }
  m = /^page (\S+) is (\S+)$/.exec(t);
  if (m) {
    const gfn = parseNumber(m[1]);
    const a = accessName(m[2]);
    if (gfn === undefined || !a) return { ok: false, error: 'expected: altp2m NAME page GFN is ACCESS' };
    return {
      ok: true,
      value: body(name, (s) => {
        const v = s.snap.views.find((x) => x.e[String(gfn)]?.a === a);
        const hex = `0x${gfn.toString(16)}`;
        if (v) return { ok: true, detail: `gfn ${hex} of '${name}' is ${a} in view ${v.idx}` };
        return { ok: false, detail: `gfn ${hex} of '${name}' is not ${a} in any view yet` };
      }),
    };
  }
  m = /^violations (\S+) (\S+)$/.exec(t);
  if (m) {
    const n = parseNumber(m[2]);
    if (!isOp(m[1]) || n === undefined) return { ok: false, error: 'expected: altp2m NAME violations OP N' };
    return { ok: true, value: violations(name, m[1], n) };
  }
  return { ok: false, error: `unknown altp2m check '${t}' (is active, has view A, vcpus in view A, page GFN is A, violations OP N)` };
}
