/**
 * vCPU operations: bringing vCPUs up/down (VCPUOP_up/down, or the builder
 * setting vCPU0's context), affinity (XEN_DOMCTL_setvcpuaffinity) and
 * XEN_DOMCTL_getvcpuinfo.
 */
import type { XenCore } from './core';
import { err, ok, type XenResult } from './errno';
import type { XenDomainData, XenVcpuData } from './types';
import { vcpuRunning } from './vcpu-time';

export interface VcpuInfo {
  vcpu: number;
  online: boolean;
  blocked: boolean;
  running: boolean;
  /** meaningful only when online */
  cpu: number;
  timeNs: number;
  hard: number[];
  soft: number[];
}

function vcpuOf(d: XenDomainData, vcpu: number): XenVcpuData | undefined {
  return Number.isInteger(vcpu) && vcpu >= 0 ? d.vcpus[vcpu] : undefined;
}

export function vcpuUp(x: XenCore, domid: number, vcpu: number): XenResult {
  const r = x.get(domid);
  if (!r.ok) return r;
  const v = vcpuOf(r.value, vcpu);
  if (!v) return err('EINVAL');
  v.online = true;
  x.put(r.value);
  return ok();
}

/** Xen refuses to take down the last online vCPU. */
export function vcpuDown(x: XenCore, domid: number, vcpu: number): XenResult {
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  const v = vcpuOf(d, vcpu);
  if (!v) return err('EINVAL');
  if (!d.vcpus.some((o) => o.id !== vcpu && o.online)) return err('EINVAL');
  v.online = false;
  v.blocked = false;
  x.put(d);
  return ok();
}

function poolCpus(x: XenCore, d: XenDomainData): number[] {
  return x.host.cpupools.find((p) => p.id === d.cpupool)?.cpus ?? [];
}

/**
 * Set hard and/or soft affinity (undefined leaves a side as it is). The hard
 * mask must intersect the domain's cpupool; unknown CPUs are ignored as
 * Xen's cpumask would.
 */
export function setVcpuAffinity(
  x: XenCore,
  domid: number,
  vcpu: number,
  hard: number[] | undefined,
  soft: number[] | undefined,
): XenResult<{ hard: number[]; soft: number[] }> {
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  const v = vcpuOf(d, vcpu);
  if (!v) return err('EINVAL');
  const nr = x.host.nrCpus;
  const clean = (m: number[]) => [...new Set(m.filter((c) => Number.isInteger(c) && c >= 0 && c < nr))].sort((a, b) => a - b);
  const pool = poolCpus(x, d);
  const newHard = hard === undefined ? v.hardAffinity : clean(hard);
  if (hard !== undefined && !newHard.some((c) => pool.includes(c))) return err('EINVAL');
  v.hardAffinity = newHard;
  if (soft !== undefined) v.softAffinity = clean(soft);
  v.cpu = placeVcpu(v, pool);
  x.put(d);
  return ok({ hard: v.hardAffinity.slice(), soft: v.softAffinity.slice() });
}

/** Keep the current CPU if still allowed, else prefer soft ∩ hard ∩ pool. */
export function placeVcpu(v: XenVcpuData, pool: number[]): number {
  const allowed = v.hardAffinity.filter((c) => pool.includes(c));
  if (allowed.includes(v.cpu)) return v.cpu;
  const preferred = allowed.filter((c) => v.softAffinity.includes(c));
  const from = preferred.length > 0 ? preferred : allowed;
  return from.length > 0 ? from[v.id % from.length]! : v.cpu;
}

export function getVcpuInfo(x: XenCore, domid: number, vcpu: number): XenResult<VcpuInfo> {
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  const v = vcpuOf(d, vcpu);
  if (!v) return err('EINVAL');
  return ok(vcpuInfo(d, v, x.now()));
}

export function vcpuInfo(d: XenDomainData, v: XenVcpuData, now: number): VcpuInfo {
  return {
    vcpu: v.id,
    online: v.online,
    blocked: v.online && v.blocked,
    running: vcpuRunning(d, v, now),
    cpu: v.cpu,
    timeNs: v.timeNs,
    hard: v.hardAffinity.slice(),
    soft: v.softAffinity.slice(),
  };
}

/** All vCPUs of a domain (what `xl vcpu-list` walks). */
export function listVcpus(x: XenCore, domid: number): XenResult<VcpuInfo[]> {
  const r = x.get(domid);
  if (!r.ok) return r;
  const now = x.now();
  return ok(r.value.vcpus.map((v) => vcpuInfo(r.value, v, now)));
}

/** The guest model's busy fraction for a domain or one vCPU. */
export function setLoad(x: XenCore, domid: number, load: number, vcpu?: number): XenResult {
  const r = x.get(domid);
  if (!r.ok) return r;
  if (!(load >= 0 && load <= 1)) return err('EINVAL');
  if (vcpu === undefined) r.value.load = load;
  else {
    const v = vcpuOf(r.value, vcpu);
    if (!v) return err('EINVAL');
    v.load = load;
  }
  x.put(r.value);
  return ok();
}
