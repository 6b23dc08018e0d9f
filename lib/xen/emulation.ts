/**
 * Which emulated-device sets Xen agrees to create (emulation_flags_ok):
 * bits outside XEN_X86_EMU_ALL are EINVAL, and otherwise the set must match
 * one of the known guest shapes for the domain's (PV|HVM) x (dom0|domU)
 * capability, where `min` bits are mandatory and `opt` bits optional.
 */
import { EMU, EMU_ALL } from './constants';
import type { ErrnoName } from './errno';

interface EmuShape {
  pv: boolean;
  hwdom: boolean;
  domU: boolean;
  min: number;
  opt: number;
}

const SHAPES: readonly EmuShape[] = [
  // PV, dom0 or domU: nothing, PIT optional
  { pv: true, hwdom: true, domU: true, min: 0, opt: EMU.PIT },
  // PVH dom0
  { pv: false, hwdom: true, domU: false, min: EMU.LAPIC | EMU.IOAPIC | EMU.VPCI, opt: 0 },
  // PVH domU
  { pv: false, hwdom: false, domU: true, min: EMU.LAPIC, opt: 0 },
  // HVM domU: the full PC minus vPCI, PIRQ optional
  { pv: false, hwdom: false, domU: true, min: EMU_ALL & ~(EMU.VPCI | EMU.USE_PIRQ), opt: EMU.USE_PIRQ },
];

export interface EmuVerdict {
  ok: boolean;
  errno?: ErrnoName;
  /** the hypervisor log line Xen prints on refusal (with %pd rendered) */
  message?: string;
}

export function emulationFlagsOk(flags: number, hvm: boolean, hwdom: boolean, domid: number): EmuVerdict {
  const pd = `d${domid}`;
  if ((flags & ~EMU_ALL) !== 0) {
    return { ok: false, errno: 'EINVAL', message: `${pd}: invalid emulation bitmap: ${hex(flags)}` };
  }
  const match = SHAPES.some(
    (s) => s.pv === !hvm && (hwdom ? s.hwdom : s.domU) && (flags & ~s.opt) === s.min,
  );
  if (match) return { ok: true };
  return {
    ok: false,
    errno: 'EOPNOTSUPP',
    message: `${pd}: will not create ${hvm ? 'HVM' : 'PV'} ${hwdom ? 'hardware ' : ''}domain with emulators: ${hex(flags)}`,
  };
}

/** %#x */
function hex(n: number): string {
  return n === 0 ? '0' : `0x${n.toString(16)}`;
}

/** The value libxl requests for each guest type (libxl__arch_domain_prepare_config). */
export function defaultEmulationFlags(kind: 'pv' | 'pvh' | 'hvm', hvmPirq = false): number {
  if (kind === 'pv') return 0;
  if (kind === 'pvh') return EMU.LAPIC;
  return (EMU_ALL & ~(EMU.VPCI | EMU.USE_PIRQ)) | (hvmPirq ? EMU.USE_PIRQ : 0);
}

/** Names of the set bits, lowest first (for `xlsim` inspection). */
export function emulationFlagNames(flags: number): string[] {
  return (Object.keys(EMU) as (keyof typeof EMU)[]).filter((k) => (flags & EMU[k]) !== 0);
}
