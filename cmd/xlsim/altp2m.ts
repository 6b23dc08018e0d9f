/**
 * xlsim altp2m <domain> <action>: the lab's external altp2m agent, the way
 * xen-access or a VMI tool drives Xen from dom0 — turn altp2m on, build
 * views with restricted access, switch the guest into them, and read the
 * mem_access violations the guest causes. `touch` stands in for the guest
 * (one memory access by one vCPU), so a lesson can stage a violation.
 *
 * Every action is one hypercall (or one short sequence) in one host
 * transaction; `listen` polls in short transactions, never holding the
 * host's lock between polls.
 */
import { ctxInSession, installHostHooks } from '../../lib/libxl/compose';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import {
  accessTriple,
  altp2mInfo,
  guestAccess,
  INVALID_GFN,
  parseMemAccess,
  vmEventSwitchVcpu,
  xcAltp2mChangeGfn,
  xcAltp2mCreateView,
  xcAltp2mDestroyView,
  xcAltp2mGetMemAccess,
  xcAltp2mSetDomainState,
  xcAltp2mSetMemAccess,
  xcAltp2mSetMemAccessMulti,
  xcAltp2mSetSuppressVe,
  xcAltp2mSetSuppressVeMulti,
  xcAltp2mSetVcpuDisableNotify,
  xcAltp2mSetVcpuEnableNotify,
  xcAltp2mSetVisibility,
  xcAltp2mSwitchToView,
  xcMonitorDisable,
  xcMonitorEnable,
  xcMonitorEnabled,
  xcMonitorTake,
  type AccessKind,
  type MemAccessEvent,
} from '../../lib/libxl/altp2m';
import { sprintf } from '../../lib/util/printf';
import { nullXtl } from '../../lib/util/xtl';
import { STRERROR, type XenErr, type XenResult } from '../../lib/xen/errno';
import { openHost, withHost, type Session } from '../../state/session';
import { findDomain, noSuchDomain } from './out';
import { fail, registerXlsimCommands, runHandler, type XlsimCtx } from './registry';

export const ALTP2M_ACTIONS = ['on', 'off', 'list', 'create-view', 'destroy-view', 'switch', 'set-access', 'get-access', 'change-gfn', 'visibility', 've', 'suppress-ve', 'listen', 'touch'] as const;
type Action = (typeof ALTP2M_ACTIONS)[number];

export interface Altp2mArgs {
  domain: string;
  action: string;
  args: string[];
  defaultAccess?: string;
  vcpu?: string;
  follow?: boolean;
  asGuest?: boolean;
}

const POLL_MS = 250;
const MAX_RANGE = 65536;

/** The thrown form of a usage or hypercall failure inside a transaction. */
class Refused extends Error {}

function refuse(text: string): never {
  throw new Refused(text);
}

function xenFailed(opName: string, domid: number, e: XenErr): never {
  refuse(`altp2m ${opName} on domain ${domid}: ${STRERROR[e.errno]} (${e.errno})`);
}

function must<T>(r: XenResult<T>, opName: string, domid: number): T {
  if (!r.ok) xenFailed(opName, domid, r);
  return r.value;
}

const hex = (n: number) => sprintf('%#x', n);

function parseNum(text: string, what: string): number {
  const t = text.trim();
  const v = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(v)) refuse(`${what} '${text}' is not a number (decimal, or hex with 0x)`);
  return v;
}

function parseView(text: string | undefined): number {
  if (text === undefined) refuse('give a view number');
  const v = parseNum(text, 'view');
  if (v > 0xffff) refuse(`view '${text}' is out of range (0-65535)`);
  return v;
}

function parseGfnRange(text: string | undefined): [number, number] {
  if (text === undefined) refuse('give a gfn (or a range FIRST-LAST)');
  const m = /^([^-]+)-([^-]+)$/.exec(text);
  const first = parseNum(m ? m[1]! : text, 'gfn');
  const last = m ? parseNum(m[2]!, 'gfn') : first;
  if (last < first) refuse(`gfn range '${text}' ends before it starts`);
  // every page of a range becomes an entry of the view's record
  if (last - first >= MAX_RANGE) refuse(`gfn range '${text}' is larger than ${MAX_RANGE} pages`);
  return [first, last];
}

function parseAccess(text: string | undefined): number {
  if (text === undefined) refuse('give an access (n, r, w, rw, x, rx, wx, rwx, rx2rw, n2rwx)');
  const v = parseMemAccess(text);
  if (v === undefined) refuse(`unknown access '${text}' (expected n, r, w, rw, x, rx, wx, rwx, rx2rw, n2rwx, r_pw or default)`);
  return v;
}

function parseVcpu(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = parseNum(text, 'vCPU');
  return v;
}

function noExtra(a: Altp2mArgs, n: number): void {
  if (a.args.length > n) refuse(`${a.action}: unexpected argument '${a.args[n]}'`);
}

/** xen-access's line for a VM_EVENT_REASON_MEM_ACCESS request (no guest linear address here). */
export function pageAccessLine(e: MemAccessEvent): string {
  return sprintf(
    'PAGE ACCESS: %s for GFN %x (offset %06x) gla %016x (valid: %c; fault in gpt: %c; fault with gla: %c) (vcpu %u [%c], altp2m view %u)\n',
    accessTriple(e.flags),
    e.gfn,
    e.offset,
    0,
    'n',
    'n',
    'n',
    e.vcpu,
    e.paused ? 'p' : 'r',
    e.view,
  );
}

function listText(lx: LibxlCtx, domid: number, name: string): string {
  const s = must(altp2mInfo(lx.hv, domid), 'get_domain_state', domid);
  const mon = xcMonitorEnabled(lx.hv, domid);
  let out = sprintf('Domain %s (%d): altp2m mode %s, %d view%s, %s%s\n', name, domid, s.mode, s.nr, s.nr === 1 ? '' : 's', s.active ? 'active' : 'inactive', mon.ok && mon.value ? ', listener attached' : '');
  if (!s.active) return out;
  out += sprintf('%-6s %-6s %s\n', 'vCPU', 'VIEW', '#VE page');
  s.vcpuView.forEach((v, i) => (out += sprintf('%-6d %-6d %s\n', i, v, (s.veGfn[i] ?? -1) >= 0 ? hex(s.veGfn[i]!) : '-')));
  out += sprintf('%-6s %-8s %-8s %8s %9s\n', 'VIEW', 'DEFAULT', 'VISIBLE', 'ENTRIES', 'REMAPPED');
  out += sprintf('%-6d %-8s %-8s %8s %9s\n', 0, 'rwx', 'yes', 'host', '-');
  for (const v of s.views) {
    const entries = Object.entries(v.e);
    const remapped = entries.filter(([, e]) => e.to !== undefined).length;
    out += sprintf('%-6d %-8s %-8s %8d %9d\n', v.idx, v.defaultAccess, v.visible ? 'yes' : 'no', entries.length, remapped);
  }
  for (const v of s.views) {
    const odd = Object.entries(v.e)
      .map(([g, e]) => ({ g: Number(g), e }))
      .filter(({ e }) => e.a !== v.defaultAccess || e.to !== undefined)
      .sort((p, q) => p.g - q.g);
    for (const { g, e } of odd) out += sprintf('  view %d gfn %s: %s%s\n', v.idx, hex(g), e.a, e.to !== undefined ? ` -> gfn ${hex(e.to)}` : '');
  }
  return out;
}

function act(lx: LibxlCtx, a: Altp2mArgs, action: Action, domid: number, name: string): string {
  const caller = a.asGuest ? domid : 0;
  const hv = lx.hv;
  switch (action) {
    case 'on': {
      noExtra(a, 0);
      const was = altp2mInfo(hv, domid);
      must(xcAltp2mSetDomainState(hv, domid, true, caller), 'set_domain_state', domid);
      // switching on twice changes nothing in Xen: the vCPUs stay where they are
      let out = was.ok && was.value.active ? `altp2m already active on domain ${domid} (${name})\n` : `altp2m active on domain ${domid} (${name}): every vCPU is on view 0\n`;
      // an external agent opens the monitor ring before it restricts anything (xen-access does)
      if (!a.asGuest && xcMonitorEnable(hv, domid).ok) out += `mem_access listener attached to domain ${domid}\n`;
      return out;
    }
    case 'off': {
      noExtra(a, 0);
      const was = altp2mInfo(hv, domid);
      must(xcAltp2mSetDomainState(hv, domid, false, caller), 'set_domain_state', domid);
      let out = was.ok && !was.value.active ? `altp2m already off on domain ${domid} (${name})\n` : `altp2m off on domain ${domid} (${name}): views flushed\n`;
      if (!a.asGuest) {
        const pending = xcMonitorEnabled(hv, domid);
        if (pending.ok && pending.value && xcMonitorDisable(hv, domid).ok) out += `mem_access listener detached from domain ${domid}\n`;
      }
      return out;
    }
    case 'list':
      noExtra(a, 0);
      return listText(lx, domid, name);
    case 'create-view': {
      noExtra(a, 0);
      const access = parseAccess(a.defaultAccess ?? 'default');
      const idx = must(xcAltp2mCreateView(hv, domid, access, caller), 'create_p2m', domid);
      return `altp2m view created with id ${idx}\n`;
    }
    case 'destroy-view': {
      noExtra(a, 1);
      const v = parseView(a.args[0]);
      must(xcAltp2mDestroyView(hv, domid, v, caller), 'destroy_p2m', domid);
      return `altp2m view ${v} destroyed\n`;
    }
    case 'switch': {
      noExtra(a, 1);
      const v = parseView(a.args[0]);
      const vcpu = parseVcpu(a.vcpu);
      if (vcpu === undefined) {
        must(xcAltp2mSwitchToView(hv, domid, v, caller), 'switch_p2m', domid);
        return `domain ${domid}: every vCPU switched to view ${v}\n`;
      }
      if (a.asGuest) refuse('switch --vcpu is a vm_event response, which only the agent gives');
      const r = vmEventSwitchVcpu(hv, domid, vcpu, v);
      if (!r.ok) refuse(`vm_event switch of vCPU ${vcpu} on domain ${domid} to view ${v}: ${STRERROR[r.errno]} (${r.errno})`);
      return `domain ${domid}: vCPU ${vcpu} switched to view ${v}\n`;
    }
    case 'set-access': {
      noExtra(a, 3);
      const v = parseView(a.args[0]);
      const [first, last] = parseGfnRange(a.args[1]);
      const access = parseAccess(a.args[2]);
      if (first === last) must(xcAltp2mSetMemAccess(hv, domid, v, first, access, caller), 'set_mem_access', domid);
      else {
        const gfns = Array.from({ length: last - first + 1 }, (_, i) => first + i);
        must(xcAltp2mSetMemAccessMulti(hv, domid, v, gfns, gfns.map(() => access), caller), 'set_mem_access_multi', domid);
      }
      const what = first === last ? `gfn ${hex(first)}` : `gfns ${hex(first)}-${hex(last)} (${last - first + 1} pages)`;
      return `view ${v}: ${what} set to ${a.args[2]}\n`;
    }
    case 'get-access': {
      noExtra(a, 2);
      const v = parseView(a.args[0]);
      if (a.args[1] === undefined) refuse('give a gfn');
      const g = parseNum(a.args[1], 'gfn');
      const acc = must(xcAltp2mGetMemAccess(hv, domid, v, g, caller), 'get_mem_access', domid);
      return `view ${v} gfn ${hex(g)}: ${acc}\n`;
    }
    case 'change-gfn': {
      noExtra(a, 3);
      const v = parseView(a.args[0]);
      if (a.args[1] === undefined || a.args[2] === undefined) refuse('change-gfn needs a view, the gfn to change and the gfn to show (or "none")');
      const oldGfn = parseNum(a.args[1], 'gfn');
      const undo = ['none', 'invalid', '~0'].includes(a.args[2]);
      const newGfn = undo ? INVALID_GFN : parseNum(a.args[2], 'gfn');
      must(xcAltp2mChangeGfn(hv, domid, v, oldGfn, newGfn, caller), 'change_gfn', domid);
      return undo ? `view ${v}: gfn ${hex(oldGfn)} shows its own frame again\n` : `view ${v}: gfn ${hex(oldGfn)} now shows the frame of gfn ${hex(newGfn)}\n`;
    }
    case 'visibility': {
      noExtra(a, 2);
      const v = parseView(a.args[0]);
      const onOff = a.args[1];
      if (onOff !== 'on' && onOff !== 'off') refuse("visibility needs a view and 'on' or 'off'");
      must(xcAltp2mSetVisibility(hv, domid, v, onOff === 'on', caller), 'set_visibility', domid);
      return `view ${v} ${onOff === 'on' ? 'is' : 'is not'} visible to VMFUNC\n`;
    }
    case 'touch': {
      noExtra(a, 2);
      if (a.args[0] === undefined) refuse('give a gfn');
      const g = parseNum(a.args[0], 'gfn');
      const kind = a.args[1];
      if (kind !== 'r' && kind !== 'w' && kind !== 'x') refuse("touch needs an access kind: r, w or x");
      const vcpu = parseVcpu(a.vcpu) ?? 0;
      const r = guestAccess(hv, domid, vcpu, g, kind as AccessKind);
      if (!r.ok) refuse(`guest access by vCPU ${vcpu} of domain ${domid}: ${STRERROR[r.errno]} (${r.errno})`);
      const o = r.value;
      const verb = { r: 'read', w: 'write', x: 'execute' }[kind as AccessKind];
      const head = `vCPU ${vcpu} ${verb} of gfn ${hex(g)} in view ${o.view}${o.populated ? ' (entry copied from the host p2m)' : ''}`;
      const tail = {
        ok: `allowed (${o.access})`,
        converted: 'rx2rw: page made rw, no event',
        event: `violates ${o.access}: mem_access event ${o.event?.seq ?? 0} queued`,
        relaxed: `violates ${o.access}: no listener, page made rwx`,
        crashed: `violates ${o.access}: no listener but access required, domain crashed`,
        'ring-full': `violates ${o.access}: the monitor ring is full, the vCPU waits`,
        ve: `violates ${o.access}: delivered to the guest as #VE`,
        unmapped: 'no RAM at that gfn in the host p2m',
      }[o.result];
      return `${head}: ${tail}\n`;
    }
    case 've': {
      noExtra(a, 1);
      const vcpu = parseVcpu(a.vcpu) ?? 0;
      if (a.args[0] === 'off') {
        must(xcAltp2mSetVcpuDisableNotify(hv, domid, vcpu, caller), 'vcpu_disable_notify', domid);
        return `domain ${domid}: vCPU ${vcpu} has no #VE info page\n`;
      }
      if (a.args[0] === undefined) refuse("ve needs the #VE info page's gfn, or 'off'");
      const g = parseNum(a.args[0], 'gfn');
      must(xcAltp2mSetVcpuEnableNotify(hv, domid, vcpu, g, caller), 'vcpu_enable_notify', domid);
      return `domain ${domid}: vCPU ${vcpu} #VE info page at gfn ${hex(g)}\n`;
    }
    case 'suppress-ve': {
      noExtra(a, 3);
      const v = parseView(a.args[0]);
      const [first, last] = parseGfnRange(a.args[1]);
      const onOff = a.args[2];
      if (onOff !== 'on' && onOff !== 'off') refuse("suppress-ve needs a view, a gfn (or range) and 'on' or 'off'");
      if (first === last) must(xcAltp2mSetSuppressVe(hv, domid, v, first, onOff === 'on', caller), 'set_suppress_ve', domid);
      else must(xcAltp2mSetSuppressVeMulti(hv, domid, v, first, last, onOff === 'on', caller), 'set_suppress_ve_multi', domid);
      return `view ${v}: suppress-#VE ${onOff} for ${first === last ? `gfn ${hex(first)}` : `gfns ${hex(first)}-${hex(last)}`}\n`;
    }
    case 'listen':
      return '';
  }
}

/** Resolve the domain and run one action in one transaction; the text or a refusal. */
function once(s: Session, a: Altp2mArgs, action: Action): { out?: string; err?: string } {
  return ctxInSession(s, nullXtl, (lx) => {
    const dom = findDomain(lx, a.domain);
    if (!dom) return { err: noSuchDomain(a.domain) };
    try {
      return { out: act(lx, a, action, dom.domid, dom.name) };
    } catch (e) {
      if (e instanceof Refused) return { err: e.message };
      throw e;
    }
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** One poll of the ring: attach if nobody has it, take what is pending. */
function poll(s: Session, a: Altp2mArgs): { events?: MemAccessEvent[]; manual?: boolean; err?: string; domid?: number } {
  return ctxInSession(s, nullXtl, (lx) => {
    const dom = findDomain(lx, a.domain);
    if (!dom) return { err: noSuchDomain(a.domain) };
    const on = xcMonitorEnabled(lx.hv, dom.domid);
    if (on.ok && !on.value) {
      const en = xcMonitorEnable(lx.hv, dom.domid);
      if (!en.ok) return { err: `mem_access listener on domain ${dom.domid}: ${STRERROR[en.errno]} (${en.errno})` };
    }
    const r = xcMonitorTake(lx.hv, dom.domid);
    if (!r.ok) return { err: `mem_access listener on domain ${dom.domid}: ${STRERROR[r.errno]} (${r.errno})` };
    return { events: r.value, manual: s.clock.mode === 'manual', domid: dom.domid };
  });
}

async function listen(ctx: XlsimCtx, a: Altp2mArgs): Promise<number> {
  if (a.asGuest) return fail(ctx, 'listen: the listener is the external agent, not the guest');
  if (a.args.length) return fail(ctx, `listen: unexpected argument '${a.args[0]}'`);
  const first = await withHost(ctx.io.env, (s) => poll(s, a));
  if (first.err) return fail(ctx, first.err);
  for (const e of first.events ?? []) ctx.io.stdout.write(pageAccessLine(e));
  // on a manual clock nothing happens unless someone acts: print what is there and stop
  if (first.manual && !a.follow) return 0;
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const h = openHost(ctx.io.env);
  try {
    while (!stop) {
      await sleep(POLL_MS);
      if (stop) break;
      const r = h.txnSync((s) => poll(s, a));
      if (r.err) {
        // the domain went away (destroyed, migrated): nothing more to hear
        ctx.io.stderr.write(`xlsim: ${r.err}\n`);
        return 1;
      }
      for (const e of r.events ?? []) ctx.io.stdout.write(pageAccessLine(e));
    }
  } finally {
    h.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}

/** The command body, callable in-process (tests) as well as through yargs. */
export async function altp2mCommand(ctx: XlsimCtx, a: Altp2mArgs): Promise<number> {
  installHostHooks();
  if (!(ALTP2M_ACTIONS as readonly string[]).includes(a.action)) return fail(ctx, `unknown altp2m action '${a.action}' (expected ${ALTP2M_ACTIONS.join(', ')})`);
  const action = a.action as Action;
  if (action === 'listen') return listen(ctx, a);
  const r = await withHost(ctx.io.env, (s) => once(s, a, action));
  if (r.err !== undefined) return fail(ctx, r.err);
  ctx.io.stdout.write(r.out ?? '');
  return 0;
}

registerXlsimCommands((y, ctx) =>
  y.command(
    'altp2m <domain> <action> [args..]',
    'Act as an external altp2m agent: on|off|list|create-view|destroy-view V|switch V|set-access V GFN[-GFN] A|get-access V GFN|change-gfn V OLD NEW|visibility V on|off|ve GFN|off|suppress-ve V GFN[-GFN] on|off|listen|touch GFN r|w|x',
    (c) =>
      c
        .positional('domain', { type: 'string', demandOption: true, describe: 'domain name or id' })
        .positional('action', { type: 'string', demandOption: true, choices: ALTP2M_ACTIONS })
        .positional('args', { type: 'string', array: true })
        .option('default-access', { type: 'string', describe: 'create-view: the access new entries of the view get (default: the host default, rwx)' })
        .option('vcpu', { type: 'string', describe: 'switch: only this vCPU (a vm_event response); touch, ve: the vCPU (default 0)' })
        .option('follow', { type: 'boolean', default: false, describe: 'listen: keep listening on a manual clock too, until interrupted' })
        .option('as-guest', { type: 'boolean', default: false, describe: 'make the HVMOP_altp2m call as the guest itself instead of the dom0 agent' }),
    (a) =>
      runHandler(ctx, () =>
        altp2mCommand(ctx, {
          domain: String(a.domain),
          action: String(a.action),
          args: (a.args ?? []).map(String),
          ...(a['default-access'] !== undefined ? { defaultAccess: String(a['default-access']) } : {}),
          ...(a.vcpu !== undefined ? { vcpu: String(a.vcpu) } : {}),
          follow: a.follow === true,
          asGuest: a['as-guest'] === true,
        }),
      ),
  ),
);
