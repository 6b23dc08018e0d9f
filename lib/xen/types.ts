/**
 * The hypervisor's persistent state as plain JSON-serialisable records.
 *
 * state/ stores these opaquely (one host record, one record per domain), so
 * everything here must survive JSON.stringify/parse unchanged: numbers (never
 * bigint), strings, booleans, arrays and plain objects only. Times are
 * nanoseconds of simulated host time as a number (2^53 ns is ~104 days
 * before sub-nanosecond precision is lost, which no output shows).
 *
 * Field names follow Xen's struct domain / struct vcpu where one exists, so
 * a reader can map them back to xen/include/xen/sched.h.
 */
import type { PagingData } from './paging-types';

export type SchedulerName = 'credit' | 'credit2' | 'rtds' | 'arinc653' | 'null';
export type CpuVendor = 'Intel' | 'AMD';

/** Xen's console ring, one entry per line; levels mirror printk's <0>..<3>,<G>. */
export type ConsoleLevel = 'error' | 'warning' | 'info' | 'debug';
export interface ConsoleLine {
  /** 'xen' lines render with "(XEN) ", guest lines with "(d<N>) " */
  src: 'xen' | 'guest';
  /** guest lines only */
  domid?: number;
  level: ConsoleLevel;
  /** guest-related (printk <G>): subject to the guest log threshold */
  guest: boolean;
  /** host time the line was logged (ns since boot) */
  t: number;
  text: string;
}

export interface CpupoolData {
  id: number;
  name: string;
  sched: SchedulerName;
  /** physical CPUs in the pool */
  cpus: number[];
}

export interface SchedGlobals {
  ratelimitUs: number;
  /** credit1 only */
  tsliceMs: number;
  migrationDelayUs: number;
}

export interface XenVersionInfo {
  major: number;
  minor: number;
  /** e.g. ".0-xlsim" */
  extra: string;
  changeset: string;
  compiler: string;
  compileBy: string;
  compileDomain: string;
  compileDate: string;
  buildId: string;
  /** Xen's own log says debug=y|n */
  debug: boolean;
}

export interface VirtCaps {
  pv: boolean;
  hvm: boolean;
  hap: boolean;
  shadow: boolean;
  directio: boolean;
  iommuHapPtShare: boolean;
  vmtrace: boolean;
  vpmu: boolean;
  gnttabV1: boolean;
  gnttabV2: boolean;
  /** VMX VM functions (EPTP switching); altp2m needs it on Intel */
  vmfunc: boolean;
  /** page-modification logging (HAP log-dirty accelerator) */
  pml: boolean;
}

export interface PcpuData {
  id: number;
  core: number;
  socket: number;
  node: number;
}

export interface NumaNodeData {
  id: number;
  /** pages of RAM on the node */
  pages: number;
  cpus: number[];
}

export interface XenHostData {
  /** record version for state/ migrations of this JSON */
  schema: number;
  version: XenVersionInfo;
  commandline: string;
  /** parsed boot options that change behaviour */
  opts: {
    altp2m: boolean;
    hap: boolean;
    dom0MemGiven: boolean;
    conringSizeBytes: number;
    /**
     * printk thresholds on Xen's scale (0 nothing, 1 errors, 2 +warnings,
     * 3 +info, 4 all): `lower` always printed, up to `upper` rate-limited.
     * loglvl= / guest_loglvl= set them; the '+'/'-' keys move them.
     */
    logLower: number;
    logUpper: number;
    guestLower: number;
    guestUpper: number;
    /** shadow_audit_enable, toggled by debug key 'O' (debug builds) */
    shadowAudit?: boolean;
  };
  vendor: CpuVendor;
  cpuModel: string;
  cpuKhz: number;
  hwCaps: number[];
  caps: VirtCaps;
  nrCpus: number;
  coresPerSocket: number;
  threadsPerCore: number;
  sockets: number;
  pcpus: PcpuData[];
  nodes: NumaNodeData[];
  /** RAM pages Xen manages (total_pages) */
  totalPages: number;
  /** pages Xen keeps for itself (frame table, M2P, per-cpu, xenheap) */
  xenPages: number;
  /** pages in the free heap (total_avail_pages) */
  freePages: number;
  /** sum of all domains' outstanding_pages */
  outstandingClaims: number;
  /** domid_alloc's cursor: the last id handed out */
  domidLast: number;
  scheduler: SchedulerName;
  sched: SchedGlobals;
  cpupools: CpupoolData[];
  console: ConsoleLine[];
  /** bytes the ring holds (its size limit) */
  conringSize: number;
  /** wall-clock seconds since the epoch at boot (xl uptime, start times) */
  bootWallSec: number;
  /** host time of boot, ns */
  bootNs: number;
}

export type DomainKind = 'pv' | 'pvh' | 'hvm';
export type DyingState = 'alive' | 'dying' | 'dead';
export type ShutdownState = 'none' | 'inProgress' | 'complete';
export type PagingMode = 'none' | 'hap' | 'shadow';
export type Altp2mMode = 'disabled' | 'mixed' | 'external' | 'limited';

export interface XenVcpuData {
  id: number;
  /** !VPF_down */
  online: boolean;
  /** VPF_blocked as last sampled (kept across pauses, as in Xen) */
  blocked: boolean;
  /** physical CPU last run on */
  cpu: number;
  hardAffinity: readonly number[];
  softAffinity: readonly number[];
  /** accumulated running time, ns */
  timeNs: number;
  pausedForShutdown: boolean;
  /** busy fraction override for this vCPU (else the domain's) */
  load?: number;
}

export interface XenDomainData {
  domid: number;
  /** 128-bit handle as a UUID string */
  handle: string;
  kind: DomainKind;
  /** XEN_DOMCTL_CDF_hvm: true for PVH and HVM */
  hvm: boolean;
  hap: boolean;
  oos: boolean;
  nested: boolean;
  iommu: boolean;
  vpmu: boolean;
  /** the hardware domain (dom0) */
  hwdom: boolean;
  /** XEN_DOMINF_xs_domain (xenstore stub domain) */
  xsDomain: boolean;
  debugged: boolean;
  emulationFlags: number;
  controllerPause: number;
  creationFinished: boolean;
  shutdown: ShutdownState;
  /** -1 when never shut down */
  shutdownCode: number;
  dying: DyingState;
  /** references besides the creation one (foreign/grant mappings) */
  extraRefs: number;
  maxVcpus: number;
  vcpus: XenVcpuData[];
  totPages: number;
  maxPages: number;
  outstandingPages: number;
  /** populate-on-demand: cache target and outstanding PoD p2m entries */
  podTarget: number;
  podEntries: number;
  /** pages allocated to the domain (in totPages) that back no gfn yet */
  podCache: number;
  pagingMode: PagingMode;
  pagingPoolPages: number;
  sharedPages: number;
  pagedPages: number;
  /** guest busy fraction 0..1, set by the guest model */
  load: number;
  /** last host time (ns) vCPU time was accounted to */
  accountedNs: number;
  /**
   * host time (ns) the domain spent unpaused and not shut down: what its
   * vCPU runstates add up to outside RUNSTATE_offline (absent = 0)
   */
  activeNs?: number;
  createdNs: number;
  altp2m: { mode: Altp2mMode; nr: number };
  ssidref: number;
  cpupool: number;
  sched: { weight: number; cap: number };
  /** seconds, XEN_DOMCTL_settimeoffset */
  timeOffset: number;
  /** vm_assist bits (q dumps) */
  vmAssist: number;
  /** the paging model (lib/xen/paging.ts); absent until first needed */
  paging?: PagingData;
}
