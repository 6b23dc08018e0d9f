/**
 * libxl's cpupool calls (tools/libs/light/libxl_cpupool.c and the pool
 * helpers of libxl_utils.c). Xen knows pools by id; their names live in
 * xenstore under /local/pool/<id>/name, where libxl writes them. A pool
 * whose name was never written there (Pool-0 on a host whose dom0 setup
 * did not) falls back to the name the hypervisor record keeps.
 *
 * Log lines: libxl passes the libxc return value (-1) as the errno of its
 * LOGEV calls, so those lines carry no ": <strerror>" tail; the LOGE ones
 * (adding or removing one CPU) do.
 */
import { STRERROR } from '../xen/errno';
import { CPUPOOL_PAR_ANY } from '../xen/cpupool';
import { schedHypercalls } from '../xen/sched';
import type { SchedulerName } from '../xen/types';
import type { LibxlCtx } from './ctx';
import { ERROR_FAIL, ERROR_INVAL, type LibxlRc } from './errors';
import { libxlLog, where } from './log';

export interface CpupoolInfo {
  poolid: number;
  pool_name: string;
  sched: SchedulerName;
  n_dom: number;
  /** CPUs in the pool, ascending */
  cpumap: number[];
}

const SCHEDULERS: readonly string[] = ['unknown', 'sedf', 'credit', 'credit2', 'arinc653', 'rtds', 'null'];

/** libxl_scheduler_from_string (case-insensitive, as libxl's enum parsers are) */
export function schedulerFromString(s: string): string | undefined {
  return SCHEDULERS.find((n) => n === s.toLowerCase());
}

function isXenScheduler(s: string): s is SchedulerName {
  return s === 'credit' || s === 'credit2' || s === 'rtds' || s === 'arinc653' || s === 'null';
}

function poolPath(poolid: number): string {
  return `/local/pool/${poolid}`;
}

/** libxl_cpupoolid_to_name */
export function cpupoolidToName(lx: LibxlCtx, poolid: number): string | undefined {
  const n = lx.xs.tryRead(`${poolPath(poolid)}/name`);
  if (n !== undefined) return n;
  return lx.hv.cpupoolInfo().find((p) => p.id === poolid)?.name;
}

/** libxl_cpupoolid_is_valid */
export function cpupoolidIsValid(lx: LibxlCtx, poolid: number): boolean {
  return cpupoolidToName(lx, poolid) !== undefined;
}

/** libxl_list_cpupool, with the domain count Xen reports per pool */
export function listCpupool(lx: LibxlCtx): CpupoolInfo[] {
  const doms = lx.hv.getdomaininfolist();
  const all = doms.ok ? doms.value : [];
  const out: CpupoolInfo[] = [];
  for (const p of lx.hv.cpupoolInfo()) {
    const name = cpupoolidToName(lx, p.id);
    if (name === undefined) break;
    out.push({ poolid: p.id, pool_name: name, sched: p.sched, n_dom: all.filter((d) => d.cpupool === p.id).length, cpumap: p.cpus.slice() });
  }
  return out;
}

/** libxl_cpupool_info for one pool */
export function cpupoolInfo(lx: LibxlCtx, poolid: number): CpupoolInfo | undefined {
  return listCpupool(lx).find((p) => p.poolid === poolid);
}

/** libxl_name_to_cpupoolid */
export function nameToCpupoolid(lx: LibxlCtx, name: string): number | undefined {
  return listCpupool(lx).find((p) => p.pool_name === name)?.poolid;
}

/**
 * libxl_cpupool_qualifier_to_cpupoolid: all digits (at least one) is an id
 * taken on trust, anything else a name. rc 0 or ERROR_INVAL.
 */
export function cpupoolQualifierToCpupoolid(lx: LibxlCtx, p: string): { rc: LibxlRc; poolid: number; wasName: boolean } {
  if (/^[0-9]+$/.test(p)) {
    // strtoul stored into a uint32_t: saturates at ULONG_MAX, then truncates
    const n = BigInt(p);
    const ul = n > 0xffffffffffffffffn ? 0xffffffffffffffffn : n;
    return { rc: 0, poolid: Number(ul & 0xffffffffn), wasName: false };
  }
  const id = nameToCpupoolid(lx, p);
  return id === undefined ? { rc: ERROR_INVAL, poolid: 0, wasName: true } : { rc: 0, poolid: id, wasName: true };
}

/** What xl checks before using a pool argument: it resolves and the pool has a name. */
export function lookupCpupool(lx: LibxlCtx, p: string): number | undefined {
  const r = cpupoolQualifierToCpupoolid(lx, p);
  if (r.rc || !cpupoolidIsValid(lx, r.poolid)) return undefined;
  return r.poolid;
}

/** libxl_get_freecpus */
export function freeCpus(lx: LibxlCtx): number[] {
  return lx.hv.freeCpus();
}

/** libxl_cpupool_create: an empty pool, its CPUs, then its name and uuid in xenstore. */
export function cpupoolCreate(lx: LibxlCtx, name: string, sched: string, cpus: readonly number[], uuid: string, poolid = CPUPOOL_PAR_ANY): { rc: LibxlRc; poolid: number } {
  const want = poolid === 0 ? CPUPOOL_PAR_ANY : poolid;
  // 'unknown' and the long-gone 'sedf' name no scheduler Xen has (ENOENT)
  const r = isXenScheduler(sched) ? lx.hv.cpupoolCreate(want, sched, name) : ({ ok: false, errno: 'ENOENT' } as const);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_cpupool.c', 157, 'libxl_cpupool_create'), undefined, 'Could not create cpupool');
    return { rc: ERROR_FAIL, poolid: 0 };
  }
  const id = r.value;
  for (const cpu of [...cpus].sort((a, b) => a - b)) {
    const a = lx.hv.cpupoolAddCpu(id, cpu);
    if (!a.ok) {
      libxlLog(lx.xtl, 'error', where('libxl_cpupool.c', 167, 'libxl_cpupool_create'), undefined, 'Error moving cpu to cpupool');
      cpupoolDestroy(lx, id);
      return { rc: ERROR_FAIL, poolid: id };
    }
  }
  lx.xs.mkdir(poolPath(id));
  lx.xs.write(`${poolPath(id)}/uuid`, uuid);
  lx.xs.write(`${poolPath(id)}/name`, name);
  return { rc: 0, poolid: id };
}

/** libxl_cpupool_destroy: refused (ERROR_INVAL, silently) while domains are in the pool. */
export function cpupoolDestroy(lx: LibxlCtx, poolid: number): LibxlRc {
  const info = lx.hv.cpupoolInfo().find((p) => p.id === poolid);
  if (!info) return ERROR_FAIL;
  const doms = lx.hv.getdomaininfolist();
  if (doms.ok && doms.value.some((d) => d.cpupool === poolid)) return ERROR_INVAL;
  for (const cpu of info.cpus) {
    const r = lx.hv.cpupoolRemoveCpu(poolid, cpu);
    if (!r.ok) {
      libxlLog(lx.xtl, 'error', where('libxl_cpupool.c', 219, 'libxl_cpupool_destroy'), undefined, 'Error removing cpu from cpupool');
      return ERROR_FAIL;
    }
  }
  const r = lx.hv.cpupoolDestroy(poolid);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_cpupool.c', 227, 'libxl_cpupool_destroy'), undefined, 'Could not destroy cpupool');
    return ERROR_FAIL;
  }
  lx.xs.rm(poolPath(poolid));
  return 0;
}

/** libxl_cpupool_rename: only the name in xenstore (and the copy Xen's record keeps). */
export function cpupoolRename(lx: LibxlCtx, name: string, poolid: number): LibxlRc {
  if (!lx.hv.cpupoolInfo().some((p) => p.id === poolid)) return ERROR_FAIL;
  lx.xs.write(`${poolPath(poolid)}/name`, name);
  schedHypercalls(lx.hv).cpupoolRename(poolid, name);
  return 0;
}

/** libxl_cpupool_cpuadd */
export function cpupoolCpuadd(lx: LibxlCtx, poolid: number, cpu: number): LibxlRc {
  const r = lx.hv.cpupoolAddCpu(poolid, cpu);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_cpupool.c', 302, 'libxl_cpupool_cpuadd'), undefined, `Error moving cpu ${cpu} to cpupool`, STRERROR[r.errno]);
    return ERROR_FAIL;
  }
  return 0;
}

/** libxl_cpupool_cpuadd_cpumap: tries every CPU, fails if any did */
export function cpupoolCpuaddCpumap(lx: LibxlCtx, poolid: number, cpus: readonly number[]): LibxlRc {
  let done = 0;
  for (const c of cpus) if (!cpupoolCpuadd(lx, poolid, c)) done++;
  return done === cpus.length ? 0 : ERROR_FAIL;
}

/** libxl_cpupool_cpuadd_node: the node's free CPUs; rc is 0 even when some failed */
export function cpupoolCpuaddNode(lx: LibxlCtx, poolid: number, node: number): { rc: LibxlRc; cpus: number } {
  const free = new Set(freeCpus(lx));
  let n = 0;
  for (const t of lx.hv.cputopoinfo()) {
    if (free.has(t.cpu) && t.node === node && !cpupoolCpuadd(lx, poolid, t.cpu)) n++;
  }
  return { rc: 0, cpus: n };
}

/** libxl_cpupool_cpuremove */
export function cpupoolCpuremove(lx: LibxlCtx, poolid: number, cpu: number): LibxlRc {
  const r = lx.hv.cpupoolRemoveCpu(poolid, cpu);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_cpupool.c', 365, 'libxl_cpupool_cpuremove'), undefined, `Error removing cpu ${cpu} from cpupool`, STRERROR[r.errno]);
    return ERROR_FAIL;
  }
  return 0;
}

export function cpupoolCpuremoveCpumap(lx: LibxlCtx, poolid: number, cpus: readonly number[]): LibxlRc {
  let done = 0;
  for (const c of cpus) if (!cpupoolCpuremove(lx, poolid, c)) done++;
  return done === cpus.length ? 0 : ERROR_FAIL;
}

/** libxl_cpupool_cpuremove_node: the node's CPUs that are in the pool */
export function cpupoolCpuremoveNode(lx: LibxlCtx, poolid: number, node: number): { rc: LibxlRc; cpus: number } {
  const pool = lx.hv.cpupoolInfo().find((p) => p.id === poolid);
  let n = 0;
  if (pool) {
    for (const t of lx.hv.cputopoinfo()) {
      if (t.node === node && pool.cpus.includes(t.cpu) && !cpupoolCpuremove(lx, poolid, t.cpu)) n++;
    }
  }
  return { rc: 0, cpus: n };
}

/** libxl_cpupool_movedomain. Xen refuses to move the calling domain (dom0): EPERM. */
export function cpupoolMovedomain(lx: LibxlCtx, poolid: number, domid: number): LibxlRc {
  const info = lx.hv.getdomaininfo(domid);
  const r = domid === 0 ? ({ ok: false, errno: 'EPERM' } as const) : info.ok && info.value.cpupool === poolid ? ({ ok: true } as const) : lx.hv.cpupoolMoveDomain(poolid, domid);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_cpupool.c', 437, 'libxl_cpupool_movedomain'), domid, 'Error moving domain to cpupool');
    return ERROR_FAIL;
  }
  return 0;
}

/**
 * The pool step of libxl__domain_config_setdefault: `pool_name` (xl.cfg
 * `pool=`, a name or an id) becomes c_info.poolid, which must name a pool.
 * Without a name the given poolid (default 0) is checked as it is.
 */
export function createPoolid(lx: LibxlCtx, poolName: string | undefined, poolid = 0, domid?: number): { rc: LibxlRc; poolid: number } {
  let id = poolid;
  if (poolName !== undefined) {
    const r = cpupoolQualifierToCpupoolid(lx, poolName);
    id = r.rc ? 0xffffffff : r.poolid;
  }
  if (!cpupoolidIsValid(lx, id)) {
    libxlLog(lx.xtl, 'error', where('libxl_create.c', 1178, 'libxl__domain_config_setdefault'), domid, `Illegal pool specified: ${poolName ?? '(null)'}`);
    return { rc: ERROR_INVAL, poolid: id };
  }
  return { rc: 0, poolid: id };
}
