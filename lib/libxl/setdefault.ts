/**
 * libxl__domain_config_setdefault and the *_setdefault helpers it calls
 * (libxl_create.c, libxl_x86.c): every "<default>" the parser left becomes
 * a decided value before the domain is made. The result is what libxl
 * stores and what `xl list -l` shows, so the decisions here are visible.
 */
import { altp2mBuildInfoSetdefault, altp2mConfigCheck } from './altp2m';
import { ERROR_INVAL, type LibxlRc } from './errors';
import { libxlLog, where } from './log';
import type { DomainBuildInfo, DomainConfig, HvmBuildInfo, PvBuildInfo, PvhBuildInfo } from './types';
import type { Xtl } from '../util/xtl';

/** the physinfo capabilities the defaults depend on */
export interface DefaultCaps {
  hap: boolean;
  shadow: boolean;
  directio: boolean;
  gnttabV1: boolean;
  gnttabV2: boolean;
}

/** SECINITSID_DOMU: the ssidref every guest gets without Flask labels */
export const SECINITSID_DOMU = 12;
/** LIBXL_MAXMEM_CONSTANT: slack Xen's max_pages gets above the target */
export const LIBXL_MAXMEM_CONSTANT_KB = 1024;
export const LIBXL_PV_EXTRA_MEMORY_KB = 1024;
export const LIBXL_HVM_EXTRA_MEMORY_KB = 2048;
export const LIBXL_MIN_DOM0_MEM_KB = 128 * 1024;

/** libxl__get_required_paging_memory: 4 KiB x (256 per vCPU + k per MiB) */
export function requiredPagingMemoryKb(maxMemKb: number, maxVcpus: number, type: string, hap: boolean): number {
  const k = (type !== 'pv' ? 1 : 0) + (hap ? 0 : 1);
  return 4 * (256 * maxVcpus + k * Math.ceil(maxMemKb / 1024));
}

const W = where('libxl_create.c', 0, '');

function hvmU(b: DomainBuildInfo): HvmBuildInfo {
  return b.u as HvmBuildInfo;
}

/** Returns 0 or ERROR_INVAL after logging what libxl logs. */
export function domainConfigSetdefault(xtl: Xtl, d: DomainConfig, caps: DefaultCaps, domid: number): LibxlRc {
  const c = d.c_info;
  const b = d.b_info;
  const type = c.type ?? 'pv';
  c.type = type;
  if (b.type === undefined) b.type = type;

  // create_info
  if (type !== 'pv') {
    if (c.hap === undefined) {
      if (caps.hap) c.hap = true;
      else if (caps.shadow) c.hap = false;
      else {
        libxlLog(xtl, 'error', { ...W, line: 46, func: 'libxl__domain_create_info_setdefault' }, undefined, 'neither hap nor shadow paging available');
        return ERROR_INVAL;
      }
    }
    if (c.oos === undefined) c.oos = true;
  }
  if (c.run_hotplug_scripts === undefined) c.run_hotplug_scripts = true;
  if (c.driver_domain === undefined) c.driver_domain = false;
  if (!c.ssidref) c.ssidref = SECINITSID_DOMU;
  if (c.xend_suspend_evtchn_compat === undefined) c.xend_suspend_evtchn_compat = false;

  const needPt = (d.pcidevs?.length ?? 0) > 0 || (d.dtdevs?.length ?? 0) > 0;
  if (c.passthrough === undefined || c.passthrough === 'default') c.passthrough = needPt ? 'enabled' : 'disabled';
  if (c.passthrough !== 'disabled' && !caps.directio) {
    libxlLog(xtl, 'error', { ...W, line: 1190, func: 'libxl__domain_config_setdefault' }, domid, 'passthrough not supported on this platform\n');
    return ERROR_INVAL;
  }
  if (c.passthrough === 'enabled') c.passthrough = type === 'pv' ? 'sync_pt' : 'share_pt';

  // memory first: the paging pool size depends on it
  if (b.max_memkb === undefined) b.max_memkb = 32 * 1024;
  if (b.target_memkb === undefined) b.target_memkb = b.max_memkb;
  if (!b.max_vcpus) b.max_vcpus = 1;
  const podEnabled = type !== 'pv' && b.target_memkb < b.max_memkb;
  if (podEnabled && c.passthrough !== 'disabled') {
    libxlLog(xtl, 'error', { ...W, line: 1240, func: 'libxl__domain_config_setdefault' }, domid, 'IOMMU required for device passthrough but not supported together with PoD');
    return ERROR_INVAL;
  }
  if (b.shadow_memkb === undefined) b.shadow_memkb = requiredPagingMemoryKb(b.max_memkb, b.max_vcpus, type, type !== 'pv' && c.hap === true);
  if (b.iommu_memkb === undefined) b.iommu_memkb = 0;

  // build_info
  if (b.device_model_stubdomain === undefined) b.device_model_stubdomain = false;
  if (b.vpmu === undefined) b.vpmu = false;
  if (b.device_model_version === undefined || (b.device_model_version as string) === 'unknown') b.device_model_version = 'qemu_xen';
  if (b.blkdev_start === undefined) b.blkdev_start = 'xvda';
  if (!b.avail_vcpus || b.avail_vcpus.length === 0) b.avail_vcpus = [0];
  if (b.numa_placement === undefined) b.numa_placement = true;
  if (b.stubdomain_memkb === undefined) b.stubdomain_memkb = 0;
  if (b.claim_mode === undefined) b.claim_mode = false;
  if (b.localtime === undefined) b.localtime = false;
  if (b.disable_migrate === undefined) b.disable_migrate = false;
  if (!b.event_channels) b.event_channels = 1023;
  // arch x86
  if (b.acpi === undefined) b.acpi = true;
  if (b.arch_x86.msr_relaxed === undefined) b.arch_x86.msr_relaxed = false;
  if (b.dm_restrict === undefined) b.dm_restrict = false;

  switch (type) {
    case 'hvm': {
      const h = hvmU(b);
      if (h.altp2m === undefined) h.altp2m = false;
      if (h.bios === undefined || (h.bios as string) === 'unknown') h.bios = 'seabios';
      if (h.mmio_hole_memkb === undefined) h.mmio_hole_memkb = 0;
      if (h.vga.kind === undefined || h.vga.kind === 'unknown') h.vga.kind = 'cirrus';
      if (h.hdtype === undefined) h.hdtype = 'ide';
      const kind = h.vga.kind;
      if (kind === 'none') {
        if (b.video_memkb === undefined) b.video_memkb = 0;
      } else if (kind === 'qxl') {
        if (b.video_memkb === undefined) b.video_memkb = 128 * 1024;
        else if (b.video_memkb < 128 * 1024) {
          libxlLog(xtl, 'error', { ...W, line: 327, func: 'libxl__domain_build_info_setdefault' }, undefined, '128 Mib videoram is the minimum for qxl default');
          return ERROR_INVAL;
        }
      } else if (kind === 'std') {
        if (b.video_memkb === undefined) b.video_memkb = 16 * 1024;
        if (b.video_memkb < 16 * 1024) {
          libxlLog(xtl, 'error', { ...W, line: 336, func: 'libxl__domain_build_info_setdefault' }, undefined, 'videoram must be at least 16 MB for STDVGA on QEMU_XEN');
          return ERROR_INVAL;
        }
      } else {
        if (b.video_memkb === undefined) b.video_memkb = 8 * 1024;
        if (b.video_memkb < 8 * 1024) {
          libxlLog(xtl, 'error', { ...W, line: 345, func: 'libxl__domain_build_info_setdefault' }, undefined, 'videoram must be at least 8 MB for CIRRUS on QEMU_XEN');
          return ERROR_INVAL;
        }
      }
      for (const k of ['pae', 'acpi', 'acpi_s3', 'acpi_s4', 'nx', 'hpet', 'vpt_align', 'vkb_device', 'xen_platform_pci'] as const) {
        if (h[k] === undefined) h[k] = true;
      }
      for (const k of ['acpi_laptop_slate', 'viridian', 'usb', 'pirq', 'nographic', 'gfx_passthru'] as const) {
        if (h[k] === undefined) h[k] = false;
      }
      if (h.xen_platform_pci_bar_uc === undefined) h.xen_platform_pci_bar_uc = true;
      if (h.spice.enable === undefined) h.spice.enable = false;
      if (!h.boot) h.boot = 'cda';
      if (h.vnc.enable === undefined) h.vnc.enable = true;
      if (h.vnc.enable) {
        if (h.vnc.findunused === undefined) h.vnc.findunused = true;
        if (!h.vnc.listen) h.vnc.listen = '127.0.0.1';
      }
      if (h.sdl.enable === undefined) h.sdl.enable = false;
      if (h.rdm.policy === undefined || h.rdm.policy === 'invalid') h.rdm.policy = 'relaxed';
      if (h.rdm_mem_boundary_memkb === undefined) h.rdm_mem_boundary_memkb = 2 * 1024 * 1024;
      break;
    }
    case 'pv': {
      const p = b.u as PvBuildInfo;
      if (p.e820_host === undefined) p.e820_host = false;
      if (b.video_memkb === undefined) b.video_memkb = 0;
      if (p.slack_memkb === undefined) p.slack_memkb = 0;
      break;
    }
    case 'pvh': {
      const p = b.u as PvhBuildInfo;
      if (p.pvshim === undefined) p.pvshim = false;
      if (b.video_memkb === undefined) b.video_memkb = 0;
      break;
    }
  }
  if (type !== 'pv') {
    if (b.timer_mode === undefined || b.timer_mode === 'unknown') b.timer_mode = 'no_delay_for_missed_ticks';
    if (b.apic === undefined) b.apic = true;
    if (b.nested_hvm === undefined) b.nested_hvm = false;
  }
  altp2mBuildInfoSetdefault(b, type === 'hvm' || type === 'pvh' ? type : 'pv');
  const rcAlt = altp2mConfigCheck(xtl, d, podEnabled, domid);
  if (rcAlt) return rcAlt;
  if (b.max_grant_version === undefined || b.max_grant_version < 0) b.max_grant_version = caps.gnttabV2 ? 2 : caps.gnttabV1 ? 1 : 0;
  if (b.bootloader_restrict === undefined) b.bootloader_restrict = !!b.bootloader_user;

  for (const disk of d.disks ?? []) {
    if (disk.backend === undefined || disk.backend === 'unknown') disk.backend = disk.format === 'raw' || disk.format === undefined ? 'phy' : 'qdisk';
    if (disk.readwrite && disk.discard_enable === undefined) disk.discard_enable = true;
    if (disk.specification === undefined || disk.specification === 'unknown') disk.specification = 'xen';
    if (disk.trusted === undefined) disk.trusted = true;
    if (disk.colo_enable === undefined) disk.colo_enable = false;
    if (disk.colo_restore_enable === undefined) disk.colo_restore_enable = false;
  }
  return 0;
}

/**
 * libxl__domain_need_memory_calculate: host memory a create takes, KiB,
 * rounded up to 2 MiB.
 */
export function needMemoryKb(d: DomainConfig): number {
  const b = d.b_info;
  const type = d.c_info.type ?? 'pv';
  let need = (b.target_memkb ?? 0) + (b.shadow_memkb ?? 0) + (b.iommu_memkb ?? 0);
  need += type === 'pv' ? LIBXL_PV_EXTRA_MEMORY_KB : LIBXL_HVM_EXTRA_MEMORY_KB;
  return Math.ceil(need / 2048) * 2048;
}
