/**
 * Which terminals the guest's kernel and userspace talk to, decided the way
 * Linux and systemd decide it: from `console=` on the command line.
 *
 *   - printk goes to every console= named (hvc0 = PV console, ttyS0 = the HVM
 *     16550 if QEMU has one); with none, a PV kernel prefers hvc0 itself while
 *     PVH/HVM kernels fall back to tty0 (a screen we do not model);
 *   - /dev/console (where systemd prints its status) is the last console= given;
 *   - systemd-getty-generator starts a getty on each active kernel console and,
 *     in a Xen guest, always on hvc0 once the PV console driver exists.
 *
 * Console loglevel: Debian's default 7, `quiet` → 4, `loglevel=N`, `debug` → 10.
 */
import { sprintf } from '../../util/printf';
import { hasPvDrivers, KERNEL, type GuestDesc, type TtyChannel } from './types';
import { fsUuid } from './ids';

export interface ConsoleSetup {
  /** the command line the kernel actually received */
  cmdline: string;
  /** where printk lines appear (in registration order) */
  kernel: TtyChannel[];
  /** /dev/console: systemd's status lines, or null if it is a screen we do not model */
  devConsole: TtyChannel | null;
  /** terminals with a login prompt */
  gettys: TtyChannel[];
  /** printk lines with level < this reach the consoles */
  loglevel: number;
  /** systemd prints [  OK  ] lines */
  showStatus: boolean;
}

/** The command line after the boot path had its say (GRUB adds BOOT_IMAGE=, images carry their own). */
export function effectiveCmdline(d: GuestDesc): string {
  const extra = d.cmdline.trim();
  const root = `root=UUID=${fsUuid(d.seed)} ro`;
  switch (d.firmware) {
    case 'direct':
      return extra;
    case 'pygrub':
      // pygrub takes the entry's arguments from the image's grub.cfg and appends the config's
      return `${root} console=hvc0${extra ? ' ' + extra : ''}`;
    case 'pvgrub32':
    case 'pvgrub64':
      return `BOOT_IMAGE=${KERNEL.image} ${root} console=hvc0${extra ? ' ' + extra : ''}`;
    case 'seabios':
    case 'ovmf':
      return `BOOT_IMAGE=${KERNEL.image} ${root} console=tty0 console=ttyS0,115200${extra ? ' ' + extra : ''}`;
  }
}

function consoleTarget(d: GuestDesc, arg: string): TtyChannel | null {
  const name = arg.split(',')[0];
  if (name === 'hvc0' || name === 'xvc0') return hasPvDrivers(d) ? 'pv' : null;
  if (name === 'ttyS0') return d.type === 'hvm' && d.serial ? 'serial' : null;
  return null;
}

export function consoleSetup(d: GuestDesc): ConsoleSetup {
  const cmdline = effectiveCmdline(d);
  const words = cmdline.split(/\s+/).filter((w) => w !== '');
  const named = words.filter((w) => w.startsWith('console=')).map((w) => w.slice('console='.length));
  let loglevel = 7;
  let showStatus = true;
  for (const w of words) {
    if (w === 'quiet') {
      loglevel = 4;
      showStatus = false;
    } else if (w === 'debug') loglevel = 10;
    else if (/^loglevel=\d+$/.test(w)) loglevel = Number(w.slice(9));
    else if (w === 'systemd.show_status=false' || w === 'systemd.show_status=0') showStatus = false;
    else if (w === 'systemd.show_status=true' || w === 'systemd.show_status=1') showStatus = true;
  }
  const kernel: TtyChannel[] = [];
  let devConsole: TtyChannel | null = null;
  if (named.length === 0) {
    if (d.type === 'pv') {
      kernel.push('pv');
      devConsole = 'pv';
    }
  } else {
    for (const a of named) {
      const t = consoleTarget(d, a);
      if (t && !kernel.includes(t)) kernel.push(t);
    }
    devConsole = consoleTarget(d, named[named.length - 1]);
  }
  const gettys: TtyChannel[] = [];
  if (hasPvDrivers(d)) gettys.push('pv');
  if (kernel.includes('serial')) gettys.push('serial');
  return { cmdline, kernel, devConsole, gettys, loglevel, showStatus };
}

/** printk's "[%5lu.%06lu] " prefix for a time since the kernel started (ms, fractional allowed). */
export function ktime(ms: number): string {
  const us = Math.max(0, Math.round(ms * 1000));
  return sprintf('[%5d.%06d] ', Math.floor(us / 1_000_000), us % 1_000_000);
}

/** The tty name of a channel, as the guest calls it. */
export function ttyName(c: TtyChannel): string {
  return c === 'pv' ? 'hvc0' : 'ttyS0';
}
