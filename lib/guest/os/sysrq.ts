/**
 * The guest kernel's reaction to magic SysRq keys (from `xl sysrq`, which
 * writes control/sysrq for the xenbus handler, or `echo k > /proc/sysrq-trigger`),
 * to a panic, and the end of an orderly shutdown — with the effect each has
 * on the domain:
 *
 *   poweroff / sysrq o → "reboot: Power down": PV/PVH SCHEDOP_shutdown(poweroff),
 *                        HVM via the ACPI PM block (QEMU tells Xen)
 *   reboot / sysrq b   → "reboot: Restarting system" / "sysrq: Resetting":
 *                        PV/PVH SCHEDOP_shutdown(reboot), HVM a platform reset
 *   halt               → "reboot: System halted": a PV kernel's machine_halt is
 *                        SCHEDOP_shutdown(poweroff); HVM/PVH kernels just stop
 *                        their vCPUs and the domain stays up (blocked)
 *   panic / sysrq c    → Xen's panic notifier: SCHEDOP_shutdown(crash); a
 *                        kernel without PV drivers hangs in panic (panic=0)
 *
 * Public API:
 *   sysrqKey(d, setup, key, uptimeMs, from): KernelEvent
 *   shutdownSequence(d, setup, kind, uptimeMs): KernelEvent
 *   KernelEvent = { chunks (atMs relative to the call), actions, dmesg (new kernel log lines) }
 */
import type { ConsoleSetup } from './consoles';
import { ktime } from './consoles';
import { hasPvDrivers, KERNEL, type Chunk, type GuestDesc, type OsAction } from './types';

export interface KernelEvent {
  chunks: Chunk[];
  actions: OsAction[];
  dmesg: string[];
}

const HELP =
  'HELP : loglevel(0-9) reboot(b) crash(c) terminate-all-tasks(e) memory-full-oom-kill(f) kill-all-tasks(i) thaw-filesystems(j) sak(k) show-backtrace-all-active-cpus(l) show-memory-usage(m) nice-all-RT-tasks(n) poweroff(o) show-registers(p) show-all-timers(q) unraw(r) sync(s) show-task-states(t) unmount(u) force-fb(v) show-blocked-tasks(w) dump-ftrace-buffer(z) ';

const ACTION_MSG: Record<string, string> = {
  b: 'Resetting',
  c: 'Trigger a crash',
  e: 'Terminate All Tasks',
  f: 'Manual OOM execution',
  i: 'Kill All Tasks',
  j: 'Emergency Thaw of all frozen filesystems',
  k: 'SAK',
  l: 'Show backtrace of all active CPUs',
  m: 'Show Memory',
  n: 'Nice All RT Tasks',
  o: 'Power Off',
  p: 'Show Regs',
  q: 'Show clockevent devices & pending hrtimers (no others)',
  r: 'Keyboard mode set to system default',
  s: 'Emergency Sync',
  t: 'Show State',
  u: 'Emergency Remount R/O',
  v: 'Emergency framebuffer reset',
  w: 'Show Blocked State',
  z: 'Dump ftrace buffer',
};

/** Accumulates kernel lines for the consoles (level-filtered) and dmesg (all). */
export class KOut {
  chunks: Chunk[] = [];
  dmesg: string[] = [];
  actions: OsAction[] = [];
  constructor(
    private readonly s: ConsoleSetup,
    private readonly uptimeMs: number,
  ) {}
  k(atMs: number, level: number, text: string, force = false): void {
    const lines = text.split('\n').map((p) => ktime(this.uptimeMs + atMs) + p);
    this.dmesg.push(...lines);
    if (!force && level >= this.s.loglevel) return;
    for (const c of this.s.kernel) this.chunks.push({ atMs, channel: c, text: lines.map((l) => l + '\r\n').join('') });
  }
  status(atMs: number, text: string): void {
    if (this.s.showStatus && this.s.devConsole) this.chunks.push({ atMs, channel: this.s.devConsole, text: text + '\r\n' });
  }
  result(): KernelEvent {
    return { chunks: this.chunks, actions: this.actions, dmesg: this.dmesg };
  }
}

function panicBlock(d: GuestDesc, from: 'proc' | 'xenbus'): string {
  const hw = d.type === 'hvm' ? `Hardware name: Xen HVM domU, BIOS ${d.firmware === 'ovmf' ? '0.0.0 02/06/2015' : `${d.xenVersion} 03/05/2025`}\n` : '';
  const comm = from === 'proc' ? 'PID: 612 Comm: bash' : 'PID: 31 Comm: xenwatch';
  const trace =
    from === 'proc'
      ? [' write_sysrq_trigger+0x24/0x40', ' proc_reg_write+0x51/0x90', ' vfs_write+0xc7/0x3c0', ' ksys_write+0x6b/0xf0', ' do_syscall_64+0x55/0xb0', ' entry_SYSCALL_64_after_hwframe+0x6e/0xd8']
      : [' sysrq_handler+0xd6/0x150', ' xenwatch_thread+0x93/0x180', ' kthread+0xd7/0x100', ' ret_from_fork+0x1f/0x30'];
  const tail = d.type === 'pv' ? 'Kernel Offset: disabled' : 'Kernel Offset: 0x1ae00000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)';
  return [
    'Kernel panic - not syncing: sysrq triggered crash',
    `CPU: 0 ${comm} Not tainted ${KERNEL.release} #1  Debian 6.1.119-1`,
    ...(hw ? [hw.trimEnd()] : []),
    'Call Trace:',
    ' <TASK>',
    ' dump_stack_lvl+0x44/0x5c',
    ' panic+0x118/0x2ed',
    ' sysrq_handle_crash+0x16/0x20',
    ' __handle_sysrq.cold+0x43/0x11b',
    ...trace,
    ' </TASK>',
    tail,
  ].join('\n');
}

function crashAction(d: GuestDesc, atMs: number): OsAction {
  return hasPvDrivers(d) ? { atMs, kind: 'shutdown', reason: 'crash', via: 'sched_op' } : { atMs, kind: 'halt' };
}

function powerAction(d: GuestDesc, kind: 'poweroff' | 'reboot' | 'halt', atMs: number): OsAction {
  if (kind === 'halt') return d.type === 'pv' ? { atMs, kind: 'shutdown', reason: 'poweroff', via: 'sched_op' } : { atMs, kind: 'halt' };
  if (d.type === 'hvm') return { atMs, kind: 'shutdown', reason: kind, via: kind === 'poweroff' ? 'acpi' : 'reset' };
  return { atMs, kind: 'shutdown', reason: kind, via: 'sched_op' };
}

/** One SysRq key. `from`: who pressed it (decides the panic's call trace). */
export function sysrqKey(d: GuestDesc, s: ConsoleSetup, key: string, uptimeMs: number, from: 'proc' | 'xenbus'): KernelEvent {
  const o = new KOut(s, uptimeMs);
  // __handle_sysrq raises the console loglevel so its own message always shows
  if (/^[0-9]$/.test(key)) {
    o.k(0, 6, 'sysrq: Changing Loglevel', true);
    o.k(0, 6, `sysrq: Loglevel set to ${key}`, true);
    return o.result();
  }
  const msg = ACTION_MSG[key];
  if (!msg) {
    o.k(0, 6, `sysrq: ${HELP}`, true);
    return o.result();
  }
  o.k(0, 6, `sysrq: ${msg}`, true);
  switch (key) {
    case 'c':
      o.k(1, 0, panicBlock(d, from));
      o.actions.push(crashAction(d, 5));
      break;
    case 'b':
      o.actions.push(powerAction(d, 'reboot', 2));
      break;
    case 'o':
      o.k(30, 0, 'reboot: Power down');
      o.actions.push(powerAction(d, 'poweroff', 32));
      break;
    case 's':
      o.k(12, 6, 'sysrq: Emergency Sync complete', true);
      break;
    case 'u':
      o.k(20, 6, 'sysrq: Emergency Remount complete', true);
      break;
  }
  return o.result();
}

/**
 * systemd stopping everything and the kernel's last words after
 * `poweroff` / `reboot` / `halt` (and `shutdown -h|-r now`, ACPI power button).
 * Takes about 1.5 s.
 */
export function shutdownSequence(d: GuestDesc, s: ConsoleSetup, kind: 'poweroff' | 'reboot' | 'halt', uptimeMs: number): KernelEvent {
  const o = new KOut(s, uptimeMs);
  const OK = '[\x1b[0;32m  OK  \x1b[0m] ';
  const target = kind === 'poweroff' ? 'Power-Off' : kind === 'reboot' ? 'Reboot' : 'Halt';
  const steps = [
    '         Stopping session-1.scope - Session 1 of User root...',
    `${OK}Removed slice system-getty.slice - Slice /system/getty.`,
    `${OK}Stopped target multi-user.target - Multi-User System.`,
    `${OK}Stopped target getty.target - Login Prompts.`,
    ...s.gettys.map((t) => `${OK}Stopped serial-getty@${t === 'pv' ? 'hvc0' : 'ttyS0'}.service - Serial Getty on ${t === 'pv' ? 'hvc0' : 'ttyS0'}.`),
    `${OK}Stopped ssh.service - OpenBSD Secure Shell server.`,
    `${OK}Stopped networking.service - Raise network interfaces.`,
    `${OK}Stopped systemd-journald.service - Journal Service.`,
    `${OK}Reached target umount.target - Unmount All Filesystems.`,
    `${OK}Reached target shutdown.target - System Shutdown.`,
    `${OK}Reached target final.target - Late Shutdown Services.`,
    `${OK}Finished systemd-${kind === 'poweroff' ? 'poweroff' : kind}.service - System ${target}.`,
    `${OK}Reached target ${kind === 'poweroff' ? 'poweroff' : kind}.target - System ${target}.`,
  ];
  steps.forEach((t, i) => o.status(40 + i * 70, t));
  let t = 40 + steps.length * 70 + 60;
  for (const m of [
    'Syncing filesystems and block devices.',
    'Sending SIGTERM to remaining processes...',
    'Sending SIGKILL to remaining processes...',
    'Unmounting file systems.',
    'All filesystems unmounted.',
    'Deactivating swaps.',
    'All swaps deactivated.',
    'All filesystems, swaps, loop devices and DM devices detached.',
    'Syncing filesystems and block devices.',
    kind === 'poweroff' ? 'Powering off.' : kind === 'reboot' ? 'Rebooting.' : 'Halting system.',
  ]) {
    o.k(t, 6, `systemd-shutdown[1]: ${m}`);
    t += 25;
  }
  t += 30;
  o.k(t, 0, kind === 'poweroff' ? 'reboot: Power down' : kind === 'reboot' ? 'reboot: Restarting system' : 'reboot: System halted');
  o.actions.push(powerAction(d, kind, t + 2));
  return o.result();
}
