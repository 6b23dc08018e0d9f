/**
 * The creation-time refusals of altp2m as Xen's createdomain gives them
 * (lib/xen/domain-create.ts): the errno and the line a debug hypervisor logs.
 */
import { describe, expect, it } from 'vitest';
import { bootHost, HVM, PV, PVH } from '../xen/helpers';

const ALT = 'placeholder dom0_mem=2048M,max:2048M altp2m=1';
const refused = (why: string) => ({ ok: false, errno: 'EINVAL', why });

describe('XEN_DOMCTL_createdomain with altp2m', () => {
  it('altp2m off on the host (no altp2m=1): not supported', () => {
    const h = bootHost();
    expect(h.xen.createdomain({ ...HVM, altp2m: { mode: 'external', nr: 10 } })).toEqual(refused('altp2m is not supported'));
  });

  it('AMD hosts have no altp2m even with altp2m=1', () => {
    const h = bootHost({ cmdline: ALT, vendor: 'AMD' });
    expect(h.xen.createdomain({ ...HVM, altp2m: { mode: 'mixed', nr: 10 } })).toEqual(refused('altp2m is not supported'));
  });

  it('HAP only: shadow HVM and PV are refused', () => {
    const h = bootHost({ cmdline: ALT });
    expect(h.xen.createdomain({ ...HVM, hap: false, altp2m: { mode: 'mixed', nr: 10 } })).toEqual(refused('altp2m is only supported with HAP'));
    expect(h.xen.createdomain({ ...PV, altp2m: { mode: 'mixed', nr: 10 } })).toEqual(refused('altp2m is only supported with HAP'));
  });

  it('nested HVM', () => {
    const h = bootHost({ cmdline: ALT });
    expect(h.xen.createdomain({ ...HVM, nested: true, altp2m: { mode: 'limited', nr: 10 } })).toEqual(refused('Nested virt and altp2m are not supported together'));
  });

  it('PVH without a count (libxl defaults altp2m_count to 10 only for HVM)', () => {
    const h = bootHost({ cmdline: ALT });
    expect(h.xen.createdomain({ ...PVH, altp2m: { mode: 'mixed', nr: 0 } })).toEqual(refused('altp2m must be requested with altp2m.nr > 0'));
    expect(h.xen.createdomain({ ...PVH, altp2m: { mode: 'mixed', nr: 1 } }).ok).toBe(true);
  });

  it('count limits: at most 512 (MAX_EPTP), zero when altp2m is off', () => {
    const h = bootHost({ cmdline: ALT });
    expect(h.xen.createdomain({ ...HVM, altp2m: { mode: 'external', nr: 513 } })).toEqual(refused('altp2m.nr must be <= 512'));
    expect(h.xen.createdomain({ ...HVM, altp2m: { mode: 'external', nr: 512 } }).ok).toBe(true);
    expect(h.xen.createdomain({ ...HVM, altp2m: { mode: 'disabled', nr: 10 } })).toEqual(refused('altp2m.nr must be zero when altp2m is off'));
  });
});
