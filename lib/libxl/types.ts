/**
 * libxl_domain_config and what it contains, as TypeScript types — the twin of
 * the C structs gentypes.py generates from tools/libs/light/libxl_types.idl.
 *
 * Field names are the IDL names verbatim (snake_case) so that reading this
 * code teaches libxl. Every scalar field is optional and "absent" means the
 * IDL init value (MemKB ~0, devid -1, on_* destroy, ...) or zero / NULL /
 * "<default>" where the IDL gives no init value; the JSON generator omits it.
 * Nested structs (c_info, b_info, sched_params, arch_arm, vnc, ...) are
 * required: C embeds them, libxl always emits them, and the new*() factories
 * below build them as libxl's *_init would.
 *
 * The keyed union of libxl_domain_build_info is `b_info.type` (the key) plus
 * `b_info.u` (the member for that type); use hvmInfo()/pvInfo()/pvhInfo().
 */

import type {
  Bitmap, CpuidPolicyList, Defbool, Domid, KeyValueList, MemKB, MsVmGenid, StringList, Uuid,
} from './idl-builtin-types';
import type {
  DeviceChannel, DeviceDisk, DeviceDtdev, DeviceNic, DevicePci, DeviceP9, DevicePvcallsif, DeviceRdm,
  DeviceUsbctrl, DeviceUsbdev, DeviceVdispl, DeviceVfb, DeviceVirtio, DeviceVkb, DeviceVsnd, DeviceVtpm,
  SdlInfo, VncInfo,
} from './idl-device-types';
import type { EnumValue } from './idl-enums';

export type * from './idl-builtin-types';
export type * from './idl-device-types';
export { NIC_COLO_FIELDS } from './idl-device-types';
export { ENUMS, enumFromString, enumToString, enumValue } from './idl-enums';
export type { EnumName, EnumValue } from './idl-enums';

export type DomainType = EnumValue<'domain_type'>;
export type RdmReserveStrategy = EnumValue<'rdm_reserve_strategy'>;
export type DeviceModelVersion = EnumValue<'device_model_version'>;
export type ConsoleType = EnumValue<'console_type'>;
export type ActionOnShutdown = EnumValue<'action_on_shutdown'>;
export type Trigger = EnumValue<'trigger'>;
export type TscMode = EnumValue<'tsc_mode'>;
export type GfxPassthruKind = EnumValue<'gfx_passthru_kind'>;
export type TimerMode = EnumValue<'timer_mode'>;
export type BiosType = EnumValue<'bios_type'>;
export type Scheduler = EnumValue<'scheduler'>;
export type ShutdownReason = EnumValue<'shutdown_reason'>;
export type VgaInterfaceType = EnumValue<'vga_interface_type'>;
export type VendorDevice = EnumValue<'vendor_device'>;
export type ViridianEnlightenment = EnumValue<'viridian_enlightenment'>;
export type Hdtype = EnumValue<'hdtype'>;
export type CheckpointedStream = EnumValue<'checkpointed_stream'>;
export type VuartType = EnumValue<'vuart_type'>;
export type Passthrough = EnumValue<'passthrough'>;
export type SmbiosType = EnumValue<'smbios_type'>;
export type GicVersion = EnumValue<'gic_version'>;
export type TeeType = EnumValue<'tee_type'>;
export type SveType = EnumValue<'sve_type'>;
export type ArmSciType = EnumValue<'arm_sci_type'>;
export type Altp2mMode = EnumValue<'altp2m_mode'>;

/** libxl_domain_create_info */
export interface DomainCreateInfo {
  type?: DomainType;
  hap?: Defbool;
  oos?: Defbool;
  ssidref?: number;
  ssid_label?: string;
  name?: string;
  domid?: Domid;
  uuid?: Uuid;
  xsdata?: KeyValueList;
  platformdata?: KeyValueList;
  poolid?: number;
  pool_name?: string;
  run_hotplug_scripts?: Defbool;
  driver_domain?: Defbool;
  passthrough?: Passthrough;
  xend_suspend_evtchn_compat?: Defbool;
}

/** libxl_domain_sched_params: every integer's init value is -1 ("default"). */
export interface DomainSchedParams {
  sched?: Scheduler;
  weight?: number;
  cap?: number;
  period?: number;
  budget?: number;
  extratime?: number;
  slice?: number;
  latency?: number;
}

/** libxl_vnode_info (one virtual NUMA node) */
export interface VnodeInfo {
  memkb?: MemKB;
  distances?: number[];
  pnode?: number;
  vcpus?: Bitmap;
}
export type VnumaInfo = VnodeInfo;

/** libxl_ioport_range */
export interface IoportRange {
  first?: number;
  number?: number;
}

/** libxl_iomem_range (gfn init LIBXL_INVALID_GFN: absent = invalid) */
export interface IomemRange {
  start?: number;
  number?: number;
  gfn?: number;
}

/** libxl_smbios */
export interface Smbios {
  key?: SmbiosType;
  value?: string;
}

/** libxl_vga_interface_info */
export interface VgaInterfaceInfo {
  kind?: VgaInterfaceType;
}

/** libxl_spice_info */
export interface SpiceInfo {
  enable?: Defbool;
  port?: number;
  tls_port?: number;
  host?: string;
  disable_ticketing?: Defbool;
  passwd?: string;
  agent_mouse?: Defbool;
  vdagent?: Defbool;
  clipboard_sharing?: Defbool;
  usbredirection?: number;
  image_compression?: string;
  streaming_video?: string;
}

/** libxl_rdm_reserve */
export interface RdmReserve {
  strategy?: RdmReserveStrategy;
  policy?: EnumValue<'rdm_reserve_policy'>;
}

/** b_info.u.hvm */
export interface HvmBuildInfo {
  firmware?: string;
  bios?: BiosType;
  pae?: Defbool;
  apic?: Defbool;
  acpi?: Defbool;
  acpi_s3?: Defbool;
  acpi_s4?: Defbool;
  acpi_laptop_slate?: Defbool;
  nx?: Defbool;
  viridian?: Defbool;
  viridian_enable?: Bitmap;
  viridian_disable?: Bitmap;
  timeoffset?: string;
  hpet?: Defbool;
  vpt_align?: Defbool;
  mmio_hole_memkb?: MemKB;
  timer_mode?: TimerMode;
  nested_hvm?: Defbool;
  altp2m?: Defbool;
  system_firmware?: string;
  smbios_firmware?: string;
  smbios?: Smbios[];
  acpi_firmware?: string;
  hdtype?: Hdtype;
  nographic?: Defbool;
  vga: VgaInterfaceInfo;
  vnc: VncInfo;
  keymap?: string;
  sdl: SdlInfo;
  spice: SpiceInfo;
  gfx_passthru?: Defbool;
  gfx_passthru_kind?: GfxPassthruKind;
  serial?: string;
  boot?: string;
  usb?: Defbool;
  usbversion?: number;
  usbdevice?: string;
  vkb_device?: Defbool;
  soundhw?: string;
  xen_platform_pci?: Defbool;
  xen_platform_pci_bar_uc?: Defbool;
  usbdevice_list?: StringList;
  vendor_device?: VendorDevice;
  ms_vm_genid?: MsVmGenid;
  serial_list?: StringList;
  rdm: RdmReserve;
  rdm_mem_boundary_memkb?: MemKB;
  mca_caps?: number;
  pirq?: Defbool;
}

/** b_info.u.pv (kernel/bootloader/cmdline/ramdisk are deprecated duplicates) */
export interface PvBuildInfo {
  kernel?: string;
  slack_memkb?: MemKB;
  bootloader?: string;
  bootloader_args?: StringList;
  cmdline?: string;
  ramdisk?: string;
  /** const in the IDL: never emitted or parsed */
  features?: string;
  e820_host?: Defbool;
}

/** b_info.u.pvh */
export interface PvhBuildInfo {
  pvshim?: Defbool;
  pvshim_path?: string;
  pvshim_cmdline?: string;
  pvshim_extra?: string;
}

/** libxl_arm_sci */
export interface ArmSci {
  type?: ArmSciType;
}

/** b_info.arch_arm */
export interface ArchArmInfo {
  gic_version?: GicVersion;
  vuart?: VuartType;
  sve_vl?: SveType;
  nr_spis?: number;
  arm_sci: ArmSci;
}

/** b_info.arch_x86 */
export interface ArchX86Info {
  msr_relaxed?: Defbool;
}

/** libxl_xs_quota_item */
export interface XsQuotaItem {
  name?: string;
  val?: number;
}

/** libxl_xs_quota_list */
export interface XsQuotaList {
  quota?: XsQuotaItem[];
}

/** libxl_domain_build_info */
export interface DomainBuildInfo {
  max_vcpus?: number;
  avail_vcpus?: Bitmap;
  cpumap?: Bitmap;
  nodemap?: Bitmap;
  vcpu_hard_affinity?: Bitmap[];
  vcpu_soft_affinity?: Bitmap[];
  numa_placement?: Defbool;
  tsc_mode?: TscMode;
  max_memkb?: MemKB;
  target_memkb?: MemKB;
  video_memkb?: MemKB;
  shadow_memkb?: MemKB;
  iommu_memkb?: MemKB;
  rtc_timeoffset?: number;
  exec_ssidref?: number;
  exec_ssid_label?: string;
  localtime?: Defbool;
  disable_migrate?: Defbool;
  cpuid?: CpuidPolicyList;
  blkdev_start?: string;
  vnuma_nodes?: VnodeInfo[];
  max_grant_frames?: number;
  max_maptrack_frames?: number;
  max_grant_version?: number;
  device_model_version?: DeviceModelVersion;
  device_model_stubdomain?: Defbool;
  stubdomain_memkb?: MemKB;
  stubdomain_kernel?: string;
  stubdomain_cmdline?: string;
  stubdomain_ramdisk?: string;
  device_model?: string;
  device_model_ssidref?: number;
  device_model_ssid_label?: string;
  device_model_user?: string;
  extra?: StringList;
  extra_pv?: StringList;
  extra_hvm?: StringList;
  sched_params: DomainSchedParams;
  ioports?: IoportRange[];
  irqs?: number[];
  iomem?: IomemRange[];
  llc_colors?: number[];
  claim_mode?: Defbool;
  event_channels?: number;
  kernel?: string;
  cmdline?: string;
  ramdisk?: string;
  device_tree?: string;
  acpi?: Defbool;
  bootloader?: string;
  bootloader_args?: StringList;
  bootloader_restrict?: Defbool;
  bootloader_user?: string;
  timer_mode?: TimerMode;
  nested_hvm?: Defbool;
  apic?: Defbool;
  dm_restrict?: Defbool;
  tee?: TeeType;
  /** key of the union `u` (absent = invalid) */
  type?: DomainType;
  /** the union member selected by `type` */
  u?: HvmBuildInfo | PvBuildInfo | PvhBuildInfo;
  arch_arm: ArchArmInfo;
  arch_x86: ArchX86Info;
  altp2m?: Altp2mMode;
  altp2m_count?: number;
  vmtrace_buf_kb?: number;
  vpmu?: Defbool;
  trap_unmapped_accesses?: Defbool;
  xenstore_feature_mask?: number;
  xenstore_quota: XsQuotaList;
}

/** libxl_domain_config */
export interface DomainConfig {
  c_info: DomainCreateInfo;
  b_info: DomainBuildInfo;
  disks?: DeviceDisk[];
  nics?: DeviceNic[];
  pcidevs?: DevicePci[];
  rdms?: DeviceRdm[];
  dtdevs?: DeviceDtdev[];
  vfbs?: DeviceVfb[];
  vkbs?: DeviceVkb[];
  virtios?: DeviceVirtio[];
  vtpms?: DeviceVtpm[];
  p9s?: DeviceP9[];
  pvcallsifs?: DevicePvcallsif[];
  vdispls?: DeviceVdispl[];
  vsnds?: DeviceVsnd[];
  channels?: DeviceChannel[];
  usbctrls?: DeviceUsbctrl[];
  usbdevs?: DeviceUsbdev[];
  on_poweroff?: ActionOnShutdown;
  on_reboot?: ActionOnShutdown;
  on_watchdog?: ActionOnShutdown;
  on_crash?: ActionOnShutdown;
  on_soft_reset?: ActionOnShutdown;
}

export {
  newDomainConfig, newDomainCreateInfo, newDomainBuildInfo, newHvmBuildInfo, newPvBuildInfo,
  newPvhBuildInfo, initBuildInfoType, hvmInfo, pvInfo, pvhInfo, newDeviceDisk, newDeviceNic,
  newDevicePci, newDeviceRdm, newDeviceDtdev, newDeviceVfb, newDeviceVkb, newDeviceVirtio,
  newDeviceVtpm, newDeviceP9, newDevicePvcallsif, newDeviceVdispl, newDeviceVsnd, newVsndParams,
  newVsndPcm, newVsndStream, newDeviceChannel, newDeviceUsbctrl, newDeviceUsbdev, newDomainSchedParams,
  newVnodeInfo, defboolToString,
} from './idl-init';

/** libxl_device_<kind> by kind name */
export type DeviceOf = {
  disk: DeviceDisk; nic: DeviceNic; pci: DevicePci; rdm: DeviceRdm; dtdev: DeviceDtdev; vfb: DeviceVfb;
  vkb: DeviceVkb; virtio: DeviceVirtio; vtpm: DeviceVtpm; p9: DeviceP9; pvcallsif: DevicePvcallsif;
  vdispl: DeviceVdispl; vsnd: DeviceVsnd; channel: DeviceChannel; usbctrl: DeviceUsbctrl; usbdev: DeviceUsbdev;
};
/** the device kinds libxl knows, named as in libxl_device_<kind> */
export type DeviceKind = keyof DeviceOf;
