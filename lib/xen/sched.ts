/**
 * XEN_DOMCTL_scheduler_op and XEN_SYSCTL_scheduler_op: per-domain and
 * per-pool scheduler parameters, plus the cpupool name Xen keeps for the
 * toolstack and the share rebalance every scheduling-relevant change
 * triggers.
 *
 * A scheduler operation names the scheduler it means; Xen refuses (EINVAL)
 * when the domain's cpupool, or the pool asked about, runs another one —
 * that is how `xl sched-credit` fails on a credit2 pool.
 */
import type { XenCore } from './core';
import { err, ok, type XenResult } from './errno';
import { poolGlobals, rtdsOf, setPoolGlobals, vcpuSched, type RtdsParams } from './sched-data';
import { applyShares, computeShares } from './sched-share';
import type { SchedGlobals, SchedulerName, XenDomainData } from './types';
import { sampleVcpus } from './vcpu-time';
import type { Xen } from './xen';

/** xen/include/public/sysctl.h */
export const SCHED_RATELIMIT_MIN_US = 100;
export const SCHED_RATELIMIT_MAX_US = 500000;
export const CSCHED_TSLICE_MIN_MS = 1;
export const CSCHED_TSLICE_MAX_MS = 1000;
export const CSCHED_MGR_DLY_MAX_US = 100 * 1000;

/**
 * Bring every domain's CPU time up to now at the old shares, then compute
 * the shares of the new state. Call after any change that moves a pool's
 * division of pCPUs (weights, caps, pools, affinity, load, pause ...).
 */
export function rebalance(x: XenCore): void {
  const doms = x.all();
  const now = x.now();
  for (const d of applyShares(doms, computeShares(x.host, doms))) {
    sampleVcpus(d, now);
    x.store.putDomain(d);
  }
}

function domainPoolSched(x: XenCore, d: XenDomainData): SchedulerName | undefined {
  return x.host.cpupools.find((p) => p.id === d.cpupool)?.sched;
}

/** The domain, if its pool runs `sched` (else EINVAL, as sched_adjust answers). */
function domainFor(x: XenCore, domid: number, sched: SchedulerName): XenResult<XenDomainData> {
  const r = x.get(domid);
  if (!r.ok) return r;
  if (domainPoolSched(x, r.value) !== sched) return err('EINVAL');
  return r;
}

export interface CreditDomParams {
  weight: number;
  cap: number;
}

export function creditDomainGet(x: XenCore, domid: number, sched: 'credit' | 'credit2'): XenResult<CreditDomParams> {
  const r = domainFor(x, domid, sched);
  return r.ok ? ok({ weight: r.value.sched.weight, cap: r.value.sched.cap }) : r;
}

export function creditDomainSet(x: XenCore, domid: number, sched: 'credit' | 'credit2', p: CreditDomParams): XenResult {
  const r = domainFor(x, domid, sched);
  if (!r.ok) return r;
  const d = r.value;
  if (p.weight < 1 || p.weight > 65535) return err('EINVAL');
  if (p.cap < 0 || p.cap > 100 * d.maxVcpus) return err('EINVAL');
  d.sched.weight = p.weight;
  d.sched.cap = p.cap;
  x.put(d);
  rebalance(x);
  return ok();
}

/** Domain-wide RTDS get answers the scheduler's defaults, as sched_rt.c does. */
export function rtdsDomainGet(x: XenCore, domid: number): XenResult<RtdsParams> {
  const r = domainFor(x, domid, 'rtds');
  if (!r.ok) return r;
  return ok(rtdsOf({ id: 0, online: false, blocked: false, cpu: 0, hardAffinity: [], softAffinity: [], timeNs: 0, pausedForShutdown: false }));
}

function rtdsValid(p: RtdsParams): boolean {
  return p.periodUs >= 1 && p.budgetUs >= 1 && p.budgetUs <= p.periodUs;
}

/** Domain-wide RTDS put: every vCPU gets the period and budget; each keeps its extratime flag, as sched/rt.c does. */
export function rtdsDomainSet(x: XenCore, domid: number, p: RtdsParams): XenResult {
  const r = domainFor(x, domid, 'rtds');
  if (!r.ok) return r;
  if (!rtdsValid(p)) return err('EINVAL');
  for (const v of r.value.vcpus) vcpuSched(v).rtds = { ...rtdsOf(v), periodUs: p.periodUs, budgetUs: p.budgetUs };
  x.put(r.value);
  rebalance(x);
  return ok();
}

export function rtdsVcpuGet(x: XenCore, domid: number, vcpus: number[]): XenResult<Array<RtdsParams & { vcpu: number }>> {
  const r = domainFor(x, domid, 'rtds');
  if (!r.ok) return r;
  const d = r.value;
  if (vcpus.some((i) => !Number.isInteger(i) || i < 0 || i >= d.vcpus.length)) return err('EINVAL');
  return ok(vcpus.map((i) => ({ vcpu: i, ...rtdsOf(d.vcpus[i]!) })));
}

export function rtdsVcpuSet(x: XenCore, domid: number, list: Array<RtdsParams & { vcpu: number }>): XenResult {
  const r = domainFor(x, domid, 'rtds');
  if (!r.ok) return r;
  const d = r.value;
  for (const p of list) {
    if (!Number.isInteger(p.vcpu) || p.vcpu < 0 || p.vcpu >= d.vcpus.length || !rtdsValid(p)) return err('EINVAL');
  }
  for (const p of list) vcpuSched(d.vcpus[p.vcpu]!).rtds = { periodUs: p.periodUs, budgetUs: p.budgetUs, extratime: p.extratime };
  x.put(d);
  rebalance(x);
  return ok();
}

function poolFor(x: XenCore, poolId: number, sched: SchedulerName) {
  const p = x.host.cpupools.find((c) => c.id === poolId);
  if (!p) return err('ENOENT');
  if (p.sched !== sched) return err('EINVAL');
  return ok(p);
}

export function poolParamsGet(x: XenCore, poolId: number, sched: 'credit' | 'credit2'): XenResult<SchedGlobals> {
  const r = poolFor(x, poolId, sched);
  return r.ok ? ok(poolGlobals(x.host, r.value)) : r;
}

export function poolParamsSet(x: XenCore, poolId: number, sched: 'credit' | 'credit2', g: Partial<SchedGlobals>): XenResult<SchedGlobals> {
  const r = poolFor(x, poolId, sched);
  if (!r.ok) return r;
  const next = { ...poolGlobals(x.host, r.value), ...g };
  if (next.ratelimitUs !== 0 && (next.ratelimitUs < SCHED_RATELIMIT_MIN_US || next.ratelimitUs > SCHED_RATELIMIT_MAX_US)) return err('EINVAL');
  if (sched === 'credit') {
    if (next.tsliceMs < CSCHED_TSLICE_MIN_MS || next.tsliceMs > CSCHED_TSLICE_MAX_MS) return err('EINVAL');
    if (next.ratelimitUs > next.tsliceMs * 1000) return err('EINVAL');
    if (next.migrationDelayUs < 0 || next.migrationDelayUs > CSCHED_MGR_DLY_MAX_US) return err('EINVAL');
  }
  setPoolGlobals(r.value, next);
  x.hostChanged();
  return ok({ ...next });
}

/** The pool name Xen keeps on behalf of the toolstack (xenstore has the authoritative copy). */
export function cpupoolRename(x: XenCore, poolId: number, name: string): XenResult {
  const p = x.host.cpupools.find((c) => c.id === poolId);
  if (!p) return err('ENOENT');
  p.name = name;
  x.hostChanged();
  return ok();
}

/**
 * The scheduler hypercalls as the toolstack reaches them. `Xen` (xen.ts)
 * does not have methods for them yet, so this reaches its core directly;
 * once xen.ts delegates to the functions above, callers switch to those
 * methods and this goes away.
 */
export interface SchedHypercalls {
  rebalance(): void;
  creditDomainGet(domid: number, sched: 'credit' | 'credit2'): XenResult<CreditDomParams>;
  creditDomainSet(domid: number, sched: 'credit' | 'credit2', p: CreditDomParams): XenResult;
  rtdsDomainGet(domid: number): XenResult<RtdsParams>;
  rtdsDomainSet(domid: number, p: RtdsParams): XenResult;
  rtdsVcpuGet(domid: number, vcpus: number[]): XenResult<Array<RtdsParams & { vcpu: number }>>;
  rtdsVcpuSet(domid: number, list: Array<RtdsParams & { vcpu: number }>): XenResult;
  poolParamsGet(poolId: number, sched: 'credit' | 'credit2'): XenResult<SchedGlobals>;
  poolParamsSet(poolId: number, sched: 'credit' | 'credit2', g: Partial<SchedGlobals>): XenResult<SchedGlobals>;
  cpupoolRename(poolId: number, name: string): XenResult;
}

export function schedHypercalls(hv: Xen): SchedHypercalls {
  const x: XenCore = hv['x'];
  return {
    rebalance: () => rebalance(x),
    creditDomainGet: (domid, sched) => creditDomainGet(x, domid, sched),
    creditDomainSet: (domid, sched, p) => creditDomainSet(x, domid, sched, p),
    rtdsDomainGet: (domid) => rtdsDomainGet(x, domid),
    rtdsDomainSet: (domid, p) => rtdsDomainSet(x, domid, p),
    rtdsVcpuGet: (domid, vcpus) => rtdsVcpuGet(x, domid, vcpus),
    rtdsVcpuSet: (domid, list) => rtdsVcpuSet(x, domid, list),
    poolParamsGet: (poolId, sched) => poolParamsGet(x, poolId, sched),
    poolParamsSet: (poolId, sched, g) => poolParamsSet(x, poolId, sched, g),
    cpupoolRename: (poolId, name) => cpupoolRename(x, poolId, name),
  };
}
