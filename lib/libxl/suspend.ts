/**
 * libxl_domain_suspend_only (libxl_dom_suspend.c, domain_suspend_callback_common
 * and its callbacks) as steps a waiting caller polls: an HVM guest without
 * PV drivers is suspended by Xen on the toolstack's word (SCHEDOP_remote_shutdown);
 * any other guest is asked through control/shutdown, must acknowledge within
 * 60 s (else the request is withdrawn) and then suspend itself within 60 s.
 * A waiting caller knows the guest responded once the wait reaches the
 * 'suspend' phase.
 */
import { ERRNO, STRERROR, type ErrnoName } from '../xen/errno';
import type { LibxlCtx } from './ctx';
import { ERROR_FAIL, ERROR_GUEST_TIMEDOUT, type LibxlRc } from './errors';
import { libxlLog, where } from './log';
import { domainType } from './pvcontrol';

const SUSPEND_TIMEOUT_NS = 60_000_000_000;
const SHUTDOWN_SUSPEND = 2;

export interface SuspendWait {
  domid: number;
  /** waiting for the guest to clear control/shutdown, then for its suspend */
  phase: 'ack' | 'suspend';
  deadline: number;
}

/** `unanswered`: the request was withdrawn unacknowledged (rc is 0 nonetheless) */
export type SuspendStep = { done: true; rc: LibxlRc; unanswered?: true } | { done: false; wait: SuspendWait };

function waitSuspend(lx: LibxlCtx, domid: number): SuspendStep {
  return suspendPoll(lx, { domid, phase: 'suspend', deadline: lx.now() + SUSPEND_TIMEOUT_NS });
}

export function suspendOnlyStart(lx: LibxlCtx, domid: number): SuspendStep {
  const type = domainType(lx, domid);
  if (type === undefined) return { done: true, rc: ERROR_FAIL };
  if (type === 'hvm' && !lx.hooks.pvControl(domid)) {
    // the guest does not (need to) respond to this sort of request
    if (!lx.hooks.remoteShutdown(domid, SHUTDOWN_SUSPEND)) {
      libxlLog(lx.xtl, 'error', where('libxl_dom_suspend.c', 186, 'domain_suspend_callback_common'), domid, 'xc_domain_shutdown failed', STRERROR.EINVAL);
      return { done: true, rc: ERROR_FAIL };
    }
    return waitSuspend(lx, domid);
  }
  lx.xs.write(`/local/domain/${domid}/control/shutdown`, 'suspend');
  lx.hooks.controlWritten(domid);
  return suspendPoll(lx, { domid, phase: 'ack', deadline: lx.now() + SUSPEND_TIMEOUT_NS });
}

export function suspendPoll(lx: LibxlCtx, w: SuspendWait): SuspendStep {
  const { domid } = w;
  if (w.phase === 'ack') {
    const node = `/local/domain/${domid}/control/shutdown`;
    // anything but "suspend" (the node gone included) counts as the answer
    if (lx.xs.tryRead(node) === 'suspend') {
      if (lx.now() < w.deadline) return { done: false, wait: w };
      lx.xs.write(node, '');
      libxlLog(lx.xtl, 'error', where('libxl_dom_suspend.c', 262, 'domain_suspend_common_pvcontrol_suspending'), domid, "guest didn't acknowledge suspend, cancelling request");
      // libxl ends here with the rc of the withdrawing transaction's commit,
      // 0: a save learns of the failure only from libxc's own check
      return { done: true, rc: 0, unanswered: true };
    }
    return waitSuspend(lx, domid);
  }
  const r = lx.hv.getdomaininfo(domid);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_dom_suspend.c', 330, 'suspend_common_wait_guest_check'), domid, 'guest we were suspending has been destroyed', STRERROR[r.errno]);
    return { done: true, rc: ERROR_FAIL };
  }
  if (r.value.shutdown) return { done: true, rc: r.value.shutdownCode === SHUTDOWN_SUSPEND ? 0 : ERROR_FAIL };
  if (lx.now() < w.deadline) return { done: false, wait: w };
  libxlLog(lx.xtl, 'error', where('libxl_dom_suspend.c', 360, 'suspend_common_wait_guest_timeout'), domid, 'guest did not suspend, timed out');
  return { done: true, rc: ERROR_GUEST_TIMEDOUT };
}

/** The domain is shut down for suspend (what libxc's save checks for). */
export function domainSuspended(lx: LibxlCtx, domid: number): boolean {
  const d = lx.hv.getdomaininfo(domid);
  return d.ok && d.value.shutdown && d.value.shutdownCode === SHUTDOWN_SUSPEND;
}

/**
 * Whether the suspend callback would see the guest suspended without a
 * wait: Xen suspends an HVM guest without PV drivers itself, paused or not;
 * any other guest must run to answer control/shutdown, so a paused or hung
 * one (or one whose PV drivers are not connected) leaves libxl waiting out
 * its 60 s.
 * Lets a save keep the answered request instantaneous.
 */
export function guestSuspendsAtOnce(lx: LibxlCtx, domid: number): boolean {
  const r = lx.hv.getdomaininfo(domid);
  if (!r.ok) return false;
  const pv = lx.hooks.pvControl(domid);
  if (!pv && domainType(lx, domid) === 'hvm') return true;
  return pv && !r.value.paused && !lx.hooks.hung?.(domid);
}

/**
 * libxc's suspend_domain after the callback, then libxl__xc_domain_save_done:
 * the save fails (errno is 0 by then, hence "Success") and libxl reports
 * whether the guest ever answered. `cbRc` is the suspend's rc, `responded`
 * whether the guest acknowledged (or Xen suspended it). The save's rc.
 */
export function saveSuspendFailed(lx: LibxlCtx, domid: number, cbRc: LibxlRc, responded: boolean): LibxlRc {
  let errno: ErrnoName | undefined;
  if (cbRc !== 0) {
    lx.xtl.log('error', 'xc', 'save callback suspend() failed: 0', 'Internal error');
  } else {
    const r = lx.hv.getdomaininfo(domid);
    if (!r.ok) {
      errno = r.errno;
      lx.xtl.log('error', 'xc', `Unable to refresh domain information (${ERRNO[errno]} = ${STRERROR[errno]})`, 'Internal error');
    } else {
      lx.xtl.log('error', 'xc', `Domain has not been suspended: shutdown ${r.value.shutdown ? 4 : 0}, reason ${r.value.shutdownCode & 0xff}`, 'Internal error');
    }
  }
  const text = errno ? STRERROR[errno] : 'Success';
  lx.xtl.log('error', 'xc', `Save failed (${errno ? ERRNO[errno] : 0} = ${text})`, 'Internal error');
  const what = responded ? 'domain responded to suspend request' : 'domain did not respond to suspend request';
  libxlLog(lx.xtl, 'error', where('libxl_stream_write.c', 347, 'libxl__xc_domain_save_done'), domid, `saving domain: ${what}`, text);
  if (!responded) return ERROR_GUEST_TIMEDOUT;
  return cbRc || ERROR_FAIL;
}
