/**
 * libxl's scheduler calls (tools/libs/light/libxl_sched.c): per-domain
 * parameters for the scheduler of the domain's cpupool, per-pool scheduler
 * parameters, RTDS per-vCPU reservations. Range checks and their messages
 * are libxl's; Xen refuses (EINVAL) an operation for a scheduler the pool
 * does not run, which libxl reports as "Getting domain sched credit" etc.
 */
import { STRERROR, type XenErr } from '../xen/errno';
import type { RtdsParams } from '../xen/sched-data';
import { CSCHED_MGR_DLY_MAX_US, CSCHED_TSLICE_MAX_MS, CSCHED_TSLICE_MIN_MS, SCHED_RATELIMIT_MAX_US, SCHED_RATELIMIT_MIN_US, schedHypercalls } from '../xen/sched';
import type { SchedulerName } from '../xen/types';
import type { LibxlCtx } from './ctx';
import { cpupoolInfo } from './cpupool';
import { ERROR_FAIL, ERROR_INVAL, type LibxlRc } from './errors';
import { libxlLog, where } from './log';

/** LIBXL_DOMAIN_SCHED_PARAM_*_DEFAULT: "leave as it is" */
export const SCHED_PARAM_DEFAULT = -1;

export type SchedOrUnknown = SchedulerName | 'unknown';

export interface DomainSchedParams {
  sched: SchedOrUnknown;
  weight: number;
  cap: number;
  period: number;
  budget: number;
  /** an int in libxl (default -1, which counts as set wherever it is tested) */
  extratime: number;
}

export function domainSchedParamsInit(): DomainSchedParams {
  return { sched: 'unknown', weight: SCHED_PARAM_DEFAULT, cap: SCHED_PARAM_DEFAULT, period: SCHED_PARAM_DEFAULT, budget: SCHED_PARAM_DEFAULT, extratime: SCHED_PARAM_DEFAULT };
}

const W = (line: number, func: string) => where('libxl_sched.c', line, func);

function logErr(lx: LibxlCtx, line: number, func: string, domid: number | undefined, msg: string, e?: XenErr): void {
  libxlLog(lx.xtl, 'error', W(line, func), domid, msg, e ? STRERROR[e.errno] : undefined);
}

/** libxl__domain_scheduler: the scheduler of the domain's cpupool */
export function domainScheduler(lx: LibxlCtx, domid: number): SchedOrUnknown {
  const r = lx.hv.getdomaininfo(domid);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_dom.c', 76, 'libxl__domain_cpupool'), domid, 'get domaininfo failed', STRERROR[r.errno]);
    return 'unknown';
  }
  return cpupoolInfo(lx, r.value.cpupool)?.sched ?? 'unknown';
}

/** libxl_domain_sched_params_get */
export function domainSchedParamsGet(lx: LibxlCtx, domid: number): { rc: LibxlRc; params: DomainSchedParams } {
  const params = domainSchedParamsInit();
  const sched = domainScheduler(lx, domid);
  params.sched = sched;
  const hc = schedHypercalls(lx.hv);
  if (sched === 'credit' || sched === 'credit2') {
    const r = hc.creditDomainGet(domid, sched);
    if (!r.ok) {
      logErr(lx, sched === 'credit' ? 203 : 408, sched === 'credit' ? 'sched_credit_domain_get' : 'sched_credit2_domain_get', domid, `Getting domain sched ${sched}`, r);
      return { rc: ERROR_FAIL, params };
    }
    params.weight = r.value.weight;
    params.cap = r.value.cap;
    return { rc: 0, params };
  }
  if (sched === 'rtds') {
    const r = hc.rtdsDomainGet(domid);
    if (!r.ok) {
      logErr(lx, 718, 'sched_rtds_domain_get', domid, 'Getting domain sched rtds', r);
      return { rc: ERROR_FAIL, params };
    }
    params.period = r.value.periodUs;
    params.budget = r.value.budgetUs;
    return { rc: 0, params };
  }
  if (sched === 'null' || sched === 'arinc653') return { rc: 0, params };
  logErr(lx, 901, 'libxl_domain_sched_params_get', domid, 'Unknown scheduler');
  return { rc: ERROR_INVAL, params };
}

function creditDomainSet(lx: LibxlCtx, domid: number, sched: 'credit' | 'credit2', p: DomainSchedParams): LibxlRc {
  const c1 = sched === 'credit';
  const fn = c1 ? 'sched_credit_domain_set' : 'sched_credit2_domain_set';
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok) {
    logErr(lx, c1 ? 224 : 429, fn, domid, 'Getting domain info', info);
    return info.errno === 'ESRCH' ? ERROR_INVAL : ERROR_FAIL;
  }
  const hc = schedHypercalls(lx.hv);
  const cur = hc.creditDomainGet(domid, sched);
  if (!cur.ok) {
    logErr(lx, c1 ? 230 : 435, fn, domid, `Getting domain sched ${sched}`, cur);
    return ERROR_FAIL;
  }
  const next = { ...cur.value };
  if (p.weight !== SCHED_PARAM_DEFAULT) {
    if (p.weight < 1 || p.weight > 65535) {
      logErr(lx, c1 ? 236 : 441, fn, domid, 'Cpu weight out of range, valid values are within range from 1 to 65535');
      return ERROR_INVAL;
    }
    next.weight = p.weight;
  }
  if (p.cap !== SCHED_PARAM_DEFAULT) {
    const max = (info.value.maxVcpuId + 1) * 100;
    if (p.cap < 0 || p.cap > max) {
      logErr(lx, c1 ? 246 : 451, fn, domid, `Cpu cap out of range, valid range is from 0 to ${max} for specified number of vcpus`);
      return ERROR_INVAL;
    }
    next.cap = p.cap;
  }
  const r = hc.creditDomainSet(domid, sched, next);
  if (!r.ok) {
    logErr(lx, c1 ? 256 : 461, fn, domid, `Setting domain sched ${sched}`, r);
    return ERROR_FAIL;
  }
  return 0;
}

function rtdsValidate(lx: LibxlCtx, period: number, budget: number): boolean {
  if (period < 1) {
    logErr(lx, 473, 'sched_rtds_validate_params', undefined, `Invalid VCPU period of ${period} (it should be >= 1)`);
    return false;
  }
  if (budget < 1) {
    logErr(lx, 479, 'sched_rtds_validate_params', undefined, `Invalid VCPU budget of ${budget} (it should be >= 1)`);
    return false;
  }
  if (budget > period) {
    logErr(lx, 485, 'sched_rtds_validate_params', undefined, `VCPU budget must be smaller than or equal to period, but ${budget} > ${period}`);
    return false;
  }
  return true;
}

function rtdsDomainSet(lx: LibxlCtx, domid: number, p: DomainSchedParams): LibxlRc {
  const hc = schedHypercalls(lx.hv);
  const cur = hc.rtdsDomainGet(domid);
  if (!cur.ok) {
    logErr(lx, 739, 'sched_rtds_domain_set', domid, 'Getting domain sched rtds', cur);
    return ERROR_FAIL;
  }
  const next: RtdsParams = { ...cur.value, extratime: p.extratime !== 0 };
  if (p.period !== SCHED_PARAM_DEFAULT) next.periodUs = p.period;
  if (p.budget !== SCHED_PARAM_DEFAULT) next.budgetUs = p.budget;
  if (!rtdsValidate(lx, next.periodUs, next.budgetUs)) return ERROR_INVAL;
  const r = hc.rtdsDomainSet(domid, next);
  if (!r.ok) {
    logErr(lx, 756, 'sched_rtds_domain_set', domid, 'Setting domain sched rtds', r);
    return ERROR_FAIL;
  }
  return 0;
}

/** libxl_domain_sched_params_set; `p.sched` 'unknown' means "the domain's own" */
export function domainSchedParamsSet(lx: LibxlCtx, domid: number, p: DomainSchedParams): LibxlRc {
  const sched = p.sched === 'unknown' ? domainScheduler(lx, domid) : p.sched;
  if (sched === 'credit' || sched === 'credit2') return creditDomainSet(lx, domid, sched, p);
  if (sched === 'rtds') return rtdsDomainSet(lx, domid, p);
  if (sched === 'null' || sched === 'arinc653') return 0;
  logErr(lx, 794, 'libxl_domain_sched_params_set', domid, 'Unknown scheduler');
  return ERROR_INVAL;
}

export interface CreditParams {
  tslice_ms: number;
  ratelimit_us: number;
  vcpu_migr_delay_us: number;
}

/** libxl_sched_credit_params_get */
export function schedCreditParamsGet(lx: LibxlCtx, poolid: number): { rc: LibxlRc; params?: CreditParams } {
  const r = schedHypercalls(lx.hv).poolParamsGet(poolid, 'credit');
  if (!r.ok) {
    logErr(lx, 285, 'libxl_sched_credit_params_get', undefined, 'getting Credit scheduler parameters', r);
    return { rc: ERROR_FAIL };
  }
  return { rc: 0, params: { tslice_ms: r.value.tsliceMs, ratelimit_us: r.value.ratelimitUs, vcpu_migr_delay_us: r.value.migrationDelayUs } };
}

function ratelimitOk(lx: LibxlCtx, us: number): boolean {
  if (us !== 0 && (us < SCHED_RATELIMIT_MIN_US || us > SCHED_RATELIMIT_MAX_US)) {
    logErr(lx, 268, 'sched_ratelimit_check', undefined, `Ratelimit out of range, valid range is from ${SCHED_RATELIMIT_MIN_US} to ${SCHED_RATELIMIT_MAX_US}`);
    return false;
  }
  return true;
}

/** libxl_sched_credit_params_set */
export function schedCreditParamsSet(lx: LibxlCtx, poolid: number, p: CreditParams): LibxlRc {
  const fn = 'libxl_sched_credit_params_set';
  if (p.tslice_ms < CSCHED_TSLICE_MIN_MS || p.tslice_ms > CSCHED_TSLICE_MAX_MS) {
    logErr(lx, 309, fn, undefined, `Time slice out of range, valid range is from ${CSCHED_TSLICE_MIN_MS} to ${CSCHED_TSLICE_MAX_MS}`);
    return ERROR_INVAL;
  }
  if (!ratelimitOk(lx, p.ratelimit_us)) return ERROR_INVAL;
  if (p.ratelimit_us > p.tslice_ms * 1000) {
    logErr(lx, 319, fn, undefined, 'Ratelimit cannot be greater than timeslice');
    return ERROR_INVAL;
  }
  // the field is unsigned in C: a negative delay is a huge one
  if (p.vcpu_migr_delay_us < 0 || p.vcpu_migr_delay_us > CSCHED_MGR_DLY_MAX_US) {
    logErr(lx, 324, fn, undefined, `vcpu migration delay should be >= 0 and <= ${CSCHED_MGR_DLY_MAX_US}us`);
    return ERROR_INVAL;
  }
  const r = schedHypercalls(lx.hv).poolParamsSet(poolid, 'credit', { tsliceMs: p.tslice_ms, ratelimitUs: p.ratelimit_us, migrationDelayUs: p.vcpu_migr_delay_us });
  if (!r.ok) {
    logErr(lx, 336, fn, undefined, 'Setting Credit scheduler parameters', r);
    return ERROR_FAIL;
  }
  return 0;
}

/** libxl_sched_credit2_params_get */
export function schedCredit2ParamsGet(lx: LibxlCtx, poolid: number): { rc: LibxlRc; ratelimit_us?: number } {
  const r = schedHypercalls(lx.hv).poolParamsGet(poolid, 'credit2');
  if (!r.ok) {
    logErr(lx, 360, 'libxl_sched_credit2_params_get', undefined, 'getting Credit2 scheduler parameters', r);
    return { rc: ERROR_FAIL };
  }
  return { rc: 0, ratelimit_us: r.value.ratelimitUs };
}

/** libxl_sched_credit2_params_set */
export function schedCredit2ParamsSet(lx: LibxlCtx, poolid: number, ratelimitUs: number): LibxlRc {
  if (!ratelimitOk(lx, ratelimitUs)) return ERROR_INVAL;
  const r = schedHypercalls(lx.hv).poolParamsSet(poolid, 'credit2', { ratelimitUs });
  if (!r.ok) {
    logErr(lx, 387, 'libxl_sched_credit2_params_set', undefined, 'Setting Credit2 scheduler parameters', r);
    return ERROR_FAIL;
  }
  return 0;
}

export interface VcpuSchedParam {
  vcpuid: number;
  period: number;
  budget: number;
  extratime: boolean;
}

/** libxl_vcpu_sched_params_get(_all): RTDS only. `vcpus` undefined = every vCPU. */
export function vcpuSchedParamsGet(lx: LibxlCtx, domid: number, vcpus: number[] | undefined): { rc: LibxlRc; sched: SchedOrUnknown; vcpus: VcpuSchedParam[] } {
  const all = vcpus === undefined;
  const fnTop = all ? 'libxl_vcpu_sched_params_get_all' : 'libxl_vcpu_sched_params_get';
  const sched = domainScheduler(lx, domid);
  if (sched !== 'rtds') {
    if (sched === 'unknown') logErr(lx, all ? 967 : 934, fnTop, domid, 'Unknown scheduler');
    else logErr(lx, all ? 960 : 927, fnTop, domid, 'per-VCPU parameter getting not supported for this scheduler');
    return { rc: ERROR_INVAL, sched, vcpus: [] };
  }
  const fn = all ? 'sched_rtds_vcpu_get_all' : 'sched_rtds_vcpu_get';
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok) {
    logErr(lx, all ? 560 : 506, fn, domid, 'Getting domain info', info);
    return { rc: ERROR_FAIL, sched, vcpus: [] };
  }
  const n = info.value.maxVcpuId + 1;
  const ids = vcpus ?? Array.from({ length: n }, (_, i) => i);
  for (const i of ids) {
    if (i < 0 || i >= n) {
      logErr(lx, 520, fn, domid, `VCPU index is out of range, valid values are within range from 0 to ${n - 1}`);
      return { rc: ERROR_INVAL, sched, vcpus: [] };
    }
  }
  const r = schedHypercalls(lx.hv).rtdsVcpuGet(domid, ids);
  if (!r.ok) {
    logErr(lx, all ? 577 : 532, fn, domid, 'Getting vcpu sched rtds', r);
    return { rc: ERROR_FAIL, sched, vcpus: [] };
  }
  return { rc: 0, sched, vcpus: r.value.map((v) => ({ vcpuid: v.vcpu, period: v.periodUs, budget: v.budgetUs, extratime: v.extratime })) };
}

/** libxl_vcpu_sched_params_set(_all): RTDS only. `all` applies list[0] to every vCPU. */
export function vcpuSchedParamsSet(lx: LibxlCtx, domid: number, list: VcpuSchedParam[], all: boolean): LibxlRc {
  const fnTop = all ? 'libxl_vcpu_sched_params_set_all' : 'libxl_vcpu_sched_params_set';
  const sched = domainScheduler(lx, domid);
  if (sched !== 'rtds') {
    if (sched === 'unknown') logErr(lx, all ? 864 : 829, fnTop, domid, 'Unknown scheduler');
    else logErr(lx, all ? 857 : 822, fnTop, domid, 'per-VCPU parameter setting not supported for this scheduler');
    return ERROR_INVAL;
  }
  const fn = all ? 'sched_rtds_vcpu_set_all' : 'sched_rtds_vcpu_set';
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok) {
    logErr(lx, all ? 671 : 610, fn, domid, 'Getting domain info', info);
    return ERROR_FAIL;
  }
  const n = info.value.maxVcpuId + 1;
  let items = list;
  if (all) items = Array.from({ length: n }, (_, i) => ({ ...list[0]!, vcpuid: i }));
  for (const v of items) {
    if (v.vcpuid < 0 || v.vcpuid >= n) {
      logErr(lx, 623, fn, domid, `Invalid VCPU ${v.vcpuid}: valid range is [0, ${n - 1}]`);
      return ERROR_INVAL;
    }
    if (!rtdsValidate(lx, v.period, v.budget)) return ERROR_INVAL;
  }
  const r = schedHypercalls(lx.hv).rtdsVcpuSet(domid, items.map((v) => ({ vcpu: v.vcpuid, periodUs: v.period, budgetUs: v.budget, extratime: v.extratime })));
  if (!r.ok) {
    logErr(lx, all ? 701 : 649, fn, domid, 'Setting vcpu sched rtds', r);
    return ERROR_FAIL;
  }
  return 0;
}
