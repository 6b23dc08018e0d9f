/**
 * XEN_DOMCTL_getdomaininfo / XEN_SYSCTL_getdomaininfolist, and the helpers
 * xl needs to turn the flags into `xl list` columns.
 */
import { DOMID_FIRST_RESERVED, DOMINF, DOMINF_SHUTDOWN_MASK, DOMINF_SHUTDOWN_SHIFT, NS_PER_SEC } from './constants';
import type { XenCore } from './core';
import { err, ok, type XenResult } from './errno';
import type { DomainKind, XenDomainData } from './types';
import { domainCpuTimeNs, vcpuRunning } from './vcpu-time';

export interface DomainInfo {
  domid: number;
  /** XEN_DOMINF_* bits with the shutdown code in bits 16..23 */
  flags: number;
  dying: boolean;
  hvm: boolean;
  shutdown: boolean;
  paused: boolean;
  blocked: boolean;
  running: boolean;
  debugged: boolean;
  xsDomain: boolean;
  hap: boolean;
  /** always copied (255 when none was ever set); libxl looks only when `shutdown` */
  shutdownCode: number;
  totPages: number;
  maxPages: number;
  outstandingPages: number;
  sharedPages: number;
  pagedPages: number;
  cpuTimeNs: number;
  nrOnlineVcpus: number;
  maxVcpuId: number;
  handle: string;
  cpupool: number;
  ssidref: number;
  /** not part of Xen's structure; what the toolstack knows from its own records */
  kind: DomainKind;
}

export function domainInfo(d: XenDomainData, now: number): DomainInfo {
  const online = d.vcpus.filter((v) => v.online);
  let running = online.some((v) => vcpuRunning(d, v, now));
  const paused = d.controllerPause > 0;
  const shutdown = d.shutdown === 'complete';
  // A blocked vCPU of a paused or shut-down domain does not stay blocked:
  // its next timer event (an idle guest always has one pending) clears
  // VPF_blocked through vcpu_unblock, and a paused vCPU never blocks again.
  // So real hosts show a paused idle guest as --p---, not -bp---; the event
  // is taken to have arrived at once.
  let blocked = !paused && !shutdown && online.length > 0 && online.every((v) => v.blocked);
  if (online.length === 0) {
    running = false;
    blocked = false;
  }
  const dying = d.dying === 'dead';
  const code = d.shutdownCode < 0 ? DOMINF_SHUTDOWN_MASK : d.shutdownCode & DOMINF_SHUTDOWN_MASK;
  let flags = code << DOMINF_SHUTDOWN_SHIFT;
  if (dying) flags |= DOMINF.dying;
  if (d.hvm) flags |= DOMINF.hvm_guest;
  if (shutdown) flags |= DOMINF.shutdown;
  if (paused) flags |= DOMINF.paused;
  if (blocked) flags |= DOMINF.blocked;
  if (running) flags |= DOMINF.running;
  if (d.debugged) flags |= DOMINF.debugged;
  if (d.xsDomain) flags |= DOMINF.xs_domain;
  if (d.hap) flags |= DOMINF.hap;
  return {
    domid: d.domid,
    flags,
    dying,
    hvm: d.hvm,
    shutdown,
    paused,
    blocked,
    running,
    debugged: d.debugged,
    xsDomain: d.xsDomain,
    hap: d.hap,
    shutdownCode: code,
    totPages: d.totPages,
    maxPages: d.maxPages,
    outstandingPages: d.outstandingPages,
    sharedPages: d.sharedPages,
    pagedPages: d.pagedPages,
    cpuTimeNs: domainCpuTimeNs(d),
    nrOnlineVcpus: online.length,
    maxVcpuId: d.maxVcpus - 1,
    handle: d.handle,
    cpupool: d.cpupool,
    ssidref: d.ssidref,
    kind: d.kind,
  };
}

export function getDomainInfo(x: XenCore, domid: number): XenResult<DomainInfo> {
  const r = x.get(domid);
  if (!r.ok) return r;
  return ok(domainInfo(r.value, x.now()));
}

/**
 * XEN_SYSCTL_getdomaininfolist: up to `max` domains with id ≥ `first`, in
 * id order. (Xen's getdomaininfo with a missing id returns the next one up;
 * the list form is what libxl_list_domain uses.)
 */
export function getDomainInfoList(x: XenCore, first = 0, max = DOMID_FIRST_RESERVED): XenResult<DomainInfo[]> {
  if (first < 0 || max < 0) return err('EINVAL');
  const now = x.now();
  return ok(
    x
      .all()
      .filter((d) => d.domid >= first)
      .slice(0, max)
      .map((d) => domainInfo(d, now)),
  );
}

const REASON_LETTERS = '-rscwS';

/** The six `xl list` state characters (xl_info.c list_domains). */
export function stateLetters(i: Pick<DomainInfo, 'running' | 'blocked' | 'paused' | 'shutdown' | 'shutdownCode' | 'dying'>): string {
  let reason = '-';
  if (i.shutdown) reason = i.shutdownCode < REASON_LETTERS.length ? REASON_LETTERS[i.shutdownCode]! : '?';
  return (
    (i.running ? 'r' : '-') +
    (i.blocked ? 'b' : '-') +
    (i.paused ? 'p' : '-') +
    (i.shutdown ? 's' : '-') +
    reason +
    (i.dying ? 'd' : '-')
  );
}

/** `xl list` Mem column: (current + outstanding) KiB / 1024, integer division. */
export function listMemMiB(i: Pick<DomainInfo, 'totPages' | 'outstandingPages'>): number {
  return Math.floor(((i.totPages + i.outstandingPages) * 4) / 1024);
}

/** `xl list` Time(s) column value (printed with %8.1f). */
export function cpuSeconds(i: Pick<DomainInfo, 'cpuTimeNs'>): number {
  return i.cpuTimeNs / NS_PER_SEC;
}
