/**
 * What the guest kernel says when the toolstack changes its hardware while
 * it runs: `xl block-attach` / `network-attach` (a new xenbus frontend
 * appears and blkfront/netfront pick it up; udev renames the interface) and
 * `xl vcpu-set` (cpu/N/availability flips and the kernel brings the CPU up
 * or takes it down). Nothing prints for a detach beyond what the kernel
 * logs at debug level, so those return no lines.
 *
 * Public API: diskAttached(d, s, disk, uptimeMs), nicAttached(d, s, nic, uptimeMs),
 * vcpuOnline(d, s, cpu, online, uptimeMs) → KernelEvent (chunks relative to the call).
 * Pass a GuestDesc whose disks/nics already include the new device.
 */
import { blkName } from './blockdevs';
import type { ConsoleSetup } from './consoles';
import { ifName } from './linux-boot';
import { KOut, type KernelEvent } from './sysrq';
import { hasPvDrivers, type GuestDesc, type OsDisk, type OsNic } from './types';

export function diskAttached(d: GuestDesc, s: ConsoleSetup, disk: OsDisk, uptimeMs: number): KernelEvent {
  const o = new KOut(s, uptimeMs);
  if (!hasPvDrivers(d)) return o.result();
  o.k(120, 6, `blkfront: ${blkName(d, disk)}: flush diskcache: ${disk.cdrom ? 'disabled' : 'enabled'}; persistent grants: enabled; indirect descriptors: enabled; bounce buffer: enabled`);
  return o.result();
}

export function nicAttached(d: GuestDesc, s: ConsoleSetup, nic: OsNic, uptimeMs: number): KernelEvent {
  const o = new KOut(s, uptimeMs);
  const i = d.nics.indexOf(nic);
  if (!hasPvDrivers(d) || i < 0) return o.result();
  o.k(150, 6, `xen_netfront vif-${nic.devid} eth${i}: Xen virtual ethernet, MAC ${nic.mac}`);
  o.k(260, 6, `xen_netfront vif-${nic.devid} ${ifName(d, i)}: renamed from eth${i}`);
  return o.result();
}

export function vcpuOnline(d: GuestDesc, s: ConsoleSetup, cpu: number, online: boolean, uptimeMs: number): KernelEvent {
  const o = new KOut(s, uptimeMs);
  if (!hasPvDrivers(d)) return o.result();
  if (online) {
    if (d.type === 'pv') o.k(40, 6, `installing Xen timer for CPU ${cpu}`);
    else o.k(40, 6, `smpboot: Booting Node 0 Processor ${cpu} APIC 0x${(cpu * 2).toString(16)}`);
  } else {
    o.k(40, 6, `smpboot: CPU ${cpu} is now offline`);
  }
  return o.result();
}
