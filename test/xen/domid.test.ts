import { describe, expect, it } from 'vitest';
import { allocDomid } from '../../lib/xen/domid';
import { DOMID_ANY, DOMID_FIRST_RESERVED } from '../../lib/xen/constants';
import { Xen } from '../../lib/xen/xen';
import { bootHost, PV, unwrap } from './helpers';

describe('domid allocation (domid_alloc)', () => {
  it('hands out 1, 2, 3 after boot and never 0', () => {
    const { xen } = bootHost();
    expect(unwrap(xen.createdomain(PV))).toBe(1);
    expect(unwrap(xen.createdomain(PV))).toBe(2);
    expect(unwrap(xen.createdomain(PV))).toBe(3);
  });

  it('keeps increasing after a destroy instead of reusing the freed id', () => {
    const { xen } = bootHost();
    const a = unwrap(xen.createdomain(PV));
    unwrap(xen.destroydomain(a));
    expect(unwrap(xen.createdomain(PV))).toBe(a + 1);
  });

  it('takes an explicit id if free and refuses a used one with EEXIST', () => {
    const { xen } = bootHost();
    expect(unwrap(xen.createdomain({ ...PV, domid: 42 }))).toBe(42);
    expect(xen.createdomain({ ...PV, domid: 42 })).toEqual({ ok: false, errno: 'EEXIST' });
    expect(xen.createdomain({ ...PV, domid: 0 })).toEqual({ ok: false, errno: 'EEXIST' });
    // an explicit id does not move the cursor
    expect(unwrap(xen.createdomain(PV))).toBe(1);
  });

  it('refuses reserved ids other than DOMID_ANY', () => {
    const { xen } = bootHost();
    expect(xen.createdomain({ ...PV, domid: DOMID_FIRST_RESERVED })).toEqual({ ok: false, errno: 'EEXIST' });
    expect(xen.createdomain({ ...PV, domid: 0x7ff4 })).toEqual({ ok: false, errno: 'EEXIST' });
  });

  it('wraps to the lowest free id above 0 after 0x7FEF', () => {
    const used = new Set([0, 1, 2, 0x7fef]);
    expect(allocDomid(used, 0x7fef, DOMID_ANY)).toEqual({ domid: 3, last: 3 });
    expect(allocDomid(new Set([0, 0x7fee]), 0x7fee, DOMID_ANY)).toEqual({ domid: 0x7fef, last: 0x7fef });
  });

  it('fails when every id is taken, and never offers 0 even when free', () => {
    const all = new Set<number>();
    for (let i = 1; i < DOMID_FIRST_RESERVED; i++) all.add(i);
    expect(allocDomid(all, 17, DOMID_ANY)).toBeUndefined();
    expect(allocDomid(new Set([1, 2]), 0, DOMID_ANY)).toEqual({ domid: 3, last: 3 });
  });

  it('wrap search includes the cursor itself (Xen bound is last+1)', () => {
    const used = new Set<number>();
    for (let i = 0; i < DOMID_FIRST_RESERVED; i++) if (i !== 9) used.add(i);
    expect(allocDomid(used, 9, DOMID_ANY)).toEqual({ domid: 9, last: 9 });
  });

  it('a refused create still moves the cursor (the id is allocated before validation)', () => {
    const { xen } = bootHost();
    const bad = xen.createdomain({ ...PV, maxVcpus: 0 });
    expect(bad.ok).toBe(false);
    expect(unwrap(xen.createdomain(PV))).toBe(2);
  });

  it('the cursor persists in the host record across Xen instances', () => {
    const { xen, store } = bootHost();
    unwrap(xen.createdomain(PV));
    expect(store.host().domidLast).toBe(1);
    const again = new Xen(store);
    expect(unwrap(again.createdomain(PV))).toBe(2);
  });
});
