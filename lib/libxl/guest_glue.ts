/**
 * Where the guest model meets the rest of the host: guest records kept
 * with the host, the guest-side hypercalls bound to the simulated Xen, the
 * toolstack's touches (xenstore writes, unpause, ACPI buttons) delivered
 * to the guest as its watches would, and — when a guest shuts down — the
 * @releaseDomain that wakes the xl monitor watching it.
 */
import {
  guestAcpi, guestAct, guestBalloon, guestBalloonWatch, guestBooted, guestControl, guestControlWatch, guestHalt,
  guestResumed, guestStart, guestSysrq, guestSysrqWatch, newGuest, type GuestAction, type GuestData, type GuestEnv, type GuestEventKind,
  type GuestEventPayload, type GuestKind,
} from '../guest/guest';
import type { GuestHooks, LibxlCtx } from './ctx';
import { monitorDomainDied, monitorFor, monitorShutdown } from './monitor';

const NS = 'guest';
const SHUTDOWNS = 'libxl.shutdowns';

/** The last shutdown a domid went through (what a `shutdown -w` waiter reports). */
export interface ShutdownSeen {
  reason: number;
  at: number;
}

export function lastShutdown(lx: LibxlCtx, domid: number): ShutdownSeen | undefined {
  return lx.records.get<ShutdownSeen>(SHUTDOWNS, String(domid));
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
      this.lx.hv.setGuestLoad(domid, load);
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

  /** SCHEDOP_shutdown, then the watch every monitor and waiter relies on. */
  shutdown(domid: number, reason: number): void {
    const lx = this.lx;
    // the watchdog is Xen's own timer: it logs and shuts the domain down itself
    const r = reason === 4 ? lx.hv.watchdog_fired(domid, 0) : lx.hv.sched_shutdown(domid, reason);
    if (!r.ok) return;
    lx.records.put<ShutdownSeen>(SHUTDOWNS, String(domid), { reason: r.value.code, at: lx.now() });
    const m = monitorFor(lx, domid);
    if (m) monitorShutdown(lx, m);
  }

  private withGuest(domid: number, fn: (g: GuestData) => void): void {
    const g = this.guest(domid);
    if (!g) return;
    fn(g);
    this.save(g);
  }

  onEvent(kind: string, payload: unknown): void {
    const p = payload as GuestEventPayload;
    const env = this.env;
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
      }
    });
  }

  /** The lab console's guest actions (`xlsim guest D crash` ...). */
  act(domid: number, action: GuestAction): boolean {
    let done = false;
    this.withGuest(domid, (g) => {
      done = guestAct(this.env, g, action);
    });
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
    unpaused: (domid) => {
      const d = this.lx.hv.getdomaininfo(domid);
      this.withGuest(domid, (g) => {
        // the first unpause lets the OS start; later ones just resume it
        if (g.phase === 'booting' && g.bootedNs === 0 && d.ok && !d.value.paused && this.lx.events.pending({ kind: 'guest.booted', domid }).length === 0) {
          guestStart(this.env, g);
        }
      });
    },
    controlWritten: (domid) => this.withGuest(domid, (g) => guestControlWatch(this.env, g)),
    sysrqWritten: (domid) => this.withGuest(domid, (g) => guestSysrqWatch(this.env, g)),
    memoryTargetChanged: (domid) => this.withGuest(domid, (g) => guestBalloonWatch(this.env, g)),
    acpiButton: (domid, button) => {
      this.withGuest(domid, () => {
        this.lx.events.after(0, 'guest.acpi', { domid, button }, { domid });
      });
    },
    resumed: (domid) => this.withGuest(domid, (g) => guestResumed(this.env, g)),
    destroyed: (domid) => {
      this.lx.records.delete(NS, String(domid));
      monitorDomainDied(this.lx, domid);
    },
    pvControl: (domid) => {
      if (domid === 0) return true;
      const g = this.guest(domid);
      if (!g) return false;
      return g.pvConnected;
    },
    softReset: (domid) => {
      this.lx.hv.resumedomain(domid);
      this.withGuest(domid, (g) => {
        g.phase = 'booting';
        g.bootedNs = 0;
        g.pvConnected = g.kind !== 'hvm' && g.hasPvDrivers;
        guestStart(this.env, g);
      });
    },
  };
}
