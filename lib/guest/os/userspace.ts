/**
 * Debian 12's userspace coming up: systemd's status lines on /dev/console
 * (hidden by `quiet`), units for the config's disks, NICs and consoles, then
 * agetty's /etc/issue and login prompt on every getty terminal.
 */
import { blkName } from './blockdevs';
import { rngFor } from './ids';
import { ifName } from './linux-boot';
import { ttyName, type ConsoleSetup } from './consoles';
import { KERNEL, type GuestDesc, type TtyChannel } from './types';

export interface StatusLine {
  ms: number;
  text: string;
}

const OK = '[\x1b[0;32m  OK  \x1b[0m] ';
const STARTING = '         ';

/** How long userspace takes from /sbin/init to the login prompt (ms). */
export function userspaceMs(d: GuestDesc): number {
  return d.type === 'pv' ? 2300 : d.type === 'pvh' ? 1800 : 2600;
}

export function systemdStatus(d: GuestDesc, s: ConsoleSetup): StatusLine[] {
  const out: string[] = [];
  out.push('', `Welcome to \x1b[1m${KERNEL.distro}\x1b[0m!`, '');
  out.push(`${OK}Created slice system-getty.slice - Slice /system/getty.`);
  out.push(`${OK}Created slice system-serial\\x2dgetty.slice - Slice /system/serial-getty.`);
  out.push(`${OK}Started systemd-ask-password-console.path - Dispatch Password Requests to Console Directory Watch.`);
  out.push(`${OK}Listening on systemd-journald.socket - Journal Socket.`);
  out.push(`${OK}Listening on systemd-udevd-control.socket - udev Control Socket.`);
  out.push(`${STARTING}Starting systemd-journald.service - Journal Service...`);
  out.push(`${STARTING}Starting systemd-remount-fs.service - Remount Root and Kernel File Systems...`);
  out.push(`${OK}Finished systemd-remount-fs.service - Remount Root and Kernel File Systems.`);
  out.push(`${OK}Started systemd-journald.service - Journal Service.`);
  out.push(`${STARTING}Starting systemd-udevd.service - Rule-based Manager for Device Events and Files...`);
  out.push(`${OK}Started systemd-udevd.service - Rule-based Manager for Device Events and Files.`);
  for (const t of s.gettys) out.push(`${OK}Found device dev-${ttyName(t)}.device - /dev/${ttyName(t)}.`);
  d.disks.forEach((disk) => {
    const n = blkName(d, disk);
    out.push(`${OK}Found device dev-${n}.device - /dev/${n}.`);
  });
  out.push(`${OK}Reached target local-fs.target - Local File Systems.`);
  out.push(`${OK}Reached target sysinit.target - System Initialization.`);
  out.push(`${OK}Reached target basic.target - Basic System.`);
  d.nics.forEach((_, i) => {
    const n = ifName(d, i);
    out.push(`${STARTING}Starting ifup@${n}.service - ifup for ${n}...`);
  });
  out.push(`${STARTING}Starting networking.service - Raise network interfaces...`);
  out.push(`${OK}Finished networking.service - Raise network interfaces.`);
  out.push(`${OK}Reached target network.target - Network.`);
  out.push(`${OK}Started ssh.service - OpenBSD Secure Shell server.`);
  for (const t of s.gettys) out.push(`${OK}Started serial-getty@${ttyName(t)}.service - Serial Getty on ${ttyName(t)}.`);
  out.push(`${OK}Reached target getty.target - Login Prompts.`);
  out.push(`${OK}Reached target multi-user.target - Multi-User System.`);
  out.push(`${OK}Reached target graphical.target - Graphical Interface.`);
  out.push(`${STARTING}Starting systemd-update-utmp-runlevel.service - Record Runlevel Change in UTMP...`);
  out.push(`${OK}Finished systemd-update-utmp-runlevel.service - Record Runlevel Change in UTMP.`);
  const total = userspaceMs(d) - 600;
  const rng = rngFor(d.seed, 'systemd');
  const step = total / out.length;
  return out.map((text, i) => ({ ms: Math.round(i * step + rng.int(Math.max(1, Math.floor(step / 2)))), text }));
}

/** agetty: /etc/issue ("Debian GNU/Linux 12 \n \l") then the prompt. */
export function loginBanner(d: GuestDesc, tty: TtyChannel): string {
  return `\r\n${KERNEL.issue} ${d.name} ${ttyName(tty)}\r\n\r\n${loginPrompt(d)}`;
}

export function loginPrompt(d: GuestDesc): string {
  return `${d.name} login: `;
}
