/**
 * libxl_domain_config, libxl_domain_create_info, libxl_domain_build_info and
 * their sub-structs, fields in the IDL order of Xen's libxl_types.idl (HEAD,
 * which the reference follows: arm_sci, altp2m_count, trap_unmapped_accesses,
 * xenstore_feature_mask, xenstore_quota, xen_platform_pci_bar_uc).
 */

import { ArrayOf, Enum, INIT_U64_ALL_ONES, Struct, Sub, T, U32_ALL_ONES, constField, field } from './idl';
import {
  device_channel, device_disk, device_dtdev, device_nic, device_p9, device_pci, device_pvcallsif, device_rdm,
  device_usbctrl, device_usbdev, device_vdispl, device_vfb, device_virtio, device_vkb, device_vsnd, device_vtpm,
  sdl_info, vnc_info,
} from './idl-devices';

/** LIBXL_DOMAIN_SCHED_PARAM_*_DEFAULT and LIBXL_SCHED_PARAM_VCPU_INDEX_DEFAULT */
const SCHED_PARAM_DEFAULT = -1;

export const domain_create_info = Struct('domain_create_info', [
  ['type', Enum('domain_type')],
  ['hap', T.defbool],
  ['oos', T.defbool],
  ['ssidref', T.uint32],
  ['ssid_label', T.string],
  ['name', T.string],
  ['domid', T.domid],
  ['uuid', T.uuid],
  ['xsdata', T.key_value_list],
  ['platformdata', T.key_value_list],
  ['poolid', T.uint32],
  ['pool_name', T.string],
  ['run_hotplug_scripts', T.defbool],
  ['driver_domain', T.defbool],
  ['passthrough', Enum('passthrough')],
  ['xend_suspend_evtchn_compat', T.defbool],
]);

export const domain_sched_params = Struct('domain_sched_params', [
  ['sched', Enum('scheduler')],
  ['weight', T.integer, SCHED_PARAM_DEFAULT],
  ['cap', T.integer, SCHED_PARAM_DEFAULT],
  ['period', T.integer, SCHED_PARAM_DEFAULT],
  ['budget', T.integer, SCHED_PARAM_DEFAULT],
  ['extratime', T.integer, SCHED_PARAM_DEFAULT],
  ['slice', T.integer, SCHED_PARAM_DEFAULT],
  ['latency', T.integer, SCHED_PARAM_DEFAULT],
]);

export const vnode_info = Struct('vnode_info', [
  ['memkb', T.MemKB],
  ['distances', ArrayOf(T.uint32)],
  ['pnode', T.uint32],
  ['vcpus', T.bitmap],
]);

export const ioport_range = Struct('ioport_range', [
  ['first', T.uint32],
  ['number', T.uint32],
]);

export const iomem_range = Struct('iomem_range', [
  ['start', T.uint64],
  ['number', T.uint64],
  ['gfn', T.uint64, INIT_U64_ALL_ONES],
]);

export const smbios = Struct('smbios', [
  ['key', Enum('smbios_type')],
  ['value', T.string],
]);

export const vga_interface_info = Struct('vga_interface_info', [['kind', Enum('vga_interface_type')]]);

export const spice_info = Struct('spice_info', [
  ['enable', T.defbool],
  ['port', T.integer],
  ['tls_port', T.integer],
  ['host', T.string],
  ['disable_ticketing', T.defbool],
  ['passwd', T.string],
  ['agent_mouse', T.defbool],
  ['vdagent', T.defbool],
  ['clipboard_sharing', T.defbool],
  ['usbredirection', T.integer],
  ['image_compression', T.string],
  ['streaming_video', T.string],
]);

export const rdm_reserve = Struct('rdm_reserve', [
  ['strategy', Enum('rdm_reserve_strategy')],
  ['policy', Enum('rdm_reserve_policy')],
]);

export const arm_sci = Struct('arm_sci', [['type', Enum('arm_sci_type')]]);

export const xs_quota_item = Struct('xs_quota_item', [
  ['name', T.string],
  ['val', T.uint32],
]);

export const xs_quota_list = Struct('xs_quota_list', [['quota', ArrayOf(Sub(xs_quota_item))]]);

export const build_info_hvm = Struct(null, [
  ['firmware', T.string],
  ['bios', Enum('bios_type')],
  ['pae', T.defbool],
  ['apic', T.defbool],
  ['acpi', T.defbool],
  ['acpi_s3', T.defbool],
  ['acpi_s4', T.defbool],
  ['acpi_laptop_slate', T.defbool],
  ['nx', T.defbool],
  ['viridian', T.defbool],
  ['viridian_enable', T.bitmap],
  ['viridian_disable', T.bitmap],
  ['timeoffset', T.string],
  ['hpet', T.defbool],
  ['vpt_align', T.defbool],
  ['mmio_hole_memkb', T.MemKB],
  ['timer_mode', Enum('timer_mode')],
  ['nested_hvm', T.defbool],
  ['altp2m', T.defbool],
  ['system_firmware', T.string],
  ['smbios_firmware', T.string],
  ['smbios', ArrayOf(Sub(smbios))],
  ['acpi_firmware', T.string],
  ['hdtype', Enum('hdtype')],
  ['nographic', T.defbool],
  ['vga', Sub(vga_interface_info)],
  ['vnc', Sub(vnc_info)],
  ['keymap', T.string],
  ['sdl', Sub(sdl_info)],
  ['spice', Sub(spice_info)],
  ['gfx_passthru', T.defbool],
  ['gfx_passthru_kind', Enum('gfx_passthru_kind')],
  ['serial', T.string],
  ['boot', T.string],
  ['usb', T.defbool],
  ['usbversion', T.integer],
  ['usbdevice', T.string],
  ['vkb_device', T.defbool],
  ['soundhw', T.string],
  ['xen_platform_pci', T.defbool],
  ['xen_platform_pci_bar_uc', T.defbool],
  ['usbdevice_list', T.string_list],
  ['vendor_device', Enum('vendor_device')],
  ['ms_vm_genid', T.ms_vm_genid],
  ['serial_list', T.string_list],
  ['rdm', Sub(rdm_reserve)],
  ['rdm_mem_boundary_memkb', T.MemKB],
  ['mca_caps', T.uint64],
  ['pirq', T.defbool],
]);

export const build_info_pv = Struct(null, [
  ['kernel', T.string],
  ['slack_memkb', T.MemKB],
  ['bootloader', T.string],
  ['bootloader_args', T.string_list],
  ['cmdline', T.string],
  ['ramdisk', T.string],
  constField('features', T.string),
  ['e820_host', T.defbool],
]);

export const build_info_pvh = Struct(null, [
  ['pvshim', T.defbool],
  ['pvshim_path', T.string],
  ['pvshim_cmdline', T.string],
  ['pvshim_extra', T.string],
]);

export const arch_arm = Struct(null, [
  ['gic_version', Enum('gic_version')],
  ['vuart', Enum('vuart_type')],
  ['sve_vl', Enum('sve_type')],
  ['nr_spis', T.uint32, U32_ALL_ONES],
  ['arm_sci', Sub(arm_sci)],
]);

export const arch_x86 = Struct(null, [['msr_relaxed', T.defbool]]);

export const domain_build_info = Struct('domain_build_info', [
  ['max_vcpus', T.integer],
  ['avail_vcpus', T.bitmap],
  ['cpumap', T.bitmap],
  ['nodemap', T.bitmap],
  ['vcpu_hard_affinity', ArrayOf(T.bitmap)],
  ['vcpu_soft_affinity', ArrayOf(T.bitmap)],
  ['numa_placement', T.defbool],
  ['tsc_mode', Enum('tsc_mode')],
  ['max_memkb', T.MemKB],
  ['target_memkb', T.MemKB],
  ['video_memkb', T.MemKB],
  ['shadow_memkb', T.MemKB],
  ['iommu_memkb', T.MemKB],
  ['rtc_timeoffset', T.uint32],
  ['exec_ssidref', T.uint32],
  ['exec_ssid_label', T.string],
  ['localtime', T.defbool],
  ['disable_migrate', T.defbool],
  ['cpuid', T.cpuid_policy_list],
  ['blkdev_start', T.string],
  ['vnuma_nodes', ArrayOf(Sub(vnode_info))],
  ['max_grant_frames', T.uint32, U32_ALL_ONES],
  ['max_maptrack_frames', T.uint32, U32_ALL_ONES],
  ['max_grant_version', T.integer, U32_ALL_ONES],
  ['device_model_version', Enum('device_model_version')],
  ['device_model_stubdomain', T.defbool],
  ['stubdomain_memkb', T.MemKB],
  ['stubdomain_kernel', T.string],
  ['stubdomain_cmdline', T.string],
  ['stubdomain_ramdisk', T.string],
  ['device_model', T.string],
  ['device_model_ssidref', T.uint32],
  ['device_model_ssid_label', T.string],
  ['device_model_user', T.string],
  ['extra', T.string_list],
  ['extra_pv', T.string_list],
  ['extra_hvm', T.string_list],
  ['sched_params', Sub(domain_sched_params)],
  ['ioports', ArrayOf(Sub(ioport_range))],
  ['irqs', ArrayOf(T.uint32)],
  ['iomem', ArrayOf(Sub(iomem_range))],
  ['llc_colors', ArrayOf(T.uint32)],
  ['claim_mode', T.defbool],
  ['event_channels', T.uint32],
  ['kernel', T.string],
  ['cmdline', T.string],
  ['ramdisk', T.string],
  ['device_tree', T.string],
  ['acpi', T.defbool],
  ['bootloader', T.string],
  ['bootloader_args', T.string_list],
  ['bootloader_restrict', T.defbool],
  ['bootloader_user', T.string],
  ['timer_mode', Enum('timer_mode')],
  ['nested_hvm', T.defbool],
  ['apic', T.defbool],
  ['dm_restrict', T.defbool],
  ['tee', Enum('tee_type')],
  ['u', {
    kind: 'union', keyvar: 'type', keyEnum: 'domain_type', keyInit: 'invalid',
    members: [
      { name: 'hvm', struct: build_info_hvm },
      { name: 'pv', struct: build_info_pv },
      { name: 'pvh', struct: build_info_pvh },
      { name: 'invalid', struct: null },
    ],
  }],
  ['arch_arm', Sub(arch_arm)],
  ['arch_x86', Sub(arch_x86)],
  ['altp2m', Enum('altp2m_mode')],
  ['altp2m_count', T.uint32, U32_ALL_ONES],
  ['vmtrace_buf_kb', T.integer],
  ['vpmu', T.defbool],
  ['trap_unmapped_accesses', T.defbool],
  ['xenstore_feature_mask', T.uint32, U32_ALL_ONES],
  ['xenstore_quota', Sub(xs_quota_list)],
]);

export const domain_config = Struct('domain_config', [
  ['c_info', Sub(domain_create_info)],
  ['b_info', Sub(domain_build_info)],
  ['disks', ArrayOf(Sub(device_disk))],
  ['nics', ArrayOf(Sub(device_nic))],
  ['pcidevs', ArrayOf(Sub(device_pci))],
  ['rdms', ArrayOf(Sub(device_rdm))],
  ['dtdevs', ArrayOf(Sub(device_dtdev))],
  ['vfbs', ArrayOf(Sub(device_vfb))],
  ['vkbs', ArrayOf(Sub(device_vkb))],
  ['virtios', ArrayOf(Sub(device_virtio))],
  ['vtpms', ArrayOf(Sub(device_vtpm))],
  ['p9s', ArrayOf(Sub(device_p9))],
  ['pvcallsifs', ArrayOf(Sub(device_pvcallsif))],
  ['vdispls', ArrayOf(Sub(device_vdispl))],
  ['vsnds', ArrayOf(Sub(device_vsnd))],
  ['channels', ArrayOf(Sub(device_channel))],
  ['usbctrls', ArrayOf(Sub(device_usbctrl))],
  ['usbdevs', ArrayOf(Sub(device_usbdev))],
  field('on_poweroff', Enum('action_on_shutdown')),
  field('on_reboot', Enum('action_on_shutdown')),
  field('on_watchdog', Enum('action_on_shutdown')),
  field('on_crash', Enum('action_on_shutdown')),
  field('on_soft_reset', Enum('action_on_shutdown')),
]);
