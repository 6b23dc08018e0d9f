/**
 * The xenbus handshake between a guest's frontend drivers and dom0's
 * backends, as simulated time passes (xen/include/public/io/xenbus.h).
 *
 * libxl writes both directories with state Initialising; the backend driver
 * probes at once and goes to InitWait (libxl waits for that before running
 * the hotplug script, which is only recorded here). The frontend moves only
 * when the guest's kernel has xenbus up — a PV/PVH kernel once it booted, an
 * HVM guest only with PV drivers — so an HVM guest without them keeps its
 * vifs and vbds at 1 for ever, as on a real host. Then the frontend
 * publishes its rings (Initialised) and both sides reach Connected.
 *
 * Event kind `devices.xenbus` (payload XenbusPayload), one per domain
 * probe; the composition root must route it to `onXenbusEvent`.
 */
import type { LibxlCtx } from './ctx';
import { ioDeviceConnected } from './iostats';

export const XenbusState = {
  Unknown: 0,
  Initialising: 1,
  InitWait: 2,
  Initialised: 3,
  Connected: 4,
  Closing: 5,
  Closed: 6,
} as const;

export const XENBUS_EVENT = 'devices.xenbus';

export interface XenbusPayload {
  domid: number;
  step: 'probe' | 'connect';
}

/**
 * frontend kinds a Linux guest's drivers pick up over xenbus (vusb: the
 * xen-hcd host controller driver, in Linux since 5.17 and built as a module
 * by Debian's kernel, so the simulated guest has it)
 */
export const PV_FRONTEND_KINDS = ['vbd', 'vif', 'vkbd', 'vtpm', 'vdispl', 'vsnd', 'console', 'vusb'] as const;

/** from the frontend writing its rings to the backend connecting */
const CONNECT_NS = 20_000_000;
/** a paused guest is looked at again this often */
const PAUSED_RETRY_NS = 1_000_000_000;
/** how long after a hotplug a running guest's xenbus watch fires */
const PROBE_NS = 50_000_000;

function dompath(domid: number): string {
  return `/local/domain/${domid}`;
}

/** the part of the guest model's record this module looks at */
interface GuestView {
  phase?: string;
  pvConnected?: boolean;
  bootedNs?: number;
}

/**
 * xenbus is up in the guest: its drivers announced themselves in control/,
 * or — after a restore or migration, before the kernel announces again —
 * the resumed guest's record says its PV drivers are connected.
 */
export function guestXenbusUp(lx: LibxlCtx, domid: number): boolean {
  if (lx.xs.tryRead(`${dompath(domid)}/control/feature-poweroff`) === '1') return true;
  const g = lx.records.get<GuestView>('guest', String(domid));
  return g?.pvConnected === true && g.phase === 'running';
}

function children(lx: LibxlCtx, path: string): string[] {
  const r = lx.xs.directory(path);
  return Array.isArray(r) ? r : [];
}

/** every frontend directory of a domain, as [kind, devid, path] */
export function frontends(lx: LibxlCtx, domid: number): Array<{ kind: string; devid: string; path: string }> {
  const out: Array<{ kind: string; devid: string; path: string }> = [];
  for (const kind of children(lx, `${dompath(domid)}/device`)) {
    for (const devid of children(lx, `${dompath(domid)}/device/${kind}`)) {
      out.push({ kind, devid, path: `${dompath(domid)}/device/${kind}/${devid}` });
    }
  }
  return out;
}

function readInt(lx: LibxlCtx, path: string): number | undefined {
  const v = lx.xs.tryRead(path);
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/**
 * The next free event channel and grant reference in the guest, past
 * everything its frontends already use (xenstore and console take the
 * first ports and grants).
 */
function nextResources(lx: LibxlCtx, domid: number): { evtch: number; gref: number } {
  let evtch = 9;
  let gref = 7;
  for (const f of frontends(lx, domid)) {
    evtch = Math.max(evtch, readInt(lx, `${f.path}/event-channel`) ?? 0, readInt(lx, `${f.path}/port`) ?? 0);
    for (const k of ['ring-ref', 'tx-ring-ref', 'rx-ring-ref', 'page-ref', 'urb-ring-ref', 'conn-ring-ref']) gref = Math.max(gref, readInt(lx, `${f.path}/${k}`) ?? 0);
    for (let i = 0; f.kind === 'vsnd' && lx.xs.exists(`${f.path}/${i}`); i++) {
      for (let j = 0; lx.xs.exists(`${f.path}/${i}/${j}`); j++) {
        evtch = Math.max(evtch, readInt(lx, `${f.path}/${i}/${j}/event-channel`) ?? 0);
        gref = Math.max(gref, readInt(lx, `${f.path}/${i}/${j}/ring-ref`) ?? 0);
      }
    }
    for (let i = 0; f.kind === 'vdispl' && lx.xs.exists(`${f.path}/${i}`); i++) {
      evtch = Math.max(evtch, readInt(lx, `${f.path}/${i}/req-event-channel`) ?? 0, readInt(lx, `${f.path}/${i}/evt-event-channel`) ?? 0);
      gref = Math.max(gref, readInt(lx, `${f.path}/${i}/req-ring-ref`) ?? 0, readInt(lx, `${f.path}/${i}/evt-ring-ref`) ?? 0);
    }
  }
  return { evtch: evtch + 1, gref: gref + 1 };
}

/** Queue a look by the guest's xenbus at its device directory. */
export function scheduleProbe(lx: LibxlCtx, domid: number, delayNs = PROBE_NS): void {
  const pending = lx.events.pending({ kind: XENBUS_EVENT, domid });
  if (pending.some((e) => (e.payload as XenbusPayload).step === 'probe')) return;
  lx.events.after(delayNs, XENBUS_EVENT, { domid, step: 'probe' } satisfies XenbusPayload, { domid });
}

function probe(lx: LibxlCtx, domid: number): void {
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok) return;
  if (!guestXenbusUp(lx, domid)) {
    // a guest still booting picks its devices up as its kernel starts; one
    // created paused has not started yet; any other has no PV drivers
    const boot = lx.events.pending({ kind: 'guest.booted', domid })[0];
    if (boot) lx.events.schedule(boot.at, XENBUS_EVENT, { domid, step: 'probe' } satisfies XenbusPayload, { domid });
    else if (info.value.paused && !info.value.shutdown) lx.events.after(PAUSED_RETRY_NS, XENBUS_EVENT, { domid, step: 'probe' } satisfies XenbusPayload, { domid });
    return;
  }
  let any = false;
  for (const f of frontends(lx, domid)) {
    if (!(PV_FRONTEND_KINDS as readonly string[]).includes(f.kind)) continue;
    if (readInt(lx, `${f.path}/state`) !== XenbusState.Initialising) continue;
    // blkfront leaves an HVM guest's CD-ROMs to the emulated IDE drive
    if (f.kind === 'vbd' && info.value.kind === 'hvm' && lx.xs.tryRead(`${f.path}/device-type`) === 'cdrom') continue;
    const be = lx.xs.tryRead(`${f.path}/backend`);
    if (be === undefined || readInt(lx, `${be}/state`) !== XenbusState.InitWait) continue;
    const res = nextResources(lx, domid);
    if (f.kind === 'vif') {
      lx.xs.write(`${f.path}/tx-ring-ref`, String(res.gref));
      lx.xs.write(`${f.path}/rx-ring-ref`, String(res.gref + 1));
      lx.xs.write(`${f.path}/event-channel`, String(res.evtch));
      lx.xs.write(`${f.path}/request-rx-copy`, '1');
      lx.xs.write(`${f.path}/feature-rx-notify`, '1');
      lx.xs.write(`${f.path}/feature-sg`, '1');
      lx.xs.write(`${f.path}/feature-gso-tcpv4`, '1');
    } else if (f.kind === 'vdispl') {
      // one request and one event ring per connector
      let ev = res.evtch;
      let gref = res.gref;
      for (let i = 0; lx.xs.exists(`${f.path}/${i}`); i++) {
        lx.xs.write(`${f.path}/${i}/req-ring-ref`, String(gref++));
        lx.xs.write(`${f.path}/${i}/req-event-channel`, String(ev++));
        lx.xs.write(`${f.path}/${i}/evt-ring-ref`, String(gref++));
        lx.xs.write(`${f.path}/${i}/evt-event-channel`, String(ev++));
      }
    } else if (f.kind === 'vsnd') {
      let ev = res.evtch;
      let gref = res.gref;
      for (let i = 0; lx.xs.exists(`${f.path}/${i}`); i++) {
        for (let j = 0; lx.xs.exists(`${f.path}/${i}/${j}`); j++) {
          lx.xs.write(`${f.path}/${i}/${j}/ring-ref`, String(gref++));
          lx.xs.write(`${f.path}/${i}/${j}/event-channel`, String(ev++));
        }
      }
    } else if (f.kind === 'console') {
      lx.xs.write(`${f.path}/ring-ref`, String(res.gref));
      lx.xs.write(`${f.path}/port`, String(res.evtch));
    } else if (f.kind === 'vusb') {
      // xen-hcd shares two rings: URB requests and port connection events
      lx.xs.write(`${f.path}/urb-ring-ref`, String(res.gref));
      lx.xs.write(`${f.path}/conn-ring-ref`, String(res.gref + 1));
      lx.xs.write(`${f.path}/event-channel`, String(res.evtch));
    } else if (f.kind === 'vkbd') {
      lx.xs.write(`${f.path}/page-ref`, String(res.gref));
      lx.xs.write(`${f.path}/page-gref`, String(res.gref));
      lx.xs.write(`${f.path}/event-channel`, String(res.evtch));
    } else {
      lx.xs.write(`${f.path}/ring-ref`, String(res.gref));
      lx.xs.write(`${f.path}/event-channel`, String(res.evtch));
      if (f.kind === 'vbd') lx.xs.write(`${f.path}/protocol`, 'x86_64-abi');
    }
    lx.xs.write(`${f.path}/state`, String(XenbusState.Initialised));
    any = true;
  }
  if (any) lx.events.after(CONNECT_NS, XENBUS_EVENT, { domid, step: 'connect' } satisfies XenbusPayload, { domid });
}

function connect(lx: LibxlCtx, domid: number): void {
  const bootedNs = lx.records.get<GuestView>('guest', String(domid))?.bootedNs ?? 0;
  for (const f of frontends(lx, domid)) {
    if (readInt(lx, `${f.path}/state`) !== XenbusState.Initialised) continue;
    const be = lx.xs.tryRead(`${f.path}/backend`);
    if (be !== undefined && lx.xs.exists(be)) lx.xs.write(`${be}/state`, String(XenbusState.Connected));
    lx.xs.write(`${f.path}/state`, String(XenbusState.Connected));
    ioDeviceConnected(lx, domid, f.kind, Number(f.devid), bootedNs);
    lx.hooks.deviceConnected?.(domid, f.kind, Number(f.devid));
  }
}

export function onXenbusEvent(lx: LibxlCtx, payload: unknown): void {
  const p = payload as XenbusPayload;
  if (p.step === 'probe') probe(lx, p.domid);
  else connect(lx, p.domid);
}
