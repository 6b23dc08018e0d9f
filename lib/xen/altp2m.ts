/**
 * HVMOP_altp2m (hvm_op 25): alternate p2m views of an HVM domain.
 *
 * The checks run in Xen's order (do_altp2m_op): the hypervisor must offer
 * altp2m at all, the domain must exist and be an HVM container, altp2m must
 * be active unless the op is get/set_domain_state, the domain's mode param
 * must not be `disabled`, it must have views, and then the mode decides who
 * may call (the XSM dummy policy): in `mixed` the guest itself or the
 * control domain, in `external` only a privileged agent, in `limited` the
 * guest only for vcpu_enable_notify.
 *
 * `caller` is the calling domain: 0 (the control domain, where xlsim's
 * agent runs) or the guest itself.
 */
import { altp2mStateOf, MEM_ACCESS_NAMES, memAccessName, XENMEM_ACCESS_DEFAULT, type Altp2mState, type Altp2mViewData, type MemAccess } from './altp2m-types';
import { HOST_DEFAULT_ACCESS, hostAccessOf, hostGfnIsRam, insertView, INVALID_GFN, populate, propagateHostChange, viewOf } from './altp2m-p2m';
import type { XenCore } from './core';
import { altp2mSupported } from './domain-create';
import { err, ok, type XenResult } from './errno';
import type { XenDomainData } from './types';

export const HVMOP_ALTP2M = 25;
export const HVMOP_ALTP2M_INTERFACE_VERSION = 1;
export const HVM_PARAM_ALTP2M = 35;

/** sub-op numbers of public/hvm/hvm_op.h */
export const ALTP2M_CMD = {
  get_domain_state: 1,
  set_domain_state: 2,
  vcpu_enable_notify: 3,
  create_p2m: 4,
  destroy_p2m: 5,
  switch_p2m: 6,
  set_mem_access: 7,
  change_gfn: 8,
  set_mem_access_multi: 9,
  set_suppress_ve: 10,
  get_suppress_ve: 11,
  get_mem_access: 12,
  vcpu_disable_notify: 13,
  get_p2m_idx: 14,
  set_suppress_ve_multi: 15,
  set_visibility: 16,
} as const;
export type Altp2mCmd = keyof typeof ALTP2M_CMD;

export type Altp2mOp =
  | { cmd: 'get_domain_state' }
  | { cmd: 'set_domain_state'; state: boolean }
  | { cmd: 'vcpu_enable_notify'; vcpu: number; gfn: number }
  | { cmd: 'vcpu_disable_notify'; vcpu: number }
  | { cmd: 'create_p2m'; defaultAccess: number }
  | { cmd: 'destroy_p2m'; view: number }
  | { cmd: 'switch_p2m'; view: number }
  | { cmd: 'set_mem_access'; view: number; gfn: number; access: number }
  | { cmd: 'set_mem_access_multi'; view: number; gfns: number[]; access: number[] }
  | { cmd: 'get_mem_access'; view: number; gfn: number }
  | { cmd: 'change_gfn'; view: number; oldGfn: number; newGfn: number }
  | { cmd: 'set_suppress_ve'; view: number; gfn: number; suppress: boolean }
  | { cmd: 'get_suppress_ve'; view: number; gfn: number }
  | { cmd: 'set_suppress_ve_multi'; view: number; firstGfn: number; lastGfn: number; suppress: boolean }
  | { cmd: 'get_p2m_idx'; vcpu: number }
  | { cmd: 'set_visibility'; view: number; visible: boolean };

/** The whole request as a caller builds it; version and padding are checked like Xen does. */
export interface Altp2mRequest {
  domid: number;
  op: Altp2mOp;
  version?: number;
  pad?: number;
}

/**
 * The hypercall: the sub-op's value on success (state 0/1, a view index,
 * an XENMEM_access_* value, a suppress-#VE bit; 0 for the rest).
 */
export function altp2mOp(x: XenCore, caller: number, req: Altp2mRequest): XenResult<number> {
  if (!altp2mSupported(x.host)) return err('EOPNOTSUPP');
  if ((req.pad ?? 0) !== 0 || (req.version ?? HVMOP_ALTP2M_INTERFACE_VERSION) !== HVMOP_ALTP2M_INTERFACE_VERSION) return err('EINVAL');
  if (!(req.op.cmd in ALTP2M_CMD)) return err('EOPNOTSUPP');
  const d = x.find(req.domid);
  if (!d) return err('ESRCH');
  if (!d.hvm) return err('EOPNOTSUPP');
  const st = altp2mStateOf(d);
  const op = req.op;
  if (op.cmd !== 'get_domain_state' && op.cmd !== 'set_domain_state' && !st.active) return err('EOPNOTSUPP');
  if (d.altp2m.mode === 'disabled') return err('EINVAL');
  if (d.altp2m.nr === 0) return err('EOPNOTSUPP');
  const perm = xsmAltp2m(d, caller, op.cmd);
  if (!perm.ok) return perm;
  const r = run(x, d, st, op);
  if (r.ok && changes(op.cmd)) x.put(d);
  return r;
}

function changes(cmd: Altp2mCmd): boolean {
  return cmd !== 'get_domain_state' && cmd !== 'get_mem_access' && cmd !== 'get_suppress_ve' && cmd !== 'get_p2m_idx';
}

/** xsm_hvm_altp2mhvm_op under the dummy policy: dom0 is the control domain and the only device-model domain here. */
export function xsmAltp2m(d: XenDomainData, caller: number, cmd: Altp2mCmd): XenResult {
  const privileged = caller === 0;
  const self = caller === d.domid;
  switch (d.altp2m.mode) {
    case 'mixed':
      return self || privileged ? ok() : err('EPERM');
    case 'external':
      return privileged ? ok() : err('EPERM');
    case 'limited':
      if (cmd === 'vcpu_enable_notify') return self || privileged ? ok() : err('EPERM');
      return privileged ? ok() : err('EPERM');
    default:
      return err('EPERM');
  }
}

function accessOf(v: number, def: MemAccess): MemAccess | undefined {
  if (v === XENMEM_ACCESS_DEFAULT) return def;
  return Number.isInteger(v) ? memAccessName(v) : undefined;
}

function vcpuOk(d: XenDomainData, vcpu: number): boolean {
  return Number.isInteger(vcpu) && vcpu >= 0 && vcpu < d.maxVcpus;
}

function run(x: XenCore, d: XenDomainData, st: Altp2mState, op: Altp2mOp): XenResult<number> {
  switch (op.cmd) {
    case 'get_domain_state':
      return ok(st.active ? 1 : 0);
    case 'set_domain_state':
      if (d.nested) return err('EINVAL');
      setDomainState(d, st, op.state);
      return ok(0);
    case 'vcpu_enable_notify':
      if (!vcpuOk(d, op.vcpu)) return err('EINVAL');
      // #VE needs the VMX "EPT-violation #VE" control, present on the CPUs that have VMFUNC
      if (!x.host.caps.vmfunc) return err('EOPNOTSUPP');
      if ((st.veGfn[op.vcpu] ?? -1) >= 0) return err('EEXIST');
      if (!hostGfnIsRam(d, op.gfn)) return err('EINVAL');
      st.veGfn[op.vcpu] = op.gfn;
      return ok(0);
    case 'vcpu_disable_notify':
      if (!vcpuOk(d, op.vcpu)) return err('EINVAL');
      if (!x.host.caps.vmfunc) return err('EOPNOTSUPP');
      st.veGfn[op.vcpu] = -1;
      return ok(0);
    case 'create_p2m':
      return createView(d, st, op.defaultAccess);
    case 'destroy_p2m':
      return destroyView(d, st, op.view);
    case 'switch_p2m': {
      const v = viewOf(st, d.altp2m.nr, op.view);
      if (v === undefined || !isVisible(st, v)) return err('EINVAL');
      for (let i = 0; i < st.vcpuView.length; i++) st.vcpuView[i] = op.view;
      return ok(0);
    }
    case 'set_mem_access':
      return setAccess(d, st, op.view, [op.gfn], [op.access]);
    case 'set_mem_access_multi':
      if (op.gfns.length !== op.access.length) return err('EINVAL');
      return setAccess(d, st, op.view, op.gfns, op.access);
    case 'get_mem_access':
      return getAccess(d, st, op.view, op.gfn);
    case 'change_gfn':
      return changeGfn(d, st, op.view, op.oldGfn, op.newGfn);
    case 'set_suppress_ve':
      return setSuppressVe(d, st, op.view, op.gfn, op.gfn, op.suppress);
    case 'set_suppress_ve_multi':
      if (op.firstGfn > op.lastGfn) return err('EINVAL');
      return setSuppressVe(d, st, op.view, op.firstGfn, op.lastGfn, op.suppress);
    case 'get_suppress_ve': {
      const v = op.view > 0 ? viewOf(st, d.altp2m.nr, op.view) : 'host';
      if (v === undefined) return err('EINVAL');
      if (v === 'host') return hostGfnIsRam(d, op.gfn) ? ok(st.hostVe?.[op.gfn] === 0 ? 0 : 1) : err('ESRCH');
      const e = v.e[op.gfn];
      return e ? ok(e.sve === 0 ? 0 : 1) : err('ESRCH');
    }
    case 'get_p2m_idx':
      if (!st.active) return err('EOPNOTSUPP');
      if (!vcpuOk(d, op.vcpu)) return err('EINVAL');
      return ok(st.vcpuView[op.vcpu] ?? 0);
    case 'set_visibility': {
      if (!st.active) return err('EOPNOTSUPP');
      const v = viewOf(st, d.altp2m.nr, op.view);
      if (v === undefined) return err('EINVAL');
      if (v !== 'host') v.visible = op.visible;
      else if (op.visible) delete st.view0Hidden;
      else st.view0Hidden = true;
      return ok(0);
    }
  }
}

function isVisible(st: Altp2mState, v: Altp2mViewData | 'host'): boolean {
  return v === 'host' ? !st.view0Hidden : v.visible;
}

function setDomainState(d: XenDomainData, st: Altp2mState, on: boolean): void {
  if (on === st.active) return;
  st.active = on;
  st.vcpuView = d.vcpus.map(() => (on ? 0 : -1));
  if (!on) {
    // altp2m_vcpu_destroy drops each #VE page; p2m_flush_altp2m empties every view
    st.veGfn = d.vcpus.map(() => -1);
    st.views = [];
    delete st.view0Hidden;
  }
}

function createView(d: XenDomainData, st: Altp2mState, access: number): XenResult<number> {
  const a = accessOf(access, HOST_DEFAULT_ACCESS);
  if (a === undefined) return err('EINVAL');
  for (let i = 0; i < d.altp2m.nr; i++) {
    if (i === 0 || st.views.some((v) => v.idx === i)) continue;
    insertView(st, { idx: i, defaultAccess: a, visible: true, e: {} });
    return ok(i);
  }
  return err('EINVAL');
}

function destroyView(d: XenDomainData, st: Altp2mState, idx: number): XenResult<number> {
  if (!Number.isInteger(idx) || idx <= 0 || idx >= d.altp2m.nr) return err('EBUSY');
  const at = st.views.findIndex((v) => v.idx === idx);
  if (at < 0) return err('EBUSY');
  if (st.vcpuView.some((w) => w === idx)) return err('EBUSY');
  st.views.splice(at, 1);
  return ok(0);
}

function setAccess(d: XenDomainData, st: Altp2mState, idx: number, gfns: number[], access: number[]): XenResult<number> {
  const v = idx === 0 ? 'host' : viewOf(st, d.altp2m.nr, idx);
  if (v === undefined) return err('EINVAL');
  for (let i = 0; i < gfns.length; i++) {
    const a = accessOf(access[i]!, v === 'host' ? HOST_DEFAULT_ACCESS : v.defaultAccess);
    if (a === undefined) return err('EINVAL');
    const gfn = gfns[i]!;
    if (v === 'host') {
      if (!hostGfnIsRam(d, gfn)) continue;
      if (a === HOST_DEFAULT_ACCESS) delete st.hostAccess[gfn];
      else st.hostAccess[gfn] = a;
      propagateHostChange(st, gfn);
      continue;
    }
    // a gfn the host does not back is skipped, not an error
    const e = populate(d, v, gfn);
    if (e) e.a = a;
  }
  return ok(0);
}

function getAccess(d: XenDomainData, st: Altp2mState, idx: number, gfn: number): XenResult<number> {
  if (idx === 0) {
    if (gfn === INVALID_GFN) return ok(accessValue(HOST_DEFAULT_ACCESS));
    return hostGfnIsRam(d, gfn) ? ok(accessValue(hostAccessOf(st, gfn))) : err('ESRCH');
  }
  const v = viewOf(st, d.altp2m.nr, idx);
  if (v === undefined || v === 'host') return err('EINVAL');
  if (gfn === INVALID_GFN) return ok(accessValue(v.defaultAccess));
  const e = v.e[gfn];
  // a view holds only what was copied into it: an untouched gfn has no entry yet
  return e ? ok(accessValue(e.a)) : err('ESRCH');
}

function accessValue(a: MemAccess): number {
  return MEM_ACCESS_NAMES.indexOf(a);
}

function changeGfn(d: XenDomainData, st: Altp2mState, idx: number, oldGfn: number, newGfn: number): XenResult<number> {
  const v = viewOf(st, d.altp2m.nr, idx);
  // change_gfn works on alternate views only; view 0 is the host's own map
  if (v === undefined || v === 'host') return err('EINVAL');
  if (newGfn === INVALID_GFN) {
    delete v.e[oldGfn];
    return ok(0);
  }
  if (!populate(d, v, oldGfn)) return err('ESRCH');
  const target = v.e[newGfn];
  if (!target && !hostGfnIsRam(d, newGfn)) return err('ESRCH');
  // the frame behind new_gfn, with its type and access
  const shown = target?.to ?? newGfn;
  const a = target?.a ?? hostAccessOf(st, newGfn);
  v.e[oldGfn] = shown === oldGfn ? { a } : { a, to: shown };
  v.minRemapped = Math.min(v.minRemapped ?? newGfn, newGfn);
  v.maxRemapped = Math.max(v.maxRemapped ?? newGfn, newGfn);
  return ok(0);
}

function setSuppressVe(d: XenDomainData, st: Altp2mState, idx: number, first: number, last: number, suppress: boolean): XenResult<number> {
  const v: Altp2mViewData | 'host' | undefined = idx > 0 ? viewOf(st, d.altp2m.nr, idx) : 'host';
  if (v === undefined) return err('EINVAL');
  let firstErr: XenResult<number> | undefined;
  for (let g = first; g <= last; g++) {
    if (v === 'host') {
      if (!hostGfnIsRam(d, g)) firstErr ??= err('ESRCH');
      else if (suppress) delete st.hostVe?.[g];
      else (st.hostVe ??= {})[g] = 0;
      continue;
    }
    const e = v.e[g] ?? (hostGfnIsRam(d, g) ? { a: hostAccessOf(st, g) } : undefined);
    if (!e) {
      firstErr ??= err('ESRCH');
      continue;
    }
    if (suppress) delete e.sve;
    else e.sve = 0;
    v.e[g] = e;
  }
  return firstErr ?? ok(0);
}

/** A guest VMFUNC leaf 0 (EPTP switching, emulated when the CPU lacks it): its own vCPU to a visible view. */
export function guestVmfunc(x: XenCore, domid: number, vcpu: number, idx: number): XenResult {
  const d = x.find(domid);
  if (!d) return err('ESRCH');
  const st = d.altp2mState;
  if (!st?.active || !vcpuOk(d, vcpu)) return err('EINVAL');
  const v = viewOf(st, d.altp2m.nr, idx);
  if (v === undefined || !isVisible(st, v)) return err('EINVAL');
  st.vcpuView[vcpu] = idx;
  x.put(d);
  return ok();
}

/**
 * Per-vCPU switch as a vm_event response does it (VM_EVENT_FLAG_ALTERNATE_P2M,
 * p2m_switch_vcpu_altp2m_by_id): any active view, visible or not.
 */
export function vcpuSwitchView(x: XenCore, domid: number, vcpu: number, idx: number): XenResult {
  const d = x.find(domid);
  if (!d) return err('ESRCH');
  const st = d.altp2mState;
  if (!st?.active) return err('EOPNOTSUPP');
  if (!vcpuOk(d, vcpu)) return err('EINVAL');
  if (viewOf(st, d.altp2m.nr, idx) === undefined) return err('EINVAL');
  st.vcpuView[vcpu] = idx;
  x.put(d);
  return ok();
}

/** HVM_PARAM_ALTP2M: readable by the toolstack, read-only once the domain exists. */
export function getAltp2mParam(x: XenCore, domid: number): XenResult<number> {
  const d = x.find(domid);
  if (!d) return err('ESRCH');
  if (!d.hvm) return err('EINVAL');
  return ok(['disabled', 'mixed', 'external', 'limited'].indexOf(d.altp2m.mode));
}

export function setAltp2mParam(x: XenCore, domid: number, _value: number): XenResult {
  const d = x.find(domid);
  if (!d) return err('ESRCH');
  if (!d.hvm) return err('EINVAL');
  return err('EEXIST');
}

/** Everything an inspector shows: mode, state, views with their entries, per-vCPU view and #VE page. */
export interface Altp2mSnapshot {
  mode: XenDomainData['altp2m']['mode'];
  nr: number;
  active: boolean;
  vcpuView: number[];
  veGfn: number[];
  hostAccess: Record<string, MemAccess>;
  views: Altp2mViewData[];
}

export function altp2mSnapshot(x: XenCore, domid: number): XenResult<Altp2mSnapshot> {
  const d = x.find(domid);
  if (!d) return err('ESRCH');
  const st = d.altp2mState;
  return ok({
    mode: d.altp2m.mode,
    nr: d.altp2m.nr,
    active: st?.active ?? false,
    vcpuView: st ? st.vcpuView.slice() : d.vcpus.map(() => -1),
    veGfn: st ? st.veGfn.slice() : d.vcpus.map(() => -1),
    hostAccess: { ...(st?.hostAccess ?? {}) },
    views: JSON.parse(JSON.stringify(st?.views ?? [])) as Altp2mViewData[],
  });
}
