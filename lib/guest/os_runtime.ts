/**
 * The guest OS running in simulated time: the pure model of lib/guest/os
 * (boot timelines, the login shell, SysRq, shutdown sequences) turned into
 * a persistent record that moves forward as the host clock does.
 *
 * Output is not pushed by a timer: it sits in `queue` with absolute host
 * times, and `osAdvance` hands whatever is due to the sink (console buffers,
 * Xen's console ring) whenever the host clock passes it. Effects (the
 * guest's SCHEDOP_shutdown and friends) wait in `actions` the same way. One
 * ShellState per terminal with a getty appears when the boot reaches its
 * login prompt; keystrokes that arrive earlier wait in the ring as on a
 * real console (the PV `in` ring holds 1024 bytes).
 */
import { bootTimeline } from './os/boot';
import { execLine, feed, newShell, type ShellState } from './os/shell';
import type { ShellEnv } from './os/commands';
import type { ConsoleSetup } from './os/consoles';
import type { GuestLive } from './os/procfs';
import { shutdownSequence, sysrqKey, type KernelEvent } from './os/sysrq';
import type { GuestXs } from './os/xsclient';
import type { GuestHv } from './os/hvcalls';
import type { Channel, GuestDesc, OsAction, OsDisk, OsNic, TtyChannel } from './os/types';
import { diskAttached, nicAttached } from './os/hotplug';

const MS = 1_000_000;
/** xencons_interface.in: what the guest has not consumed yet */
export const IN_RING_BYTES = 1024;

export interface QueuedOutput {
  atNs: number;
  channel: Channel;
  text: string;
}

export interface QueuedAction {
  atNs: number;
  action: OsAction;
}

export interface OsRuntime {
  desc: GuestDesc;
  consoles: ConsoleSetup;
  /** host time (ns) the domain was first unpaused: the timeline's zero */
  startNs: number;
  /** the kernel's time zero (uptime, dmesg stamps) */
  kernelStartNs: number;
  /** the login prompts appear */
  doneNs: number;
  queue: QueuedOutput[];
  actions: QueuedAction[];
  shells: Partial<Record<TtyChannel, ShellState>>;
  /** typed before a shell reads it (bounded like the PV in ring) */
  pendingInput: Partial<Record<TtyChannel, string>>;
  /** kernel log beyond the boot (shell, SysRq) */
  extraDmesg: string[];
  bootDmesg: string[];
  workloadMiB: number;
  /** the kernel stopped (poweroff, panic, halt): no more input or SysRq */
  down: boolean;
  /** the host event that will next move this runtime along, if one is pending */
  tickAtNs?: number;
}

/** What the runtime needs from the host while it advances. */
export interface OsSink {
  write(channel: Channel, text: string): void;
  act(a: OsAction): void;
  live(rt: OsRuntime, nowNs: number): GuestLive;
  xs: GuestXs;
  hv?: GuestHv;
}

function insertSorted<T extends { atNs: number }>(list: T[], item: T): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.atNs > item.atNs) i--;
  list.splice(i, 0, item);
}

export function osStart(desc: GuestDesc, nowNs: number): OsRuntime {
  const t = bootTimeline(desc);
  return {
    desc,
    consoles: t.consoles,
    startNs: nowNs,
    kernelStartNs: nowNs + t.kernelStartMs * MS,
    doneNs: nowNs + t.doneMs * MS,
    queue: t.chunks.map((c) => ({ atNs: nowNs + Math.round(c.atMs * MS), channel: c.channel, text: c.text })),
    actions: [],
    shells: {},
    pendingInput: {},
    extraDmesg: [],
    bootDmesg: t.dmesg,
    workloadMiB: 0,
    down: false,
  };
}

/**
 * A guest that was already up elsewhere (restored, migrated in): no boot
 * to show, its gettys waiting where they were, uptime carried over.
 */
export function osResumed(desc: GuestDesc, nowNs: number, uptimeNs: number): OsRuntime {
  const rt = osStart(desc, nowNs);
  rt.kernelStartNs = nowNs - Math.max(0, uptimeNs);
  rt.startNs = rt.kernelStartNs;
  rt.doneNs = nowNs;
  rt.queue = [];
  for (const t of rt.consoles.gettys) rt.shells[t] = newShell(t);
  return rt;
}

export function osUptimeMs(rt: OsRuntime, nowNs: number): number {
  return Math.max(0, (nowNs - rt.kernelStartNs) / MS);
}

/** The next time something is due (output, an effect, the login prompt), if any. */
export function osNextNs(rt: OsRuntime): number | undefined {
  let next: number | undefined;
  const take = (t: number) => {
    if (next === undefined || t < next) next = t;
  };
  if (rt.queue.length) take(rt.queue[0]!.atNs);
  if (rt.actions.length) take(rt.actions[0]!.atNs);
  if (!rt.down && Object.keys(rt.shells).length === 0 && rt.consoles.gettys.length) take(rt.doneNs);
  return next;
}

/** Nothing more will happen without outside input. */
export function osIdle(rt: OsRuntime): boolean {
  return osNextNs(rt) === undefined;
}

/** A paused domain makes no progress: everything still due moves later. */
export function osDelay(rt: OsRuntime, byNs: number): void {
  for (const q of rt.queue) q.atNs += byNs;
  for (const a of rt.actions) a.atNs += byNs;
  if (Object.keys(rt.shells).length === 0) rt.doneNs += byNs;
}

function shellEnv(rt: OsRuntime, nowNs: number, sink: OsSink): ShellEnv {
  return {
    desc: rt.desc,
    consoles: rt.consoles,
    live: () => sink.live(rt, nowNs),
    dmesg: () => [...rt.bootDmesg, ...rt.extraDmesg],
    xs: sink.xs,
    ...(sink.hv ? { hv: sink.hv } : {}),
  };
}

/** Effects and output relative to `nowNs` join the queues. */
function schedule(rt: OsRuntime, nowNs: number, ev: { chunks?: { atMs: number; channel: Channel; text: string }[]; actions?: OsAction[]; dmesg?: string[] }): void {
  for (const c of ev.chunks ?? []) insertSorted(rt.queue, { atNs: nowNs + Math.round(c.atMs * MS), channel: c.channel, text: c.text });
  for (const a of ev.actions ?? []) insertSorted(rt.actions, { atNs: nowNs + Math.round(a.atMs * MS), action: a });
  rt.extraDmesg.push(...(ev.dmesg ?? []));
}

function feedShell(rt: OsRuntime, tty: TtyChannel, input: string, nowNs: number, sink: OsSink): void {
  const sh = rt.shells[tty];
  if (!sh) return;
  const r = feed(sh, input, shellEnv(rt, nowNs, sink), nowNs / MS);
  rt.shells[tty] = r.state;
  if (r.output) sink.write(tty, r.output);
  schedule(rt, nowNs, { chunks: r.later, actions: r.actions, dmesg: r.dmesg });
}

/** Delivers everything due at or before `nowNs`, in time order. */
export function osAdvance(rt: OsRuntime, nowNs: number, sink: OsSink): void {
  for (;;) {
    const q = rt.queue[0];
    const a = rt.actions[0];
    const shellsDue = !rt.down && Object.keys(rt.shells).length === 0 && rt.consoles.gettys.length > 0 && rt.doneNs <= nowNs;
    const qAt = q && q.atNs <= nowNs ? q.atNs : Infinity;
    const aAt = a && a.atNs <= nowNs ? a.atNs : Infinity;
    // the login banner is queued at doneNs: shells start right after it
    const sAt = shellsDue ? rt.doneNs : Infinity;
    if (qAt === Infinity && aAt === Infinity && sAt === Infinity) return;
    if (qAt <= aAt && qAt <= sAt) {
      rt.queue.shift();
      sink.write(q!.channel, q!.text);
    } else if (sAt < aAt) {
      for (const t of rt.consoles.gettys) rt.shells[t] = newShell(t);
      for (const t of rt.consoles.gettys) {
        const pending = rt.pendingInput[t];
        delete rt.pendingInput[t];
        if (pending) feedShell(rt, t, pending, Math.max(sAt, nowNs), sink);
      }
    } else {
      rt.actions.shift();
      const act = a!.action;
      if (act.kind === 'workload') rt.workloadMiB = act.dirtyRateMiBs > 0 ? act.wssMiB : 0;
      else if (act.kind !== 'io') rt.down = true;
      sink.act(act);
    }
  }
}

/**
 * Keystrokes on one of the guest's terminals. A guest that is not running
 * (paused) reads nothing: the bytes wait in the ring until `osFlushInput`.
 */
export function osInput(rt: OsRuntime, tty: TtyChannel, bytes: string, nowNs: number, sink: OsSink, running = true): void {
  if (rt.down) return;
  if (!rt.shells[tty] || !running) {
    // nobody reads yet: the ring keeps what fits, the rest is lost
    const had = rt.pendingInput[tty] ?? '';
    rt.pendingInput[tty] = (had + bytes).slice(0, IN_RING_BYTES);
    return;
  }
  feedShell(rt, tty, bytes, nowNs, sink);
}

export type ExecResult = { ok: true; out: string } | { ok: false; why: 'booting' | 'down' | 'busy' };

/**
 * A command run in the guest without a terminal (as over ssh): its output
 * comes back at once; what it does to the system (power off, a kernel
 * message) is scheduled as if typed. A command with a time limit goes on
 * in the background (its closing words have no terminal to go to); one that
 * runs until interrupted is refused — it needs a terminal to stop it.
 */
export function osExec(rt: OsRuntime, line: string, nowNs: number, sink: OsSink): ExecResult {
  if (rt.down) return { ok: false, why: 'down' };
  if (Object.keys(rt.shells).length === 0) return { ok: false, why: 'booting' };
  const res = execLine(shellEnv(rt, nowNs, sink), 'pv', line);
  if (res.next === 'busy' && res.busyUntilMs === undefined) return { ok: false, why: 'busy' };
  schedule(rt, nowNs, { chunks: res.later, actions: res.actions, dmesg: res.dmesg });
  return { ok: true, out: res.next === 'logout' ? '' : res.out };
}

/** The guest runs again: it reads what waited in its rings. */
export function osFlushInput(rt: OsRuntime, nowNs: number, sink: OsSink): void {
  for (const t of Object.keys(rt.shells) as TtyChannel[]) {
    const pending = rt.pendingInput[t];
    if (!pending) continue;
    delete rt.pendingInput[t];
    feedShell(rt, t, pending, nowNs, sink);
  }
}

/** A SysRq key from xenbus (`xl sysrq`). */
export function osSysrq(rt: OsRuntime, key: string, nowNs: number): void {
  if (rt.down) return;
  const ev: KernelEvent = sysrqKey(rt.desc, rt.consoles, key, osUptimeMs(rt, nowNs), 'xenbus');
  schedule(rt, nowNs, ev);
}

/**
 * The kernel's view of its hardware changes while it runs: a frontend
 * connected (blkfront/netfront print, lsblk and ip addr see it) or went
 * away (nothing printed at the default log level).
 */
export function osDeviceAdded(rt: OsRuntime, dev: { disk: OsDisk } | { nic: OsNic }, nowNs: number): void {
  if (rt.down) return;
  const up = osUptimeMs(rt, nowNs);
  if ('disk' in dev) {
    if (rt.desc.disks.some((d) => d.vdev === dev.disk.vdev)) return;
    rt.desc.disks.push(dev.disk);
    schedule(rt, nowNs, diskAttached(rt.desc, rt.consoles, dev.disk, up));
  } else {
    if (rt.desc.nics.some((n) => n.devid === dev.nic.devid)) return;
    rt.desc.nics.push(dev.nic);
    schedule(rt, nowNs, nicAttached(rt.desc, rt.consoles, dev.nic, up));
  }
}

export function osDeviceRemoved(rt: OsRuntime, dev: { vdev: string } | { nicDevid: number }): void {
  if ('vdev' in dev) rt.desc.disks = rt.desc.disks.filter((d) => d.vdev !== dev.vdev);
  else rt.desc.nics = rt.desc.nics.filter((n) => n.devid !== dev.nicDevid);
}

/**
 * An orderly shutdown the guest was asked for from outside (xenbus
 * control/shutdown, the ACPI power button): its messages only — the
 * effect itself is timed by the lifecycle model (lib/guest/guest.ts).
 */
export function osShutdownMessages(rt: OsRuntime, kind: 'poweroff' | 'reboot' | 'halt', nowNs: number): void {
  if (rt.down) return;
  const ev = shutdownSequence(rt.desc, rt.consoles, kind, osUptimeMs(rt, nowNs));
  schedule(rt, nowNs, { chunks: ev.chunks, dmesg: ev.dmesg });
  for (const k of Object.keys(rt.shells) as TtyChannel[]) rt.shells[k] = { ...rt.shells[k]!, mode: 'down' };
}
