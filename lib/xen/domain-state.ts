/**
 * Pause references, shutdown, resume and destroy: the domain state machine
 * of hypervisor-model §1.1/§1.4/§1.7.
 */
import { CONTROLLER_PAUSE_MAX, SHUTDOWN } from './constants';
import type { XenCore } from './core';
import { err, ok, type XenResult } from './errno';
import { freeHeapPages } from './heap';
import type { XenDomainData } from './types';

/** What Xen does to the whole machine when the hardware domain shuts down. */
export type HostAction = 'halt' | 'reboot' | 'crash';

export interface ShutdownOutcome {
  /** false when an earlier reason already stuck (first reason wins) */
  changed: boolean;
  /** the code in force after the call */
  code: number;
  /** set when the hardware domain went down and took the host with it */
  host?: HostAction;
}

export function pauseDomain(x: XenCore, domid: number, caller: number): XenResult {
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  if (domid === caller) return err('EINVAL');
  if (d.controllerPause >= CONTROLLER_PAUSE_MAX) return err('EOVERFLOW');
  d.controllerPause++;
  x.put(d);
  return ok();
}

export function unpauseDomain(x: XenCore, domid: number): XenResult {
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  if (d.controllerPause === 0) return err('EINVAL');
  d.controllerPause--;
  if (d.controllerPause === 0) d.creationFinished = true;
  x.put(d);
  return ok();
}

function hwdomShutdownLine(domid: number, code: number): { line: string; action: HostAction } {
  switch (code) {
    case SHUTDOWN.poweroff:
      return { line: `Hardware Dom${domid} halted: halting machine`, action: 'halt' };
    case SHUTDOWN.crash:
      return { line: `Hardware Dom${domid} crashed: `, action: 'crash' };
    case SHUTDOWN.reboot:
      return { line: `Hardware Dom${domid} shutdown: rebooting machine`, action: 'reboot' };
    case SHUTDOWN.watchdog:
      return { line: `Hardware Dom${domid} shutdown: watchdog rebooting machine`, action: 'reboot' };
    case SHUTDOWN.soft_reset:
      return { line: `Hardware domain ${domid} did unsupported soft reset, rebooting.`, action: 'reboot' };
    default:
      return { line: `Hardware Dom${domid} shutdown (unknown reason ${code}): `, action: 'halt' };
  }
}

/**
 * domain_shutdown: record the reason unless one is already set, pause every
 * vCPU for shutdown and, with all of them stopped, mark the shutdown
 * complete (what VIRQ_DOM_EXC announces to the toolstack).
 */
export function shutdownDomain(x: XenCore, d: XenDomainData, reason: number): ShutdownOutcome {
  const first = d.shutdownCode === -1;
  if (first) d.shutdownCode = reason & 0xff;
  const code = d.shutdownCode;
  let host: HostAction | undefined;
  if (d.hwdom) {
    const h = hwdomShutdownLine(d.domid, code);
    x.log(h.line, 'info');
    host = h.action;
  }
  if (d.shutdown !== 'none') {
    x.put(d);
    return host ? { changed: first, code, host } : { changed: first, code };
  }
  d.shutdown = 'inProgress';
  for (const v of d.vcpus) v.pausedForShutdown = true;
  if (d.vcpus.every((v) => v.pausedForShutdown)) d.shutdown = 'complete';
  x.put(d);
  return host ? { changed: first, code, host } : { changed: first, code };
}

/** SCHEDOP_shutdown from the guest itself: no hypervisor log line. */
export function guestShutdown(x: XenCore, domid: number, reason: number): XenResult<ShutdownOutcome> {
  const r = x.get(domid);
  if (!r.ok) return r;
  if (r.value.dying !== 'alive') return err('EINVAL');
  return ok(shutdownDomain(x, r.value, reason));
}

/** SCHEDOP_remote_shutdown (a controlling domain shuts another down). */
export function remoteShutdown(x: XenCore, domid: number, reason: number): XenResult<ShutdownOutcome> {
  if (reason < 0 || reason > 0xff) return err('EINVAL');
  return guestShutdown(x, domid, reason);
}

/** domain_crash: the log line, then shutdown(crash). */
export function crashDomain(x: XenCore, domid: number, vcpu = 0, reporter?: number): XenResult<ShutdownOutcome> {
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  if (d.dying !== 'alive') return err('EINVAL');
  const cpu = d.vcpus[vcpu]?.cpu ?? 0;
  if (reporter === undefined) x.log(`Domain ${domid} (vcpu#${vcpu}) crashed on cpu#${cpu}:`, 'error');
  else x.log(`Domain ${domid} reported crashed by domain ${reporter} on cpu#${cpu}:`, 'error');
  return ok(shutdownDomain(x, d, SHUTDOWN.crash));
}

/** A domain watchdog timer expired (SCHEDOP_watchdog armed and not kicked). */
export function watchdogFired(x: XenCore, domid: number, timer: number): XenResult<ShutdownOutcome> {
  const r = x.get(domid);
  if (!r.ok) return r;
  if (r.value.dying !== 'alive') return err('EINVAL');
  x.log(`Watchdog timer ${timer} fired for d${domid}`, 'info');
  return ok(shutdownDomain(x, r.value, SHUTDOWN.watchdog));
}

/**
 * An HVM vCPU triple-faulted: the guest-error line, then the shutdown
 * action from HVM_PARAM_TRIPLE_FAULT_REASON (default reboot).
 */
export function tripleFault(x: XenCore, domid: number, vcpu = 0, reason: number = SHUTDOWN.reboot): XenResult<ShutdownOutcome> {
  const r = x.get(domid);
  if (!r.ok) return r;
  if (!r.value.hvm || r.value.dying !== 'alive') return err('EINVAL');
  x.log(`d${domid}v${vcpu} Triple fault - invoking HVM shutdown action ${reason}`, 'error', true);
  return ok(shutdownDomain(x, r.value, reason));
}

/** XEN_DOMCTL_resumedomain: forget the shutdown and let the vCPUs run again. */
export function resumeDomain(x: XenCore, domid: number, caller: number): XenResult {
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  if (domid === caller) return err('EINVAL');
  d.shutdown = 'none';
  d.shutdownCode = -1;
  for (const v of d.vcpus) v.pausedForShutdown = false;
  x.put(d);
  return ok();
}

/**
 * XEN_DOMCTL_destroydomain (domain_kill): relinquish memory back to the
 * heap, move to Pool-0, mark dead; the record disappears when no references
 * remain, else it lingers as a zombie ("--p--d").
 */
export function destroyDomain(x: XenCore, domid: number, caller: number): XenResult {
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  if (domid === caller) return err('EINVAL');
  if (d.dying === 'alive') {
    d.dying = 'dying';
    relinquish(x, d);
    d.cpupool = 0;
    d.dying = 'dead';
    for (const v of d.vcpus) v.blocked = false;
  }
  if (d.extraRefs === 0) {
    x.store.removeDomain(domid);
  } else {
    x.put(d);
  }
  return ok();
}

function relinquish(x: XenCore, d: XenDomainData): void {
  const host = x.host;
  freeHeapPages(host, d.totPages + d.pagingPoolPages);
  host.outstandingClaims -= d.outstandingPages;
  d.outstandingPages = 0;
  d.totPages = 0;
  d.pagingPoolPages = 0;
  d.podCache = 0;
  d.podEntries = 0;
  d.podTarget = 0;
  x.hostChanged();
}

/** A foreign mapping / grant reference on the domain's pages (keeps a zombie alive). */
export function getReference(x: XenCore, domid: number): XenResult {
  const r = x.get(domid);
  if (!r.ok) return r;
  r.value.extraRefs++;
  x.put(r.value);
  return ok();
}

export function putReference(x: XenCore, domid: number): XenResult {
  const d = x.find(domid);
  if (!d) return err('ESRCH');
  if (d.extraRefs === 0) return err('EINVAL');
  d.extraRefs--;
  if (d.extraRefs === 0 && d.dying === 'dead') x.store.removeDomain(domid);
  else x.put(d);
  return ok();
}
