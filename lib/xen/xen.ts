/**
 * The hypercall surface of the simulated hypervisor. libxl (and the guest
 * model, for guest-side calls) reach Xen only through these methods, named
 * after Xen's own operations; failures are errno values, never exceptions.
 *
 * `caller` parameters name the domain making the call (the toolstack runs in
 * dom0, so they default to 0); Xen refuses some operations on the caller's
 * own domain.
 */
import { readConsole } from './console';
import { XenCore } from './core';
import { cpupoolAddCpu, cpupoolCreate, cpupoolDestroy, cpupoolMoveDomain, cpupoolRemoveCpu } from './cpupool';
import { createDomain, type CreateDomainConfig } from './domain-create';
import {
  crashDomain,
  destroyDomain,
  getReference,
  guestShutdown,
  pauseDomain,
  putReference,
  remoteShutdown,
  resumeDomain,
  tripleFault,
  unpauseDomain,
  watchdogFired,
  type ShutdownOutcome,
} from './domain-state';
import { debugKeys, type DebugKeysOutcome } from './debugkeys';
import { err, ok, type XenResult } from './errno';
import { getDomainInfo, getDomainInfoList, type DomainInfo } from './info';
import { checkInvariants } from './invariants';
import {
  claimPages,
  decreaseReservation,
  getPagingMempoolSize,
  populatePhysmap,
  podTouch,
  setMaxMem,
  setPagingMempoolSize,
  setPodTarget,
  type PodState,
  type PopulateOpts,
} from './memory';
import { guestRan, setMemActivity, shadowOp, type LogDirtyStats, type ShadowOp } from './paging-ops';
import { pagingReport, type PagingReport } from './paging-report';
import type { XenStorage } from './storage';
import { sendTrigger, type TriggerDelivery, type XenTrigger } from './trigger';
import {
  cpuTopology,
  cpupoolInfo,
  freeCpus,
  numaInfo,
  physinfo,
  versionInfo,
  type CpuTopo,
  type NumaNodeInfo,
  type PhysInfo,
  type XenVersion,
} from './sysctl';
import type { ConsoleLevel, CpupoolData, SchedulerName } from './types';
import { getVcpuInfo, listVcpus, setLoad, setVcpuAffinity, vcpuDown, vcpuUp, type VcpuInfo } from './vcpu';

export class Xen {
  private readonly x: XenCore;

  constructor(storage: XenStorage) {
    this.x = new XenCore(storage);
  }

  // ---- domctl -------------------------------------------------------------

  /** XEN_DOMCTL_createdomain → the new domid (paused, controller count 1, no memory). */
  createdomain(cfg: CreateDomainConfig): XenResult<number> {
    return createDomain(this.x, cfg);
  }

  getdomaininfo(domid: number): XenResult<DomainInfo> {
    return getDomainInfo(this.x, domid);
  }

  pausedomain(domid: number, caller = 0): XenResult {
    return pauseDomain(this.x, domid, caller);
  }

  unpausedomain(domid: number): XenResult {
    return unpauseDomain(this.x, domid);
  }

  resumedomain(domid: number, caller = 0): XenResult {
    return resumeDomain(this.x, domid, caller);
  }

  destroydomain(domid: number, caller = 0): XenResult {
    return destroyDomain(this.x, domid, caller);
  }

  /** XEN_DOMCTL_sendtrigger */
  sendtrigger(domid: number, trigger: XenTrigger, vcpu: number): XenResult<TriggerDelivery> {
    return sendTrigger(this.x, domid, trigger, vcpu);
  }

    /** XEN_DOMCTL_max_mem, in KiB */
  max_mem(domid: number, maxKiB: number): XenResult {
    return setMaxMem(this.x, domid, maxKiB);
  }

  setvcpuaffinity(domid: number, vcpu: number, hard: number[] | undefined, soft: number[] | undefined): XenResult<{ hard: number[]; soft: number[] }> {
    return setVcpuAffinity(this.x, domid, vcpu, hard, soft);
  }

  getvcpuinfo(domid: number, vcpu: number): XenResult<VcpuInfo> {
    return getVcpuInfo(this.x, domid, vcpu);
  }

  /**
   * VCPUOP_get_runstate_info, summed the way a guest kernel reads its own
   * steal/idle clock: ns the domain was not in RUNSTATE_offline (unpaused,
   * not shut down). Guest-side activity (its workload's I/O) runs on it.
   */
  runstate_active_ns(domid: number): XenResult<number> {
    const r = this.x.get(domid);
    return r.ok ? ok(r.value.activeNs ?? 0) : r;
  }

  /** every vCPU of a domain, in id order */
  vcpuList(domid: number): XenResult<VcpuInfo[]> {
    return listVcpus(this.x, domid);
  }

  /** XEN_DOMCTL_setvcpucontext: the builder brings a vCPU up with its initial state. */
  setvcpucontext(domid: number, vcpu: number): XenResult {
    return vcpuUp(this.x, domid, vcpu);
  }

  set_paging_mempool_size(domid: number, bytes: number): XenResult<number> {
    return setPagingMempoolSize(this.x, domid, bytes);
  }

  get_paging_mempool_size(domid: number): XenResult<number> {
    return getPagingMempoolSize(this.x, domid);
  }

  /** XEN_DOMCTL_shadow_op SET_ALLOCATION (MiB) → the allocation in MiB, rounded up */
  shadow_op_set_allocation(domid: number, mb: number): XenResult<number> {
    if (!Number.isInteger(mb) || mb < 0) return err('EINVAL');
    const r = setPagingMempoolSize(this.x, domid, mb * 1024 * 1024);
    return r.ok ? ok(Math.ceil(r.value / (1024 * 1024))) : r;
  }

  /** XEN_DOMCTL_shadow_op GET_ALLOCATION (MiB, rounded up) */
  shadow_op_get_allocation(domid: number): XenResult<number> {
    const r = getPagingMempoolSize(this.x, domid);
    return r.ok ? ok(Math.ceil(r.value / (1024 * 1024))) : r;
  }

  /** XEN_DOMCTL_shadow_op ENABLE_LOGDIRTY / CLEAN / PEEK / OFF: the stats Xen reports */
  shadow_op(domid: number, op: ShadowOp): XenResult<LogDirtyStats> {
    return shadowOp(this.x, domid, op);
  }

  /** What the paging pool and the shadows of a domain hold right now (inspection, not a hypercall). */
  paging_report(domid: number): XenResult<PagingReport> {
    return pagingReport(this.x, domid);
  }

  /** XEN_DOMCTL_settimeoffset (seconds, the guest's RTC offset) */
  settimeoffset(domid: number, seconds: number): XenResult {
    const r = this.x.get(domid);
    if (!r.ok) return r;
    r.value.timeOffset = seconds;
    this.x.put(r.value);
    return ok();
  }

  /** XEN_DOMCTL_scheduler_op get */
  schedGet(domid: number): XenResult<{ weight: number; cap: number }> {
    const r = this.x.get(domid);
    if (!r.ok) return r;
    return ok({ ...r.value.sched });
  }

  /** XEN_DOMCTL_scheduler_op put; libxl range-checks first, Xen itself refuses a cap above 100 per vCPU */
  schedSet(domid: number, p: { weight?: number; cap?: number }): XenResult {
    const r = this.x.get(domid);
    if (!r.ok) return r;
    if (p.weight !== undefined && (p.weight < 1 || p.weight > 65535)) return err('EINVAL');
    if (p.cap !== undefined && (p.cap < 0 || p.cap > 100 * r.value.maxVcpus)) return err('EINVAL');
    if (p.weight !== undefined) r.value.sched.weight = p.weight;
    if (p.cap !== undefined) r.value.sched.cap = p.cap;
    this.x.put(r.value);
    return ok();
  }

  // ---- sysctl ---------------------------------------------------------------

  physinfo(): PhysInfo {
    return physinfo(this.x.host);
  }

  cputopoinfo(): CpuTopo[] {
    return cpuTopology(this.x.host);
  }

  numainfo(): NumaNodeInfo[] {
    return numaInfo(this.x.host);
  }

  version(): XenVersion {
    return versionInfo(this.x.host);
  }

  sched_id(): SchedulerName {
    return this.x.host.scheduler;
  }

  /** scheduler-wide parameters (ratelimit, credit1 tslice) */
  schedGlobals(): { ratelimitUs: number; tsliceMs: number; migrationDelayUs: number } {
    return { ...this.x.host.sched };
  }

  getdomaininfolist(first = 0, max?: number): XenResult<DomainInfo[]> {
    return getDomainInfoList(this.x, first, max);
  }

  /** The console ring, rendered ("(XEN) ..." / "(d5) ..."), oldest first. */
  readconsole(clear = false): string[] {
    const lines = readConsole(this.x.host, clear);
    if (clear) this.x.hostChanged();
    return lines;
  }

  debug_keys(keys: string): XenResult<DebugKeysOutcome> {
    return debugKeys(this.x, keys);
  }

  cpupoolInfo(): CpupoolData[] {
    return cpupoolInfo(this.x.host);
  }

  freeCpus(): number[] {
    return freeCpus(this.x.host);
  }

  cpupoolCreate(poolId: number, sched: SchedulerName, name: string): XenResult<number> {
    return cpupoolCreate(this.x, poolId, sched, name);
  }

  cpupoolDestroy(poolId: number): XenResult {
    return cpupoolDestroy(this.x, poolId);
  }

  cpupoolAddCpu(poolId: number, cpu: number): XenResult {
    return cpupoolAddCpu(this.x, poolId, cpu);
  }

  cpupoolRemoveCpu(poolId: number, cpu: number): XenResult {
    return cpupoolRemoveCpu(this.x, poolId, cpu);
  }

  cpupoolMoveDomain(poolId: number, domid: number): XenResult {
    return cpupoolMoveDomain(this.x, poolId, domid);
  }

  // ---- memory_op ---------------------------------------------------------------

  /** XENMEM_populate_physmap → pages done (fewer than asked = the rest failed) */
  populate_physmap(domid: number, nrPages: number, opts?: PopulateOpts): XenResult<number> {
    return populatePhysmap(this.x, domid, nrPages, opts);
  }

  /** XENMEM_decrease_reservation → pages released */
  decrease_reservation(domid: number, nrPages: number): XenResult<number> {
    return decreaseReservation(this.x, domid, nrPages);
  }

  /** XENMEM_claim_pages (total pages the domain will have; 0 cancels) */
  claim_pages(domid: number, pages: number): XenResult {
    return claimPages(this.x, domid, pages);
  }

  set_pod_target(domid: number, targetPages: number): XenResult<PodState> {
    return setPodTarget(this.x, domid, targetPages);
  }

  /** XENMEM_current_reservation */
  current_reservation(domid: number): XenResult<number> {
    const r = this.x.get(domid);
    return r.ok ? ok(r.value.totPages) : r;
  }

  /** XENMEM_maximum_reservation */
  maximum_reservation(domid: number): XenResult<number> {
    const r = this.x.get(domid);
    return r.ok ? ok(r.value.maxPages) : r;
  }

  // ---- guest side (lib/guest) -------------------------------------------------

  /** SCHEDOP_shutdown issued by the guest itself */
  sched_shutdown(domid: number, reason: number): XenResult<ShutdownOutcome> {
    return guestShutdown(this.x, domid, reason);
  }

  /** SCHEDOP_remote_shutdown from a controlling domain */
  remote_shutdown(domid: number, reason: number): XenResult<ShutdownOutcome> {
    return remoteShutdown(this.x, domid, reason);
  }

  /** domain_crash(): Xen found the guest in a fatal state (or dom0 reported it) */
  domain_crash(domid: number, vcpu = 0, reporter?: number): XenResult<ShutdownOutcome> {
    return crashDomain(this.x, domid, vcpu, reporter);
  }

  /** a domain watchdog timer (0 or 1) expired */
  watchdog_fired(domid: number, timer = 0): XenResult<ShutdownOutcome> {
    return watchdogFired(this.x, domid, timer);
  }

  /** an HVM vCPU triple-faulted; `reason` is HVM_PARAM_TRIPLE_FAULT_REASON */
  triple_fault(domid: number, vcpu = 0, reason?: number): XenResult<ShutdownOutcome> {
    return tripleFault(this.x, domid, vcpu, reason);
  }

  vcpu_up(domid: number, vcpu: number): XenResult {
    return vcpuUp(this.x, domid, vcpu);
  }

  vcpu_down(domid: number, vcpu: number): XenResult {
    return vcpuDown(this.x, domid, vcpu);
  }

  /** the guest touching PoD memory for the first time */
  pod_touch(domid: number, pages: number): XenResult<{ crashed: boolean }> {
    return podTouch(this.x, domid, pages);
  }

  /** a line the guest writes to Xen's debug console ("(d5) ...") */
  guest_console_write(domid: number, text: string, level: ConsoleLevel = 'debug'): void {
    this.x.guestLog(domid, text, level);
  }

  // ---- simulation hooks (not hypercalls) ---------------------------------------

  /** How busy the guest keeps its vCPUs (0..1), for CPU time accounting. */
  setGuestLoad(domid: number, load: number, vcpu?: number): XenResult {
    return setLoad(this.x, domid, load, vcpu);
  }

  /** The guest's memory-writing process: page writes a second over a working set of pages. */
  setGuestMemoryActivity(domid: number, writeRate: number, wssPages: number): XenResult {
    return setMemActivity(this.x, domid, { writeRate, wss: wssPages });
  }

  /** The guest ran `ns` off the host clock (pre-copy rounds timed by the link). */
  guestRanOffClock(domid: number, ns: number): XenResult {
    return guestRan(this.x, domid, ns);
  }

  /** A Xen log line from elsewhere in the simulated hypervisor. */
  printk(text: string, level: ConsoleLevel = 'info', guestRelated = false): void {
    this.x.log(text, level, guestRelated);
  }

  /** A foreign/grant mapping held on a domain's pages (keeps a destroyed domain as a zombie). */
  getReference(domid: number): XenResult {
    return getReference(this.x, domid);
  }

  putReference(domid: number): XenResult {
    return putReference(this.x, domid);
  }

  checkInvariants(): string[] {
    return checkInvariants(this.x.host, this.x.store.domains());
  }

  /** host time since boot, ns (xl uptime) */
  uptimeNs(): number {
    return this.x.now() - this.x.host.bootNs;
  }

  /** wall-clock seconds at boot */
  bootWallSec(): number {
    return this.x.host.bootWallSec;
  }
}
