/**
 * What the simulated guest OS (a Debian 12 install, Linux 6.1) needs to know
 * about the machine it runs on, and the shapes of what it produces.
 *
 * Everything in lib/guest/os is pure and deterministic: no clock, no I/O, no
 * xenstore handle. Time is passed in (milliseconds), randomness comes from
 * `GuestDesc.seed`, and effects on the outside world are returned as data
 * (`OsAction`) for the caller to carry out through the hypervisor surface.
 *
 * Public API (for the console wiring):
 *   - GuestDesc / OsDisk / OsNic   — describe the guest (from the domain config)
 *   - Chunk / Channel             — console output with a time stamp and a destination
 *   - OsAction                    — effects: SCHEDOP_shutdown, halted vCPUs, workload
 *   - KERNEL                      — the kernel release the guest runs (uname)
 */

export type OsGuestType = 'pv' | 'pvh' | 'hvm';

/**
 * How the guest gets its kernel:
 *   direct   — kernel= in the config (PV/PVH: Xen's domain builder; HVM: QEMU -kernel)
 *   pygrub   — bootloader="pygrub": runs in dom0 before the domain starts, its menu is
 *              shown on the `xl create -c` terminal
 *   pvgrub32/pvgrub64 — firmware="pvgrub*": GRUB built for Xen, running inside the guest
 *   seabios/ovmf — HVM firmware after hvmloader; the OS boots from the first disk
 */
export type OsFirmware = 'direct' | 'pygrub' | 'pvgrub32' | 'pvgrub64' | 'seabios' | 'ovmf';

export interface OsDisk {
  /** the config's vdev, e.g. xvda, hdc, sda */
  vdev: string;
  /** the config's target (an image path) */
  target: string;
  cdrom?: boolean;
  /** size of the backing image; 10 GiB (first disk) / 20 GiB (others) if unknown */
  sizeMiB?: number;
  readonly?: boolean;
}

export interface OsNic {
  devid: number;
  /** xx:xx:xx:xx:xx:xx, lower case */
  mac: string;
  /** HVM emulated model (rtl8139 default, e1000) */
  model?: string;
  bridge?: string;
  /** an IPv4 address with prefix (e.g. "192.168.1.20/24") if the lab gives one; no DHCP is simulated */
  ipv4?: string;
}

export interface GuestDesc {
  type: OsGuestType;
  firmware: OsFirmware;
  name: string;
  domid: number;
  /** memory= (MiB): what the guest starts with */
  memoryMiB: number;
  /** maxmem= (MiB); defaults to memoryMiB */
  maxmemMiB?: number;
  /** vcpus= (online at boot) */
  vcpus: number;
  /** maxvcpus= (possible CPUs); defaults to vcpus */
  maxvcpus?: number;
  kernel?: string;
  ramdisk?: string;
  /** the command line from the config (cmdline=, or root=/extra= joined); may be empty */
  cmdline: string;
  disks: OsDisk[];
  nics: OsNic[];
  /** HVM: serial="pty" (QEMU has a 16550 wired to a pty) */
  serial?: boolean;
  /** HVM: hdtype= */
  hdtype?: 'ide' | 'ahci';
  /** HVM: the guest carries PV drivers (Debian's kernel does); default true */
  pvDrivers?: boolean;
  /** "4.20.0" */
  xenVersion: string;
  cpu: { vendor: 'Intel' | 'AMD'; mhz: number };
  /** the domain's UUID (DMI system UUID for HVM, SeaBIOS "Machine UUID") */
  uuid?: string;
  seed: number;
}

/**
 * Where a piece of output goes:
 *   pv        — the PV console ring (hvc0 in the guest; `xl console -t pv`)
 *   serial    — the HVM emulated serial port (ttyS0; `xl console -t serial`), only when
 *               the config has serial="pty"
 *   xen-debug — bytes written to the debug port 0xe9 (hvmloader, SeaBIOS, OVMF): Xen
 *               prints them as `(d<N>) <line>` in its console ring (`xl dmesg`), at guest
 *               debug level, so a release hypervisor shows them only with guest_loglvl=all
 */
export type Channel = 'pv' | 'serial' | 'xen-debug';
export type TtyChannel = 'pv' | 'serial';

/** One piece of output at a time relative to a start (ms). Console text uses \r\n. */
export interface Chunk {
  atMs: number;
  channel: Channel;
  text: string;
}

/**
 * Effects of the guest on the outside world, at a time relative to the call.
 *   shutdown — the guest asks Xen to shut it down with a reason (SCHEDOP_shutdown for
 *              PV/PVH and for a panicking HVM kernel; for HVM poweroff/reboot the
 *              request reaches Xen through the ACPI PM block / reset via the device
 *              model: `via` says which, the result is the same shutdown reason)
 *   halt     — `halt` on an HVM/PVH kernel: all vCPUs stop in a halt loop, Xen is not
 *              told; the domain stays "running" (blocked) until destroyed
 *   workload — a memory-dirtying process started (dirtyRateMiBs > 0) or ended (0)
 *   io       — the guest's network and disk traffic changed (bytes a second, the
 *              guest's view: tx sent, rx received, read and written on its root disk)
 */
export type OsAction =
  | { atMs: number; kind: 'shutdown'; reason: 'poweroff' | 'reboot' | 'crash'; via: 'sched_op' | 'acpi' | 'reset' }
  | { atMs: number; kind: 'halt' }
  | { atMs: number; kind: 'workload'; dirtyRateMiBs: number; wssMiB: number }
  | { atMs: number; kind: 'io'; netTx: number; netRx: number; read: number; write: number };

/** The kernel the simulated Debian 12 guest runs. */
export const KERNEL = {
  release: '6.1.0-28-amd64',
  version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)',
  builder: 'debian-kernel@lists.debian.org',
  compiler: 'gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40',
  image: '/boot/vmlinuz-6.1.0-28-amd64',
  systemd: 'systemd 252.31-1~deb12u1',
  distro: 'Debian GNU/Linux 12 (bookworm)',
  issue: 'Debian GNU/Linux 12',
} as const;

export function maxmemOf(d: GuestDesc): number {
  return Math.max(d.maxmemMiB ?? d.memoryMiB, d.memoryMiB);
}

export function maxvcpusOf(d: GuestDesc): number {
  return Math.max(d.maxvcpus ?? d.vcpus, d.vcpus);
}

export function hasPvDrivers(d: GuestDesc): boolean {
  return d.type !== 'hvm' || d.pvDrivers !== false;
}
