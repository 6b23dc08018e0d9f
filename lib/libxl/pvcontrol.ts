/**
 * Talking to a running guest (libxl_domain.c): shutdown/reboot/suspend
 * requests through /local/domain/N/control/shutdown (libxl__domain_pvcontrol),
 * ACPI triggers, sysrq, and resume. A request is written here; waiting for
 * the guest to acknowledge (clear the node, up to 60 s) is the caller's
 * loop, since simulated time only moves between transactions.
 */
import { STRERROR } from '../xen/errno';
import type { LibxlCtx } from './ctx';
import { ERROR_FAIL, ERROR_NOPARAVIRT, ERROR_TIMEDOUT, type LibxlRc } from './errors';
import { libxlLog, where } from './log';

/** libxl__domain_pvcontrol's timeout */
export const PVCONTROL_TIMEOUT_NS = 60_000_000_000;

/** libxl__domain_type: ERROR_FAIL after the log line when the domain is gone */
function domainType(lx: LibxlCtx, domid: number): 'pv' | 'hvm' | undefined {
  const r = lx.hv.getdomaininfo(domid);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_dom.c', 37, 'libxl__domain_type'), domid, 'unable to get dominfo', STRERROR[r.errno]);
    return undefined;
  }
  return r.value.hvm ? 'hvm' : 'pv';
}

/** Writes the request; 0, ERROR_FAIL (no domain) or ERROR_NOPARAVIRT (no PV drivers). */
export function pvcontrolRequest(lx: LibxlCtx, domid: number, cmd: 'poweroff' | 'reboot' | 'suspend'): LibxlRc {
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
 * pvcontrol_cb on timeout: the caller fails, but libxl only stops watching;
 * the request stays in control/shutdown, so a guest that was merely paused
 * acts on it once unpaused (as on Xen).
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

/** libxl_send_trigger: HVM only; the guest reacts to power/reset buttons */
export function sendTrigger(lx: LibxlCtx, domid: number, trigger: TriggerName, _vcpu: number): LibxlRc {
  const r = lx.hv.getdomaininfo(domid);
  const fail = (why: string): LibxlRc => {
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 2200, 'libxl_send_trigger'), domid, `Send trigger '${trigger}' failed`, why);
    return ERROR_FAIL;
  };
  if (!r.ok) return fail(STRERROR[r.errno]);
  if (!r.value.hvm) return fail('Function not implemented');
  if (trigger === 'unknown') return fail('Invalid argument');
  if (trigger === 'power' || trigger === 'reset' || trigger === 'sleep') lx.hooks.acpiButton(domid, trigger);
  return 0;
}

/** libxl_send_sysrq: the guest's PV drivers read control/sysrq */
export function sendSysrq(lx: LibxlCtx, domid: number, key: string): LibxlRc {
  const dompath = `/local/domain/${domid}`;
  if (lx.xs.tryRead(`${dompath}/name`) === undefined) return ERROR_FAIL;
  lx.xs.write(`${dompath}/control/sysrq`, key);
  lx.hooks.sysrqWritten(domid);
  return 0;
}

/** libxl_domain_resume with suspend_cancel: the guest carries on where it was */
export function domainResume(lx: LibxlCtx, domid: number): LibxlRc {
  const r = lx.hv.resumedomain(domid);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_dom.c', 1220, 'libxl__domain_resume'), domid, 'xc_domain_resume failed', STRERROR[r.errno]);
    return ERROR_FAIL;
  }
  lx.hooks.resumed(domid);
  return 0;
}
