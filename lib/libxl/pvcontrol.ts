/**
 * Talking to a running guest (libxl_domain.c): shutdown/reboot/suspend
 * requests through /local/domain/N/control/shutdown (libxl__domain_pvcontrol),
 * ACPI triggers, sysrq, and resume. A request is written here; waiting for
 * the guest to acknowledge (clear the node, up to 60 s) is the caller's
 * loop, since simulated time only moves between transactions.
 */
import { STRERROR, type XenResult } from '../xen/errno';
import type { LibxlCtx } from './ctx';
import { ERROR_FAIL, ERROR_INVAL, ERROR_NOPARAVIRT, ERROR_QMP_GENERIC_ERROR, ERROR_TIMEDOUT, type LibxlRc } from './errors';
import { libxlLog, where } from './log';

/** libxl__domain_pvcontrol's timeout */
export const PVCONTROL_TIMEOUT_NS = 60_000_000_000;

/**
 * libxl__domain_type: 'pvh' and 'hvm' are both HVM to Xen, told apart by
 * /libxl/N/type; undefined after the log line when the domain is gone.
 */
export function domainType(lx: LibxlCtx, domid: number): 'pv' | 'pvh' | 'hvm' | undefined {
  const r = lx.hv.getdomaininfo(domid);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_dom.c', 37, 'libxl__domain_type'), domid, 'unable to get dominfo', STRERROR[r.errno]);
    return undefined;
  }
  if (!r.value.hvm) return 'pv';
  return lx.xs.tryRead(`/libxl/${domid}/type`) === 'pvh' ? 'pvh' : 'hvm';
}

/** Writes the request; 0, ERROR_FAIL (no domain) or ERROR_NOPARAVIRT (no PV drivers). */
export function pvcontrolRequest(lx: LibxlCtx, domid: number, cmd: 'poweroff' | 'reboot'): LibxlRc {
  const type = domainType(lx, domid);
  if (type === undefined) return ERROR_FAIL;
  if (type === 'hvm' && !lx.hooks.pvControl(domid)) return ERROR_NOPARAVIRT;
  const node = `/local/domain/${domid}/control/shutdown`;
  lx.xs.write(node, cmd);
  lx.hooks.controlWritten(domid);
  return 0;
}

/** The guest cleared the node (or the domain is gone, which also ends the wait). */
export function pvcontrolAcked(lx: LibxlCtx, domid: number): boolean {
  const v = lx.xs.tryRead(`/local/domain/${domid}/control/shutdown`);
  return v === undefined || v === '';
}

/**
 * pvcontrol_cb on timeout: the caller fails, but the request is left in
 * the node (only a suspend is withdrawn), so a guest that was merely paused
 * still acts on it once it runs again.
 */
export function pvcontrolTimedOut(lx: LibxlCtx, _domid: number): LibxlRc {
  libxlLog(lx.xtl, 'error', where('libxl_domain.c', 852, 'pvcontrol_cb'), undefined, `guest didn't acknowledge control request: ${ERROR_TIMEDOUT}`);
  return ERROR_TIMEDOUT;
}

const TRIGGERS = ['unknown', 'power', 'sleep', 'nmi', 'init', 'reset', 's3resume'] as const;
export type TriggerName = (typeof TRIGGERS)[number];

/** libxl_trigger_from_string (case-insensitive) */
export function triggerFromString(s: string): TriggerName | undefined {
  const l = s.toLowerCase();
  return (TRIGGERS as readonly string[]).includes(l) ? (l as TriggerName) : undefined;
}

/**
 * libxl_send_trigger: everything but s3resume is XEN_DOMCTL_sendtrigger,
 * whose verdict (the errno) is all libxl reports; the guest hears an ACPI
 * button only where Xen latched one.
 */
export function sendTrigger(lx: LibxlCtx, domid: number, trigger: TriggerName, vcpu: number): LibxlRc {
  if (trigger === 's3resume') return s3Resume(lx, domid);
  const r = trigger === 'unknown' ? ({ ok: false, errno: 'EINVAL' } as const) : lx.hv.sendtrigger(domid, trigger, vcpu >>> 0);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 2200, 'libxl_send_trigger'), domid, `Send trigger '${trigger}' failed`, STRERROR[r.errno]);
    return ERROR_FAIL;
  }
  if (r.value.acpi) lx.hooks.acpiButton(domid, r.value.acpi);
  return 0;
}

/**
 * domain_s3_resume: QMP system_wakeup to an HVM guest's QEMU, which refuses
 * unless the guest sleeps in S3 (never, here: nothing suspends to RAM).
 */
function s3Resume(lx: LibxlCtx, domid: number): LibxlRc {
  let rc: LibxlRc = ERROR_INVAL;
  if (domainType(lx, domid) === 'hvm') {
    libxlLog(lx.xtl, 'error', where('libxl_qmp.c', 1890, 'qmp_ev_parse_error_messages'), domid, 'Unable to wake up: guest is not in suspended state');
    rc = ERROR_QMP_GENERIC_ERROR;
  }
  libxlLog(lx.xtl, 'error', where('libxl_domain.c', 2155, 'domain_s3_resume_done'), domid, `Send trigger 's3resume' failed, rc=${rc}`);
  return rc;
}

/**
 * libxl_send_sysrq: a plain write to /local/domain/N/control/sysrq, domain
 * or not (the store makes the missing parents); only PV drivers read it.
 */
export function sendSysrq(lx: LibxlCtx, domid: number, key: string): LibxlRc {
  lx.xs.write(`/local/domain/${domid}/control/sysrq`, key);
  lx.hooks.sysrqWritten(domid);
  return 0;
}

/**
 * libxl_domain_resume with suspend_cancel (xc_domain_resume_cooperative):
 * only a domain shut down for suspend can be resumed; the guest carries on
 * where it was.
 */
export function domainResume(lx: LibxlCtx, domid: number): LibxlRc {
  if (domainType(lx, domid) === undefined) return ERROR_FAIL;
  const info = lx.hv.getdomaininfo(domid);
  let r: XenResult = info.ok ? { ok: true, value: undefined } : info;
  if (info.ok && !(info.value.shutdown && info.value.shutdownCode === 2)) {
    // modify_returncode's complaint: the shutdown flag bit (4) and the raw code
    const flag = info.value.shutdown ? 4 : 0;
    lx.xtl.log('error', 'xc', `Dom ${domid} not suspended: (shutdown ${flag}, reason ${info.value.shutdownCode & 0xff})`, 'Internal error');
    r = { ok: false, errno: 'EINVAL' };
  } else if (info.ok) {
    r = lx.hv.resumedomain(domid);
  }
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_dom_suspend.c', 596, 'domain_resume_done'), domid, 'xc_domain_resume failed', STRERROR[r.errno]);
    return ERROR_FAIL;
  }
  lx.hooks.resumed(domid);
  return 0;
}

/**
 * What a guest's PV drivers watch under control/: a write there by any dom0
 * client (xenstore-write as much as libxl) fires the watch, and the guest
 * reads the node when its vCPUs next run.
 */
export function controlNodeWritten(lx: LibxlCtx, path: string): void {
  const m = /^\/local\/domain\/(\d+)\/control\/(shutdown|sysrq)$/.exec(path);
  if (!m) return;
  const domid = Number(m[1]);
  if (m[2] === 'shutdown') lx.hooks.controlWritten(domid);
  else lx.hooks.sysrqWritten(domid);
}
