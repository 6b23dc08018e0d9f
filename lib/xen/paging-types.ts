/**
 * The paging model's part of a domain record (XenDomainData.paging).
 *
 * Xen's shadow code keeps thousands of shadow pages and a per-page dirty
 * bitmap; the record keeps only what a teacher reads off them — expected
 * counts (floats, so repeated small advances add up to one big one) and
 * event counters — so `xl list` over many domains stays cheap.
 */

/** What the guest's memory-hungry process does: page writes a second over a working set. */
export interface MemActivity {
  writeRate: number;
  /** pages */
  wss: number;
}

/**
 * Two working sets are tracked: the guest kernel's own (always there while
 * it runs) and the workload's (`xlsim guest D workload`, the shell's stress).
 * Index 0 is the kernel, 1 the workload.
 */
export type PerSet = [number, number];

export interface ShadowCache {
  /** pages of each working set that currently have a shadow L1 entry */
  mapped: PerSet;
  /** shadow faults fixed since creation (perfc shadow_fault_fixed) */
  faults: number;
  /** top-level shadows unpinned by preallocation to make room (least recently pinned first) */
  unpins: number;
  /** shadow_blow_tables runs (debug key S, log-dirty enable and CLEAN) */
  blows: number;
}

export interface LogDirtyState {
  /** pages of each working set written since the last CLEAN */
  dirty: PerSet;
  /** Xen's log_dirty.fault_count and dirty_count since the last CLEAN */
  faultCount: number;
  dirtyCount: number;
  /** HAP without PML: EPT write-protection violations since enable */
  eptViolations: number;
  /** HAP with PML: GPAs logged by the CPU since enable, and buffer-full exits */
  pmlLogged: number;
  pmlExits: number;
  cleans: number;
  /** the CPU logs writes (Intel PML): no exit per page */
  pml: boolean;
}

export interface PagingData {
  /** host time the model was brought up to */
  advancedNs: number;
  act: MemActivity;
  /** full passes the workload has made over its working set (writes / wss) */
  passes?: number;
  shadow: ShadowCache;
  logDirty?: LogDirtyState;
}
