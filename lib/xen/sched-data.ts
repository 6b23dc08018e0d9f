/**
 * Scheduler state kept in the hypervisor records beyond what types.ts names:
 * per-pool scheduler parameters (Xen keeps one scheduler instance, with its
 * own tslice/ratelimit, per cpupool), RTDS per-vCPU reservations, and each
 * vCPU's current share of a pCPU. The records are persisted as opaque JSON,
 * so these optional fields travel with them; records written before they
 * existed simply lack them and get the defaults.
 */
import { CREDIT_DEFAULT_TSLICE_MS, SCHED_DEFAULT_RATELIMIT_US } from './constants';
import type { CpupoolData, SchedGlobals, XenDomainData, XenHostData, XenVcpuData } from './types';

/** sched_rt.c: RTDS_DEFAULT_PERIOD / RTDS_DEFAULT_BUDGET (µs); extratime is on by default */
export const RTDS_DEFAULT_PERIOD_US = 10000;
export const RTDS_DEFAULT_BUDGET_US = 4000;

export interface RtdsParams {
  periodUs: number;
  budgetUs: number;
  extratime: boolean;
}

export type SchedVcpu = XenVcpuData & {
  /** fraction of one pCPU the vCPU gets while the pool's state stays as it is */
  share?: number;
  /** the busy fraction `share` was computed for */
  shareDemand?: number;
  rtds?: RtdsParams;
};

export type SchedPool = CpupoolData & { params?: SchedGlobals };

export function vcpuSched(v: XenVcpuData): SchedVcpu {
  return v;
}

export function defaultGlobals(host: XenHostData): SchedGlobals {
  return {
    ratelimitUs: host.sched?.ratelimitUs ?? SCHED_DEFAULT_RATELIMIT_US,
    tsliceMs: host.sched?.tsliceMs ?? CREDIT_DEFAULT_TSLICE_MS,
    migrationDelayUs: host.sched?.migrationDelayUs ?? 0,
  };
}

/** A pool's scheduler parameters; pools that never had them set use the boot values. */
export function poolGlobals(host: XenHostData, pool: CpupoolData): SchedGlobals {
  const p = (pool as SchedPool).params;
  return p ? { ...p } : defaultGlobals(host);
}

export function setPoolGlobals(pool: CpupoolData, g: SchedGlobals): void {
  (pool as SchedPool).params = { ...g };
}

export function rtdsOf(v: XenVcpuData): RtdsParams {
  const r = vcpuSched(v).rtds;
  return r ? { ...r } : { periodUs: RTDS_DEFAULT_PERIOD_US, budgetUs: RTDS_DEFAULT_BUDGET_US, extratime: true };
}

export function poolOf(host: XenHostData, d: XenDomainData): CpupoolData | undefined {
  return host.cpupools.find((p) => p.id === d.cpupool);
}
