/**
 * mem_access: a guest's memory access checked against the rights of the
 * view its vCPU is on, and the monitor ring that carries violations to an
 * external agent (VM_EVENT_REASON_MEM_ACCESS requests).
 *
 * The guest model (and `xlsim altp2m touch`) calls `guestAccess` for each
 * access it simulates. A first access to a gfn an alternate view has not
 * seen copies the host entry into the view with the view's default access
 * (the EPT violation is fixed up and the access retried). A forbidden access
 * becomes a request in the ring when a listener has it; without one, Xen
 * either lifts the restriction (rwx) or, when the agent demanded a listener
 * (access_required), crashes the domain.
 */
import { ACCESS_FLAG, altp2mStateOf, type AccessKind, type MemAccess, type MemAccessEvent } from './altp2m-types';
import { hostAccessOf, hostGfnIsRam, propagateHostChange } from './altp2m-p2m';
import type { XenCore } from './core';
import { crashDomain } from './domain-state';
import { err, ok, type XenResult } from './errno';
import type { XenDomainData } from './types';

/** requests the ring page holds in this model; a full ring makes the access wait */
export const MONITOR_RING_SLOTS = 64;

export type AccessResult =
  /** allowed by the view's rights */
  | 'ok'
  /** rx2rw on a write: Xen turned the page rw by itself, no event */
  | 'converted'
  /** a request was queued for the listener */
  | 'event'
  /** no listener: the page was made rwx and the access went through */
  | 'relaxed'
  /** no listener while one was required: the domain was crashed */
  | 'crashed'
  /** the ring is full: the vCPU waits for the listener (nothing queued) */
  | 'ring-full'
  /** delivered to the guest as a virtualization exception (#VE page set, suppress-#VE clear) */
  | 've'
  /** the host p2m has no RAM at that gfn (MMIO or a hole) */
  | 'unmapped';

export interface AccessOutcome {
  result: AccessResult;
  view: number;
  /** the page's access in the view before the access */
  access: MemAccess;
  /** this access copied the host entry into the view */
  populated: boolean;
  event?: MemAccessEvent;
}

function allows(a: MemAccess, kind: AccessKind): boolean {
  switch (a) {
    case 'rwx':
      return true;
    case 'rx2rw':
      return kind !== 'w';
    case 'r_pw':
      return kind === 'r';
    case 'n':
    case 'n2rwx':
      return false;
    default:
      return a.includes(kind);
  }
}

export function guestAccess(x: XenCore, domid: number, vcpu: number, gfn: number, kind: AccessKind, offset = 0): XenResult<AccessOutcome> {
  const d = x.find(domid);
  if (!d) return err('ESRCH');
  if (!d.hvm || d.pagingMode !== 'hap') return err('EOPNOTSUPP');
  if (!Number.isInteger(vcpu) || vcpu < 0 || vcpu >= d.maxVcpus) return err('EINVAL');
  if (!Number.isInteger(offset) || offset < 0 || offset > 0xfff) return err('EINVAL');
  const st = altp2mStateOf(d);
  const view = st.active ? Math.max(0, st.vcpuView[vcpu] ?? 0) : 0;
  if (!hostGfnIsRam(d, gfn)) return ok({ result: 'unmapped', view, access: hostAccessOf(st, gfn), populated: false });

  const alt = view === 0 ? undefined : st.views.find((v) => v.idx === view);
  let populated = false;
  let access: MemAccess;
  if (alt) {
    let e = alt.e[gfn];
    if (!e) {
      e = { a: alt.defaultAccess };
      alt.e[gfn] = e;
      populated = true;
    }
    access = e.a;
  } else {
    access = hostAccessOf(st, gfn);
  }
  const setAccess = (a: MemAccess) => {
    if (alt) alt.e[gfn] = { ...alt.e[gfn], a };
    else {
      if (a === 'rwx') delete st.hostAccess[gfn];
      else st.hostAccess[gfn] = a;
      propagateHostChange(st, gfn);
    }
  };
  const done = (result: AccessResult, event?: MemAccessEvent): XenResult<AccessOutcome> => {
    x.put(d);
    return ok({ result, view, access, populated, ...(event ? { event } : {}) });
  };

  if (allows(access, kind)) {
    // the common case changes nothing: no write-back for a plain allowed access
    if (!populated) return ok({ result: 'ok', view, access, populated });
    return done('ok');
  }
  // with a #VE info page and suppress-#VE clear, the guest handles its own violation
  const sve = alt ? alt.e[gfn]?.sve : st.hostVe?.[gfn];
  if (sve === 0 && (st.veGfn[vcpu] ?? -1) >= 0 && access !== 'rx2rw' && access !== 'n2rwx') return done('ve');
  if (access === 'rx2rw') {
    setAccess('rw');
    return done('converted');
  }
  // n2rwx opens the page up and still reports the access, without pausing the vCPU
  if (access === 'n2rwx') setAccess('rwx');
  const mon = st.monitor;
  if (!mon.enabled) {
    if (mon.accessRequired) {
      // a gdprintk: only debug builds of Xen say it
      if (x.host.version.debug) x.log(`d${domid}v${vcpu} Memory access permissions failure, no vm_event listener VCPU ${vcpu}, dom ${domid}`, 'info', true);
      x.put(d);
      crashDomain(x, domid, vcpu);
      return ok({ result: 'crashed', view, access, populated });
    }
    if (access !== 'n2rwx') setAccess('rwx');
    return done('relaxed');
  }
  if (mon.pending.length >= MONITOR_RING_SLOTS) {
    mon.dropped++;
    return done('ring-full');
  }
  const ev: MemAccessEvent = {
    seq: mon.nextSeq++,
    t: x.now() - x.host.bootNs,
    vcpu,
    gfn,
    offset,
    flags: ACCESS_FLAG[kind],
    access,
    view,
    altp2m: st.active,
    paused: access !== 'n2rwx',
  };
  mon.pending.push(ev);
  return done('event', ev);
}

function monitorDomain(x: XenCore, domid: number): XenResult<XenDomainData> {
  const d = x.find(domid);
  if (!d) return err('ESRCH');
  // p2m_mem_access_sanity_check: HVM on VMX with HAP
  if (!d.hvm || d.pagingMode !== 'hap' || x.host.vendor !== 'Intel') return err('EOPNOTSUPP');
  return ok(d);
}

/** XEN_VM_EVENT_ENABLE on the monitor ring; EBUSY when a listener already has it. */
export function monitorEnable(x: XenCore, domid: number): XenResult {
  const r = monitorDomain(x, domid);
  if (!r.ok) return r;
  const mon = altp2mStateOf(r.value).monitor;
  if (mon.enabled) return err('EBUSY');
  mon.enabled = true;
  x.put(r.value);
  return ok();
}

/** XEN_VM_EVENT_DISABLE: the ring goes away with whatever it still held. */
export function monitorDisable(x: XenCore, domid: number): XenResult {
  const r = monitorDomain(x, domid);
  if (!r.ok) return r;
  const mon = altp2mStateOf(r.value).monitor;
  if (!mon.enabled) return err('EINVAL');
  mon.enabled = false;
  mon.pending = [];
  x.put(r.value);
  return ok();
}

export function monitorEnabled(x: XenCore, domid: number): XenResult<boolean> {
  const d = x.find(domid);
  if (!d) return err('ESRCH');
  return ok(d.altp2mState?.monitor.enabled ?? false);
}

/** The listener takes the requests (oldest first) and answers them; the vCPUs go on. */
export function monitorTake(x: XenCore, domid: number, max = Infinity): XenResult<MemAccessEvent[]> {
  const d = x.find(domid);
  if (!d) return err('ESRCH');
  const mon = d.altp2mState?.monitor;
  if (!mon?.enabled) return err('EINVAL');
  const taken = mon.pending.splice(0, Math.min(max, mon.pending.length));
  if (taken.length) x.put(d);
  return ok(taken);
}

/** xc_domain_set_access_required */
export function setAccessRequired(x: XenCore, domid: number, required: boolean): XenResult {
  const r = monitorDomain(x, domid);
  if (!r.ok) return r;
  altp2mStateOf(r.value).monitor.accessRequired = required;
  x.put(r.value);
  return ok();
}
