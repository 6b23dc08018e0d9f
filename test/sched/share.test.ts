/**
 * The scheduler's division of CPU time (lib/xen/sched-share.ts) on the
 * hypervisor model: weights, caps, hard affinity and RTDS reservations
 * when a pool's pCPUs are oversubscribed, and time that does not depend on
 * how often anyone looks.
 */
import { describe, expect, it } from 'vitest';
import { MemoryXenStorage } from '../../lib/xen/storage';
import { computeShares } from '../../lib/xen/sched-share';
import { schedHypercalls } from '../../lib/xen/sched';
import type { SchedulerName } from '../../lib/xen/types';
import { Xen } from '../../lib/xen/xen';
import { bootHost, PV, unwrap } from '../xen/helpers';

const S = 1_000_000_000;

/** Pool "p" with pCPUs 6,7 running `sched`; `n` busy guests of two vCPUs in it. */
function pool(sched: SchedulerName, n = 2, load = 1) {
  const h = bootHost();
  const { xen } = h;
  unwrap(xen.cpupoolRemoveCpu(0, 6));
  unwrap(xen.cpupoolRemoveCpu(0, 7));
  const p = unwrap(xen.cpupoolCreate(0xffffffff, sched, 'p'));
  unwrap(xen.cpupoolAddCpu(p, 6));
  unwrap(xen.cpupoolAddCpu(p, 7));
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = unwrap(xen.createdomain({ ...PV, maxVcpus: 2 }));
    unwrap(xen.vcpu_up(id, 0));
    unwrap(xen.vcpu_up(id, 1));
    unwrap(xen.setGuestLoad(id, load));
    unwrap(xen.cpupoolMoveDomain(p, id));
    unwrap(xen.unpausedomain(id));
    ids.push(id);
  }
  const hc = schedHypercalls(xen);
  hc.rebalance();
  return { ...h, p, ids, hc };
}

function time(xen: Xen, id: number): number {
  return unwrap(xen.getdomaininfo(id)).cpuTimeNs;
}

function vcpuTimes(xen: Xen, id: number): number[] {
  return unwrap(xen.vcpuList(id)).map((v) => v.timeNs);
}

describe('proportional share in an oversubscribed pool', () => {
  it('2 pCPUs, 4 busy vCPUs, weights 256 and 512 (credit2): time splits 1:2', () => {
    const { xen, store, ids, hc } = pool('credit2');
    unwrap(hc.creditDomainSet(ids[1]!, 'credit2', { weight: 512, cap: 0 }));
    store.advance(30 * S);
    const a = time(xen, ids[0]!);
    const b = time(xen, ids[1]!);
    expect(a + b).toBeGreaterThan(59.9 * S);
    expect(a + b).toBeLessThanOrEqual(60 * S);
    expect(b / a).toBeGreaterThan(1.98);
    expect(b / a).toBeLessThan(2.02);
    // each vCPU of a domain gets the same
    expect(vcpuTimes(xen, ids[0]!)).toEqual([10 * S, 10 * S]);
    expect(vcpuTimes(xen, ids[1]!)).toEqual([20 * S, 20 * S]);
  });

  it('credit1 splits a domain weight among its vCPUs: the same 1:2 for two-vCPU domains', () => {
    const { xen, store, ids, hc } = pool('credit');
    unwrap(hc.creditDomainSet(ids[1]!, 'credit', { weight: 512, cap: 0 }));
    store.advance(3 * S);
    expect(time(xen, ids[0]!)).toBe(2 * S);
    expect(time(xen, ids[1]!)).toBe(4 * S);
  });

  it('equal weights share equally; an undersubscribed pool gives each what it asks', () => {
    const busy = pool('credit2');
    busy.store.advance(10 * S);
    expect(time(busy.xen, busy.ids[0]!)).toBe(10 * S);
    expect(time(busy.xen, busy.ids[1]!)).toBe(10 * S);
    const light = pool('credit2', 2, 0.25);
    light.store.advance(10 * S);
    expect(time(light.xen, light.ids[0]!)).toBe(5 * S);
  });

  it('a cap bounds the domain; the others get what it leaves', () => {
    const { xen, store, ids, hc } = pool('credit2');
    unwrap(hc.creditDomainSet(ids[0]!, 'credit2', { weight: 256, cap: 50 }));
    store.advance(10 * S);
    expect(time(xen, ids[0]!)).toBe(5 * S);
    expect(time(xen, ids[1]!)).toBe(15 * S);
  });

  it('hard affinity confines vCPUs to their pCPUs', () => {
    const { xen, store, ids, hc } = pool('credit2');
    // both vCPUs of the first domain may only use pCPU 6
    unwrap(xen.setvcpuaffinity(ids[0]!, 0, [6], undefined));
    unwrap(xen.setvcpuaffinity(ids[0]!, 1, [6], undefined));
    hc.rebalance();
    store.advance(10 * S);
    expect(time(xen, ids[0]!)).toBe(10 * S);
    expect(time(xen, ids[1]!)).toBe(10 * S);
    expect(vcpuTimes(xen, ids[0]!)).toEqual([5 * S, 5 * S]);
  });

  it('RTDS: without extratime a vCPU gets budget/period; with it, the rest in proportion', () => {
    const { xen, store, ids, hc } = pool('rtds', 1);
    const both = (extratime: boolean) => [0, 1].map((vcpu) => ({ vcpu, periodUs: 10000, budgetUs: 2500, extratime }));
    unwrap(hc.rtdsVcpuSet(ids[0]!, both(false)));
    // the domain-wide put changes period and budget, never the extratime flag
    unwrap(hc.rtdsDomainSet(ids[0]!, { periodUs: 20000, budgetUs: 5000, extratime: true }));
    store.advance(8 * S);
    expect(vcpuTimes(xen, ids[0]!)).toEqual([2 * S, 2 * S]);
    unwrap(hc.rtdsVcpuSet(ids[0]!, both(true)));
    store.advance(8 * S);
    expect(vcpuTimes(xen, ids[0]!)).toEqual([10 * S, 10 * S]);
  });

  it('a weight change applies from the moment it is made', () => {
    const { xen, store, ids, hc } = pool('credit2');
    store.advance(10 * S);
    unwrap(hc.creditDomainSet(ids[1]!, 'credit2', { weight: 768, cap: 0 }));
    store.advance(10 * S);
    // 10 s at 1:1 (1 pCPU each), then 10 s at 1:3 (0.5 / 1.5 pCPU)
    expect(time(xen, ids[0]!)).toBe(15 * S);
    expect(time(xen, ids[1]!)).toBe(25 * S);
  });

  it('a paused domain releases its share at the next rebalance', () => {
    const { xen, store, ids, hc } = pool('credit2');
    store.advance(2 * S);
    unwrap(xen.pausedomain(ids[1]!));
    hc.rebalance();
    store.advance(2 * S);
    expect(vcpuTimes(xen, ids[0]!)).toEqual([3 * S, 3 * S]);
    expect(time(xen, ids[1]!)).toBe(2 * S);
  });

  it('a share is not trusted once the vCPU asks for something else', () => {
    const { xen, store, ids } = pool('credit2');
    // no rebalance after the load change: the vCPUs run at their own demand
    unwrap(xen.setGuestLoad(ids[0]!, 0.1));
    store.advance(10 * S);
    expect(time(xen, ids[0]!)).toBe(2 * S);
  });

  it('looking often or rarely gives the same times', () => {
    const a = pool('credit2');
    const b = pool('credit2');
    for (const h of [a, b]) unwrap(h.hc.creditDomainSet(h.ids[1]!, 'credit2', { weight: 512, cap: 0 }));
    for (let i = 0; i < 1000; i++) {
      a.store.advance(S / 100);
      time(a.xen, a.ids[0]!);
      time(a.xen, a.ids[1]!);
    }
    b.store.advance(10 * S);
    for (const i of [0, 1]) expect(Math.abs(time(a.xen, a.ids[i]!) - time(b.xen, b.ids[i]!))).toBeLessThan(1000);
  });

  it('computeShares sees only runnable vCPUs and pools with CPUs', () => {
    const { xen, store, ids, p } = pool('credit2');
    unwrap(xen.pausedomain(ids[0]!));
    const shares = computeShares(store.host(), store.domains());
    expect(shares.get(ids[0]!)).toEqual([undefined, undefined]);
    expect(shares.get(ids[1]!)).toEqual([1, 1]);
    expect(p).toBeGreaterThan(0);
    expect(xen.checkInvariants()).toEqual([]);
  });
});

describe('scheduler hypercalls', () => {
  it('refuse an operation for a scheduler the pool does not run', () => {
    const { xen } = bootHost();
    const hc = schedHypercalls(xen);
    expect(hc.creditDomainGet(0, 'credit')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(unwrap(hc.creditDomainGet(0, 'credit2'))).toEqual({ weight: 256, cap: 0 });
    expect(hc.poolParamsGet(0, 'credit')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(unwrap(hc.poolParamsGet(0, 'credit2')).ratelimitUs).toBe(1000);
    expect(hc.poolParamsGet(9, 'credit2')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(hc.rtdsDomainGet(0)).toEqual({ ok: false, errno: 'EINVAL' });
  });

  it('keep per-pool parameters and check their ranges', () => {
    const { xen } = bootHost({ scheduler: 'credit' });
    const hc = schedHypercalls(xen);
    expect(unwrap(hc.poolParamsGet(0, 'credit'))).toEqual({ ratelimitUs: 1000, tsliceMs: 30, migrationDelayUs: 0 });
    expect(unwrap(hc.poolParamsSet(0, 'credit', { tsliceMs: 10, ratelimitUs: 500 }))).toEqual({ ratelimitUs: 500, tsliceMs: 10, migrationDelayUs: 0 });
    expect(hc.poolParamsSet(0, 'credit', { ratelimitUs: 20000 })).toEqual({ ok: false, errno: 'EINVAL' });
    expect(hc.poolParamsSet(0, 'credit', { tsliceMs: 0 })).toEqual({ ok: false, errno: 'EINVAL' });
    expect(hc.poolParamsSet(0, 'credit', { ratelimitUs: 50 })).toEqual({ ok: false, errno: 'EINVAL' });
    expect(unwrap(hc.poolParamsGet(0, 'credit')).tsliceMs).toBe(10);
  });

  it('survive a JSON round trip of the records (as state/ stores them)', () => {
    const { xen, store, ids, hc } = pool('rtds', 1);
    unwrap(hc.rtdsVcpuSet(ids[0]!, [{ vcpu: 1, periodUs: 20000, budgetUs: 5000, extratime: false }]));
    const host = JSON.parse(JSON.stringify(store.host()));
    const doms = JSON.parse(JSON.stringify(store.domains()));
    const again = schedHypercalls(new Xen(new MemoryXenStorage(host, doms, store.now())));
    expect(unwrap(again.rtdsVcpuGet(ids[0]!, [0, 1]))).toEqual([
      { vcpu: 0, periodUs: 10000, budgetUs: 4000, extratime: true },
      { vcpu: 1, periodUs: 20000, budgetUs: 5000, extratime: false },
    ]);
    expect(xen.checkInvariants()).toEqual([]);
  });
});
