import { describe, expect, it } from 'vitest';
import { bootHost, HVM, PV, PVH, unwrap } from './helpers';

// XEN_DOMCTL_sendtrigger on x86: what each domain shape accepts
describe('sendtrigger', () => {
  const { xen } = bootHost();
  const pv = unwrap(xen.createdomain(PV));
  const pvh = unwrap(xen.createdomain(PVH));
  const hvm = unwrap(xen.createdomain(HVM));

  it('queues an NMI on any vCPU of any domain, dom0 included', () => {
    for (const id of [0, pv, pvh, hvm]) expect(xen.sendtrigger(id, 'nmi', 0)).toEqual({ ok: true, value: { nmi: 0 } });
    expect(xen.sendtrigger(pv, 'nmi', 1)).toEqual({ ok: true, value: { nmi: 1 } });
  });
  it('refuses vCPU ids at or past max_vcpus, and unknown domains, with ESRCH', () => {
    expect(xen.sendtrigger(pv, 'nmi', 2)).toEqual({ ok: false, errno: 'ESRCH' });
    expect(xen.sendtrigger(pv, 'nmi', 0xffffffff)).toEqual({ ok: false, errno: 'ESRCH' });
    expect(xen.sendtrigger(99, 'power', 0)).toEqual({ ok: false, errno: 'ESRCH' });
  });
  it('has ACPI buttons only for HVM domains; a PVH domain has no PM block to latch them', () => {
    expect(xen.sendtrigger(pv, 'power', 0)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xen.sendtrigger(0, 'sleep', 0)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xen.sendtrigger(pvh, 'power', 0)).toEqual({ ok: true, value: {} });
    expect(xen.sendtrigger(hvm, 'power', 0)).toEqual({ ok: true, value: { acpi: 'power' } });
    expect(xen.sendtrigger(hvm, 'sleep', 1)).toEqual({ ok: true, value: { acpi: 'sleep' } });
  });
  it('implements no RESET or INIT trigger', () => {
    for (const id of [pv, pvh, hvm]) {
      expect(xen.sendtrigger(id, 'reset', 0)).toEqual({ ok: false, errno: 'ENOSYS' });
      expect(xen.sendtrigger(id, 'init', 0)).toEqual({ ok: false, errno: 'ENOSYS' });
    }
  });
});
