/**
 * XEN_SYSCTL_cpupool_op basics: create, destroy, add/remove a CPU, move a
 * domain. Pool names are a toolstack notion (Xen only knows ids); the record
 * keeps one so the toolstack has a place for it. Every change of a pool's
 * CPUs or members re-divides CPU time (sched-share.ts).
 */
import type { XenCore } from './core';
import { err, ok, type XenResult } from './errno';
import type { SchedulerName } from './types';
import { SCHED_DEFAULT_WEIGHT } from './constants';
import { rebalance } from './sched';
import { vcpuSched } from './sched-data';
import { placeVcpu } from './vcpu';

/** XEN_SYSCTL_CPUPOOL_PAR_ANY */
export const CPUPOOL_PAR_ANY = 0xffffffff;

export function cpupoolCreate(x: XenCore, poolId: number, sched: SchedulerName, name: string): XenResult<number> {
  const host = x.host;
  let id = poolId;
  if (id === CPUPOOL_PAR_ANY) {
    id = 0;
    while (host.cpupools.some((p) => p.id === id)) id++;
  } else if (host.cpupools.some((p) => p.id === id)) {
    return err('EEXIST');
  }
  host.cpupools.push({ id, name, sched, cpus: [] });
  host.cpupools.sort((a, b) => a.id - b.id);
  x.hostChanged();
  return ok(id);
}

export function cpupoolDestroy(x: XenCore, poolId: number): XenResult {
  const host = x.host;
  const p = host.cpupools.find((c) => c.id === poolId);
  if (!p) return err('ENOENT');
  if (p.cpus.length > 0 || x.all().some((d) => d.cpupool === poolId)) return err('EBUSY');
  host.cpupools = host.cpupools.filter((c) => c.id !== poolId);
  x.hostChanged();
  return ok();
}

export function cpupoolAddCpu(x: XenCore, poolId: number, cpu: number): XenResult {
  const host = x.host;
  const p = host.cpupools.find((c) => c.id === poolId);
  if (!p) return err('ESRCH');
  if (!Number.isInteger(cpu) || cpu < 0 || cpu >= host.nrCpus) return err('EINVAL');
  if (host.cpupools.some((c) => c.cpus.includes(cpu))) return err('EBUSY');
  p.cpus.push(cpu);
  p.cpus.sort((a, b) => a - b);
  x.hostChanged();
  rebalance(x);
  return ok();
}

export function cpupoolRemoveCpu(x: XenCore, poolId: number, cpu: number): XenResult {
  const host = x.host;
  const p = host.cpupools.find((c) => c.id === poolId);
  if (!p) return err('ESRCH');
  if (!p.cpus.includes(cpu)) return err('EINVAL');
  const doms = x.all().filter((d) => d.cpupool === poolId);
  if (p.cpus.length === 1 && doms.length > 0) return err('EBUSY');
  p.cpus = p.cpus.filter((c) => c !== cpu);
  for (const d of doms) {
    for (const v of d.vcpus) v.cpu = placeVcpu(v, p.cpus);
    x.put(d);
  }
  x.hostChanged();
  rebalance(x);
  return ok();
}

/**
 * Moving resets the vCPUs' affinities to "all", and the domain starts over
 * with the new pool's scheduler instance: default weight and cap, default
 * RTDS reservations. Moving into the pool it is already in changes nothing.
 */
export function cpupoolMoveDomain(x: XenCore, poolId: number, domid: number): XenResult {
  const host = x.host;
  const p = host.cpupools.find((c) => c.id === poolId);
  if (!p) return err('ESRCH');
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  if (d.cpupool === poolId) return ok();
  if (d.dying !== 'alive') return err('EBUSY');
  if (p.cpus.length === 0) return err('EINVAL');
  d.cpupool = poolId;
  d.sched = { weight: SCHED_DEFAULT_WEIGHT, cap: 0 };
  for (const v of d.vcpus) delete vcpuSched(v).rtds;
  const all = host.pcpus.map((c) => c.id);
  for (const v of d.vcpus) {
    v.hardAffinity = all.slice();
    v.softAffinity = all.slice();
    v.cpu = placeVcpu(v, p.cpus);
  }
  x.put(d);
  rebalance(x);
  return ok();
}
