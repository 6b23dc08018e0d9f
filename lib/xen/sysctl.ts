/**
 * Host-wide queries: XEN_SYSCTL_physinfo, topology/NUMA info, version
 * (xen_version hypercall), scheduler id and cpupool info.
 */
import type { XenCore } from './core';
import type { CpupoolData, VirtCaps, XenHostData } from './types';

export interface PhysInfo {
  nrCpus: number;
  maxCpuId: number;
  nrNodes: number;
  maxNodeId: number;
  coresPerSocket: number;
  threadsPerCore: number;
  sockets: number;
  cpuKhz: number;
  hwCap: number[];
  caps: VirtCaps;
  totalPages: number;
  /** the free heap, claims not subtracted (xl info subtracts them) */
  freePages: number;
  scrubPages: number;
  outstandingPages: number;
  sharingFreedPages: number;
  sharingUsedPages: number;
}

export function physinfo(host: XenHostData): PhysInfo {
  return {
    nrCpus: host.nrCpus,
    maxCpuId: host.nrCpus - 1,
    nrNodes: host.nodes.length,
    maxNodeId: host.nodes.length - 1,
    coresPerSocket: host.coresPerSocket,
    threadsPerCore: host.threadsPerCore,
    sockets: host.sockets,
    cpuKhz: host.cpuKhz,
    hwCap: host.hwCaps.slice(),
    caps: { ...host.caps },
    totalPages: host.totalPages,
    freePages: host.freePages,
    scrubPages: 0,
    outstandingPages: host.outstandingClaims,
    sharingFreedPages: 0,
    sharingUsedPages: 0,
  };
}

export interface CpuTopo {
  cpu: number;
  core: number;
  socket: number;
  node: number;
}

export function cpuTopology(host: XenHostData): CpuTopo[] {
  return host.pcpus.map((c) => ({ cpu: c.id, core: c.core, socket: c.socket, node: c.node }));
}

export interface NumaNodeInfo {
  node: number;
  /** pages */
  memsize: number;
  /** pages */
  memfree: number;
  distances: number[];
}

/** Free memory is spread over nodes in proportion to their size (no per-node placement yet). */
export function numaInfo(host: XenHostData): NumaNodeInfo[] {
  const n = host.nodes.length;
  let left = host.freePages;
  return host.nodes.map((node, i) => {
    const free = i === n - 1 ? left : Math.floor((host.freePages * node.pages) / host.totalPages);
    left -= free;
    return {
      node: node.id,
      memsize: node.pages,
      memfree: free,
      distances: host.nodes.map((o) => (o.id === node.id ? 10 : 21)),
    };
  });
}

export interface XenVersion {
  major: number;
  minor: number;
  extra: string;
  /** "xen-3.0-x86_64 hvm-3.0-x86_32 ..." */
  capabilities: string;
  changeset: string;
  commandline: string;
  compiler: string;
  compileBy: string;
  compileDomain: string;
  compileDate: string;
  buildId: string;
  pagesize: number;
  virtStart: bigint;
  debug: boolean;
}

/** HYPERVISOR_VIRT_START for x86-64 guests */
export const HYPERVISOR_VIRT_START = 0xffff800000000000n;

export function versionInfo(host: XenHostData): XenVersion {
  const v = host.version;
  const caps = ['xen-3.0-x86_64'];
  if (host.caps.hvm) caps.push('hvm-3.0-x86_32', 'hvm-3.0-x86_32p', 'hvm-3.0-x86_64');
  return {
    major: v.major,
    minor: v.minor,
    extra: v.extra,
    capabilities: caps.join(' '),
    changeset: v.changeset,
    commandline: host.commandline,
    compiler: v.compiler,
    compileBy: v.compileBy,
    compileDomain: v.compileDomain,
    compileDate: v.compileDate,
    buildId: v.buildId,
    pagesize: 4096,
    virtStart: HYPERVISOR_VIRT_START,
    debug: v.debug,
  };
}

export function cpupoolInfo(host: XenHostData): CpupoolData[] {
  return host.cpupools.map((p) => ({ ...p, cpus: p.cpus.slice() }));
}

/** CPUs in no cpupool (xl info free_cpus). */
export function freeCpus(host: XenHostData): number[] {
  const inPool = new Set(host.cpupools.flatMap((p) => p.cpus));
  return host.pcpus.map((c) => c.id).filter((c) => !inPool.has(c));
}

/** Domains per pool, for `xl cpupool-list`. */
export function cpupoolDomainCount(x: XenCore, poolId: number): number {
  return x.all().filter((d) => d.cpupool === poolId).length;
}
