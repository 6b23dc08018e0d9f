import { describe, expect, it } from 'vitest';
import {
  accessTriple,
  guestAccess,
  guestVmfuncSwitch,
  vmEventSwitchVcpu,
  xcAltp2mCreateView,
  xcAltp2mGetMemAccess,
  xcAltp2mSetDomainState,
  xcAltp2mSetMemAccess,
  xcAltp2mSetVisibility,
  xcAltp2mSwitchToView,
  xcDomainSetAccessRequired,
  xcGetAltp2mParam,
  xcMonitorDisable,
  xcMonitorEnable,
  xcMonitorTake,
  xcSetAltp2mParam,
} from '../../lib/libxl/altp2m';
import { MONITOR_RING_SLOTS } from '../../lib/xen/mem_access';
import { bootHost, HVM, PV, unwrap } from '../xen/helpers';

const ALT = 'placeholder dom0_mem=2048M,max:2048M altp2m=1';

function lab() {
  const h = bootHost({ cmdline: ALT });
  const domid = unwrap(h.xen.createdomain({ ...HVM, altp2m: { mode: 'external', nr: 10 } }));
  unwrap(h.xen.max_mem(domid, 256 * 1024));
  unwrap(h.xen.populate_physmap(domid, 256 * 256));
  unwrap(xcAltp2mSetDomainState(h.xen, domid, true));
  return { h, hv: h.xen, domid };
}

describe('guest accesses against the active view', () => {
  it('the acceptance flow: rx view, one gfn r, a write is an event for the listener', () => {
    const { hv, domid } = lab();
    unwrap(xcMonitorEnable(hv, domid));
    const view = unwrap(xcAltp2mCreateView(hv, domid, 5));
    expect(view).toBe(1);
    unwrap(xcAltp2mSetMemAccess(hv, domid, view, 0x1234, 1));
    unwrap(xcAltp2mSwitchToView(hv, domid, view));
    // another gfn: first touch copies the host entry with the view's default (rx)
    expect(unwrap(guestAccess(hv, domid, 0, 0x2000, 'r'))).toEqual({ result: 'ok', view: 1, access: 'rx', populated: true });
    expect(unwrap(xcAltp2mGetMemAccess(hv, domid, 1, 0x2000))).toBe('rx');
    expect(unwrap(guestAccess(hv, domid, 1, 0x1234, 'r'))).toEqual({ result: 'ok', view: 1, access: 'r', populated: false });
    const w = unwrap(guestAccess(hv, domid, 1, 0x1234, 'w'));
    expect(w.result).toBe('event');
    expect(w.event).toMatchObject({ seq: 1, vcpu: 1, gfn: 0x1234, flags: 2, access: 'r', view: 1, altp2m: true, paused: true });
    const taken = unwrap(xcMonitorTake(hv, domid));
    expect(taken.map((e) => [e.gfn, accessTriple(e.flags), e.vcpu, e.view])).toEqual([[0x1234, '-w-', 1, 1]]);
    expect(unwrap(xcMonitorTake(hv, domid))).toEqual([]);
    // the restriction stays: the next write is another event
    expect(unwrap(guestAccess(hv, domid, 0, 0x1234, 'w')).event?.seq).toBe(2);
    // back on view 0 (the host p2m, rwx) the write is fine
    unwrap(xcAltp2mSwitchToView(hv, domid, 0));
    expect(unwrap(guestAccess(hv, domid, 0, 0x1234, 'w'))).toEqual({ result: 'ok', view: 0, access: 'rwx', populated: false });
  });

  it('without a listener the page is made rwx (access not required)', () => {
    const { hv, domid } = lab();
    const view = unwrap(xcAltp2mCreateView(hv, domid, 1));
    unwrap(xcAltp2mSwitchToView(hv, domid, view));
    expect(unwrap(guestAccess(hv, domid, 0, 0x300, 'x'))).toEqual({ result: 'relaxed', view: 1, access: 'r', populated: true });
    expect(unwrap(xcAltp2mGetMemAccess(hv, domid, 1, 0x300))).toBe('rwx');
  });

  it('without a listener while access is required the domain is crashed', () => {
    const { h, hv, domid } = lab();
    unwrap(xcDomainSetAccessRequired(hv, domid, true));
    h.store.host().version.debug = true;
    h.store.host().opts.guestUpper = 4;
    const view = unwrap(xcAltp2mCreateView(hv, domid, 0));
    unwrap(xcAltp2mSwitchToView(hv, domid, view));
    expect(unwrap(guestAccess(hv, domid, 1, 0x300, 'r')).result).toBe('crashed');
    expect(h.store.domain(domid)!.shutdownCode).toBe(3);
    expect(hv.readconsole().join('\n')).toContain(`(XEN) d${domid}v1 Memory access permissions failure, no vm_event listener VCPU 1, dom ${domid}`);
  });

  it('rx2rw turns rw on a write without an event; n2rwx opens up and reports without pausing', () => {
    const { hv, domid } = lab();
    unwrap(xcMonitorEnable(hv, domid));
    const view = unwrap(xcAltp2mCreateView(hv, domid, 7));
    unwrap(xcAltp2mSetMemAccess(hv, domid, view, 0x10, 8));
    unwrap(xcAltp2mSetMemAccess(hv, domid, view, 0x11, 9));
    unwrap(xcAltp2mSwitchToView(hv, domid, view));
    expect(unwrap(guestAccess(hv, domid, 0, 0x10, 'r')).result).toBe('ok');
    expect(unwrap(guestAccess(hv, domid, 0, 0x10, 'w')).result).toBe('converted');
    expect(unwrap(xcAltp2mGetMemAccess(hv, domid, view, 0x10))).toBe('rw');
    const n = unwrap(guestAccess(hv, domid, 0, 0x11, 'r'));
    expect(n.result).toBe('event');
    expect(n.event?.paused).toBe(false);
    expect(unwrap(xcAltp2mGetMemAccess(hv, domid, view, 0x11))).toBe('rwx');
  });

  it('a full ring makes the access wait, nothing queued', () => {
    const { hv, domid } = lab();
    unwrap(xcMonitorEnable(hv, domid));
    const view = unwrap(xcAltp2mCreateView(hv, domid, 0));
    unwrap(xcAltp2mSwitchToView(hv, domid, view));
    for (let i = 0; i < MONITOR_RING_SLOTS; i++) expect(unwrap(guestAccess(hv, domid, 0, 0x100 + i, 'r')).result).toBe('event');
    expect(unwrap(guestAccess(hv, domid, 0, 0x50, 'r')).result).toBe('ring-full');
    expect(unwrap(xcMonitorTake(hv, domid, 2)).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('per-vCPU views: a vm_event switch moves one vCPU; each access uses its own vCPU view', () => {
    const { hv, domid } = lab();
    unwrap(xcMonitorEnable(hv, domid));
    const view = unwrap(xcAltp2mCreateView(hv, domid, 0));
    unwrap(vmEventSwitchVcpu(hv, domid, 1, view));
    expect(unwrap(guestAccess(hv, domid, 0, 0x100, 'r')).result).toBe('ok');
    expect(unwrap(guestAccess(hv, domid, 1, 0x100, 'r')).result).toBe('event');
    expect(vmEventSwitchVcpu(hv, domid, 2, view)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(vmEventSwitchVcpu(hv, domid, 0, 9)).toEqual({ ok: false, errno: 'EINVAL' });
  });

  it('VMFUNC from the guest only reaches visible views', () => {
    const { hv, domid } = lab();
    const view = unwrap(xcAltp2mCreateView(hv, domid, 0));
    unwrap(xcAltp2mSetVisibility(hv, domid, view, false));
    expect(guestVmfuncSwitch(hv, domid, 0, view)).toEqual({ ok: false, errno: 'EINVAL' });
    unwrap(xcAltp2mSetVisibility(hv, domid, view, true));
    expect(guestVmfuncSwitch(hv, domid, 0, view)).toEqual({ ok: true, value: undefined });
  });

  it('unmapped gfns, bad vCPUs, PV domains', () => {
    const { h, hv, domid } = lab();
    expect(unwrap(guestAccess(hv, domid, 0, 0xa0, 'r')).result).toBe('unmapped');
    expect(guestAccess(hv, domid, 2, 0x100, 'r')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(guestAccess(hv, 77, 0, 0x100, 'r')).toEqual({ ok: false, errno: 'ESRCH' });
    const pv = unwrap(h.xen.createdomain({ ...PV }));
    expect(guestAccess(hv, pv, 0, 0x100, 'r')).toEqual({ ok: false, errno: 'EOPNOTSUPP' });
  });

  it('the monitor ring: one listener (EBUSY), detaching drops what was pending', () => {
    const { hv, domid } = lab();
    unwrap(xcMonitorEnable(hv, domid));
    expect(xcMonitorEnable(hv, domid)).toEqual({ ok: false, errno: 'EBUSY' });
    const view = unwrap(xcAltp2mCreateView(hv, domid, 0));
    unwrap(xcAltp2mSwitchToView(hv, domid, view));
    unwrap(guestAccess(hv, domid, 0, 0x100, 'r'));
    unwrap(xcMonitorDisable(hv, domid));
    expect(xcMonitorTake(hv, domid)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xcMonitorDisable(hv, domid)).toEqual({ ok: false, errno: 'EINVAL' });
  });

  it('HVM_PARAM_ALTP2M reads the mode and is read-only (EEXIST)', () => {
    const { hv, domid } = lab();
    expect(xcGetAltp2mParam(hv, domid)).toEqual({ ok: true, value: 2 });
    expect(xcSetAltp2mParam(hv, domid, 1)).toEqual({ ok: false, errno: 'EEXIST' });
  });
});
