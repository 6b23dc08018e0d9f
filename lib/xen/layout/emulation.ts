/**
 * What a guest gets emulated, and by whom: the XEN_X86_EMU_* set the
 * toolstack asked Xen for (decoded bit by bit), the devices QEMU adds for an
 * HVM guest with this configuration, and which configuration options change
 * what — most of them act through HVM params, firmware tables or QEMU
 * arguments and leave the flags alone; only hvm_pirq moves a bit.
 */
import { EMU, EMU_ALL } from '../constants';
import { defaultEmulationFlags, emulationFlagsOk } from '../emulation';
import { dmDevices, type QemuDesc, type QemuDevice } from './qemu';
import type { GuestType } from './memmap';

export type { QemuDesc, QemuDevice } from './qemu';

export interface PagingDesc {
  mode: 'hap' | 'shadow' | 'none';
  /** the paging pool (shadow_memory) in KiB */
  poolKiB: number;
  /** true when shadow_memory= set it, false when libxl's formula did */
  explicit: boolean;
  /** the formula's inputs, for the explanation */
  maxVcpus: number;
  maxmemMiB: number;
}

export interface EmulationDesc {
  type: GuestType;
  /** the hardware domain (dom0): Xen builds it, not libxl */
  hwdom?: boolean;
  /** hvm_pirq= (HVM only) */
  hvmPirq?: boolean;
  /** the flags the domain actually has, when known (else what libxl requests) */
  flags?: number;
  domid?: number;
  /** HVM: what the device model is started with */
  qemu?: QemuDesc;
  /** current values of the options the report explains, as the user would write them */
  options?: Record<string, string>;
  paging?: PagingDesc;
}

export interface EmuBitReport {
  bit: number;
  name: string;
  value: number;
  set: boolean;
  /** where the device model for this bit lives */
  emulatedBy: string;
  meaning: string;
}

export interface OptionEffect {
  option: string;
  value: string;
  effect: string;
  changesFlags: boolean;
}

export interface EmulationReport {
  type: GuestType;
  hwdom: boolean;
  flags: number;
  flagsHex: string;
  /** what libxl (or Xen, for dom0) requests for this type */
  requested: number;
  /** Xen's emulation_flags_ok verdict on `flags` */
  accepted: boolean;
  refusal?: string;
  bits: EmuBitReport[];
  interrupts: string;
  xenEmulates: string[];
  /** HVM only */
  qemu?: { machine: string; devices: QemuDevice[] };
  /** PV / PVH: why there is no QEMU for emulation */
  noQemu?: string;
  options: OptionEffect[];
  paging?: string;
  notes: string[];
}

const BITS: { name: keyof typeof EMU; by: string; meaning: string }[] = [
  { name: 'LAPIC', by: 'Xen (vlapic.c)', meaning: 'local APIC per vCPU: APIC timer, IPIs, interrupt delivery' },
  { name: 'HPET', by: 'Xen (hpet.c)', meaning: 'HPET timer block at 0xFED00000' },
  { name: 'PM', by: 'Xen (pmtimer.c)', meaning: 'ACPI PM timer and PM1 event/control registers' },
  { name: 'RTC', by: 'Xen (rtc.c)', meaning: 'CMOS real-time clock, ports 0x70-0x71' },
  { name: 'IOAPIC', by: 'Xen (vioapic.c)', meaning: 'I/O APIC at 0xFEC00000' },
  { name: 'PIC', by: 'Xen (vpic.c)', meaning: 'the two i8259 interrupt controllers' },
  { name: 'VGA', by: 'Xen (stdvga.c) + QEMU', meaning: 'standard-VGA accelerator: Xen caches VGA state, QEMU does the drawing' },
  { name: 'IOMMU', by: 'Xen', meaning: 'virtual IOMMU (part of the HVM domU shape)' },
  { name: 'PIT', by: 'Xen (emul-i8254.c)', meaning: 'i8254 programmable interval timer' },
  { name: 'USE_PIRQ', by: 'Xen', meaning: 'physical interrupts delivered as event channels (PIRQs) instead of emulated IOAPIC/MSI' },
  { name: 'VPCI', by: 'Xen (vpci)', meaning: 'PCI config space handled inside Xen (PVH dom0 only on x86)' },
];

function hex(n: number): string {
  return n === 0 ? '0' : `0x${n.toString(16)}`;
}

function requestedFlags(d: EmulationDesc): number {
  if (d.hwdom) return d.type === 'pv' ? EMU.PIT : EMU.LAPIC | EMU.IOAPIC | EMU.VPCI;
  return defaultEmulationFlags(d.type, d.type === 'hvm' && d.hvmPirq === true);
}

function interruptsText(d: EmulationDesc, flags: number): string {
  if (d.type === 'pv') {
    return 'no local APIC and no emulated interrupt controllers: interrupts arrive as event channels (the upcall), timers through hypercalls (VCPUOP_set_singleshot_timer)';
  }
  if (d.type === 'pvh') {
    return d.hwdom
      ? 'emulated local APIC and IOAPIC, vPCI for the real devices; PV devices signal through event channels'
      : 'emulated local APIC only: no IOAPIC, PIC, PIT, HPET, RTC or PM timer; devices are PV and signal through event channels';
  }
  return (flags & EMU.USE_PIRQ) !== 0
    ? 'full PC interrupt path (LAPIC, IOAPIC, PIC); hvm_pirq=1: passed-through and PV-aware interrupts are routed as PIRQ event channels'
    : 'full PC interrupt path: LAPIC, IOAPIC and i8259 PIC emulated in Xen; PV drivers use event channels through the Xen platform device callback';
}

function optionRows(d: EmulationDesc): OptionEffect[] {
  const v = (k: string, dflt: string) => d.options?.[k] ?? dflt;
  if (d.hwdom) {
    return [
      {
        option: 'dom0 (Xen command line)',
        value: d.type === 'pv' ? 'pv' : 'pvh',
        effect: `dom0 is built by Xen, not from xl.cfg: dom0=pvh selects ${hex(EMU.LAPIC | EMU.IOAPIC | EMU.VPCI)}, a PV dom0 gets ${hex(EMU.PIT)}`,
        changesFlags: true,
      },
    ];
  }
  if (d.type === 'pv') {
    return [
      { option: 'type', value: 'pv', effect: 'PV domU: libxl asks for no emulation at all (flags 0)', changesFlags: false },
      { option: 'hpet, acpi, apic, vga, hvm_pirq', value: '-', effect: 'HVM-only keys: not read for a PV guest', changesFlags: false },
      { option: 'timer_mode', value: '-', effect: 'rejected for PV: "timer_mode" option is not supported for PV guests.', changesFlags: false },
    ];
  }
  if (d.type === 'pvh') {
    return [
      { option: 'type', value: 'pvh', effect: 'PVH domU: libxl asks for LAPIC only (0x1)', changesFlags: false },
      { option: 'timer_mode', value: v('timer_mode', 'no_delay_for_missed_ticks'), effect: 'HVM_PARAM_TIMER_MODE (how missed LAPIC timer ticks are paid back)', changesFlags: false },
      { option: 'acpi', value: v('acpi', '1'), effect: 'ignored: PVH always gets the ACPI tables libxl builds', changesFlags: false },
      { option: 'apic, hpet, hvm_pirq, vga', value: '-', effect: 'HVM-only keys: not read for a PVH guest', changesFlags: false },
    ];
  }
  return [
    { option: 'hvm_pirq', value: v('hvm_pirq', '0'), effect: 'XEN_X86_EMU_USE_PIRQ: 0x1ff without, 0x3ff with', changesFlags: true },
    { option: 'hpet', value: v('hpet', '1'), effect: 'HVM_PARAM_HPET_ENABLED; the HPET stays emulated (flag set), hpet=0 only hides it from the guest', changesFlags: false },
    { option: 'acpi', value: v('acpi', '1'), effect: 'QEMU -no-acpi and xenstore platform/acpi when 0; PM timer stays emulated', changesFlags: false },
    { option: 'apic', value: v('apic', '1'), effect: 'hvm_info.apic_mode (MP tables); the LAPIC stays emulated', changesFlags: false },
    { option: 'vga', value: v('vga', 'cirrus'), effect: 'which VGA QEMU adds (-device ...); the VGA flag stays set', changesFlags: false },
    { option: 'viridian', value: v('viridian', '0'), effect: 'HVM_PARAM_VIRIDIAN: Hyper-V enlightenments for Windows', changesFlags: false },
    { option: 'timer_mode', value: v('timer_mode', 'no_delay_for_missed_ticks'), effect: 'HVM_PARAM_TIMER_MODE', changesFlags: false },
    { option: 'vpt_align', value: v('vpt_align', '1'), effect: 'HVM_PARAM_VPT_ALIGN: align virtual timer ticks', changesFlags: false },
    { option: 'xen_platform_pci', value: v('xen_platform_pci', '1'), effect: 'QEMU machine xenfv (with the platform device PV drivers need) or pc,accel=xen', changesFlags: false },
    { option: 'hdtype', value: v('hdtype', 'ide'), effect: 'emulated disks on IDE or on an AHCI controller', changesFlags: false },
    { option: 'nestedhvm', value: v('nestedhvm', '0'), effect: 'XEN_DOMCTL_CDF_nested_virt (domain flag, not an emulation bit)', changesFlags: false },
  ];
}

function pagingText(p: PagingDesc): string {
  const mib = (p.poolKiB / 1024).toFixed(p.poolKiB % 1024 === 0 ? 0 : 1);
  if (p.mode === 'none') return `paging: PV (no translation); ${mib} MiB counted for log-dirty during migration`;
  const how = p.explicit
    ? 'set by shadow_memory'
    : p.mode === 'hap'
      ? `libxl default: 1 MiB x ${p.maxVcpus} vCPUs + 4 KiB x ${p.maxmemMiB} MiB`
      : `libxl default: 1 MiB x ${p.maxVcpus} vCPUs + 8 KiB x ${p.maxmemMiB} MiB`;
  return `paging: ${p.mode === 'hap' ? 'HAP (EPT/NPT)' : 'shadow'}, pool ${mib} MiB (${how})`;
}

export function emulationReport(d: EmulationDesc): EmulationReport {
  const hwdom = d.hwdom === true;
  const requested = requestedFlags(d);
  const flags = d.flags ?? requested;
  const verdict = emulationFlagsOk(flags, d.type !== 'pv', hwdom, d.domid ?? (hwdom ? 0 : 1));
  const bits = BITS.map((b, i) => ({
    bit: i,
    name: `XEN_X86_EMU_${b.name}`,
    value: EMU[b.name],
    set: (flags & EMU[b.name]) !== 0,
    emulatedBy: b.by,
    meaning: b.meaning,
  }));
  const xenEmulates = bits.filter((b) => b.set).map((b) => `${b.name.replace('XEN_X86_EMU_', '')}: ${b.meaning}`);
  const notes: string[] = [];
  if (d.type !== 'pv' && !hwdom) notes.push('Xen cannot tell PVH from HVM: both are HVM containers, only these flags differ');
  if (d.type === 'hvm') notes.push('no xl.cfg option other than hvm_pirq changes the flags: hpet=0, acpi=0, apic=0, vga="none" leave 0x1ff');
  if (hwdom && d.type === 'pv') notes.push('PV dom0: Xen turns the PIT on for the hardware domain (0x100)');
  if ((flags & ~EMU_ALL) !== 0) notes.push(`bits outside XEN_X86_EMU_ALL (${hex(EMU_ALL)}) are invalid`);

  const report: EmulationReport = {
    type: d.type,
    hwdom,
    flags,
    flagsHex: hex(flags),
    requested,
    accepted: verdict.ok,
    ...(verdict.ok ? {} : { refusal: verdict.message ?? '' }),
    bits,
    interrupts: interruptsText(d, flags),
    xenEmulates,
    options: optionRows(d),
    notes,
  };
  if (d.type === 'hvm' && !hwdom) {
    report.qemu = dmDevices(d.qemu ?? defaultQemu());
  } else if (d.type === 'pvh') {
    report.noQemu = 'PVH has no device model: disks, network and console are PV (blkfront, netfront, hvc) from the first instruction';
  } else {
    report.noQemu = 'PV has no emulated devices; a QEMU may run in dom0 only as a backend (qdisk, vfb), never for emulation';
  }
  if (d.paging) report.paging = pagingText(d.paging);
  return report;
}

/** libxl's defaults for an HVM guest with no devices. */
export function defaultQemu(): QemuDesc {
  return {
    xenPlatformPci: true,
    vga: 'cirrus',
    videoramMiB: 8,
    hdtype: 'ide',
    disks: [],
    nics: [],
    usb: false,
    usbdevices: [],
    usbversion: 0,
    serial: [],
    acpi: true,
    nographic: false,
    vnc: true,
    sdl: false,
    spice: false,
    boot: 'cda',
    maxVcpus: 1,
    availVcpus: 1,
    maxmemMiB: 128,
  };
}
