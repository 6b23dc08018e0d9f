/**
 * The simple libxl domain calls (libxl_domain.c, libxl_utils.c): listing,
 * info, names, pause/unpause, rename, vm list, start time. Each logs what
 * libxl logs on failure and returns libxl codes, never throws.
 */
import { STRERROR } from '../xen/errno';
import type { LibxlCtx } from './ctx';
import { xcinfo2xlinfo, type Dominfo } from './dominfo';
import { ERROR_DOMAIN_NOTFOUND, ERROR_FAIL, ERROR_INVAL, type LibxlRc } from './errors';
import { libxlLog, where } from './log';

/** libxl_list_domain: every domain, ascending domid */
export function listDomain(lx: LibxlCtx): Dominfo[] {
  const r = lx.hv.getdomaininfolist();
  return r.ok ? r.value.map(xcinfo2xlinfo) : [];
}

/** libxl_domain_info; ERROR_DOMAIN_NOTFOUND after the libxl log line */
export function domainInfo(lx: LibxlCtx, domid: number): { rc: LibxlRc; info?: Dominfo } {
  const r = lx.hv.getdomaininfo(domid);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 356, 'libxl_domain_info'), domid, 'Getting domain info', STRERROR[r.errno]);
    return { rc: r.errno === 'ESRCH' ? ERROR_DOMAIN_NOTFOUND : ERROR_FAIL };
  }
  return { rc: 0, info: xcinfo2xlinfo(r.value) };
}

/** libxl_domain_info without the log line (callers that only probe) */
export function domainExists(lx: LibxlCtx, domid: number): boolean {
  return lx.hv.getdomaininfo(domid).ok;
}

/** libxl_domid_to_name: /local/domain/N/name, if any */
export function domidToName(lx: LibxlCtx, domid: number): string | undefined {
  return lx.xs.tryRead(`/local/domain/${domid}/name`);
}

/** libxl_name_to_domid: the first domain (by id) whose name matches */
export function nameToDomid(lx: LibxlCtx, name: string): { rc: LibxlRc; domid: number } {
  for (const d of listDomain(lx)) {
    if (domidToName(lx, d.domid) === name) return { rc: 0, domid: d.domid };
  }
  return { rc: ERROR_INVAL, domid: 0 };
}

export function cpupoolidToName(lx: LibxlCtx, poolid: number): string | undefined {
  return lx.hv.cpupoolInfo().find((p) => p.id === poolid)?.name;
}

/** libxl_domain_get_nodeaffinity: nodes of the CPUs the vCPUs may use */
export function domainNodeaffinity(lx: LibxlCtx, domid: number): number[] {
  const vcpus = lx.hv.vcpuList(domid);
  if (!vcpus.ok) return [];
  const topo = lx.hv.cputopoinfo();
  const nodes = new Set<number>();
  for (const v of vcpus.value) {
    for (const c of v.hard) {
      const node = topo[c]?.node;
      if (node !== undefined) nodes.add(node);
    }
  }
  return [...nodes].sort((a, b) => a - b);
}

/** libxl_list_vm: every domain that is not a stub domain */
export function listVm(lx: LibxlCtx): Array<{ uuid: string; domid: number }> {
  return listDomain(lx)
    .filter((d) => lx.xs.tryRead(`/local/domain/${d.domid}/image/device-model-domid`) === undefined || d.domid === 0)
    .map((d) => ({ uuid: d.uuid, domid: d.domid }));
}

/** libxl_vm_get_start_time: whole seconds of /vm/<uuid>/start_time, or undefined after the log line */
export function vmStartTime(lx: LibxlCtx, domid: number): number | undefined {
  const vm = lx.xs.tryRead(`/local/domain/${domid}/vm`);
  const st = vm ? lx.xs.tryRead(`${vm}/start_time`) : undefined;
  if (st === undefined) {
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 2224, 'libxl_vm_get_start_time'), domid, "Can't get start time of domain");
    return undefined;
  }
  return Math.floor(Number.parseFloat(st));
}

/** libxl_domain_pause */
export function domainPause(lx: LibxlCtx, domid: number): LibxlRc {
  const r = lx.hv.pausedomain(domid);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 585, 'libxl_domain_pause'), domid, 'Pausing domain', STRERROR[r.errno]);
    return ERROR_FAIL;
  }
  lx.hooks.paused(domid);
  return 0;
}

/** libxl_domain_unpause (for HVM the device model would be resumed first) */
export function domainUnpause(lx: LibxlCtx, domid: number): LibxlRc {
  if (!domainExists(lx, domid)) {
    libxlLog(lx.xtl, 'error', where('libxl_dom.c', 37, 'libxl__domain_type'), domid, 'unable to get dominfo', 'No such process');
    return ERROR_FAIL;
  }
  const r = lx.hv.unpausedomain(domid);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 686, 'domain_unpause_done'), domid, 'Unpausing domain', STRERROR[r.errno]);
    return ERROR_FAIL;
  }
  lx.hooks.unpaused(domid);
  return 0;
}

/**
 * libxl__domain_rename: the new name must not belong to another domain
 * (empty names are not checked); when the caller looked the domain up by
 * name, that name must still be the domain's. The name and
 * /vm/<uuid>/name change in one transaction, which a domain that does not
 * exist (named by a bare number) aborts when its info cannot be had.
 */
export function domainRename(lx: LibxlCtx, domid: number, oldName: string | undefined, newName: string): LibxlRc {
  const namePath = `/local/domain/${domid}/name`;
  if (newName !== '') {
    const other = nameToDomid(lx, newName);
    if (other.rc === 0 && other.domid !== domid) {
      libxlLog(lx.xtl, 'error', where('libxl_domain.c', 81, 'libxl__domain_rename'), domid, `Domain with name "${newName}" already exists.`);
      return ERROR_INVAL;
    }
  }
  if (oldName !== undefined) {
    const cur = lx.xs.tryRead(namePath);
    if (cur === undefined) {
      libxlLog(lx.xtl, 'error', where('libxl_domain.c', 88, 'libxl__domain_rename'), domid, `Check old name for domain allegedly named \`${oldName}'`, 'No such file or directory');
      return ERROR_FAIL;
    }
    if (cur !== oldName) {
      libxlLog(lx.xtl, 'error', where('libxl_domain.c', 96, 'libxl__domain_rename'), domid, `Allegedly named \`${oldName}' is actually named \`${cur}' - racing ?`);
      return ERROR_FAIL;
    }
  }
  const info = domainInfo(lx, domid);
  if (info.rc || !info.info) return info.rc;
  lx.xs.write(namePath, newName);
  lx.xs.write(`/vm/${info.info.uuid}/name`, newName);
  return 0;
}
