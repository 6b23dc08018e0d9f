/**
 * The guest OS's way to the hypervisor for the altp2m lab tools (lib/guest/
 * os/hvcalls.ts): each call is made as the guest itself (caller = its own
 * domid), so Xen's XSM rules for the domain's altp2m mode apply, and each
 * memory access goes through the view the vCPU is on (lib/xen/mem_access.ts).
 */
import { STRERROR, type ErrnoName, type XenResult } from '../xen/errno';
import type { GuestHv, HvResult } from '../guest/os/hvcalls';
import type { LibxlCtx } from './ctx';
import { guestAccess, guestVmfuncSwitch, xcAltp2mGetVcpuP2mIdx, xcAltp2mSetVcpuDisableNotify, xcAltp2mSetVcpuEnableNotify } from './altp2m';

function hv<T>(r: XenResult<T>, value: (v: T) => number): HvResult {
  if (r.ok) return { ok: true, value: value(r.value) };
  const e: ErrnoName = r.errno;
  return { ok: false, errno: e, text: STRERROR[e] };
}

export function guestHv(lx: LibxlCtx, domid: number): GuestHv {
  return {
    vmfunc(vcpu, view) {
      const r = guestVmfuncSwitch(lx.hv, domid, vcpu, view);
      // without VM functions in the CPU the instruction traps and Xen emulates it
      return r.ok ? { ud: false, emulated: !lx.hv.physinfo().caps.vmfunc } : { ud: true };
    },
    veEnable: (vcpu, gfn) => hv(xcAltp2mSetVcpuEnableNotify(lx.hv, domid, vcpu, gfn, domid), () => 0),
    veDisable: (vcpu) => hv(xcAltp2mSetVcpuDisableNotify(lx.hv, domid, vcpu, domid), () => 0),
    viewOf: (vcpu) => hv(xcAltp2mGetVcpuP2mIdx(lx.hv, domid, vcpu, domid), (v) => v),
    access(vcpu, gfn, kind) {
      const r = guestAccess(lx.hv, domid, vcpu, gfn, kind);
      if (!r.ok) return { outcome: 'done', view: 0 };
      const o = r.value;
      const outcome = o.result === 've' ? 've' : o.result === 'unmapped' ? 'no-ram' : o.result === 'crashed' ? 'crashed' : 'done';
      return { outcome, view: o.view, ...(o.event ? { event: o.event.seq } : {}) };
    },
  };
}
