/**
 * vCPU control (libxl_domain.c libxl_set_vcpuonline, libxl_list_vcpu,
 * libxl_set_vcpuaffinity): online vCPUs follow the requested map through
 * cpu/N/availability, which the guest's hotplug code obeys.
 */
import { STRERROR } from '../xen/errno';
import type { VcpuInfo } from '../xen/vcpu';
import type { LibxlCtx } from './ctx';
import { ERROR_DOMAIN_NOTFOUND, ERROR_FAIL, type LibxlRc } from './errors';
import { libxlLog, where } from './log';

/** libxl_set_vcpuonline with a map of the first `count` vCPUs */
export function setVcpuonline(lx: LibxlCtx, domid: number, count: number): LibxlRc {
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 356, 'libxl_domain_info'), domid, 'Getting domain info', STRERROR[info.errno]);
    return ERROR_DOMAIN_NOTFOUND;
  }
  const max = info.value.maxVcpuId + 1;
  if (count === 0) {
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 1867, 'libxl_set_vcpuonline'), domid, 'Requested 0 VCPUs!', 'Success');
    return ERROR_FAIL;
  }
  if (count > max) {
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 1873, 'libxl_set_vcpuonline'), domid, `Requested ${count} VCPUs, however maxcpus is ${max}!`, 'Success');
    return ERROR_FAIL;
  }
  for (let i = 0; i < max; i++) {
    const online = i < count;
    lx.xs.write(`/local/domain/${domid}/cpu/${i}/availability`, online ? 'online' : 'offline');
  }
  if (lx.hooks.vcpuHotplug(domid)) applyVcpuAvailability(lx, domid);
  return 0;
}

/**
 * The guest's hotplug handler following cpu/N/availability (VCPUOP_up and
 * _down): up first, so the last online vCPU is never taken down.
 */
export function applyVcpuAvailability(lx: LibxlCtx, domid: number): void {
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok) return;
  const max = info.value.maxVcpuId + 1;
  const online = (i: number): boolean => lx.xs.tryRead(`/local/domain/${domid}/cpu/${i}/availability`) === 'online';
  for (let i = 0; i < max; i++) if (online(i)) lx.hv.vcpu_up(domid, i);
  for (let i = max - 1; i >= 0; i--) if (!online(i)) lx.hv.vcpu_down(domid, i);
}

/** libxl_list_vcpu */
export function listVcpu(lx: LibxlCtx, domid: number): VcpuInfo[] | undefined {
  const r = lx.hv.vcpuList(domid);
  return r.ok ? r.value : undefined;
}

/**
 * libxl_set_vcpuaffinity: undefined leaves that side unchanged. Returns the
 * rc; libxl logs the hypervisor's refusal.
 */
export function setVcpuaffinity(lx: LibxlCtx, domid: number, vcpu: number, hard: number[] | undefined, soft: number[] | undefined): LibxlRc {
  const r = lx.hv.setvcpuaffinity(domid, vcpu, hard, soft);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_sched.c', 56, 'libxl_set_vcpuaffinity'), domid, `Setting vcpu affinity`, STRERROR[r.errno]);
    return ERROR_FAIL;
  }
  return 0;
}
