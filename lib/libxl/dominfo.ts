/**
 * libxl_dominfo: what libxl makes of XEN_DOMCTL_getdomaininfo
 * (libxl_domain.c, libxl__xcinfo2xlinfo). Pages become KiB, the flag bits
 * become booleans, and the shutdown reason is only meaningful while the
 * shutdown flag is set.
 */
import type { DomainInfo } from '../xen/info';

export interface Dominfo {
  uuid: string;
  domid: number;
  ssidref: number;
  ssid_label?: string;
  running: boolean;
  blocked: boolean;
  paused: boolean;
  shutdown: boolean;
  dying: boolean;
  never_stop: boolean;
  /** -1 (unknown) unless shut down */
  shutdown_reason: number;
  outstanding_memkb: number;
  current_memkb: number;
  shared_memkb: number;
  paged_memkb: number;
  max_memkb: number;
  /** ns */
  cpu_time: number;
  vcpu_max_id: number;
  vcpu_online: number;
  cpupool: number;
  /** PVH shows as hvm at this level */
  domain_type: 'hvm' | 'pv';
}

export function xcinfo2xlinfo(x: DomainInfo): Dominfo {
  return {
    uuid: x.handle,
    domid: x.domid,
    ssidref: x.ssidref,
    running: x.running,
    blocked: x.blocked,
    paused: x.paused,
    shutdown: x.shutdown,
    dying: x.dying,
    never_stop: x.xsDomain,
    shutdown_reason: x.shutdown ? x.shutdownCode : -1,
    outstanding_memkb: x.outstandingPages * 4,
    current_memkb: x.totPages * 4,
    shared_memkb: x.sharedPages * 4,
    paged_memkb: x.pagedPages * 4,
    max_memkb: x.maxPages * 4,
    cpu_time: x.cpuTimeNs,
    vcpu_max_id: x.maxVcpuId,
    vcpu_online: x.nrOnlineVcpus,
    cpupool: x.cpupool,
    domain_type: x.hvm ? 'hvm' : 'pv',
  };
}
