/**
 * libxl_domain_suspend_only (libxl_dom_suspend.c, domain_suspend_callback_common
 * and its callbacks) as steps a waiting caller polls: an HVM guest without
 * PV drivers is suspended by Xen on the toolstack's word (SCHEDOP_remote_shutdown);
 * any other guest is asked through control/shutdown, must acknowledge within
 * 60 s (else the request is withdrawn) and then suspend itself within 60 s.
 */
import { STRERROR } from '../xen/errno';
import type { LibxlCtx } from './ctx';
import { ERROR_FAIL, ERROR_GUEST_TIMEDOUT, ERROR_TIMEDOUT, type LibxlRc } from './errors';
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

export type SuspendStep = { done: true; rc: LibxlRc } | { done: false; wait: SuspendWait };

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
      return { done: true, rc: ERROR_TIMEDOUT };
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
