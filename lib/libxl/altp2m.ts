/**
 * The tools' side of altp2m and mem_access: libxc's xc_altp2m_* and
 * xc_monitor/mem_access calls as an external agent in dom0 makes them
 * (xen-access, a VMI tool), plus the guest-side entry points the guest
 * model uses. Each returns the hypervisor's errno result unchanged; the
 * front end turns errors into text.
 */
import type { Xen } from '../xen/xen';
import type { XenCore } from '../xen/core';
import { altp2mOp, altp2mSnapshot, getAltp2mParam, guestVmfunc, setAltp2mParam, vcpuSwitchView, type Altp2mOp, type Altp2mSnapshot } from '../xen/altp2m';
import { memAccessName, memAccessValue, type AccessKind, type MemAccess, type MemAccessEvent } from '../xen/altp2m-types';
import { guestAccess as xenGuestAccess, monitorDisable, monitorEnable, monitorEnabled, monitorTake, setAccessRequired, type AccessOutcome } from '../xen/mem_access';
import { err, ok, type XenResult } from '../xen/errno';
import type { Xtl } from '../util/xtl';
import { ERROR_INVAL, type LibxlRc } from './errors';
import { libxlLog, where } from './log';
import type { DomainBuildInfo, DomainConfig, HvmBuildInfo } from './types';

type DomainType = 'pv' | 'pvh' | 'hvm';

export { INVALID_GFN } from '../xen/altp2m-p2m';
export type { AccessOutcome, AccessKind, MemAccess, MemAccessEvent, Altp2mSnapshot };

/**
 * The hypervisor's internals behind its public surface. Xen (lib/xen/xen.ts)
 * has no altp2m methods yet; until it grows them this reaches its core.
 */
export function xcOf(hv: Xen): XenCore {
  const core = (hv as unknown as { x?: XenCore }).x;
  if (!core) throw new Error('hypervisor core not reachable');
  return core;
}

/** The domain id of the toolstack's (and xlsim's agent's) domain. */
export const AGENT_DOMID = 0;

function op(hv: Xen, domid: number, o: Altp2mOp, caller: number): XenResult<number> {
  return altp2mOp(xcOf(hv), caller, { domid, op: o });
}

function done(r: XenResult<number>): XenResult {
  return r.ok ? ok() : r;
}

export function xcAltp2mGetDomainState(hv: Xen, domid: number, caller = AGENT_DOMID): XenResult<boolean> {
  const r = op(hv, domid, { cmd: 'get_domain_state' }, caller);
  return r.ok ? ok(r.value === 1) : r;
}

export function xcAltp2mSetDomainState(hv: Xen, domid: number, state: boolean, caller = AGENT_DOMID): XenResult {
  return done(op(hv, domid, { cmd: 'set_domain_state', state }, caller));
}

export function xcAltp2mSetVcpuEnableNotify(hv: Xen, domid: number, vcpu: number, gfn: number, caller = AGENT_DOMID): XenResult {
  return done(op(hv, domid, { cmd: 'vcpu_enable_notify', vcpu, gfn }, caller));
}

export function xcAltp2mSetVcpuDisableNotify(hv: Xen, domid: number, vcpu: number, caller = AGENT_DOMID): XenResult {
  return done(op(hv, domid, { cmd: 'vcpu_disable_notify', vcpu }, caller));
}

export function xcAltp2mCreateView(hv: Xen, domid: number, defaultAccess: number, caller = AGENT_DOMID): XenResult<number> {
  return op(hv, domid, { cmd: 'create_p2m', defaultAccess }, caller);
}

export function xcAltp2mDestroyView(hv: Xen, domid: number, view: number, caller = AGENT_DOMID): XenResult {
  return done(op(hv, domid, { cmd: 'destroy_p2m', view }, caller));
}

export function xcAltp2mSwitchToView(hv: Xen, domid: number, view: number, caller = AGENT_DOMID): XenResult {
  return done(op(hv, domid, { cmd: 'switch_p2m', view }, caller));
}

export function xcAltp2mSetMemAccess(hv: Xen, domid: number, view: number, gfn: number, access: number, caller = AGENT_DOMID): XenResult {
  return done(op(hv, domid, { cmd: 'set_mem_access', view, gfn, access }, caller));
}

export function xcAltp2mSetMemAccessMulti(hv: Xen, domid: number, view: number, gfns: number[], access: number[], caller = AGENT_DOMID): XenResult {
  return done(op(hv, domid, { cmd: 'set_mem_access_multi', view, gfns, access }, caller));
}

export function xcAltp2mGetMemAccess(hv: Xen, domid: number, view: number, gfn: number, caller = AGENT_DOMID): XenResult<MemAccess> {
  const r = op(hv, domid, { cmd: 'get_mem_access', view, gfn }, caller);
  if (!r.ok) return r;
  const name = memAccessName(r.value);
  return name ? ok(name) : err('EINVAL');
}

export function xcAltp2mChangeGfn(hv: Xen, domid: number, view: number, oldGfn: number, newGfn: number, caller = AGENT_DOMID): XenResult {
  return done(op(hv, domid, { cmd: 'change_gfn', view, oldGfn, newGfn }, caller));
}

export function xcAltp2mSetSuppressVe(hv: Xen, domid: number, view: number, gfn: number, suppress: boolean, caller = AGENT_DOMID): XenResult {
  return done(op(hv, domid, { cmd: 'set_suppress_ve', view, gfn, suppress }, caller));
}

export function xcAltp2mSetSuppressVeMulti(hv: Xen, domid: number, view: number, firstGfn: number, lastGfn: number, suppress: boolean, caller = AGENT_DOMID): XenResult {
  return done(op(hv, domid, { cmd: 'set_suppress_ve_multi', view, firstGfn, lastGfn, suppress }, caller));
}

export function xcAltp2mGetSuppressVe(hv: Xen, domid: number, view: number, gfn: number, caller = AGENT_DOMID): XenResult<boolean> {
  const r = op(hv, domid, { cmd: 'get_suppress_ve', view, gfn }, caller);
  return r.ok ? ok(r.value === 1) : r;
}

export function xcAltp2mGetVcpuP2mIdx(hv: Xen, domid: number, vcpu: number, caller = AGENT_DOMID): XenResult<number> {
  return op(hv, domid, { cmd: 'get_p2m_idx', vcpu }, caller);
}

export function xcAltp2mSetVisibility(hv: Xen, domid: number, view: number, visible: boolean, caller = AGENT_DOMID): XenResult {
  return done(op(hv, domid, { cmd: 'set_visibility', view, visible }, caller));
}

/** A vm_event response with VM_EVENT_FLAG_ALTERNATE_P2M: one vCPU to a view. */
export function vmEventSwitchVcpu(hv: Xen, domid: number, vcpu: number, view: number): XenResult {
  return vcpuSwitchView(xcOf(hv), domid, vcpu, view);
}

/** xc_hvm_param_get/set(HVM_PARAM_ALTP2M) */
export function xcGetAltp2mParam(hv: Xen, domid: number): XenResult<number> {
  return getAltp2mParam(xcOf(hv), domid);
}
export function xcSetAltp2mParam(hv: Xen, domid: number, value: number): XenResult {
  return setAltp2mParam(xcOf(hv), domid, value);
}

export function xcMonitorEnable(hv: Xen, domid: number): XenResult {
  return monitorEnable(xcOf(hv), domid);
}
export function xcMonitorDisable(hv: Xen, domid: number): XenResult {
  return monitorDisable(xcOf(hv), domid);
}
export function xcMonitorEnabled(hv: Xen, domid: number): XenResult<boolean> {
  return monitorEnabled(xcOf(hv), domid);
}
/** Read (and answer) the pending requests of the monitor ring. */
export function xcMonitorTake(hv: Xen, domid: number, max?: number): XenResult<MemAccessEvent[]> {
  return monitorTake(xcOf(hv), domid, max);
}
export function xcDomainSetAccessRequired(hv: Xen, domid: number, required: boolean): XenResult {
  return setAccessRequired(xcOf(hv), domid, required);
}

/** Everything known about a domain's views, for listings. */
export function altp2mInfo(hv: Xen, domid: number): XenResult<Altp2mSnapshot> {
  return altp2mSnapshot(xcOf(hv), domid);
}

/** What the guest model calls for one memory access by a vCPU. */
export function guestAccess(hv: Xen, domid: number, vcpu: number, gfn: number, kind: AccessKind, offset = 0): XenResult<AccessOutcome> {
  return xenGuestAccess(xcOf(hv), domid, vcpu, gfn, kind, offset);
}

/** The guest's own VMFUNC leaf 0 (EPTP switching). */
export function guestVmfuncSwitch(hv: Xen, domid: number, vcpu: number, view: number): XenResult {
  return guestVmfunc(xcOf(hv), domid, vcpu, view);
}

/** An access name as xen-access and the public header spell it (n, r, ..., rx2rw, n2rwx, r_pw, default). */
export function parseMemAccess(name: string): number | undefined {
  return memAccessValue(name);
}

/** The "rw-" triple xen-access prints for a request's access flags. */
export function accessTriple(flags: number): string {
  return `${flags & 1 ? 'r' : '-'}${flags & 2 ? 'w' : '-'}${flags & 4 ? 'x' : '-'}`;
}

// ---- libxl's creation-time altp2m rules (libxl_create.c, libxl_x86.c) ----------------

/** LIBXL_ALTP2M_COUNT_DEFAULT: the IDL's "not set" for altp2m_count */
export const LIBXL_ALTP2M_COUNT_DEFAULT = 0xffffffff;

/** The legacy altp2mhvm boolean of an HVM guest. */
function legacyAltp2m(b: DomainBuildInfo, type: DomainType): boolean {
  return type === 'hvm' && (b.u as HvmBuildInfo | undefined)?.altp2m === true;
}

/**
 * The x86 arch default (a legacy altp2mhvm=1 turns a disabled mode into
 * mixed, HVM only) and the count default of libxl__domain_build_info_setdefault
 * (10 for HVM with altp2m, else 0 — so PVH needs an explicit altp2m_count).
 */
export function altp2mBuildInfoSetdefault(b: DomainBuildInfo, type: DomainType): void {
  const legacy = legacyAltp2m(b, type);
  if (type === 'hvm' && (b.altp2m ?? 'disabled') === 'disabled' && legacy) b.altp2m = 'mixed';
  if (b.altp2m === undefined) b.altp2m = 'disabled';
  if (b.altp2m_count === undefined || b.altp2m_count === LIBXL_ALTP2M_COUNT_DEFAULT) {
    b.altp2m_count = type === 'hvm' && (legacy || b.altp2m !== 'disabled') ? 10 : 0;
  }
}

/**
 * The two refusals of libxl__domain_config_setdefault once build-info
 * defaults are in: nested HVM, and PoD (memory < maxmem on a non-PV guest).
 */
export function altp2mConfigCheck(xtl: Xtl, d: DomainConfig, podEnabled: boolean, domid: number): LibxlRc {
  const b = d.b_info;
  const type: DomainType = d.c_info.type === 'hvm' || d.c_info.type === 'pvh' ? d.c_info.type : 'pv';
  if (type === 'pv') return 0;
  const wanted = legacyAltp2m(b, type) || (b.altp2m ?? 'disabled') !== 'disabled';
  if (b.nested_hvm === true && wanted) {
    libxlLog(xtl, 'error', where('libxl_create.c', 1295, 'libxl__domain_config_setdefault'), domid, 'nestedhvm and altp2mhvm cannot be used together');
    return ERROR_INVAL;
  }
  if (wanted && podEnabled) {
    libxlLog(xtl, 'error', where('libxl_create.c', 1305, 'libxl__domain_config_setdefault'), domid, 'Cannot enable PoD and ALTP2M at the same time');
    return ERROR_INVAL;
  }
  return 0;
}

/** The altp2m part of struct xen_domctl_createdomain libxl builds. */
export function altp2mCreateArgs(b: DomainBuildInfo): { mode: NonNullable<DomainBuildInfo['altp2m']>; nr: number } {
  return { mode: b.altp2m ?? 'disabled', nr: b.altp2m_count ?? 0 };
}
