/**
 * A minimal guest operating system: enough behaviour for the toolstack to
 * have someone to talk to. It boots (taking simulated time), brings up its
 * PV drivers (PV/PVH kernels have them from the first instruction, an HVM
 * OS only once it has booted — unless the image has none at all), answers
 * the control/shutdown node the way Linux's xenbus driver does (clear the
 * node = acknowledge, then shut down a moment later), follows the balloon
 * target, and reacts to ACPI buttons once booted.
 *
 * The guest reaches the hypervisor only through the guest-side calls in
 * GuestEnv (SCHEDOP_shutdown, HVM callback IRQ, balloon), as a real kernel
 * does; the composition root binds them to the simulated Xen.
 */

export type GuestKind = 'pv' | 'pvh' | 'hvm';

/** SHUTDOWN_* codes of xen/include/public/sched.h */
export const SHUTDOWN = { poweroff: 0, reboot: 1, suspend: 2, crash: 3, watchdog: 4, soft_reset: 5 } as const;

export type GuestPhase = 'booting' | 'running' | 'stopping' | 'stopped' | 'suspended';

export interface GuestData {
  domid: number;
  kind: GuestKind;
  phase: GuestPhase;
  /** the installed OS carries PV drivers (an old HVM image may not) */
  hasPvDrivers: boolean;
  /** xenbus is up: control/shutdown is watched (HVM: callback IRQ set) */
  pvConnected: boolean;
  /** what the balloon driver last aimed for (KiB), from memory/target */
  balloonTargetKb: number;
  /** host time (ns) the OS finished booting; 0 while booting */
  bootedNs: number;
  /** the kernel hangs (`xlsim guest D hang`): vCPUs spin, nothing answers */
  hung?: boolean;
  /**
   * Set while the toolstack holds the domain paused: the vCPUs do not run,
   * so watches, button presses and half-done work wait here (with the time
   * they still need) until the last unpause.
   */
  held?: HeldWork[];
}

/** Work a paused guest has not got round to. */
export interface HeldWork {
  kind: GuestEventKind;
  /** how much of its delay was left when the vCPUs stopped */
  leftNs: number;
  payload: GuestEventPayload;
}

/** What stops while the vCPUs are paused (booting and the OS ticks wait on their own). */
export const HELD_KINDS: readonly GuestEventKind[] = ['guest.control', 'guest.halt', 'guest.acpi', 'guest.balloon', 'guest.sysrq', 'guest.vcpu'];

/** Simulated durations (ns). Short enough for labs, long enough to observe. */
export const GUEST_TIMING = {
  bootNs: { pv: 2_000_000_000, pvh: 2_000_000_000, hvm: 8_000_000_000 } as Record<GuestKind, number>,
  /** xenbus watch fires and the driver clears the node */
  ackNs: 100_000_000,
  /** from acknowledging poweroff/reboot to SCHEDOP_shutdown (init scripts) */
  shutdownNs: 3_000_000_000,
  /** suspend is quick: freeze and hypercall */
  suspendNs: 200_000_000,
  /** acpid reacting to the power button */
  acpiNs: 1_000_000_000,
  /** the balloon driver reaches a new target this long after it changes */
  balloonNs: 1_000_000_000,
} as const;

/** vCPU busy fraction while booting and once idle */
export const GUEST_LOAD = { booting: 0.9, idle: 0.01 } as const;

export type GuestEventKind = 'guest.booted' | 'guest.control' | 'guest.halt' | 'guest.acpi' | 'guest.balloon' | 'guest.sysrq' | 'guest.vcpu' | 'guest.os';

/** Every kind the guest model schedules (the composition root routes them to GuestGlue.onEvent). */
export const GUEST_EVENT_KINDS: readonly GuestEventKind[] = ['guest.booted', 'guest.control', 'guest.halt', 'guest.acpi', 'guest.balloon', 'guest.sysrq', 'guest.vcpu', 'guest.os'];

export interface GuestEventPayload {
  domid: number;
  /** guest.halt: SHUTDOWN_* code; guest.acpi: 'power' | 'reset' | 'sleep' */
  reason?: number;
  button?: string;
}

/** What the guest can do to the outside world. */
export interface GuestEnv {
  now(): number;
  schedule(kind: GuestEventKind, atNs: number, payload: GuestEventPayload): void;
  xsRead(path: string): string | undefined;
  xsWrite(path: string, value: string): void;
  /** SCHEDOP_shutdown on behalf of the guest */
  schedShutdown(domid: number, reason: number): void;
  /** HVM_PARAM_CALLBACK_IRQ: PV drivers present for an HVM guest */
  setCallbackIrq(domid: number, on: boolean): void;
  /** how busy the vCPUs are (drives running/blocked in getdomaininfo) */
  setLoad(domid: number, load: number): void;
  /** balloon: move the domain's allocation toward `targetKb` (bounded by Xen) */
  balloonTo(domid: number, targetKb: number): void;
}

export function newGuest(domid: number, kind: GuestKind, hasPvDrivers: boolean, targetKb: number): GuestData {
  return {
    domid,
    kind,
    phase: 'booting',
    hasPvDrivers,
    // a PV or PVH kernel talks xenbus from the start
    pvConnected: kind !== 'hvm' && hasPvDrivers,
    balloonTargetKb: targetKb,
    bootedNs: 0,
  };
}

/** The domain was unpaused for the first time: the OS starts booting. */
export function guestStart(env: GuestEnv, g: GuestData): void {
  g.phase = 'booting';
  env.setLoad(g.domid, GUEST_LOAD.booting);
  env.schedule('guest.booted', env.now() + GUEST_TIMING.bootNs[g.kind], { domid: g.domid });
}

/** Books the guest's next step, or keeps it for later when the guest is paused. */
function later(env: GuestEnv, g: GuestData, kind: GuestEventKind, atNs: number, payload: GuestEventPayload): void {
  if (g.held) g.held.push({ kind, leftNs: Math.max(0, atNs - env.now()), payload });
  else env.schedule(kind, atNs, payload);
}

/** The toolstack paused the domain: `pending` is the guest work that was under way. */
export function guestPaused(g: GuestData, pending: HeldWork[]): void {
  if (!g.held) g.held = pending;
  else g.held.push(...pending);
}

/** The last pause reference went: the vCPUs run again and pick up where they were. */
export function guestUnpaused(env: GuestEnv, g: GuestData): void {
  const held = g.held;
  if (!held) return;
  delete g.held;
  for (const w of held) env.schedule(w.kind, env.now() + w.leftNs, w.payload);
}

function dompath(domid: number): string {
  return `/local/domain/${domid}`;
}

export function guestBooted(env: GuestEnv, g: GuestData): void {
  if (g.phase !== 'booting') return;
  g.phase = 'running';
  g.bootedNs = env.now();
  env.setLoad(g.domid, GUEST_LOAD.idle);
  if (g.hasPvDrivers) {
    g.pvConnected = true;
    if (g.kind === 'hvm') env.setCallbackIrq(g.domid, true);
    const p = dompath(g.domid);
    env.xsWrite(`${p}/control/feature-poweroff`, '1');
    env.xsWrite(`${p}/control/feature-reboot`, '1');
    env.xsWrite(`${p}/control/feature-suspend`, '1');
    env.xsWrite(`${p}/data/updated`, '1');
    // a request written before xenbus came up is seen at the first watch
    const pending = env.xsRead(`${p}/control/shutdown`);
    if (pending) later(env, g, 'guest.control', env.now() + GUEST_TIMING.ackNs, { domid: g.domid });
    const target = env.xsRead(`${p}/memory/target`);
    if (target !== undefined && Number(target) !== g.balloonTargetKb) guestBalloonWatch(env, g);
  }
}

/**
 * The toolstack wrote control/shutdown (the xenstore watch fired). The
 * driver reads the request, clears the node to acknowledge it, and the
 * OS goes down a little later.
 */
export function guestControlWatch(env: GuestEnv, g: GuestData): void {
  if (g.hung || !g.pvConnected || (g.phase !== 'running' && g.phase !== 'booting')) return;
  later(env, g, 'guest.control', env.now() + GUEST_TIMING.ackNs, { domid: g.domid });
}

export function guestControl(env: GuestEnv, g: GuestData): void {
  if (g.hung || !g.pvConnected || g.phase !== 'running') return;
  const node = `${dompath(g.domid)}/control/shutdown`;
  const req = env.xsRead(node);
  if (!req) return;
  let reason: number;
  let delay: number = GUEST_TIMING.shutdownNs;
  switch (req) {
    case 'poweroff':
    case 'halt':
      reason = SHUTDOWN.poweroff;
      break;
    case 'reboot':
      reason = SHUTDOWN.reboot;
      break;
    case 'suspend':
      reason = SHUTDOWN.suspend;
      delay = GUEST_TIMING.suspendNs;
      break;
    default:
      // Linux acknowledges only what it can handle ("Ignoring shutdown request")
      return;
  }
  env.xsWrite(node, '');
  g.phase = 'stopping';
  later(env, g, 'guest.halt', env.now() + delay, { domid: g.domid, reason });
}

export function guestHalt(env: GuestEnv, g: GuestData, reason: number): void {
  if (g.phase === 'stopped') return;
  g.phase = reason === SHUTDOWN.suspend ? 'suspended' : 'stopped';
  env.schedShutdown(g.domid, reason);
}

/** Xen latched an ACPI button (SCI): the OS sees it when its vCPUs next run. */
export function guestAcpiButton(env: GuestEnv, g: GuestData, button: string): void {
  later(env, g, 'guest.acpi', env.now(), { domid: g.domid, button });
}

/** An ACPI button (xl trigger / shutdown -F): only a booted OS reacts. */
export function guestAcpi(env: GuestEnv, g: GuestData, button: string): void {
  if (g.phase !== 'running') return;
  if (button === 'power') {
    g.phase = 'stopping';
    later(env, g, 'guest.halt', env.now() + GUEST_TIMING.acpiNs + GUEST_TIMING.shutdownNs, { domid: g.domid, reason: SHUTDOWN.poweroff });
  } else if (button === 'reset') {
    // a reset is immediate: the machine reboots without the OS's help
    g.phase = 'stopped';
    env.schedShutdown(g.domid, SHUTDOWN.reboot);
  }
}

/** control/sysrq was written: the PV driver picks the key up (if it is there to) */
export function guestSysrqWatch(env: GuestEnv, g: GuestData): void {
  if (g.hung || !g.pvConnected || g.phase !== 'running') return;
  later(env, g, 'guest.sysrq', env.now() + GUEST_TIMING.ackNs, { domid: g.domid });
}

/**
 * Linux's magic SysRq as xen's sysrq handler feeds it: b reboots at once,
 * o powers off, c panics (a crash); other keys only print in the guest.
 */
export function guestSysrq(env: GuestEnv, g: GuestData): void {
  if (!g.pvConnected || g.phase !== 'running') return;
  const node = `${dompath(g.domid)}/control/sysrq`;
  const key = env.xsRead(node);
  if (!key) return;
  env.xsWrite(node, '');
  const reason = key === 'b' ? SHUTDOWN.reboot : key === 'o' ? SHUTDOWN.poweroff : key === 'c' ? SHUTDOWN.crash : undefined;
  if (reason === undefined) return;
  g.phase = 'stopped';
  env.schedShutdown(g.domid, reason);
}

/** The guest was resumed after a suspend (suspend_cancel): it runs on. */
export function guestResumed(env: GuestEnv, g: GuestData): void {
  if (g.phase !== 'suspended') return;
  g.phase = 'running';
  env.setLoad(g.domid, GUEST_LOAD.idle);
  // a request written while it was suspended is still queued on its watch
  if (g.pvConnected && env.xsRead(`${dompath(g.domid)}/control/shutdown`)) later(env, g, 'guest.control', env.now() + GUEST_TIMING.ackNs, { domid: g.domid });
}

/**
 * cpu/N/availability changed: true when the kernel's hotplug handler acts
 * at once, false when it cannot run now (paused: the change waits for the
 * unpause as a guest.vcpu step; hung: never).
 */
export function guestVcpuWatch(g: GuestData): boolean {
  if (g.hung) return false;
  if (!g.held) return true;
  g.held.push({ kind: 'guest.vcpu', leftNs: 0, payload: { domid: g.domid } });
  return false;
}

/** memory/target changed: the balloon driver follows after a while. */
export function guestBalloonWatch(env: GuestEnv, g: GuestData): void {
  if (g.hung || !g.pvConnected) return;
  later(env, g, 'guest.balloon', env.now() + GUEST_TIMING.balloonNs, { domid: g.domid });
}

export function guestBalloon(env: GuestEnv, g: GuestData): void {
  if (!g.pvConnected || g.phase === 'stopped') return;
  const t = env.xsRead(`${dompath(g.domid)}/memory/target`);
  if (t === undefined || !/^\d+$/.test(t)) return;
  g.balloonTargetKb = Number(t);
  env.balloonTo(g.domid, g.balloonTargetKb);
}

/** A guest-initiated event from the lab console (`xlsim guest D crash`...). */
export type GuestAction = 'poweroff' | 'reboot' | 'crash' | 'watchdog' | 'halt' | 'hang';

export function guestAct(env: GuestEnv, g: GuestData, action: GuestAction): boolean {
  if (g.phase === 'stopped') return false;
  if (action === 'hang') {
    // a hung kernel spins with interrupts off: xenbus watches, the console
    // and the balloon stop; only the toolstack (destroy) or a watchdog end it
    g.hung = true;
    env.setLoad(g.domid, 1);
    return true;
  }
  const reason =
    action === 'reboot' ? SHUTDOWN.reboot : action === 'crash' ? SHUTDOWN.crash : action === 'watchdog' ? SHUTDOWN.watchdog : SHUTDOWN.poweroff;
  g.phase = 'stopped';
  env.schedShutdown(g.domid, reason);
  return true;
}
