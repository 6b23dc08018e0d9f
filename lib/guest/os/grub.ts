/**
 * Boot menus with a countdown, drawn the way a terminal receives them.
 *
 *   pygrub  — runs in dom0 before the domain exists (libxl's bootloader step);
 *             it reads grub.cfg from the guest's disk and draws a curses menu on
 *             the pty that `xl create -c` shows.
 *   pvgrub  — GRUB 2 built for Xen PV (firmware="pvgrub64"), running inside the
 *             guest as its first kernel and drawing on the PV console.
 *
 * The menus have the entries Debian's update-grub writes; the first is booted
 * when the countdown runs out.
 */
import { sprintf } from '../../util/printf';
import { KERNEL, type GuestDesc } from './types';

export interface MenuFrame {
  ms: number;
  text: string;
}

export interface MenuRun {
  frames: MenuFrame[];
  doneMs: number;
}

const CLEAR = '\x1b[H\x1b[2J';
const REV = '\x1b[7m';
const NORM = '\x1b[0m';
const at = (row: number, col: number) => `\x1b[${row};${col}H`;
export const MENU_SECONDS = 5;

/** GRUB shows the submenu as one line; pygrub lists the entries inside it as well. */
function entries(flatten: boolean): string[] {
  const rel = KERNEL.release;
  if (!flatten) return ['Debian GNU/Linux', 'Advanced options for Debian GNU/Linux'];
  return ['Debian GNU/Linux', `Debian GNU/Linux, with Linux ${rel}`, `Debian GNU/Linux, with Linux ${rel} (recovery mode)`];
}

function box(items: string[], width: number, marker: string): string {
  const inner = width - 2;
  let s = ` ┌${'─'.repeat(inner)}┐\r\n`;
  items.forEach((e, i) => {
    const text = (i === 0 ? marker : ' ') + e;
    const cell = text.length > inner ? text.slice(0, inner) : text + ' '.repeat(inner - text.length);
    s += ` │${i === 0 ? REV + cell + NORM : cell}│\r\n`;
  });
  for (let i = items.length; i < 8; i++) s += ` │${' '.repeat(inner)}│\r\n`;
  s += ` └${'─'.repeat(inner)}┘\r\n`;
  return s;
}

export function pygrubMenu(startMs: number): MenuRun {
  const frames: MenuFrame[] = [];
  let screen = CLEAR + '\r\n    pyGRUB  version 0.6\r\n';
  screen += box(entries(true), 74, ' ');
  screen += "     Use the ^ and v keys to select which entry is highlighted.\r\n";
  screen += "     Press enter to boot the selected OS, 'e' to edit the\r\n";
  screen += "     commands before booting, 'a' to modify the kernel arguments\r\n";
  screen += "     before booting, or 'c' for a command line.\r\n\r\n";
  const line = (n: number) => at(20, 12) + sprintf('Will boot selected entry in %2d seconds', n);
  frames.push({ ms: startMs, text: screen + line(MENU_SECONDS) });
  for (let n = MENU_SECONDS - 1; n >= 1; n--) frames.push({ ms: startMs + (MENU_SECONDS - n) * 1000, text: line(n) });
  const doneMs = startMs + MENU_SECONDS * 1000 + 150;
  // curses hands the terminal back
  frames.push({ ms: doneMs, text: CLEAR });
  return { frames, doneMs };
}

/** GRUB 2's menu: pvgrub on the PV console, or an HVM disk's GRUB on the serial line. */
export function grubMenu(d: GuestDesc, startMs: number): MenuRun {
  const frames: MenuFrame[] = [];
  let screen = CLEAR;
  screen += `\r\n${' '.repeat(29)}GNU GRUB  version 2.06-13+deb12u1\r\n\r\n`;
  screen += box(entries(false), 78, '*');
  screen += '\r\n      Use the \u2191 and \u2193 keys to select which entry is highlighted.\r\n';
  screen += "      Press enter to boot the selected OS, `e' to edit the commands\r\n";
  screen += "      before booting or `c' for a command-line.\r\n";
  const line = (n: number) => at(18, 4) + `The highlighted entry will be executed automatically in ${n}s. `;
  frames.push({ ms: startMs, text: screen + line(MENU_SECONDS) });
  for (let n = MENU_SECONDS - 1; n >= 1; n--) frames.push({ ms: startMs + (MENU_SECONDS - n) * 1000, text: line(n) });
  const doneMs = startMs + MENU_SECONDS * 1000;
  frames.push({ ms: doneMs, text: CLEAR + `  Booting \`Debian GNU/Linux'\r\n\r\nLoading Linux ${KERNEL.release} ...\r\n` });
  frames.push({ ms: doneMs + 400, text: 'Loading initial ramdisk ...\r\n' });
  return { frames, doneMs: doneMs + 900 };
}
