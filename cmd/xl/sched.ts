/**
 * `xl sched-credit`, `xl sched-credit2`, `xl sched-rtds`: twins of
 * tools/xl/xl_sched.c. Listing walks the cpupools running the command's
 * scheduler (so on a default credit2 host `xl sched-credit` prints
 * nothing); per-domain queries ask libxl for the domain's parameters and
 * complain when its pool runs another scheduler.
 */
import { strtol, toInt32 } from '../../lib/cfg/cconv';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import { listCpupool, lookupCpupool, cpupoolidToName } from '../../lib/libxl/cpupool';
import { domidToName, listDomain } from '../../lib/libxl/domain';
import {
  domainSchedParamsGet,
  domainSchedParamsInit,
  domainSchedParamsSet,
  schedCredit2ParamsGet,
  schedCredit2ParamsSet,
  schedCreditParamsGet,
  schedCreditParamsSet,
  vcpuSchedParamsGet,
  vcpuSchedParamsSet,
  type VcpuSchedParam,
} from '../../lib/libxl/sched';
import type { LongOption } from '../../lib/util/getopt';
import type { SchedulerName } from '../../lib/xen/types';
import { Exit } from '../io';
import { eprintf, printf, type XlContext } from './context';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';
import { switchForeachOpt } from './opts';

/** strtol(optarg, NULL, 10) stored into an int */
function cint(s: string): number {
  return toInt32(strtol(s, 10).value);
}

function nameOf(lx: LibxlCtx, domid: number): string {
  return domidToName(lx, domid) ?? '(null)';
}

/** sched_domain_get: 0, or 1 after saying why */
function schedDomainGet(ctx: XlContext, lx: LibxlCtx, sched: SchedulerName, domid: number) {
  const r = domainSchedParamsGet(lx, domid);
  if (r.rc) {
    eprintf(ctx, 'libxl_domain_sched_params_get failed.\n');
    return undefined;
  }
  if (r.params.sched !== sched) {
    eprintf(ctx, 'libxl_domain_sched_params_get returned %s not %s.\n', r.params.sched, sched);
    return undefined;
  }
  return r.params;
}

type DomOutput = (ctx: XlContext, lx: LibxlCtx, domid: number) => number;
type PoolOutput = (ctx: XlContext, lx: LibxlCtx, poolid: number) => void;

/** the credit and credit2 domain rows (their tables are identical) */
function creditDomainOutput(sched: 'credit' | 'credit2'): DomOutput {
  return (ctx, lx, domid) => {
    if (domid < 0) {
      printf(ctx, '%-33s %4s %6s %4s\n', 'Name', 'ID', 'Weight', 'Cap');
      return 0;
    }
    const p = schedDomainGet(ctx, lx, sched, domid);
    if (!p) return 1;
    printf(ctx, '%-33s %4d %6d %4d\n', nameOf(lx, domid), domid, p.weight, p.cap);
    return 0;
  };
}

function poolName(lx: LibxlCtx, poolid: number): string {
  return cpupoolidToName(lx, poolid) ?? '(null)';
}

const creditPoolOutput: PoolOutput = (ctx, lx, poolid) => {
  const r = schedCreditParamsGet(lx, poolid);
  if (r.rc || !r.params) {
    eprintf(ctx, 'libxl_sched_credit_params_get failed.\n');
    printf(ctx, 'Cpupool %s: [sched params unavailable]\n', poolName(lx, poolid));
  } else {
    printf(ctx, 'Cpupool %s: tslice=%dms ratelimit=%dus migration-delay=%dus\n', poolName(lx, poolid), r.params.tslice_ms, r.params.ratelimit_us, r.params.vcpu_migr_delay_us);
  }
};

const credit2PoolOutput: PoolOutput = (ctx, lx, poolid) => {
  const r = schedCredit2ParamsGet(lx, poolid);
  if (r.rc || r.ratelimit_us === undefined) {
    eprintf(ctx, 'libxl_sched_credit2_params_get failed.\n');
    printf(ctx, 'Cpupool %s: [sched params unavailable]\n', poolName(lx, poolid));
  } else {
    printf(ctx, 'Cpupool %s: ratelimit=%dus\n', poolName(lx, poolid), r.ratelimit_us);
  }
};

const rtdsPoolOutput: PoolOutput = (ctx, lx, poolid) => {
  printf(ctx, 'Cpupool %s: sched=RTDS\n', poolName(lx, poolid));
};

function poolOrFail(ctx: XlContext, lx: LibxlCtx, pool: string): number {
  const id = lookupCpupool(lx, pool);
  if (id === undefined) {
    eprintf(ctx, "unknown cpupool '%s'\n", pool);
    throw new Exit(1);
  }
  return id;
}

/** sched_domain_output / sched_vcpu_output: every pool running `sched` (or just `cpupool`) */
function schedDomainOutput(ctx: XlContext, lx: LibxlCtx, sched: SchedulerName, output: DomOutput, pooloutput: PoolOutput, cpupool: string | undefined): number {
  const only = cpupool === undefined ? undefined : poolOrFail(ctx, lx, cpupool);
  const doms = listDomain(lx);
  let rc = 0;
  for (const p of listCpupool(lx)) {
    if (rc) break;
    if (p.sched !== sched || (only !== undefined && only !== p.poolid)) continue;
    pooloutput(ctx, lx, p.poolid);
    output(ctx, lx, -1);
    for (const d of doms) {
      if (d.cpupool !== p.poolid) continue;
      rc = output(ctx, lx, d.domid);
      if (rc) break;
    }
  }
  return 0;
}

const CREDIT_LONG: LongOption[] = [
  { name: 'domain', hasArg: 1, val: 'd' },
  { name: 'weight', hasArg: 1, val: 'w' },
  { name: 'cap', hasArg: 1, val: 'c' },
  { name: 'schedparam', hasArg: 0, val: 's' },
  { name: 'tslice_ms', hasArg: 1, val: 't' },
  { name: 'ratelimit_us', hasArg: 1, val: 'r' },
  { name: 'migration_delay_us', hasArg: 1, val: 'm' },
  { name: 'cpupool', hasArg: 1, val: 'p' },
];

interface CreditOpts {
  dom?: string;
  cpupool?: string;
  weight?: number;
  cap?: number;
  tslice?: number;
  ratelimit?: number;
  migrdelay?: number;
  s: boolean;
}

function creditOpts(ctx: XlContext, argv: string[], optstring: string, longs: LongOption[], name: string): CreditOpts {
  const p = switchForeachOpt(ctx, argv.slice(1), optstring, longs, name, 0);
  const o: CreditOpts = { s: false };
  for (const { opt, arg } of p.opts) {
    const a = arg ?? '';
    if (opt === 'd') o.dom = a;
    else if (opt === 'w') o.weight = cint(a);
    else if (opt === 'c') o.cap = cint(a);
    else if (opt === 't') o.tslice = cint(a);
    else if (opt === 'r') o.ratelimit = cint(a);
    else if (opt === 'm') o.migrdelay = cint(a);
    else if (opt === 's') o.s = true;
    else if (opt === 'p') o.cpupool = a;
  }
  return o;
}

/** -d DOM alone: header and row; -d DOM -w/-c: set */
function creditDomain(ctx: XlContext, lx: LibxlCtx, sched: 'credit' | 'credit2', o: CreditOpts): number {
  const domid = findDomain(ctx, lx, o.dom!);
  const out = creditDomainOutput(sched);
  if (o.weight === undefined && o.cap === undefined) {
    out(ctx, lx, -1);
    return out(ctx, lx, domid) ? 1 : 0;
  }
  const sc = domainSchedParamsInit();
  sc.sched = sched;
  if (o.weight !== undefined) sc.weight = o.weight;
  if (o.cap !== undefined) sc.cap = o.cap;
  if (domainSchedParamsSet(lx, domid, sc)) {
    eprintf(ctx, 'libxl_domain_sched_params_set failed.\n');
    return 1;
  }
  return 0;
}

export function mainSchedCredit(ctx: XlContext, argv: string[]): number {
  const o = creditOpts(ctx, argv, 'd:w:c:p:t:r:m:s', CREDIT_LONG, 'sched-credit');
  const domOpts = o.dom !== undefined || o.weight !== undefined || o.cap !== undefined;
  if ((o.cpupool !== undefined || o.s) && domOpts) {
    eprintf(ctx, 'Specifying a cpupool or schedparam is not allowed with domain options.\n');
    return 1;
  }
  if (o.dom === undefined && (o.weight !== undefined || o.cap !== undefined)) {
    eprintf(ctx, 'Must specify a domain.\n');
    return 1;
  }
  const setting = o.tslice !== undefined || o.ratelimit !== undefined || o.migrdelay !== undefined;
  if (!o.s && setting) {
    eprintf(ctx, 'Must specify schedparam to set schedule parameter values.\n');
    return 1;
  }
  return withLibxl(ctx, (lx) => {
    if (o.s) {
      const poolid = o.cpupool === undefined ? 0 : poolOrFail(ctx, lx, o.cpupool);
      if (!setting) {
        creditPoolOutput(ctx, lx, poolid);
        return 0;
      }
      const cur = schedCreditParamsGet(lx, poolid);
      if (cur.rc || !cur.params) {
        eprintf(ctx, 'libxl_sched_credit_params_get failed.\n');
        return 1;
      }
      const next = { ...cur.params };
      if (o.tslice !== undefined) next.tslice_ms = o.tslice;
      if (o.ratelimit !== undefined) next.ratelimit_us = o.ratelimit;
      if (o.migrdelay !== undefined) next.vcpu_migr_delay_us = o.migrdelay;
      if (schedCreditParamsSet(lx, poolid, next)) {
        eprintf(ctx, 'libxl_sched_credit_params_set failed.\n');
        return 1;
      }
      return 0;
    }
    if (o.dom === undefined) return schedDomainOutput(ctx, lx, 'credit', creditDomainOutput('credit'), creditPoolOutput, o.cpupool);
    return creditDomain(ctx, lx, 'credit', o);
  });
}

const CREDIT2_LONG: LongOption[] = [
  { name: 'domain', hasArg: 1, val: 'd' },
  { name: 'weight', hasArg: 1, val: 'w' },
  { name: 'cap', hasArg: 1, val: 'c' },
  { name: 'schedparam', hasArg: 0, val: 's' },
  { name: 'ratelimit_us', hasArg: 1, val: 'r' },
  { name: 'cpupool', hasArg: 1, val: 'p' },
];

export function mainSchedCredit2(ctx: XlContext, argv: string[]): number {
  const o = creditOpts(ctx, argv, 'd:w:c:p:r:s', CREDIT2_LONG, 'sched-credit2');
  if (o.cpupool !== undefined && (o.dom !== undefined || o.weight !== undefined || o.cap !== undefined)) {
    eprintf(ctx, 'Specifying a cpupool is not allowed with other options.\n');
    return 1;
  }
  if (o.dom === undefined && (o.weight !== undefined || o.cap !== undefined)) {
    eprintf(ctx, 'Must specify a domain.\n');
    return 1;
  }
  return withLibxl(ctx, (lx) => {
    if (o.s) {
      const poolid = o.cpupool === undefined ? 0 : poolOrFail(ctx, lx, o.cpupool);
      if (o.ratelimit === undefined) {
        credit2PoolOutput(ctx, lx, poolid);
        return 0;
      }
      if (schedCredit2ParamsSet(lx, poolid, o.ratelimit)) {
        eprintf(ctx, 'libxl_sched_credit2_params_set failed.\n');
        return 1;
      }
      return 0;
    }
    if (o.dom === undefined) return schedDomainOutput(ctx, lx, 'credit2', creditDomainOutput('credit2'), credit2PoolOutput, o.cpupool);
    return creditDomain(ctx, lx, 'credit2', o);
  });
}

// ---- RTDS -------------------------------------------------------------------

const rtdsDomainOutput: DomOutput = (ctx, lx, domid) => {
  if (domid < 0) {
    printf(ctx, '%-33s %4s %9s %9s %10s\n', 'Name', 'ID', 'Period', 'Budget', 'Extratime');
    return 0;
  }
  const p = schedDomainGet(ctx, lx, 'rtds', domid);
  if (!p) return 1;
  printf(ctx, '%-33s %4d %9d %9d %10s\n', nameOf(lx, domid), domid, p.period, p.budget, p.extratime ? 'yes' : 'no');
  return 0;
};

function rtdsVcpuHeader(ctx: XlContext): void {
  printf(ctx, '%-33s %4s %4s %9s %9s %10s\n', 'Name', 'ID', 'VCPU', 'Period', 'Budget', 'Extratime');
}

/** sched_vcpu_get(_all): libxl failure ends xl at once */
function rtdsVcpuRows(ctx: XlContext, lx: LibxlCtx, domid: number, vcpus: number[] | undefined): number {
  const fn = vcpus === undefined ? 'libxl_vcpu_sched_params_get_all' : 'libxl_vcpu_sched_params_get';
  const r = vcpuSchedParamsGet(lx, domid, vcpus);
  if (r.rc) {
    eprintf(ctx, '%s failed.\n', fn);
    throw new Exit(1);
  }
  if (r.sched !== 'rtds') {
    eprintf(ctx, '%s returned %s not %s.\n', fn, r.sched, 'rtds');
    return 1;
  }
  const name = nameOf(lx, domid);
  for (const v of r.vcpus) printf(ctx, '%-33s %4d %4d %9u %9u %10s\n', name, domid, v.vcpuid, v.period, v.budget, v.extratime ? 'yes' : 'no');
  return 0;
}

const rtdsVcpuOutputAll: DomOutput = (ctx, lx, domid) => {
  if (domid < 0) {
    rtdsVcpuHeader(ctx);
    return 0;
  }
  return rtdsVcpuRows(ctx, lx, domid, undefined);
};

const RTDS_LONG: LongOption[] = [
  { name: 'domain', hasArg: 1, val: 'd' },
  { name: 'period', hasArg: 1, val: 'p' },
  { name: 'budget', hasArg: 1, val: 'b' },
  { name: 'extratime', hasArg: 1, val: 'e' },
  { name: 'vcpuid', hasArg: 1, val: 'v' },
  { name: 'cpupool', hasArg: 1, val: 'c' },
];

export function mainSchedRtds(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), 'd:p:b:e:v:c', RTDS_LONG, 'sched-rtds', 0);
  let dom: string | undefined;
  let cpupool: string | undefined;
  const vcpus: number[] = [];
  const periods: number[] = [];
  const budgets: number[] = [];
  const extras: boolean[] = [];
  let optAll = false;
  for (const { opt, arg } of p.opts) {
    const a = arg ?? '';
    if (opt === 'd') dom = a;
    else if (opt === 'p') periods.push(cint(a));
    else if (opt === 'b') budgets.push(cint(a));
    else if (opt === 'e') {
      if (a !== '0' && a !== '1') {
        eprintf(ctx, 'Invalid extratime.\n');
        return 1;
      }
      extras.push(a === '1');
    } else if (opt === 'v') {
      if (a === 'all') optAll = true;
      else vcpus.push(cint(a));
    } else if (opt === 'c') cpupool = arg; // "c" takes no argument in the optstring: -c POOL leaves it unset, only --cpupool=POOL sets it
  }
  const optP = periods.length > 0;
  const optB = budgets.length > 0;
  const optE = extras.length > 0;
  const optV = vcpus.length > 0;
  if (cpupool !== undefined && (dom !== undefined || optP || optB || optE || optV || optAll)) {
    eprintf(ctx, 'Specifying a cpupool is not allowed with other options.\n');
    return 1;
  }
  if (dom === undefined && (optP || optB || optE || optV)) {
    eprintf(ctx, 'Missing parameters.\n');
    return 1;
  }
  if (dom !== undefined && !optV && !optAll && (optP || optB || optE)) {
    eprintf(ctx, 'Must specify VCPU.\n');
    return 1;
  }
  if (optV && optAll) {
    eprintf(ctx, 'Incorrect VCPU IDs.\n');
    return 1;
  }
  const nv = vcpus.length;
  if ((nv > budgets.length && optB) || (nv > periods.length && optP) || (nv > extras.length && optE) || periods.length !== budgets.length || periods.length !== extras.length) {
    eprintf(ctx, 'Incorrect number of period, budget and extratime\n');
    return 1;
  }
  return withLibxl(ctx, (lx) => {
    if (dom === undefined) {
      const rc = optAll
        ? schedDomainOutput(ctx, lx, 'rtds', rtdsVcpuOutputAll, rtdsPoolOutput, cpupool)
        : schedDomainOutput(ctx, lx, 'rtds', rtdsDomainOutput, rtdsPoolOutput, cpupool);
      return rc ? 1 : 0;
    }
    const domid = findDomain(ctx, lx, dom);
    if (!optV && !optAll) {
      rtdsDomainOutput(ctx, lx, -1);
      return rtdsDomainOutput(ctx, lx, domid) ? 1 : 0;
    }
    if (!optP && !optB && !optE) {
      rtdsVcpuHeader(ctx);
      return rtdsVcpuRows(ctx, lx, domid, nv > 0 ? vcpus : undefined) ? 1 : 0;
    }
    const list: VcpuSchedParam[] = nv > 0
      ? vcpus.map((v, i) => ({ vcpuid: v, period: periods[i]!, budget: budgets[i]!, extratime: extras[i]! }))
      : [{ vcpuid: 0, period: periods[0]!, budget: budgets[0]!, extratime: extras[0]! }];
    if (vcpuSchedParamsSet(lx, domid, list, nv === 0)) {
      eprintf(ctx, '%s failed.\n', nv > 0 ? 'libxl_vcpu_sched_params_set' : 'libxl_vcpu_sched_params_set_all');
      throw new Exit(1);
    }
    return 0;
  });
}
