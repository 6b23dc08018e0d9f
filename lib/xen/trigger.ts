/**
 * XEN_DOMCTL_sendtrigger (x86 arch_do_domctl): an NMI can be queued on any
 * vCPU of any domain; the ACPI power and sleep buttons exist only for HVM
 * domains (PV: EINVAL) and reach the guest only when it has the emulated
 * PM block (a PVH domain's press is dropped); x86 implements no RESET or
 * INIT trigger (ENOSYS).
 */
import { EMU } from './constants';
import type { XenCore } from './core';
import { err, ok, type XenResult } from './errno';

/** XEN_DOMCTL_SENDTRIGGER_* */
export type XenTrigger = 'nmi' | 'reset' | 'init' | 'power' | 'sleep';

/** What the guest sees, if anything. */
export interface TriggerDelivery {
  nmi?: number;
  acpi?: 'power' | 'sleep';
}

export function sendTrigger(x: XenCore, domid: number, trigger: XenTrigger, vcpu: number): XenResult<TriggerDelivery> {
  const r = x.get(domid);
  if (!r.ok) return r;
  const d = r.value;
  // the domctl field is a uint32: a negative id from the caller is huge
  if (!Number.isInteger(vcpu) || vcpu < 0 || vcpu >= d.maxVcpus || !d.vcpus[vcpu]) return err('ESRCH');
  switch (trigger) {
    case 'nmi':
      return ok({ nmi: vcpu });
    case 'power':
    case 'sleep':
      if (!d.hvm) return err('EINVAL');
      return ok((d.emulationFlags & EMU.PM) !== 0 ? { acpi: trigger } : {});
    default:
      return err('ENOSYS');
  }
}
