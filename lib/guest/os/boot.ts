/**
 * A guest's boot as a timeline of console output, per boot path.
 *
 * Public API:
 *
 *   bootTimeline(desc: GuestDesc): BootTimeline
 *     Pure and deterministic (same desc and seed → byte-identical result).
 *     `chunks` are sorted by `atMs` (ms after the domain was first unpaused);
 *     each goes to one channel:
 *       'pv'        → the PV console ring (hvc0)
 *       'serial'    → the HVM serial pty (only produced when desc.serial)
 *       'xen-debug' → one line each (no line ending) for Xen's console ring,
 *                     printed by `xl dmesg` as `(d<domid>) <text>`; Xen files them
 *                     at guest debug level
 *     Console text uses \r\n. The boot ends with `<name> login: ` on every
 *     terminal in `consoles.gettys` at `doneMs`.
 *     `pvUpMs`: xenbus/PV frontends are connected (PV/PVH: as the kernel starts;
 *     HVM: when netfront/blkfront load; -1 for an HVM guest without PV drivers).
 *     `kernelStartMs`: the kernel's time zero — uptime and dmesg stamps count from it.
 *     `dmesg`: the kernel log as `dmesg` prints it at the end of the boot.
 *
 *   bootDmesg(desc): string[] — the same dmesg lines without building the timeline chunks.
 *
 * Paths and typical durations: PV direct ~3.5 s, PVH ~3 s, HVM SeaBIOS ~11 s,
 * OVMF ~15 s; pygrub/pvgrub add a 5 s menu countdown. pygrub's menu is put on
 * the 'pv' channel before the kernel: in real Xen it is drawn by dom0 on the
 * pty `xl create -c` shows, before the domain runs.
 */
import { consoleSetup, ktime, type ConsoleSetup } from './consoles';
import { firmwareRun } from './firmware';
import { grubMenu, pygrubMenu } from './grub';
import { kernelBoot, type KLine } from './linux-boot';
import { loginBanner, systemdStatus, userspaceMs } from './userspace';
import { hasPvDrivers, type Chunk, type GuestDesc } from './types';

/** systemd logs its banner to kmsg before it prints the first status line */
const STATUS_DELAY_MS = 450;

export interface BootTimeline {
  chunks: Chunk[];
  kernelStartMs: number;
  pvUpMs: number;
  doneMs: number;
  dmesg: string[];
  consoles: ConsoleSetup;
}

/** The kernel log lines as `dmesg` and the console show them (one entry per line). */
export function formatKLines(lines: KLine[]): string[] {
  const out: string[] = [];
  for (const l of lines) for (const part of l.text.split('\n')) out.push(ktime(l.ms) + part);
  return out;
}

export function bootDmesg(d: GuestDesc): string[] {
  return formatKLines(kernelBoot(d, consoleSetup(d)).lines);
}

export function bootTimeline(d: GuestDesc): BootTimeline {
  const consoles = consoleSetup(d);
  const chunks: Chunk[] = [];
  let kernelStartMs: number;

  switch (d.firmware) {
    case 'seabios':
    case 'ovmf': {
      const fw = firmwareRun(d);
      for (const l of fw.lines) chunks.push({ atMs: l.ms, channel: 'xen-debug', text: l.text });
      const menu = grubMenu(d, fw.handoffMs + 300);
      if (d.serial) for (const f of menu.frames) chunks.push({ atMs: f.ms, channel: 'serial', text: f.text });
      kernelStartMs = menu.doneMs + 200;
      break;
    }
    case 'pygrub': {
      const menu = pygrubMenu(0);
      for (const f of menu.frames) chunks.push({ atMs: f.ms, channel: 'pv', text: f.text });
      kernelStartMs = menu.doneMs + 30;
      break;
    }
    case 'pvgrub32':
    case 'pvgrub64': {
      const menu = grubMenu(d, 60);
      for (const f of menu.frames) chunks.push({ atMs: f.ms, channel: 'pv', text: f.text });
      kernelStartMs = menu.doneMs + 40;
      break;
    }
    case 'direct':
      if (d.type === 'hvm') {
        // QEMU's -kernel still goes through hvmloader and SeaBIOS (its linuxboot option ROM), no GRUB
        const fw = firmwareRun({ ...d, firmware: 'seabios' }, true);
        for (const l of fw.lines) chunks.push({ atMs: l.ms, channel: 'xen-debug', text: l.text });
        kernelStartMs = fw.handoffMs + 250;
      } else kernelStartMs = d.type === 'pvh' ? 20 : 30;
      break;
  }

  const k = kernelBoot(d, consoles);
  for (const l of k.lines) {
    if (l.level >= consoles.loglevel) continue;
    const text = l.text
      .split('\n')
      .map((p) => ktime(l.ms) + p + '\r\n')
      .join('');
    for (const c of consoles.kernel) chunks.push({ atMs: kernelStartMs + Math.round(l.ms), channel: c, text });
  }

  const initAt = kernelStartMs + Math.round(k.initMs);
  if (consoles.showStatus && consoles.devConsole) {
    for (const s of systemdStatus(d, consoles)) chunks.push({ atMs: initAt + STATUS_DELAY_MS + s.ms, channel: consoles.devConsole, text: s.text + '\r\n' });
  }
  const doneMs = initAt + userspaceMs(d);
  for (const t of consoles.gettys) chunks.push({ atMs: doneMs, channel: t, text: loginBanner(d, t) });

  // stable: equal times keep their production order
  const order = chunks.map((c, i) => ({ c, i }));
  order.sort((a, b) => a.c.atMs - b.c.atMs || a.i - b.i);

  const pvUpMs = !hasPvDrivers(d) ? -1 : d.type === 'hvm' ? kernelStartMs + Math.round(k.pvUpMs) : kernelStartMs;
  return { chunks: order.map((o) => o.c), kernelStartMs, pvUpMs, doneMs, dmesg: formatKLines(k.lines), consoles };
}
