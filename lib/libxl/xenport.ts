/**
 * The sysctl side of the hypercall surface as libxl hands it to xl
 * (libxl_get_physinfo, libxl_get_version_info, libxl_get_freecpus,
 * libxl_get_cpu_topology, libxl_get_numainfo, the console reader, debug
 * keys, set_parameters), with libxl's field names.
 */
import type { Xen } from '../xen/xen';
import type { VirtCaps } from '../xen/types';

export interface Physinfo {
  nr_cpus: number;
  max_cpu_id: number;
  nr_nodes: number;
  cores_per_socket: number;
  threads_per_core: number;
  cpu_khz: number;
  hw_cap: number[];
  caps: VirtCaps;
  total_pages: number;
  free_pages: number;
  outstanding_pages: number;
  sharing_freed_pages: number;
  sharing_used_frames: number;
}

export interface VersionInfo {
  major: number;
  minor: number;
  extra: string;
  capabilities: string;
  scheduler: string;
  pagesize: number;
  virtStart: bigint;
  changeset: string;
  commandline: string;
  compiler: string;
  compileBy: string;
  compileDomain: string;
  compileDate: string;
  buildId: string;
}

export interface XenPort {
  physinfo(): Physinfo;
  versionInfo(): VersionInfo;
  freeCpus(): number[];
  cpuTopology(): Array<{ cpu: number; core: number; socket: number; node: number }>;
  numaInfo(): Array<{ node: number; sizeBytes: number; freeBytes: number; dists: number[] }>;
  readConsole(clear: boolean): string[];
  debugKeys(keys: string): boolean;
  setParameters(params: string): boolean;
}

export function makeXenPort(xen: Xen): XenPort {
  return {
    physinfo() {
      const p = xen.physinfo();
      return {
        nr_cpus: p.nrCpus,
        max_cpu_id: p.maxCpuId,
        nr_nodes: p.nrNodes,
        cores_per_socket: p.coresPerSocket,
        threads_per_core: p.threadsPerCore,
        cpu_khz: p.cpuKhz,
        hw_cap: p.hwCap,
        caps: p.caps,
        total_pages: p.totalPages,
        free_pages: p.freePages + p.scrubPages,
        outstanding_pages: p.outstandingPages,
        sharing_freed_pages: p.sharingFreedPages,
        sharing_used_frames: p.sharingUsedPages,
      };
    },
    versionInfo() {
      const v = xen.version();
      return {
        major: v.major,
        minor: v.minor,
        extra: v.extra,
        capabilities: v.capabilities,
        scheduler: xen.sched_id(),
        pagesize: v.pagesize,
        virtStart: v.virtStart,
        changeset: v.changeset,
        commandline: v.commandline,
        compiler: v.compiler,
        compileBy: v.compileBy,
        compileDomain: v.compileDomain,
        compileDate: v.compileDate,
        buildId: v.buildId,
      };
    },
    freeCpus: () => xen.freeCpus(),
    cpuTopology: () => xen.cputopoinfo(),
    numaInfo() {
      return xen.numainfo().map((n) => ({ node: n.node, sizeBytes: n.memsize * 4096, freeBytes: n.memfree * 4096, dists: n.distances }));
    },
    readConsole: (clear) => xen.readconsole(clear),
    debugKeys: (keys) => xen.debug_keys(keys).ok,
    // runtime parameters are accepted as Xen's parser would take well-formed ones
    setParameters: (params) => /^\s*[A-Za-z0-9_.-]+(=\S*)?(\s+[A-Za-z0-9_.-]+(=\S*)?)*\s*$/.test(params),
  };
}
