/**
 * What the guest OS knows of its machine (lib/guest/os GuestDesc), built
 * from the domain's stored config and the host: the disks and NICs its
 * drivers find, its firmware and kernel, memory and vCPUs, and the seed
 * that keeps its output reproducible.
 */
import type { GuestDesc, OsDisk, OsNic } from '../guest/os/types';
import type { LibxlCtx } from './ctx';
import type { DeviceDisk, DeviceNic, DomainConfig } from './types';

function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** A config disk as the guest kernel sees it. */
export function osDiskOf(d: DeviceDisk): OsDisk {
  return { vdev: d.vdev ?? 'xvda', target: d.pdev_path ?? '', cdrom: d.is_cdrom === 1 || undefined, readonly: d.readwrite === 0 || undefined };
}

/** A config NIC as the guest kernel sees it (devid, or its position). */
export function osNicOf(n: DeviceNic, i: number): OsNic {
  return {
    devid: n.devid !== undefined && n.devid >= 0 ? n.devid : i,
    mac: String(n.mac ?? '00:16:3e:00:00:00').toLowerCase(),
    model: n.model,
    bridge: n.bridge,
    ipv4: n.ip,
  };
}

/** What the guest OS knows of its machine: the domain's stored config and the host. */
export function guestDescOf(lx: LibxlCtx, domid: number, cfg: DomainConfig): GuestDesc {
  const b = cfg.b_info;
  const type = (cfg.c_info.type ?? 'pv') as GuestDesc['type'];
  const u = (b.u ?? {}) as { bootloader?: string; kernel?: string; cmdline?: string; ramdisk?: string; bios?: string; serial?: string; serial_list?: string[]; hdtype?: string };
  const kernel = b.kernel ?? u.kernel;
  let firmware: GuestDesc['firmware'] = 'direct';
  if (type === 'hvm') firmware = kernel ? 'direct' : u.bios === 'ovmf' ? 'ovmf' : 'seabios';
  else if (u.bootloader && /pygrub/.test(u.bootloader)) firmware = 'pygrub';
  else if (kernel && /pvgrub32|grub-i386/.test(kernel)) firmware = 'pvgrub32';
  else if (kernel && /pvgrub|grub-x86_64/.test(kernel)) firmware = 'pvgrub64';
  const info = lx.hv.getdomaininfo(domid);
  const phys = lx.hv.physinfo();
  const v = lx.hv.version();
  const disks = (cfg.disks ?? []).map(osDiskOf);
  const nics = (cfg.nics ?? []).map(osNicOf);
  const serials = [u.serial, ...(u.serial_list ?? [])];
  return {
    type,
    firmware,
    name: cfg.c_info.name ?? `domain${domid}`,
    domid,
    memoryMiB: Math.floor((b.target_memkb ?? 0) / 1024) || 128,
    maxmemMiB: Math.floor((b.max_memkb ?? 0) / 1024) || undefined,
    vcpus: info.ok ? Math.max(1, info.value.nrOnlineVcpus) : 1,
    maxvcpus: b.max_vcpus,
    kernel,
    ramdisk: b.ramdisk ?? u.ramdisk,
    cmdline: b.cmdline ?? u.cmdline ?? '',
    disks,
    nics,
    serial: type === 'hvm' && serials.some((x) => x === 'pty'),
    hdtype: u.hdtype === 'ahci' ? 'ahci' : type === 'hvm' ? 'ide' : undefined,
    xenVersion: `${v.major}.${v.minor}${v.extra.replace(/-.*$/, '')}`,
    // the hypercall surface does not say the vendor; the lab's hosts are Intel unless their model says AMD
    cpu: { vendor: /AMD/i.test(v.capabilities) ? 'AMD' : 'Intel', mhz: Math.floor(phys.cpuKhz / 1000) },
    uuid: cfg.c_info.uuid,
    seed: hashSeed(`${cfg.c_info.uuid ?? ''}/${cfg.c_info.name ?? ''}`),
  };
}
