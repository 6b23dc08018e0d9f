import { describe, expect, it } from 'vitest';
import { SHUTDOWN } from '../../lib/xen/constants';
import { cpuSeconds, stateLetters } from '../../lib/xen/info';
import { bootHost, PV, unwrap } from './helpers';

const S = 1_000_000_000;

function guest(load: number, vcpus = 1) {
  const h = bootHost();
  const id = unwrap(h.xen.createdomain({ ...PV, maxVcpus: vcpus }));
  for (let v = 0; v < vcpus; v++) unwrap(h.xen.vcpu_up(id, v));
  unwrap(h.xen.setGuestLoad(id, load));
  return { ...h, id };
}

describe('vCPU time accounting', () => {
  it('a paused domain accrues nothing', () => {
    const { xen, store, id } = guest(1);
    store.advance(10 * S);
    expect(unwrap(xen.getdomaininfo(id)).cpuTimeNs).toBe(0);
  });

  it('each online vCPU of a running domain accrues load × elapsed', () => {
    const { xen, store, id } = guest(0.25, 2);
    unwrap(xen.unpausedomain(id));
    store.advance(8 * S);
    const i = unwrap(xen.getdomaininfo(id));
    expect(i.cpuTimeNs).toBe(2 * 2 * S);
    expect(cpuSeconds(i)).toBe(4);
    expect(unwrap(xen.vcpuList(id)).map((v) => v.timeNs)).toEqual([2 * S, 2 * S]);
  });

  it('offline vCPUs, pauses and shutdown stop the clock', () => {
    const { xen, store, id } = guest(1, 2);
    unwrap(xen.unpausedomain(id));
    store.advance(1 * S);
    unwrap(xen.vcpu_down(id, 1));
    store.advance(1 * S);
    unwrap(xen.pausedomain(id));
    store.advance(5 * S);
    unwrap(xen.unpausedomain(id));
    store.advance(1 * S);
    unwrap(xen.sched_shutdown(id, SHUTDOWN.poweroff));
    store.advance(5 * S);
    expect(unwrap(xen.vcpuList(id)).map((v) => v.timeNs)).toEqual([3 * S, 1 * S]);
  });

  it('a load change applies from the moment it is made', () => {
    const { xen, store, id } = guest(1);
    unwrap(xen.unpausedomain(id));
    store.advance(2 * S);
    unwrap(xen.setGuestLoad(id, 0.5));
    store.advance(2 * S);
    expect(unwrap(xen.getdomaininfo(id)).cpuTimeNs).toBe(3 * S);
    expect(xen.setGuestLoad(id, 1.5)).toEqual({ ok: false, errno: 'EINVAL' });
  });

  it('does not depend on how often anyone looks', () => {
    const a = guest(0.37, 2);
    const b = guest(0.37, 2);
    unwrap(a.xen.unpausedomain(a.id));
    unwrap(b.xen.unpausedomain(b.id));
    for (let i = 0; i < 10; i++) {
      a.store.advance(S / 10);
      a.xen.getdomaininfo(a.id);
    }
    b.store.advance(S);
    expect(unwrap(a.xen.getdomaininfo(a.id)).cpuTimeNs).toBe(unwrap(b.xen.getdomaininfo(b.id)).cpuTimeNs);
  });

  it('dom0 accrues its own load from boot', () => {
    const { xen, store } = bootHost({ dom0Vcpus: 4, dom0Load: 0.1 });
    store.advance(10 * S);
    expect(unwrap(xen.getdomaininfo(0)).cpuTimeNs).toBe(4 * S);
  });

  it('a partly busy guest is sometimes running and sometimes blocked, deterministically', () => {
    const { xen, store, id } = guest(0.5);
    unwrap(xen.unpausedomain(id));
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      store.advance(S / 7);
      seen.push(stateLetters(unwrap(xen.getdomaininfo(id))));
    }
    expect(new Set(seen)).toEqual(new Set(['r-----', '-b----']));
    const again = guest(0.5);
    unwrap(again.xen.unpausedomain(again.id));
    const seen2: string[] = [];
    for (let i = 0; i < 20; i++) {
      again.store.advance(S / 7);
      seen2.push(stateLetters(unwrap(again.xen.getdomaininfo(again.id))));
    }
    expect(seen2).toEqual(seen);
  });
});

describe('scheduler parameters', () => {
  it('default weight 256, cap 0; cap limited to 100 per vCPU', () => {
    const { xen, id } = guest(0, 2);
    expect(unwrap(xen.schedGet(id))).toEqual({ weight: 256, cap: 0 });
    unwrap(xen.schedSet(id, { weight: 512, cap: 150 }));
    expect(unwrap(xen.schedGet(id))).toEqual({ weight: 512, cap: 150 });
    expect(xen.schedSet(id, { cap: 201 })).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xen.schedGlobals()).toEqual({ ratelimitUs: 1000, tsliceMs: 30, migrationDelayUs: 0 });
  });
});

describe('cpupools', () => {
  it('create, add/remove CPUs, move a domain, destroy', () => {
    const { xen, id } = guest(0);
    expect(xen.cpupoolAddCpu(0, 3)).toEqual({ ok: false, errno: 'EBUSY' });
    const p = unwrap(xen.cpupoolCreate(0xffffffff, 'credit2', 'Pool-1'));
    expect(p).toBe(1);
    expect(xen.cpupoolMoveDomain(p, id)).toEqual({ ok: false, errno: 'EINVAL' });
    unwrap(xen.cpupoolRemoveCpu(0, 7));
    expect(xen.freeCpus()).toEqual([7]);
    unwrap(xen.cpupoolAddCpu(p, 7));
    unwrap(xen.cpupoolMoveDomain(p, id));
    expect(unwrap(xen.getdomaininfo(id)).cpupool).toBe(p);
    expect(unwrap(xen.getvcpuinfo(id, 0)).cpu).toBe(7);
    expect(xen.cpupoolDestroy(p)).toEqual({ ok: false, errno: 'EBUSY' });
    expect(xen.checkInvariants()).toEqual([]);
    unwrap(xen.destroydomain(id));
    unwrap(xen.cpupoolRemoveCpu(p, 7));
    unwrap(xen.cpupoolDestroy(p));
    expect(xen.cpupoolInfo().map((c) => c.id)).toEqual([0]);
  });
});
