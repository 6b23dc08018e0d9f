import { describe, expect, it } from 'vitest';
import { altp2mOp, ALTP2M_CMD, type Altp2mOp } from '../../lib/xen/altp2m';
import { xcOf } from '../../lib/libxl/altp2m';
import type { Altp2mMode } from '../../lib/xen/types';
import { bootHost, HVM, PV, PVH, unwrap, type TestHost } from '../xen/helpers';

const ALT = 'placeholder dom0_mem=2048M,max:2048M altp2m=1';

function guest(mode: Altp2mMode, nr = 10, over: Partial<typeof HVM> = {}): { h: TestHost; domid: number } {
  const h = bootHost({ cmdline: ALT });
  const domid = unwrap(h.xen.createdomain({ ...HVM, ...over, altp2m: { mode, nr } }));
  unwrap(h.xen.max_mem(domid, 512 * 1024));
  unwrap(h.xen.populate_physmap(domid, 512 * 256));
  return { h, domid };
}

function call(h: TestHost, domid: number, op: Altp2mOp, caller = 0) {
  return altp2mOp(xcOf(h.xen), caller, { domid, op });
}

const e = (errno: string) => ({ ok: false, errno });
const v = (value: number) => ({ ok: true, value });

describe('HVMOP_altp2m: checks before any sub-op (do_altp2m_op order)', () => {
  it('every op is EOPNOTSUPP on a hypervisor booted without altp2m=1', () => {
    const h = bootHost({ cmdline: 'placeholder dom0_mem=2048M,max:2048M' });
    const domid = unwrap(h.xen.createdomain({ ...HVM }));
    expect(call(h, domid, { cmd: 'get_domain_state' })).toEqual(e('EOPNOTSUPP'));
    expect(call(h, domid, { cmd: 'set_domain_state', state: true })).toEqual(e('EOPNOTSUPP'));
  });

  it('and on AMD (no EPT), even with altp2m=1', () => {
    const h = bootHost({ cmdline: ALT, vendor: 'AMD' });
    const domid = unwrap(h.xen.createdomain({ ...HVM }));
    expect(call(h, domid, { cmd: 'get_domain_state' })).toEqual(e('EOPNOTSUPP'));
  });

  it('bad interface version or padding is EINVAL; an unknown sub-op EOPNOTSUPP', () => {
    const { h, domid } = guest('external');
    const x = xcOf(h.xen);
    expect(altp2mOp(x, 0, { domid, op: { cmd: 'get_domain_state' }, version: 2 })).toEqual(e('EINVAL'));
    expect(altp2mOp(x, 0, { domid, op: { cmd: 'get_domain_state' }, pad: 1 })).toEqual(e('EINVAL'));
    expect(altp2mOp(x, 0, { domid, op: { cmd: 'bogus' } as unknown as Altp2mOp })).toEqual(e('EOPNOTSUPP'));
  });

  it('no such domain is ESRCH; a PV domain EOPNOTSUPP', () => {
    const { h } = guest('external');
    expect(call(h, 99, { cmd: 'get_domain_state' })).toEqual(e('ESRCH'));
    const pv = unwrap(h.xen.createdomain({ ...PV }));
    expect(call(h, pv, { cmd: 'get_domain_state' })).toEqual(e('EOPNOTSUPP'));
  });

  it('ops other than get/set_domain_state need altp2m active (EOPNOTSUPP)', () => {
    const { h, domid } = guest('external');
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 7 })).toEqual(e('EOPNOTSUPP'));
    expect(call(h, domid, { cmd: 'get_p2m_idx', vcpu: 0 })).toEqual(e('EOPNOTSUPP'));
  });

  it('mode disabled is EINVAL for get/set_domain_state', () => {
    const { h, domid } = guest('disabled', 0);
    expect(call(h, domid, { cmd: 'get_domain_state' })).toEqual(e('EINVAL'));
    expect(call(h, domid, { cmd: 'set_domain_state', state: true })).toEqual(e('EINVAL'));
    // and "not active" comes first for the others
    expect(call(h, domid, { cmd: 'switch_p2m', view: 0 })).toEqual(e('EOPNOTSUPP'));
  });

  it('a PVH guest created with a count has altp2m like HVM', () => {
    const h = bootHost({ cmdline: ALT });
    const domid = unwrap(h.xen.createdomain({ ...PVH, altp2m: { mode: 'mixed', nr: 4 } }));
    expect(call(h, domid, { cmd: 'set_domain_state', state: true })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'get_domain_state' })).toEqual(v(1));
  });

  it('sub-op numbers follow hvm_op.h', () => {
    expect(ALTP2M_CMD.create_p2m).toBe(4);
    expect(ALTP2M_CMD.set_visibility).toBe(16);
    expect(ALTP2M_CMD.get_p2m_idx).toBe(14);
  });
});

describe('HVMOP_altp2m: who may call in each mode (XSM dummy policy)', () => {
  const GUEST_OK: Record<string, boolean> = { mixed: true, external: false, limited: false };
  for (const mode of ['mixed', 'external', 'limited'] as const) {
    it(`${mode}: dom0 always; the guest ${GUEST_OK[mode] ? 'too' : 'gets EPERM'}; another domU EPERM`, () => {
      const { h, domid } = guest(mode);
      const other = unwrap(h.xen.createdomain({ ...HVM, altp2m: { mode, nr: 10 } }));
      expect(call(h, domid, { cmd: 'set_domain_state', state: true }, domid)).toEqual(GUEST_OK[mode] ? v(0) : e('EPERM'));
      expect(call(h, domid, { cmd: 'set_domain_state', state: true }, 0)).toEqual(v(0));
      expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 5 }, domid)).toEqual(GUEST_OK[mode] ? v(1) : e('EPERM'));
      expect(call(h, domid, { cmd: 'get_domain_state' }, other)).toEqual(e('EPERM'));
    });
  }

  it('limited: the guest may only use vcpu_enable_notify', () => {
    const { h, domid } = guest('limited');
    expect(call(h, domid, { cmd: 'set_domain_state', state: true })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'vcpu_enable_notify', vcpu: 0, gfn: 0x100 }, domid)).toEqual(v(0));
    expect(call(h, domid, { cmd: 'vcpu_disable_notify', vcpu: 0 }, domid)).toEqual(e('EPERM'));
    expect(call(h, domid, { cmd: 'switch_p2m', view: 0 }, domid)).toEqual(e('EPERM'));
  });
});

describe('views', () => {
  function active(mode: Altp2mMode = 'external', nr = 10) {
    const g = guest(mode, nr);
    expect(call(g.h, g.domid, { cmd: 'set_domain_state', state: true })).toEqual(v(0));
    return g;
  }

  it('turning on puts every vCPU on view 0; create takes the first free index', () => {
    const { h, domid } = active();
    expect(call(h, domid, { cmd: 'get_p2m_idx', vcpu: 1 })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 5 })).toEqual(v(1));
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 7 })).toEqual(v(2));
    expect(call(h, domid, { cmd: 'destroy_p2m', view: 1 })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 11 })).toEqual(v(1));
  });

  it('create refuses a bad access and a full set of views (EINVAL)', () => {
    const { h, domid } = active('external', 3);
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 12 })).toEqual(e('EINVAL'));
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 0 })).toEqual(v(1));
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 0 })).toEqual(v(2));
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 0 })).toEqual(e('EINVAL'));
  });

  it('destroy refuses view 0, out of range, unused indexes and views in use: EBUSY', () => {
    const { h, domid } = active();
    expect(call(h, domid, { cmd: 'destroy_p2m', view: 0 })).toEqual(e('EBUSY'));
    expect(call(h, domid, { cmd: 'destroy_p2m', view: 10 })).toEqual(e('EBUSY'));
    expect(call(h, domid, { cmd: 'destroy_p2m', view: 3 })).toEqual(e('EBUSY'));
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 5 })).toEqual(v(1));
    expect(call(h, domid, { cmd: 'switch_p2m', view: 1 })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'destroy_p2m', view: 1 })).toEqual(e('EBUSY'));
    expect(call(h, domid, { cmd: 'switch_p2m', view: 0 })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'destroy_p2m', view: 1 })).toEqual(v(0));
  });

  it('switch needs an active, visible view (EINVAL)', () => {
    const { h, domid } = active();
    expect(call(h, domid, { cmd: 'switch_p2m', view: 4 })).toEqual(e('EINVAL'));
    expect(call(h, domid, { cmd: 'switch_p2m', view: 10 })).toEqual(e('EINVAL'));
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 5 })).toEqual(v(1));
    expect(call(h, domid, { cmd: 'set_visibility', view: 1, visible: false })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'switch_p2m', view: 1 })).toEqual(e('EINVAL'));
    expect(call(h, domid, { cmd: 'set_visibility', view: 1, visible: true })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'switch_p2m', view: 1 })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'get_p2m_idx', vcpu: 0 })).toEqual(v(1));
    expect(call(h, domid, { cmd: 'get_p2m_idx', vcpu: 2 })).toEqual(e('EINVAL'));
    expect(call(h, domid, { cmd: 'set_visibility', view: 5, visible: true })).toEqual(e('EINVAL'));
  });

  it('views start empty: get_mem_access on an untouched gfn is ESRCH until set or touched', () => {
    const { h, domid } = active();
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 5 })).toEqual(v(1));
    expect(call(h, domid, { cmd: 'get_mem_access', view: 1, gfn: 0x1000 })).toEqual(e('ESRCH'));
    expect(call(h, domid, { cmd: 'get_mem_access', view: 1, gfn: -1 })).toEqual(v(5));
    expect(call(h, domid, { cmd: 'set_mem_access', view: 1, gfn: 0x1000, access: 1 })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'get_mem_access', view: 1, gfn: 0x1000 })).toEqual(v(1));
    // view 0 is the host p2m: every RAM gfn has an entry (rwx by default)
    expect(call(h, domid, { cmd: 'get_mem_access', view: 0, gfn: 0x1000 })).toEqual(v(7));
    expect(call(h, domid, { cmd: 'get_mem_access', view: 0, gfn: 0xa0 })).toEqual(e('ESRCH'));
    expect(call(h, domid, { cmd: 'get_mem_access', view: 7, gfn: 0x1000 })).toEqual(e('EINVAL'));
    // a gfn without RAM is skipped, not refused
    expect(call(h, domid, { cmd: 'set_mem_access', view: 1, gfn: 0xb0, access: 1 })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'get_mem_access', view: 1, gfn: 0xb0 })).toEqual(e('ESRCH'));
    expect(call(h, domid, { cmd: 'set_mem_access', view: 1, gfn: 0x1000, access: 99 })).toEqual(e('EINVAL'));
  });

  it('a host access change reaches views that hold the gfn', () => {
    const { h, domid } = active();
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 7 })).toEqual(v(1));
    expect(call(h, domid, { cmd: 'set_mem_access', view: 1, gfn: 0x10, access: 1 })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'set_mem_access', view: 0, gfn: 0x10, access: 5 })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'get_mem_access', view: 1, gfn: 0x10 })).toEqual(v(5));
    expect(call(h, domid, { cmd: 'get_mem_access', view: 0, gfn: 0x10 })).toEqual(v(5));
  });

  it('change_gfn remaps in a view and un-remaps with INVALID_GFN', () => {
    const { h, domid } = active();
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 5 })).toEqual(v(1));
    expect(call(h, domid, { cmd: 'change_gfn', view: 1, oldGfn: 0x100, newGfn: 0x200 })).toEqual(v(0));
    const st = h.store.domain(domid)!.altp2mState!;
    expect(st.views[0]!.e[0x100]).toEqual({ a: 'rwx', to: 0x200 });
    expect(st.views[0]!.minRemapped).toBe(0x200);
    expect(call(h, domid, { cmd: 'change_gfn', view: 1, oldGfn: 0x100, newGfn: -1 })).toEqual(v(0));
    expect(st.views[0]!.e[0x100]).toBeUndefined();
    expect(call(h, domid, { cmd: 'change_gfn', view: 1, oldGfn: 0x100, newGfn: 0xa5 })).toEqual(e('ESRCH'));
    expect(call(h, domid, { cmd: 'change_gfn', view: 0, oldGfn: 0x100, newGfn: 0x200 })).toEqual(e('EINVAL'));
    expect(call(h, domid, { cmd: 'change_gfn', view: 3, oldGfn: 0x100, newGfn: 0x200 })).toEqual(e('EINVAL'));
  });

  it('turning off flushes every view and parks the vCPUs; on again starts from scratch', () => {
    const { h, domid } = active();
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 5 })).toEqual(v(1));
    expect(call(h, domid, { cmd: 'switch_p2m', view: 1 })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'set_domain_state', state: false })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'get_domain_state' })).toEqual(v(0));
    expect(h.store.domain(domid)!.altp2mState!.vcpuView).toEqual([-1, -1]);
    expect(call(h, domid, { cmd: 'set_domain_state', state: true })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'get_mem_access', view: 1, gfn: -1 })).toEqual(e('EINVAL'));
    expect(call(h, domid, { cmd: 'get_p2m_idx', vcpu: 1 })).toEqual(v(0));
  });

  it('#VE info page: plain RAM only, EEXIST when already set, EOPNOTSUPP without the hardware', () => {
    const { h, domid } = active();
    expect(call(h, domid, { cmd: 'vcpu_enable_notify', vcpu: 0, gfn: 0xa0 })).toEqual(e('EINVAL'));
    expect(call(h, domid, { cmd: 'vcpu_enable_notify', vcpu: 5, gfn: 0x100 })).toEqual(e('EINVAL'));
    expect(call(h, domid, { cmd: 'vcpu_enable_notify', vcpu: 0, gfn: 0x100 })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'vcpu_enable_notify', vcpu: 0, gfn: 0x101 })).toEqual(e('EEXIST'));
    expect(call(h, domid, { cmd: 'vcpu_disable_notify', vcpu: 0 })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'vcpu_enable_notify', vcpu: 0, gfn: 0x101 })).toEqual(v(0));
    h.store.host().caps.vmfunc = false;
    expect(call(h, domid, { cmd: 'vcpu_enable_notify', vcpu: 1, gfn: 0x100 })).toEqual(e('EOPNOTSUPP'));
  });

  it('suppress-#VE: set 1 by default, cleared per gfn per view', () => {
    const { h, domid } = active();
    expect(call(h, domid, { cmd: 'create_p2m', defaultAccess: 7 })).toEqual(v(1));
    expect(call(h, domid, { cmd: 'get_suppress_ve', view: 1, gfn: 0x100 })).toEqual(e('ESRCH'));
    expect(call(h, domid, { cmd: 'set_suppress_ve', view: 1, gfn: 0x100, suppress: false })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'get_suppress_ve', view: 1, gfn: 0x100 })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'set_suppress_ve_multi', view: 1, firstGfn: 0x100, lastGfn: 0x101, suppress: true })).toEqual(v(0));
    expect(call(h, domid, { cmd: 'get_suppress_ve', view: 1, gfn: 0x101 })).toEqual(v(1));
    expect(call(h, domid, { cmd: 'set_suppress_ve_multi', view: 1, firstGfn: 2, lastGfn: 1, suppress: true })).toEqual(e('EINVAL'));
    expect(call(h, domid, { cmd: 'set_suppress_ve', view: 1, gfn: 0xa1, suppress: false })).toEqual(e('ESRCH'));
  });

  it('nested HVM is refused at creation (the set_domain_state EINVAL cannot be reached)', () => {
    const h = bootHost({ cmdline: ALT });
    expect(h.xen.createdomain({ ...HVM, nested: true, altp2m: { mode: 'mixed', nr: 10 } })).toEqual({
      ok: false,
      errno: 'EINVAL',
      why: 'Nested virt and altp2m are not supported together',
    });
  });
});
