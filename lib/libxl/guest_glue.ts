/**
 * Where the guest model meets the rest of the host: guest records kept
 * with the host, the guest-side hypercalls bound to the simulated Xen, the
 * toolstack's touches (xenstore writes, unpause, ACPI buttons) delivered
 * to the guest as its watches would, and — when a guest shuts down — the
 * @releaseDomain that wakes the xl monitor watching it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { onCommit } from '../../state/session';
import {
  guestAcpi, guestAcpiButton, guestAct, guestPaused, guestUnpaused, HELD_KINDS, type HeldWork, guestBalloon, guestBalloonWatch, guestBooted, guestControl, guestControlWatch, guestHalt,
  guestResumed, guestStart, guestSysrq, guestSysrqWatch, guestVcpuWatch, newGuest, type GuestAction, type GuestData, type GuestEnv, type GuestEventKind,
  type GuestEventPayload, type GuestKind, GUEST_LOAD, SHUTDOWN,
} from '../guest/guest';
import {
  osAdvance, osDelay, osDeviceAdded, osDeviceRemoved, osExec, osFlushInput, osInput, osNextNs, osResumed, osShutdownMessages, osStart, osSysrq, osUptimeMs,
  type ExecResult, type OsRuntime, type OsSink,
} from '../guest/os_runtime';
import type { Channel, OsAction, TtyChannel } from '../guest/os/types';
import type { GuestXs } from '../guest/os/xsclient';
import type { GuestLive } from '../guest/os/procfs';
import { consoleForget, consoleWrite } from './console';
import { eventHandler } from '../../state/session';
import type { GuestHooks, LibxlCtx } from './ctx';
import { vdevToDevid } from './devices-vbd';
import { guestDescOf, osDiskOf, osNicOf } from './guest_desc';
import { getDomainConfiguration } from './userdata';
import { setWorkload } from './workload';
import { guestHv } from './guest_hv';
import { applyVcpuAvailability } from './vcpu';
import { IDLE_IO, ioCpuLoad, ioForget, setIoRates, type IoRates } from './iostats';
import { monitorDomainDied, monitorFor, monitorShutdown } from './monitor';

const NS = 'guest';
const OS = 'guest.os';
const MS = 1_000_000;
const SHUTDOWNS = 'libxl.shutdowns';
/** the busy fraction the guest OS itself asks for, before its I/O adds to it */
const LOAD = 'guest.load';

/** The last shutdown a domid went through (what a `shutdown -w` waiter reports). */
export interface ShutdownSeen {
  reason: number;
  at: number;
}

export function lastShutdown(lx: LibxlCtx, domid: number): ShutdownSeen | undefined {
  return lx.records.get<ShutdownSeen>(SHUTDOWNS, String(domid));
}


function dompathOf(domid: number): string {
  return `/local/domain/${domid}`;
}

/** The payload of the event that moves a guest's OS output along. */
interface TickPayload extends GuestEventPayload {
  tick: true;
}

/**
 * The event kind that moves the guest OS along: its own `guest.os` once
 * the composition root routes it here; until then a `guest.booted` event
 * marked `tick` (the host refuses kinds nobody handles).
 */
function tickKind(): GuestEventKind {
  return eventHandler('guest.os') ? 'guest.os' : 'guest.booted';
}

export class GuestGlue {
  constructor(private readonly ctx: () => LibxlCtx) {}

  private get lx(): LibxlCtx {
    return this.ctx();
  }

  guest(domid: number): GuestData | undefined {
    return this.lx.records.get<GuestData>(NS, String(domid));
  }

  private save(g: GuestData): void {
    this.lx.records.put(NS, String(g.domid), g);
  }

  /** The guest-side view of the machine. */
  readonly env: GuestEnv = {
    now: () => this.lx.now(),
    schedule: (kind: GuestEventKind, atNs: number, payload: GuestEventPayload) => {
      this.lx.events.schedule(atNs, kind, payload, { domid: payload.domid });
    },
    xsRead: (path) => this.lx.xs.tryRead(path),
    xsWrite: (path, value) => {
      this.lx.xs.write(path, value);
    },
    schedShutdown: (domid, reason) => this.shutdown(domid, reason),
    setCallbackIrq: () => {
      // recorded in the guest record (pvConnected); the hypervisor keeps no HVM params
    },
    setLoad: (domid, load) => {
      this.lx.records.put(LOAD, String(domid), load);
      this.applyLoad(domid);
    },
    balloonTo: (domid, targetKb) => {
      const r = this.lx.hv.getdomaininfo(domid);
      if (!r.ok) return;
      const d = r.value;
      const want = Math.floor(targetKb / 4);
      if (want < d.totPages) this.lx.hv.decrease_reservation(domid, d.totPages - want);
      else if (want > d.totPages) this.lx.hv.populate_physmap(domid, want - d.totPages);
    },
  };

  /** The vCPUs' busy fraction: what the OS is doing, plus what its I/O costs. */
  private applyLoad(domid: number): void {
    const base = this.lx.records.get<number>(LOAD, String(domid)) ?? GUEST_LOAD.idle;
    this.lx.hv.setGuestLoad(domid, Math.min(1, base + ioCpuLoad(this.lx, domid)));
  }

  /** The guest's network and disk traffic changes, and with it the CPU it takes. */
  private setIo(domid: number, rates: IoRates): void {
    setIoRates(this.lx, domid, rates);
    if (this.lx.hv.getdomaininfo(domid).ok) this.applyLoad(domid);
  }

  /** SCHEDOP_shutdown (or the toolstack's remote one), then the watch every monitor and waiter relies on. */
  shutdown(domid: number, reason: number, remote = false): boolean {
    const lx = this.lx;
    // the watchdog is Xen's own timer: it logs and shuts the domain down itself
    const r = remote ? lx.hv.remote_shutdown(domid, reason) : reason === 4 ? lx.hv.watchdog_fired(domid, 0) : lx.hv.sched_shutdown(domid, reason);
    if (!r.ok) return false;
    lx.records.put<ShutdownSeen>(SHUTDOWNS, String(domid), { reason: r.value.code, at: lx.now() });
    const m = monitorFor(lx, domid);
    if (m) monitorShutdown(lx, m);
    return true;
  }

  private withGuest(domid: number, fn: (g: GuestData) => void): void {
    const g = this.guest(domid);
    if (!g) return;
    fn(g);
    // fn may have ended the domain (its halt reached the monitor, which
    // destroyed it and dropped this record): nothing is left to save then
    if (this.guest(domid)) this.save(g);
  }

  onEvent(kind: string, payload: unknown): void {
    const p = payload as GuestEventPayload;
    const env = this.env;
    if (kind === 'guest.os' || (kind === 'guest.booted' && (payload as Partial<TickPayload>).tick)) {
      this.osTick(p.domid);
      return;
    }
    if (this.heldWhilePaused(kind as GuestEventKind, p)) return;
    if (kind === 'guest.sysrq' && this.osSysrqEvent(p.domid)) return;
    const before = this.guest(p.domid)?.phase;
    const request = kind === 'guest.control' ? env.xsRead(`${dompathOf(p.domid)}/control/shutdown`) : undefined;
    this.withGuest(p.domid, (g) => {
      switch (kind) {
        case 'guest.booted': {
          const d = this.lx.hv.getdomaininfo(g.domid);
          // a paused guest makes no progress: try again later
          if (d.ok && d.value.paused) {
            env.schedule('guest.booted', env.now() + 1_000_000_000, { domid: g.domid });
            return;
          }
          guestBooted(env, g);
          return;
        }
        case 'guest.control':
          guestControl(env, g);
          return;
        case 'guest.halt':
          guestHalt(env, g, p.reason ?? 0);
          return;
        case 'guest.acpi':
          guestAcpi(env, g, p.button ?? 'power');
          return;
        case 'guest.balloon':
          guestBalloon(env, g);
          return;
        case 'guest.sysrq':
          guestSysrq(env, g);
          return;
        case 'guest.vcpu':
          if (!g.hung) applyVcpuAvailability(this.lx, g.domid);
          return;
      }
    });
    this.osFollow(p.domid, kind, before, request ?? (kind === 'guest.acpi' && p.button === 'power' ? 'poweroff' : undefined));
  }

  /**
   * Guest work that comes due while the toolstack holds the domain paused
   * (paused some way the guest was not told of) waits for the unpause.
   */
  private heldWhilePaused(kind: GuestEventKind, p: GuestEventPayload): boolean {
    if (!HELD_KINDS.includes(kind)) return false;
    const d = this.lx.hv.getdomaininfo(p.domid);
    if (!d.ok || !d.value.paused) return false;
    this.withGuest(p.domid, (g) => guestPaused(g, [{ kind, leftNs: 0, payload: p }]));
    return true;
  }

  /** The OS side of what the lifecycle model just did: shutdown messages, the kernel going down. */
  private osFollow(domid: number, kind: string, before: string | undefined, request: string | undefined): void {
    const g = this.guest(domid);
    if (!g) return;
    if (g.phase === 'stopping' && before !== 'stopping' && request) {
      const k = request === 'reboot' ? 'reboot' : request === 'halt' ? 'halt' : request === 'poweroff' ? 'poweroff' : undefined;
      if (k) this.osUpdate(domid, (rt, now) => osShutdownMessages(rt, k, now));
    } else if ((g.phase === 'stopped' || g.phase === 'suspended') && kind === 'guest.halt') {
      this.osUpdate(domid, (rt) => {
        if (g.phase === 'stopped') rt.down = true;
      });
    }
  }

  /** control/sysrq through the guest OS: it prints, and acts on b/o/c itself. */
  private osSysrqEvent(domid: number): boolean {
    const g = this.guest(domid);
    const rt = this.os(domid);
    if (!g || !rt) return false;
    if (!g.pvConnected || g.phase !== 'running') return true;
    const node = `${dompathOf(domid)}/control/sysrq`;
    const key = this.env.xsRead(node);
    if (!key) return true;
    this.env.xsWrite(node, '');
    this.osUpdate(domid, (r, now) => osSysrq(r, key, now));
    return true;
  }


  // ---- the guest OS: its consoles, shell and kernel messages ---------------

  os(domid: number): OsRuntime | undefined {
    return this.lx.records.get<OsRuntime>(OS, String(domid));
  }

  private guestXs(domid: number): GuestXs {
    const xs = this.lx.xs.as(domid);
    return {
      read: (path) => {
        const r = xs.read(path);
        return typeof r === 'string' ? { value: r } : { errno: r.errno };
      },
      list: (path) => {
        const r = xs.directory(path);
        return Array.isArray(r) ? { names: r } : { errno: r.errno };
      },
    };
  }

  private sink(domid: number): OsSink {
    const lx = this.lx;
    return {
      write: (channel: Channel, text: string) => {
        if (channel === 'xen-debug') lx.hv.guest_console_write(domid, text);
        else {
          consoleWrite(lx, domid, channel, 0, text);
          if (lx.files.consoleLog) logConsole(lx, domid, text);
        }
      },
      act: (a: OsAction) => this.osAct(domid, a),
      live: (rt: OsRuntime, nowNs: number): GuestLive => {
        const d = lx.hv.getdomaininfo(domid);
        return {
          allocKiB: d.ok ? d.value.totPages * 4 : rt.desc.memoryMiB * 1024,
          onlineVcpus: d.ok ? Math.max(1, d.value.nrOnlineVcpus) : rt.desc.vcpus,
          uptimeMs: osUptimeMs(rt, nowNs),
          workloadMiB: rt.workloadMiB,
          disks: rt.desc.disks,
        };
      },
      xs: this.guestXs(domid),
      hv: guestHv(lx, domid),
    };
  }

  /** An effect the guest OS has on its domain, through the hypervisor surface. */
  private osAct(domid: number, a: OsAction): void {
    if (a.kind === 'workload') {
      setWorkload(this.lx, domid, { dirtyRate: Math.round(a.dirtyRateMiBs * 256), wss: Math.round(a.wssMiB * 256) });
      return;
    }
    if (a.kind === 'io') {
      this.setIo(domid, { netTx: a.netTx, netRx: a.netRx, read: a.read, write: a.write });
      return;
    }
    if (a.kind === 'halt') {
      // vCPUs parked in a halt loop: Xen is not told, the domain idles on
      this.lx.records.put(LOAD, String(domid), 0);
      this.setIo(domid, IDLE_IO);
      return;
    }
    const g = this.guest(domid);
    if (!g || g.phase === 'stopped') return;
    const code = a.reason === 'reboot' ? SHUTDOWN.reboot : a.reason === 'crash' ? SHUTDOWN.crash : SHUTDOWN.poweroff;
    g.phase = 'stopped';
    this.save(g);
    this.shutdown(domid, code);
  }

  /** Delivers what is due, keeps the record, and books the next step. */
  private osStep(domid: number, rt: OsRuntime): void {
    const now = this.lx.now();
    osAdvance(rt, now, this.sink(domid));
    // a shutdown may have taken the domain away meanwhile
    if (!this.guest(domid)) return;
    const next = osNextNs(rt);
    if (next !== undefined && !(rt.tickAtNs !== undefined && rt.tickAtNs > now && rt.tickAtNs <= next)) {
      const at = Math.max(next, now);
      rt.tickAtNs = at;
      const payload: TickPayload = { domid, tick: true };
      this.lx.events.schedule(at, tickKind(), payload, { domid });
    }
    this.lx.records.put(OS, String(domid), rt);
  }

  private osTick(domid: number): void {
    const rt = this.os(domid);
    if (!rt) return;
    const d = this.lx.hv.getdomaininfo(domid);
    if (!d.ok || d.value.dying || d.value.shutdown) return;
    if (rt.tickAtNs !== undefined && rt.tickAtNs <= this.lx.now()) rt.tickAtNs = undefined;
    if (d.value.paused) {
      osDelay(rt, 1_000 * MS);
      rt.tickAtNs = undefined;
    }
    this.osStep(domid, rt);
  }

  private osBegin(domid: number): void {
    const cfg = getDomainConfiguration(this.lx, domid);
    if (!cfg) return;
    this.osStep(domid, osStart(guestDescOf(this.lx, domid, cfg), this.lx.now()));
  }

  /** A guest restored or migrated in: it was up already, nothing to boot. */
  private osResume(domid: number): void {
    const g = this.guest(domid);
    if (!g || g.phase !== 'running' || g.bootedNs === 0) return;
    const cfg = getDomainConfiguration(this.lx, domid);
    if (!cfg) return;
    const now = this.lx.now();
    // bootedNs = now - uptime (applyGuestTimeState); -1 stands for "booted at 0"
    const uptime = now - Math.max(0, g.bootedNs);
    this.osStep(domid, osResumed(guestDescOf(this.lx, domid, cfg), now, uptime));
  }

  private osUpdate(domid: number, fn: (rt: OsRuntime, now: number) => void): void {
    const rt = this.os(domid);
    if (!rt) return;
    fn(rt, this.lx.now());
    this.osStep(domid, rt);
  }

  /** A command line run in the guest without a terminal (`xlsim guest D exec`). */
  exec(domid: number, line: string): ExecResult | undefined {
    let r: ExecResult | undefined;
    this.osUpdate(domid, (rt, now) => {
      osAdvance(rt, now, this.sink(domid));
      r = osExec(rt, line, now, this.sink(domid));
    });
    return r;
  }

  /** Bytes typed on a console (`xl console`): the guest's terminal reads them. */
  consoleInput(domid: number, tty: TtyChannel, bytes: string): void {
    const d = this.lx.hv.getdomaininfo(domid);
    const running = d.ok && !d.value.paused;
    this.osUpdate(domid, (rt, now) => {
      osAdvance(rt, now, this.sink(domid));
      osInput(rt, tty, bytes, now, this.sink(domid), running);
    });
  }

  /**
   * A workload started from the lab console: `mem` page writes a second
   * over a working set (what migration chases), `io` network and disk
   * traffic; either stops by itself after `forNs` if given.
   */
  startWorkload(domid: number, w: { mem?: { ratePages: number; wssPages: number }; io?: IoRates }, forNs?: number): void {
    if (w.mem) setWorkload(this.lx, domid, { dirtyRate: w.mem.ratePages, wss: w.mem.wssPages });
    if (w.io) this.setIo(domid, w.io);
    if (forNs === undefined) return;
    this.osUpdate(domid, (rt, now) => {
      const stops: OsAction[] = [];
      if (w.mem) stops.push({ atMs: 0, kind: 'workload', dirtyRateMiBs: 0, wssMiB: 0 });
      if (w.io) stops.push({ atMs: 0, kind: 'io', ...IDLE_IO });
      const at = now + forNs;
      let i = rt.actions.length;
      while (i > 0 && rt.actions[i - 1]!.atNs > at) i--;
      rt.actions.splice(i, 0, ...stops.map((action) => ({ atNs: at, action })));
    });
  }

  /** Nothing is left for the guest OS to do until someone types or acts. */
  osQuiet(domid: number): boolean {
    const rt = this.os(domid);
    return !rt || osNextNs(rt) === undefined;
  }

  /** The lab console's guest actions (`xlsim guest D crash` ...). */
  act(domid: number, action: GuestAction): boolean {
    let done = false;
    this.withGuest(domid, (g) => {
      done = guestAct(this.env, g, action);
    });
    if (done) this.osUpdate(domid, (rt) => void (rt.down = true));
    // a hung or dead kernel moves no more data
    if (done) this.setIo(domid, IDLE_IO);
    return done;
  }

  setPvDrivers(domid: number, on: boolean): boolean {
    const g = this.guest(domid);
    if (!g) return false;
    g.hasPvDrivers = on;
    if (!on) g.pvConnected = false;
    else if (g.kind !== 'hvm' || g.phase === 'running') g.pvConnected = true;
    this.save(g);
    return true;
  }

  readonly hooks: GuestHooks = {
    built: (domid: number, kind: GuestKind, targetKb: number) => {
      this.lx.records.delete(SHUTDOWNS, String(domid));
      this.save(newGuest(domid, kind, true, targetKb));
    },
    paused: (domid) => {
      this.withGuest(domid, (g) => {
        if (g.held) return;
        const now = this.lx.now();
        const work: HeldWork[] = [];
        for (const e of this.lx.events.pending({ domid })) {
          if (!HELD_KINDS.includes(e.kind as GuestEventKind)) continue;
          this.lx.events.cancel(e.seq);
          work.push({ kind: e.kind as GuestEventKind, leftNs: Math.max(0, e.at - now), payload: e.payload as GuestEventPayload });
        }
        guestPaused(g, work);
      });
    },
    unpaused: (domid) => {
      const d = this.lx.hv.getdomaininfo(domid);
      let started = false;
      this.withGuest(domid, (g) => {
        if (d.ok && !d.value.paused) guestUnpaused(this.env, g);
        // the first unpause lets the OS start; later ones just resume it
        if (g.phase === 'booting' && g.bootedNs === 0 && d.ok && !d.value.paused && this.lx.events.pending({ kind: 'guest.booted', domid }).length === 0) {
          guestStart(this.env, g);
          started = true;
        }
      });
      if (started && !this.os(domid)) this.osBegin(domid);
      else if (!this.os(domid)) this.osResume(domid);
      else if (d.ok && !d.value.paused) this.osUpdate(domid, (rt, now) => osFlushInput(rt, now, this.sink(domid)));
    },
    controlWritten: (domid) => this.withGuest(domid, (g) => guestControlWatch(this.env, g)),
    sysrqWritten: (domid) => this.withGuest(domid, (g) => guestSysrqWatch(this.env, g)),
    vcpuHotplug: (domid) => {
      const g = this.guest(domid);
      if (!g) return true;
      const now = guestVcpuWatch(g);
      if (!now) this.save(g);
      return now;
    },
    memoryTargetChanged: (domid) => this.withGuest(domid, (g) => guestBalloonWatch(this.env, g)),
    acpiButton: (domid, button) => this.withGuest(domid, (g) => guestAcpiButton(this.env, g, button)),
    remoteShutdown: (domid, reason) => {
      // the OS is frozen where it was; a later resume lets it carry on
      this.withGuest(domid, (g) => {
        if (g.phase !== 'stopped') g.phase = reason === SHUTDOWN.suspend ? 'suspended' : 'stopped';
      });
      return this.shutdown(domid, reason, true);
    },
    resumed: (domid) => this.withGuest(domid, (g) => guestResumed(this.env, g)),
    destroyed: (domid) => {
      this.lx.records.delete(NS, String(domid));
      // the backends and the guest's processes are gone with the domain
      ioForget(this.lx, domid);
      this.lx.records.delete(LOAD, String(domid));
      setWorkload(this.lx, domid, { dirtyRate: 0, wss: 0 });
      this.lx.records.delete(OS, String(domid));
      consoleForget(this.lx, domid);
      monitorDomainDied(this.lx, domid);
    },
    pvControl: (domid) => {
      if (domid === 0) return true;
      const g = this.guest(domid);
      if (!g) return false;
      return g.pvConnected;
    },
    hung: (domid) => this.guest(domid)?.hung === true,
    deviceConnected: (domid, kind, devid) => {
      if (!this.os(domid) || (kind !== 'vbd' && kind !== 'vif')) return;
      const cfg = getDomainConfiguration(this.lx, domid);
      if (kind === 'vbd') {
        const disk = (cfg?.disks ?? []).find((d) => d.vdev !== undefined && vdevToDevid(d.vdev) === devid);
        if (disk) this.osUpdate(domid, (rt, now) => osDeviceAdded(rt, { disk: osDiskOf(disk) }, now));
      } else {
        const i = (cfg?.nics ?? []).findIndex((n, j) => (n.devid ?? j) === devid);
        if (i >= 0) this.osUpdate(domid, (rt, now) => osDeviceAdded(rt, { nic: osNicOf(cfg!.nics![i]!, i) }, now));
      }
    },
    deviceRemoved: (domid, kind, devid) => {
      const rt = this.os(domid);
      if (!rt) return;
      if (kind === 'vbd') {
        const disk = rt.desc.disks.find((d) => vdevToDevid(d.vdev) === devid);
        if (disk) this.osUpdate(domid, (r) => osDeviceRemoved(r, { vdev: disk.vdev }));
      } else if (kind === 'vif') {
        this.osUpdate(domid, (r) => osDeviceRemoved(r, { nicDevid: devid }));
      }
    },
    softReset: (domid) => {
      this.lx.hv.resumedomain(domid);
      this.withGuest(domid, (g) => {
        g.phase = 'booting';
        g.bootedNs = 0;
        g.pvConnected = g.kind !== 'hvm' && g.hasPvDrivers;
        guestStart(this.env, g);
      });
      this.lx.records.delete(OS, String(domid));
      this.osBegin(domid);
    },
  };
}

/**
 * xenconsoled with guest logging on: everything a guest writes to its
 * console also goes to /var/log/xen/console/guest-<name>.log. Written once
 * the command's transaction commits, so a killed command leaves no line
 * for output that never happened.
 */
function logConsole(lx: LibxlCtx, domid: number, text: string): void {
  const name = lx.xs.tryRead(`/local/domain/${domid}/name`) ?? String(domid);
  const file = path.join(lx.files.logDir, 'console', `guest-${name}.log`);
  onCommit(() => {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.appendFileSync(file, text);
    } catch {
      // xenconsoled drops what it cannot log
    }
  });
}
