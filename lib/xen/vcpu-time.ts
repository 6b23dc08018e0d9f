/**
 * How vCPUs spend simulated time. A domain has a busy fraction (`load`, set
 * by the guest model); each online vCPU of a runnable domain accrues
 * load × elapsed running time. Accounting is lazy: every operation first
 * brings a domain up to "now", so the result does not depend on how often
 * anyone looked.
 *
 * Which vCPUs are on a CPU at an instant is a deterministic duty cycle: a
 * vCPU runs during the first `load` fraction of each period, shifted by a
 * per-vCPU phase, and is blocked (waiting for an event) otherwise. That
 * makes `xl list` show `r` for busy guests and `b` for idle ones and keeps
 * the output reproducible under a manual clock. The hardware domain's vCPU0
 * is always running: it is executing the toolstack that is looking.
 *
 * When a pool's pCPUs are oversubscribed a vCPU gets less than it asks for:
 * its rate is the share the scheduler model computed (sched-share.ts) at the
 * last rebalance. A share is trusted only while the vCPU still asks for what
 * it asked for then; otherwise the vCPU runs at its own demand until the
 * next rebalance.
 */
import { vcpuSched } from './sched-data';
import type { XenDomainData, XenVcpuData } from './types';

const DUTY_PERIOD_NS = 1_000_000_000;

export function domainRunnable(d: XenDomainData): boolean {
  return d.dying === 'alive' && d.controllerPause === 0 && d.shutdown === 'none';
}

export function vcpuLoad(d: XenDomainData, v: XenVcpuData): number {
  const l = v.load ?? d.load;
  return Math.min(1, Math.max(0, l));
}

/** The fraction of a pCPU the vCPU is actually getting (0..1). */
export function vcpuRate(d: XenDomainData, v: XenVcpuData): number {
  const demand = vcpuLoad(d, v);
  const sv = vcpuSched(v);
  if (sv.share !== undefined && sv.shareDemand === Math.min(1, demand)) return Math.min(sv.share, demand);
  return demand;
}

/** Accrue vCPU time up to `now`. Returns whether anything changed. */
export function accountDomain(d: XenDomainData, now: number): boolean {
  const dt = now - d.accountedNs;
  if (dt <= 0) return false;
  if (domainRunnable(d)) {
    d.activeNs = (d.activeNs ?? 0) + dt;
    for (const v of d.vcpus) {
      if (!v.online) continue;
      v.timeNs += Math.round(dt * vcpuRate(d, v));
    }
  }
  d.accountedNs = now;
  sampleVcpus(d, now);
  return true;
}

function phase(domid: number, vcpu: number): number {
  // A fixed scramble so vCPUs of one domain are not in lock-step.
  const h = (Math.imul(domid + 1, 0x9e3779b1) ^ Math.imul(vcpu + 1, 0x85ebca77)) >>> 0;
  return h % DUTY_PERIOD_NS;
}

/** Is the vCPU on a physical CPU right now? */
export function vcpuRunning(d: XenDomainData, v: XenVcpuData, now: number): boolean {
  if (!v.online || !domainRunnable(d) || v.pausedForShutdown) return false;
  if (d.hwdom && v.id === 0) return true;
  const load = vcpuRate(d, v);
  if (load >= 1) return true;
  if (load <= 0) return false;
  const pos = (now + phase(d.domid, v.id)) % DUTY_PERIOD_NS;
  return pos < load * DUTY_PERIOD_NS;
}

/**
 * Refresh VPF_blocked. A runnable domain's online vCPU is blocked whenever
 * it is not running; a paused domain keeps what it had (pausing does not
 * touch VPF_blocked); shut-down and offline vCPUs are not blocked.
 */
export function sampleVcpus(d: XenDomainData, now: number): void {
  for (const v of d.vcpus) {
    if (!v.online || v.pausedForShutdown || d.shutdown !== 'none' || d.dying !== 'alive') {
      v.blocked = false;
    } else if (domainRunnable(d)) {
      v.blocked = !vcpuRunning(d, v, now);
    }
  }
}

export function domainCpuTimeNs(d: XenDomainData): number {
  let t = 0;
  for (const v of d.vcpus) t += v.timeNs;
  return t;
}
