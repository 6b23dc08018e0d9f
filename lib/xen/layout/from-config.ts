/**
 * Reading a libxl domain config into the plain descriptions the layout and
 * emulation reports take. Only types come from lib/libxl (no runtime import
 * upwards); absent fields get libxl's defaults, so a config before or after
 * libxl__domain_config_setdefault gives the same answer.
 */
import type { DomainConfig, HvmBuildInfo } from '../../libxl/types';
import type { EmulationDesc, PagingDesc } from './emulation';
import type { GuestLayoutDesc, GuestType } from './memmap';
import type { QemuDesc } from './qemu';

const NIL_MAC = '00:00:00:00:00:00';

function typeOf(cfg: DomainConfig): GuestType {
  const t = cfg.b_info.type ?? cfg.c_info.type ?? 'pv';
  return t === 'hvm' || t === 'pvh' ? t : 'pv';
}

function hvmOf(cfg: DomainConfig): HvmBuildInfo | undefined {
  return typeOf(cfg) === 'hvm' ? ((cfg.b_info.u ?? {}) as HvmBuildInfo) : undefined;
}

type VgaKind = QemuDesc['vga'];

function vgaKind(h: HvmBuildInfo): VgaKind {
  const k = h.vga?.kind;
  return k === 'std' || k === 'qxl' || k === 'none' ? k : 'cirrus';
}

const VIDEO_DEFAULT_MIB: Record<VgaKind, number> = { cirrus: 8, std: 16, qxl: 128, none: 0 };

function memMiB(cfg: DomainConfig): { memory: number; maxmem: number; video: number } {
  const b = cfg.b_info;
  const maxKb = b.max_memkb ?? b.target_memkb ?? 32 * 1024;
  const targetKb = b.target_memkb ?? maxKb;
  const h = hvmOf(cfg);
  const videoKb = b.video_memkb ?? (h ? VIDEO_DEFAULT_MIB[vgaKind(h)] * 1024 : 0);
  return { memory: Math.floor(targetKb / 1024), maxmem: Math.floor(maxKb / 1024), video: Math.floor(videoKb / 1024) };
}

/** `hostHap`: whether the host offers HAP (libxl's default for hap=). */
export function pagingFromConfig(cfg: DomainConfig, hostHap = true): PagingDesc {
  const type = typeOf(cfg);
  const b = cfg.b_info;
  const hap = type !== 'pv' && (cfg.c_info.hap ?? hostHap);
  const maxVcpus = b.max_vcpus || 1;
  const maxmemMiB = Math.ceil((b.max_memkb ?? b.target_memkb ?? 32 * 1024) / 1024);
  const k = (type !== 'pv' ? 1 : 0) + (hap ? 0 : 1);
  const formula = 4 * (256 * maxVcpus + k * maxmemMiB);
  return {
    mode: type === 'pv' ? 'none' : hap ? 'hap' : 'shadow',
    poolKiB: b.shadow_memkb ?? formula,
    explicit: b.shadow_memkb !== undefined && b.shadow_memkb !== formula,
    maxVcpus,
    maxmemMiB,
  };
}

export function layoutDescFromConfig(cfg: DomainConfig, hostHap = true): GuestLayoutDesc {
  const type = typeOf(cfg);
  const { memory, maxmem, video } = memMiB(cfg);
  const h = hvmOf(cfg);
  const desc: GuestLayoutDesc = {
    type,
    memoryMiB: memory,
    maxmemMiB: maxmem,
    videoramMiB: video,
    vcpus: cfg.b_info.max_vcpus || 1,
    paging: pagingFromConfig(cfg, hostHap).mode === 'shadow' ? 'shadow' : 'hap',
  };
  if (h) {
    if (h.mmio_hole_memkb) desc.mmioHoleMiB = Math.floor(h.mmio_hole_memkb / 1024);
    desc.firmware = h.bios === 'ovmf' ? 'ovmf' : 'seabios';
    desc.acpi = (h.acpi ?? cfg.b_info.acpi) !== false;
    desc.hpet = h.hpet !== false;
  }
  return desc;
}

function qemuFromConfig(cfg: DomainConfig, h: HvmBuildInfo): QemuDesc {
  const { maxmem, video } = memMiB(cfg);
  const b = cfg.b_info;
  const serial = h.serial_list?.length ? h.serial_list : h.serial ? [h.serial] : [];
  const q: QemuDesc = {
    xenPlatformPci: h.xen_platform_pci !== false,
    vga: vgaKind(h),
    videoramMiB: video,
    hdtype: h.hdtype === 'ahci' ? 'ahci' : 'ide',
    disks: (cfg.disks ?? []).map((d) => ({ vdev: d.vdev ?? '', cdrom: !!d.is_cdrom, readwrite: !!d.readwrite })),
    nics: (cfg.nics ?? []).map((n, i) => ({
      devid: n.devid !== undefined && n.devid >= 0 ? n.devid : i,
      model: n.model || 'rtl8139',
      mac: n.mac && n.mac !== NIL_MAC ? n.mac : '(generated)',
      ioemu: n.nictype === undefined || n.nictype === 'unknown' || n.nictype === 'vif_ioemu',
    })),
    usb: h.usb === true,
    usbdevices: h.usbdevice_list?.length ? h.usbdevice_list : h.usbdevice ? [h.usbdevice] : [],
    usbversion: h.usbversion ?? 0,
    serial,
    acpi: (h.acpi ?? b.acpi) !== false,
    nographic: h.nographic === true,
    vnc: h.vnc?.enable !== false,
    sdl: h.sdl?.enable === true,
    spice: h.spice?.enable === true,
    boot: h.boot || 'cda',
    maxVcpus: b.max_vcpus || 1,
    availVcpus: b.avail_vcpus?.length || b.max_vcpus || 1,
    maxmemMiB: maxmem,
  };
  if (h.soundhw) q.soundhw = h.soundhw;
  if (h.mmio_hole_memkb) q.mmioHoleMiB = Math.floor(h.mmio_hole_memkb / 1024);
  if (h.vendor_device === 'xenserver') q.vendorDevice = 'xenserver';
  return q;
}

const b01 = (v: boolean | undefined, dflt: boolean) => ((v ?? dflt) ? '1' : '0');

export function emulationDescFromConfig(
  cfg: DomainConfig,
  opts: { hwdom?: boolean; flags?: number; domid?: number; hostHap?: boolean } = {},
): EmulationDesc {
  const type = typeOf(cfg);
  const h = hvmOf(cfg);
  const b = cfg.b_info;
  const options: Record<string, string> = {};
  if (b.timer_mode && b.timer_mode !== 'unknown') options.timer_mode = b.timer_mode;
  options.acpi = b01(h?.acpi ?? b.acpi, true);
  if (h) {
    options.hvm_pirq = b01(h.pirq, false);
    options.hpet = b01(h.hpet, true);
    options.apic = b01(h.apic ?? b.apic, true);
    options.vga = vgaKind(h) === 'std' ? 'stdvga' : vgaKind(h);
    options.viridian = b01(h.viridian, false);
    options.vpt_align = b01(h.vpt_align, true);
    options.xen_platform_pci = b01(h.xen_platform_pci, true);
    options.hdtype = h.hdtype === 'ahci' ? 'ahci' : 'ide';
    options.nestedhvm = b01(h.nested_hvm ?? b.nested_hvm, false);
  }
  const desc: EmulationDesc = { type, options, paging: pagingFromConfig(cfg, opts.hostHap ?? true) };
  if (opts.hwdom) desc.hwdom = true;
  if (opts.flags !== undefined) desc.flags = opts.flags;
  if (opts.domid !== undefined) desc.domid = opts.domid;
  if (h) {
    desc.hvmPirq = h.pirq === true;
    desc.qemu = qemuFromConfig(cfg, h);
  }
  return desc;
}
