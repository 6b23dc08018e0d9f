/**
 * Shared plumbing for the hypercall handlers: record access through the
 * injected storage, lazy time accounting, and the hypervisor log.
 */
import { printk } from './console';
import { err, type XenResult } from './errno';
import type { XenStorage } from './storage';
import type { ConsoleLevel, XenDomainData, XenHostData } from './types';
import { accountDomain, sampleVcpus } from './vcpu-time';
import { rebalance } from './sched';
import { schedInputs } from './sched-share';
import { advancePaging } from './paging';
import { starve } from './paging-ops';
import { workloadPassWrites } from './altp2m-workload';

export class XenCore {
  /**
   * Each domain's scheduling inputs as last balanced (schedInputs), so a
   * put that changes none of them skips the rebalance: a domain creation
   * stores its record a dozen times, and each rebalance walks every domain.
   */
  private readonly balanced = new Map<number, string>();

  constructor(readonly store: XenStorage) {}

  private noteLoaded(d: XenDomainData): void {
    if (!this.balanced.has(d.domid)) this.balanced.set(d.domid, schedInputs(d));
  }

  get host(): XenHostData {
    return this.store.host();
  }

  now(): number {
    return this.store.now();
  }

  hostChanged(): void {
    this.store.markHostDirty();
  }

  /** A domain brought up to date with the clock (rcu_lock_domain_by_id). */
  find(domid: number): XenDomainData | undefined {
    const d = this.store.domain(domid);
    if (!d) return undefined;
    this.noteLoaded(d);
    if (this.catchUp(d, this.now())) return this.store.domain(domid);
    return d;
  }

  /**
   * Account vCPU time and the guest's memory activity up to `now`; true
   * when the paging model crashed the domain meanwhile (the record changed
   * under the caller).
   */
  private catchUp(d: XenDomainData, now: number): boolean {
    const timed = accountDomain(d, now);
    const step = advancePaging(d, now);
    if (timed || step.changed) this.store.putDomain(d);
    if (step.starved) {
      starve(this, d, step.starved);
      return true;
    }
    if (!step.newPass || !d.altp2mState?.active) return false;
    workloadPassWrites(this, d);
    return true;
  }

  get(domid: number): XenResult<XenDomainData> {
    const d = this.find(domid);
    return d ? { ok: true, value: d } : err('ESRCH');
  }

  /** Every domain, up to date, ordered by domid. */
  all(): XenDomainData[] {
    const now = this.now();
    const list = this.store.domains().slice().sort((a, b) => a.domid - b.domid);
    // no noteLoaded here: listing a thousand domains should not compute a
    // thousand signatures; a domain put without one simply rebalances
    let crashed = false;
    for (const d of list) if (this.catchUp(d, now)) crashed = true;
    return crashed ? this.store.domains().slice().sort((a, b) => a.domid - b.domid) : list;
  }

  /** Persist a changed domain, refreshing derived vCPU state first. */
  put(d: XenDomainData): void {
    sampleVcpus(d, this.now());
    this.store.putDomain(d);
    // a change of what the scheduler sees changes who gets the pool's pCPUs
    const inputs = schedInputs(d);
    if (this.balanced.get(d.domid) === inputs) return;
    rebalance(this);
    this.balanced.set(d.domid, inputs);
  }

  /** Xen printk into the console ring. */
  log(text: string, level: ConsoleLevel = 'info', guest = false): void {
    if (printk(this.host, this.now() - this.host.bootNs, text, level, { guest })) this.hostChanged();
  }

  /** console_start_log_everything(): printed whatever the threshold. */
  logAlways(text: string): void {
    printk(this.host, this.now() - this.host.bootNs, text, 'info', { force: true });
    this.hostChanged();
  }

  /** A line on behalf of a guest: "(d<N>) ..." */
  guestLog(domid: number, text: string, level: ConsoleLevel = 'debug'): void {
    if (printk(this.host, this.now() - this.host.bootNs, text, level, { domid })) this.hostChanged();
  }
}
