/**
 * Memory targets (libxl_mem.c): libxl_set_memory_target (the balloon
 * target, `xl mem-set` and autoballooning of dom0), libxl_domain_setmaxmem
 * (`xl mem-max`), libxl_domain_need_memory / libxl_get_free_memory, and
 * xl's freemem loop that shrinks dom0 to make room for a new guest.
 */
import { STRERROR } from '../xen/errno';
import type { LibxlCtx } from './ctx';
import { ERROR_FAIL, ERROR_INVAL, type LibxlRc } from './errors';
import { libxlLog, where } from './log';
import { LIBXL_MAXMEM_CONSTANT_KB, LIBXL_MIN_DOM0_MEM_KB, domainConfigSetdefault, needMemoryKb } from './setdefault';
import type { DomainConfig } from './types';
import { getDomainConfiguration } from './userdata';

/** libxl__fill_dom0_memory_info: dom0's memory keys appear the first time they are needed */
function fillDom0MemoryInfo(lx: LibxlCtx): void {
  const r = lx.hv.getdomaininfo(0);
  if (!r.ok) return;
  const d = r.value;
  if (lx.xs.tryRead('/local/domain/0/memory/target') === undefined) {
    lx.xs.write('/local/domain/0/memory/target', String(d.totPages * 4));
    lx.xs.write('/local/domain/0/memory/static-max', String(d.maxPages * 4));
  }
}

function readKb(lx: LibxlCtx, path: string): number | undefined {
  const v = lx.xs.tryRead(path);
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/**
 * libxl_set_memory_target(domid, target, relative, enforce). A target
 * above static-max, or dom0 below 128 MiB, is refused with libxl's lines.
 */
export function setMemoryTarget(lx: LibxlCtx, domid: number, targetKb: number, relative: boolean, enforce: boolean): LibxlRc {
  const dompath = `/local/domain/${domid}`;
  if (domid === 0) fillDom0MemoryInfo(lx);
  const current = readKb(lx, `${dompath}/memory/target`);
  if (current === undefined) {
    libxlLog(lx.xtl, 'error', where('libxl_mem.c', 251, 'libxl_set_memory_target'), domid, `Cannot get target memory info from ${dompath}/memory/target`, 'No such file or directory');
    return ERROR_FAIL;
  }
  const staticMax = readKb(lx, `${dompath}/memory/static-max`) ?? 0;
  const videoram = readKb(lx, `${dompath}/memory/videoram`) ?? 0;
  let newTarget: number;
  if (relative) newTarget = targetKb < 0 && -targetKb > current ? 0 : current + targetKb;
  else newTarget = targetKb - videoram;
  if (newTarget > staticMax) {
    // the format string itself ends in "\n", so the logger adds an empty line
    libxlLog(lx.xtl, 'error', where('libxl_mem.c', 278, 'libxl_set_memory_target'), domid, 'memory_dynamic_max must be less than or equal to memory_static_max\n');
    return ERROR_INVAL;
  }
  if (domid === 0 && newTarget < LIBXL_MIN_DOM0_MEM_KB) {
    libxlLog(lx.xtl, 'error', where('libxl_mem.c', 287, 'libxl_set_memory_target'), domid, `New target ${newTarget} for dom0 is below the minimum threshold`);
    return ERROR_INVAL;
  }
  if (enforce) {
    const r = lx.hv.max_mem(domid, newTarget + videoram + LIBXL_MAXMEM_CONSTANT_KB);
    if (!r.ok) {
      libxlLog(lx.xtl, 'error', where('libxl_mem.c', 299, 'libxl_set_memory_target'), domid, `xc_domain_setmaxmem memkb=${newTarget + videoram + LIBXL_MAXMEM_CONSTANT_KB} failed rc=-1\n`, STRERROR[r.errno]);
      return ERROR_FAIL;
    }
  }
  const d = lx.hv.getdomaininfo(domid);
  if (domid !== 0 && d.ok && d.value.hvm) lx.hv.set_pod_target(domid, Math.floor((newTarget + LIBXL_MAXMEM_CONSTANT_KB) / 4));
  lx.xs.write(`${dompath}/memory/target`, String(newTarget));
  const vm = lx.xs.tryRead(`${dompath}/vm`);
  if (vm) lx.xs.write(`${vm}/memory`, String(Math.floor(newTarget / 1024)));
  if (domid === 0) dom0Balloon(lx, newTarget);
  else lx.hooks.memoryTargetChanged(domid);
  return 0;
}

/** Dom0's balloon driver: the toolstack's own domain follows at once. */
function dom0Balloon(lx: LibxlCtx, targetKb: number): void {
  const r = lx.hv.getdomaininfo(0);
  if (!r.ok) return;
  const d = r.value;
  const want = Math.floor(targetKb / 4);
  if (want < d.totPages) lx.hv.decrease_reservation(0, d.totPages - want);
}

/** libxl_domain_setmaxmem: refused below the current target ("or or" and all) */
export function domainSetmaxmem(lx: LibxlCtx, domid: number, maxKb: number): LibxlRc {
  const dompath = `/local/domain/${domid}`;
  if (domid === 0) fillDom0MemoryInfo(lx);
  const target = readKb(lx, `${dompath}/memory/target`);
  if (target === undefined) {
    libxlLog(lx.xtl, 'error', where('libxl_mem.c', 47, 'libxl_domain_setmaxmem'), domid, `Cannot get memory info from ${dompath}/memory/target`, 'No such file or directory');
    return 1;
  }
  if (maxKb < target) {
    libxlLog(lx.xtl, 'error', where('libxl_mem.c', 59, 'libxl_domain_setmaxmem'), domid, 'memory_static_max must be greater than or or equal to memory_dynamic_max', 'Success');
    return 1;
  }
  if (domid !== 0 && !getDomainConfiguration(lx, domid)) {
    libxlLog(lx.xtl, 'error', where('libxl_mem.c', 66, 'libxl_domain_setmaxmem'), undefined, 'unable to retrieve domain configuration', 'No such file or directory');
    return ERROR_FAIL;
  }
  const r = lx.hv.max_mem(domid, maxKb + LIBXL_MAXMEM_CONSTANT_KB);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_mem.c', 78, 'libxl_domain_setmaxmem'), domid, `xc_domain_setmaxmem domid=${domid} memkb=${maxKb + LIBXL_MAXMEM_CONSTANT_KB} failed rc=-1\n`, STRERROR[r.errno]);
    return 1;
  }
  lx.xs.write(`${dompath}/memory/static-max`, String(maxKb));
  return 0;
}

/** libxl_get_free_memory: (free + scrub) pages in KiB */
export function getFreeMemoryKb(lx: LibxlCtx): number {
  return lx.hv.physinfo().freePages * 4;
}

/** libxl_domain_need_memory on a defaulted copy of the config */
export function domainNeedMemoryKb(lx: LibxlCtx, d: DomainConfig): number {
  const copy = JSON.parse(JSON.stringify(d)) as DomainConfig;
  const caps = lx.hv.physinfo().caps;
  domainConfigSetdefault({ log() {}, progress() {} }, copy, { hap: caps.hap, shadow: caps.shadow, directio: caps.directio, gnttabV1: caps.gnttabV1, gnttabV2: caps.gnttabV2 }, -1);
  return needMemoryKb(copy);
}

/**
 * freemem (xl_vmcontrol.c): if the host lacks room, lower dom0's target by
 * the shortfall and let it balloon. Dom0 gives memory back at once here,
 * so the 30 s budget of the real loop is never needed; it fails only when
 * dom0 would drop below its minimum.
 */
export function freemem(lx: LibxlCtx, d: DomainConfig): boolean {
  const need = domainNeedMemoryKb(lx, d);
  for (let round = 0; round < 2; round++) {
    const free = getFreeMemoryKb(lx);
    if (free >= need) return true;
    if (round > 0) return false;
    if (setMemoryTarget(lx, 0, free - need, true, false)) return false;
  }
  return false;
}
