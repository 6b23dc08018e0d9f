/**
 * The TypeScript types of types.ts must name exactly the IDL fields, in IDL
 * order (a keyed union appears as its key variable followed by `u`). Each
 * literal below is typed Record<keyof T, true>, so the compiler rejects a
 * missing or extra key; the test then compares the order with the descriptors.
 */
import { describe, expect, it } from 'vitest';
import type { IdlStruct } from '../../lib/libxl/idl';
import * as D from '../../lib/libxl/idl-domain';
import * as V from '../../lib/libxl/idl-devices';
import type * as T from '../../lib/libxl/types';

function names(st: IdlStruct): string[] {
  return st.fields.flatMap((f) => (f.type.kind === 'union' ? [f.type.keyvar, f.name] : [f.name]));
}

function member(st: IdlStruct, path: string): IdlStruct {
  const [head, name] = path.split('.');
  for (const f of st.fields) {
    if (head === 'u' && f.type.kind === 'union') {
      const m = f.type.members.find((x) => x.name === name);
      if (m?.struct) return m.struct;
    }
    if (f.name === head && f.type.kind === 'struct') return f.type.struct;
  }
  throw new Error(`no ${path}`);
}

const cases: Array<[string, string[], IdlStruct]> = [];

const kDomainConfig: Record<keyof T.DomainConfig, true> = {
  c_info: true, b_info: true, disks: true, nics: true, pcidevs: true, rdms: true, dtdevs: true, vfbs: true,
  vkbs: true, virtios: true, vtpms: true, p9s: true, pvcallsifs: true, vdispls: true, vsnds: true,
  channels: true, usbctrls: true, usbdevs: true, on_poweroff: true, on_reboot: true, on_watchdog: true,
  on_crash: true, on_soft_reset: true,
};
cases.push(['DomainConfig', Object.keys(kDomainConfig), D.domain_config]);
const kDomainCreateInfo: Record<keyof T.DomainCreateInfo, true> = {
  type: true, hap: true, oos: true, ssidref: true, ssid_label: true, name: true, domid: true, uuid: true,
  xsdata: true, platformdata: true, poolid: true, pool_name: true, run_hotplug_scripts: true,
  driver_domain: true, passthrough: true, xend_suspend_evtchn_compat: true,
};
cases.push(['DomainCreateInfo', Object.keys(kDomainCreateInfo), D.domain_create_info]);
const kDomainBuildInfo: Record<keyof T.DomainBuildInfo, true> = {
  max_vcpus: true, avail_vcpus: true, cpumap: true, nodemap: true, vcpu_hard_affinity: true,
  vcpu_soft_affinity: true, numa_placement: true, tsc_mode: true, max_memkb: true, target_memkb: true,
  video_memkb: true, shadow_memkb: true, iommu_memkb: true, rtc_timeoffset: true, exec_ssidref: true,
  exec_ssid_label: true, localtime: true, disable_migrate: true, cpuid: true, blkdev_start: true,
  vnuma_nodes: true, max_grant_frames: true, max_maptrack_frames: true, max_grant_version: true,
  device_model_version: true, device_model_stubdomain: true, stubdomain_memkb: true, stubdomain_kernel: true,
  stubdomain_cmdline: true, stubdomain_ramdisk: true, device_model: true, device_model_ssidref: true,
  device_model_ssid_label: true, device_model_user: true, extra: true, extra_pv: true, extra_hvm: true,
  sched_params: true, ioports: true, irqs: true, iomem: true, llc_colors: true, claim_mode: true,
  event_channels: true, kernel: true, cmdline: true, ramdisk: true, device_tree: true, acpi: true,
  bootloader: true, bootloader_args: true, bootloader_restrict: true, bootloader_user: true,
  timer_mode: true, nested_hvm: true, apic: true, dm_restrict: true, tee: true, type: true, u: true,
  arch_arm: true, arch_x86: true, altp2m: true, altp2m_count: true, vmtrace_buf_kb: true, vpmu: true,
  trap_unmapped_accesses: true, xenstore_feature_mask: true, xenstore_quota: true,
};
cases.push(['DomainBuildInfo', Object.keys(kDomainBuildInfo), D.domain_build_info]);
const kHvmBuildInfo: Record<keyof T.HvmBuildInfo, true> = {
  firmware: true, bios: true, pae: true, apic: true, acpi: true, acpi_s3: true, acpi_s4: true,
  acpi_laptop_slate: true, nx: true, viridian: true, viridian_enable: true, viridian_disable: true,
  timeoffset: true, hpet: true, vpt_align: true, mmio_hole_memkb: true, timer_mode: true, nested_hvm: true,
  altp2m: true, system_firmware: true, smbios_firmware: true, smbios: true, acpi_firmware: true,
  hdtype: true, nographic: true, vga: true, vnc: true, keymap: true, sdl: true, spice: true,
  gfx_passthru: true, gfx_passthru_kind: true, serial: true, boot: true, usb: true, usbversion: true,
  usbdevice: true, vkb_device: true, soundhw: true, xen_platform_pci: true, xen_platform_pci_bar_uc: true,
  usbdevice_list: true, vendor_device: true, ms_vm_genid: true, serial_list: true, rdm: true,
  rdm_mem_boundary_memkb: true, mca_caps: true, pirq: true,
};
cases.push(['HvmBuildInfo', Object.keys(kHvmBuildInfo), member(D.domain_build_info, 'u.hvm')]);
const kPvBuildInfo: Record<keyof T.PvBuildInfo, true> = {
  kernel: true, slack_memkb: true, bootloader: true, bootloader_args: true, cmdline: true, ramdisk: true,
  features: true, e820_host: true,
};
cases.push(['PvBuildInfo', Object.keys(kPvBuildInfo), member(D.domain_build_info, 'u.pv')]);
const kPvhBuildInfo: Record<keyof T.PvhBuildInfo, true> = {
  pvshim: true, pvshim_path: true, pvshim_cmdline: true, pvshim_extra: true,
};
cases.push(['PvhBuildInfo', Object.keys(kPvhBuildInfo), member(D.domain_build_info, 'u.pvh')]);
const kArchArmInfo: Record<keyof T.ArchArmInfo, true> = {
  gic_version: true, vuart: true, sve_vl: true, nr_spis: true, arm_sci: true,
};
cases.push(['ArchArmInfo', Object.keys(kArchArmInfo), member(D.domain_build_info, 'arch_arm')]);
const kArchX86Info: Record<keyof T.ArchX86Info, true> = { msr_relaxed: true };
cases.push(['ArchX86Info', Object.keys(kArchX86Info), member(D.domain_build_info, 'arch_x86')]);
const kDomainSchedParams: Record<keyof T.DomainSchedParams, true> = {
  sched: true, weight: true, cap: true, period: true, budget: true, extratime: true, slice: true,
  latency: true,
};
cases.push(['DomainSchedParams', Object.keys(kDomainSchedParams), D.domain_sched_params]);
const kVnodeInfo: Record<keyof T.VnodeInfo, true> = {
  memkb: true, distances: true, pnode: true, vcpus: true,
};
cases.push(['VnodeInfo', Object.keys(kVnodeInfo), D.vnode_info]);
const kIoportRange: Record<keyof T.IoportRange, true> = { first: true, number: true };
cases.push(['IoportRange', Object.keys(kIoportRange), D.ioport_range]);
const kIomemRange: Record<keyof T.IomemRange, true> = { start: true, number: true, gfn: true };
cases.push(['IomemRange', Object.keys(kIomemRange), D.iomem_range]);
const kSmbios: Record<keyof T.Smbios, true> = { key: true, value: true };
cases.push(['Smbios', Object.keys(kSmbios), D.smbios]);
const kVgaInterfaceInfo: Record<keyof T.VgaInterfaceInfo, true> = { kind: true };
cases.push(['VgaInterfaceInfo', Object.keys(kVgaInterfaceInfo), D.vga_interface_info]);
const kVncInfo: Record<keyof T.VncInfo, true> = {
  enable: true, listen: true, passwd: true, display: true, findunused: true,
};
cases.push(['VncInfo', Object.keys(kVncInfo), V.vnc_info]);
const kSdlInfo: Record<keyof T.SdlInfo, true> = {
  enable: true, opengl: true, display: true, xauthority: true,
};
cases.push(['SdlInfo', Object.keys(kSdlInfo), V.sdl_info]);
const kSpiceInfo: Record<keyof T.SpiceInfo, true> = {
  enable: true, port: true, tls_port: true, host: true, disable_ticketing: true, passwd: true,
  agent_mouse: true, vdagent: true, clipboard_sharing: true, usbredirection: true, image_compression: true,
  streaming_video: true,
};
cases.push(['SpiceInfo', Object.keys(kSpiceInfo), D.spice_info]);
const kRdmReserve: Record<keyof T.RdmReserve, true> = { strategy: true, policy: true };
cases.push(['RdmReserve', Object.keys(kRdmReserve), D.rdm_reserve]);
const kArmSci: Record<keyof T.ArmSci, true> = { type: true };
cases.push(['ArmSci', Object.keys(kArmSci), D.arm_sci]);
const kXsQuotaItem: Record<keyof T.XsQuotaItem, true> = { name: true, val: true };
cases.push(['XsQuotaItem', Object.keys(kXsQuotaItem), D.xs_quota_item]);
const kXsQuotaList: Record<keyof T.XsQuotaList, true> = { quota: true };
cases.push(['XsQuotaList', Object.keys(kXsQuotaList), D.xs_quota_list]);
const kDeviceDisk: Record<keyof T.DeviceDisk, true> = {
  backend_domid: true, backend_domname: true, pdev_path: true, vdev: true, backend: true, format: true,
  script: true, removable: true, readwrite: true, is_cdrom: true, direct_io_safe: true, discard_enable: true,
  specification: true, transport: true, irq: true, base: true, colo_enable: true, colo_restore_enable: true,
  colo_host: true, colo_port: true, colo_export: true, active_disk: true, hidden_disk: true, trusted: true,
  grant_usage: true,
};
cases.push(['DeviceDisk', Object.keys(kDeviceDisk), V.device_disk]);
const kDeviceNic: Record<keyof T.DeviceNic, true> = {
  backend_domid: true, backend_domname: true, devid: true, mtu: true, vlan: true, model: true, mac: true,
  ip: true, bridge: true, ifname: true, script: true, nictype: true, rate_bytes_per_interval: true,
  rate_interval_usecs: true, gatewaydev: true, coloft_forwarddev: true, colo_sock_mirror_id: true,
  colo_sock_mirror_ip: true, colo_sock_mirror_port: true, colo_sock_compare_pri_in_id: true,
  colo_sock_compare_pri_in_ip: true, colo_sock_compare_pri_in_port: true, colo_sock_compare_sec_in_id: true,
  colo_sock_compare_sec_in_ip: true, colo_sock_compare_sec_in_port: true, colo_sock_compare_notify_id: true,
  colo_sock_compare_notify_ip: true, colo_sock_compare_notify_port: true, colo_sock_redirector0_id: true,
  colo_sock_redirector0_ip: true, colo_sock_redirector0_port: true, colo_sock_redirector1_id: true,
  colo_sock_redirector1_ip: true, colo_sock_redirector1_port: true, colo_sock_redirector2_id: true,
  colo_sock_redirector2_ip: true, colo_sock_redirector2_port: true, colo_filter_mirror_queue: true,
  colo_filter_mirror_outdev: true, colo_filter_redirector0_queue: true, colo_filter_redirector0_indev: true,
  colo_filter_redirector0_outdev: true, colo_filter_redirector1_queue: true,
  colo_filter_redirector1_indev: true, colo_filter_redirector1_outdev: true, colo_compare_pri_in: true,
  colo_compare_sec_in: true, colo_compare_out: true, colo_compare_notify_dev: true,
  colo_sock_sec_redirector0_id: true, colo_sock_sec_redirector0_ip: true,
  colo_sock_sec_redirector0_port: true, colo_sock_sec_redirector1_id: true,
  colo_sock_sec_redirector1_ip: true, colo_sock_sec_redirector1_port: true,
  colo_filter_sec_redirector0_queue: true, colo_filter_sec_redirector0_indev: true,
  colo_filter_sec_redirector0_outdev: true, colo_filter_sec_redirector1_queue: true,
  colo_filter_sec_redirector1_indev: true, colo_filter_sec_redirector1_outdev: true,
  colo_filter_sec_rewriter0_queue: true, colo_checkpoint_host: true, colo_checkpoint_port: true,
  trusted: true,
};
cases.push(['DeviceNic', Object.keys(kDeviceNic), V.device_nic]);
const kDevicePci: Record<keyof T.DevicePci, true> = {
  func: true, dev: true, bus: true, domain: true, vdevfn: true, vfunc_mask: true, msitranslate: true,
  power_mgmt: true, permissive: true, seize: true, rdm_policy: true, name: true,
};
cases.push(['DevicePci', Object.keys(kDevicePci), V.device_pci]);
const kDeviceRdm: Record<keyof T.DeviceRdm, true> = { start: true, size: true, policy: true };
cases.push(['DeviceRdm', Object.keys(kDeviceRdm), V.device_rdm]);
const kDeviceDtdev: Record<keyof T.DeviceDtdev, true> = { path: true };
cases.push(['DeviceDtdev', Object.keys(kDeviceDtdev), V.device_dtdev]);
const kDeviceVfb: Record<keyof T.DeviceVfb, true> = {
  backend_domid: true, backend_domname: true, devid: true, vnc: true, sdl: true, keymap: true,
};
cases.push(['DeviceVfb', Object.keys(kDeviceVfb), V.device_vfb]);
const kDeviceVkb: Record<keyof T.DeviceVkb, true> = {
  backend_domid: true, backend_domname: true, devid: true, backend_type: true, unique_id: true,
  feature_disable_keyboard: true, feature_disable_pointer: true, feature_abs_pointer: true,
  feature_raw_pointer: true, feature_multi_touch: true, width: true, height: true, multi_touch_width: true,
  multi_touch_height: true, multi_touch_num_contacts: true,
};
cases.push(['DeviceVkb', Object.keys(kDeviceVkb), V.device_vkb]);
const kDeviceVirtio: Record<keyof T.DeviceVirtio, true> = {
  backend_domid: true, backend_domname: true, type: true, transport: true, grant_usage: true, devid: true,
  irq: true, base: true,
};
cases.push(['DeviceVirtio', Object.keys(kDeviceVirtio), V.device_virtio]);
const kDeviceVtpm: Record<keyof T.DeviceVtpm, true> = {
  backend_domid: true, backend_domname: true, devid: true, uuid: true,
};
cases.push(['DeviceVtpm', Object.keys(kDeviceVtpm), V.device_vtpm]);
const kDeviceP9: Record<keyof T.DeviceP9, true> = {
  backend_domid: true, backend_domname: true, tag: true, path: true, security_model: true, devid: true,
  type: true, max_space: true, max_files: true, max_open_files: true, auto_delete: true,
};
cases.push(['DeviceP9', Object.keys(kDeviceP9), V.device_p9]);
const kDevicePvcallsif: Record<keyof T.DevicePvcallsif, true> = {
  backend_domid: true, backend_domname: true, devid: true,
};
cases.push(['DevicePvcallsif', Object.keys(kDevicePvcallsif), V.device_pvcallsif]);
const kDeviceChannel: Record<keyof T.DeviceChannel, true> = {
  backend_domid: true, backend_domname: true, devid: true, name: true, connection: true, u: true,
};
cases.push(['DeviceChannel', Object.keys(kDeviceChannel), V.device_channel]);
const kChannelSocket: Record<keyof T.ChannelSocket, true> = { path: true };
cases.push(['ChannelSocket', Object.keys(kChannelSocket), member(V.device_channel, 'u.socket')]);
const kConnectorParam: Record<keyof T.ConnectorParam, true> = { unique_id: true, width: true, height: true };
cases.push(['ConnectorParam', Object.keys(kConnectorParam), V.connector_param]);
const kDeviceVdispl: Record<keyof T.DeviceVdispl, true> = {
  backend_domid: true, backend_domname: true, devid: true, be_alloc: true, connectors: true,
};
cases.push(['DeviceVdispl', Object.keys(kDeviceVdispl), V.device_vdispl]);
const kVsndParams: Record<keyof T.VsndParams, true> = {
  sample_rates: true, sample_formats: true, channels_min: true, channels_max: true, buffer_size: true,
};
cases.push(['VsndParams', Object.keys(kVsndParams), V.vsnd_params]);
const kVsndStream: Record<keyof T.VsndStream, true> = { unique_id: true, type: true, params: true };
cases.push(['VsndStream', Object.keys(kVsndStream), V.vsnd_stream]);
const kVsndPcm: Record<keyof T.VsndPcm, true> = { name: true, params: true, streams: true };
cases.push(['VsndPcm', Object.keys(kVsndPcm), V.vsnd_pcm]);
const kDeviceVsnd: Record<keyof T.DeviceVsnd, true> = {
  backend_domid: true, backend_domname: true, devid: true, short_name: true, long_name: true, params: true,
  pcms: true,
};
cases.push(['DeviceVsnd', Object.keys(kDeviceVsnd), V.device_vsnd]);
const kDeviceUsbctrl: Record<keyof T.DeviceUsbctrl, true> = {
  type: true, devid: true, version: true, ports: true, backend_domid: true, backend_domname: true,
};
cases.push(['DeviceUsbctrl', Object.keys(kDeviceUsbctrl), V.device_usbctrl]);
const kDeviceUsbdev: Record<keyof T.DeviceUsbdev, true> = { ctrl: true, port: true, type: true, u: true };
cases.push(['DeviceUsbdev', Object.keys(kDeviceUsbdev), V.device_usbdev]);
const kUsbdevHostdev: Record<keyof T.UsbdevHostdev, true> = { hostbus: true, hostaddr: true };
cases.push(['UsbdevHostdev', Object.keys(kUsbdevHostdev), member(V.device_usbdev, 'u.hostdev')]);

describe('types.ts mirrors the IDL descriptors', () => {
  for (const [name, keys, st] of cases) {
    it(name, () => expect(keys).toEqual(names(st)));
  }
});
