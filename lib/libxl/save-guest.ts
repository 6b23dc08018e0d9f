/**
 * The guest OS's running state across save/restore and migration. Xen
 * carries the guest's notion of time in X86_TSC_INFO (`nsec`); xlsim puts
 * the guest's time since boot there, and uses the `incarnation` word for
 * what a real kernel would carry in its own memory: whether it had booted
 * and whether its PV drivers were connected. A restored guest therefore
 * continues (uptime keeps counting) instead of booting again.
 */
import type { GuestData } from '../guest/guest';
import type { LibxlCtx } from './ctx';

const GUEST_NS = 'guest';
const F_RUNNING = 1;
const F_PV_DRIVERS = 2;
const F_PV_CONNECTED = 4;

export interface GuestTimeState {
  uptimeNs: number;
  flags: number;
}

export function guestTimeState(lx: LibxlCtx, domid: number): GuestTimeState {
  const g = lx.records.get<GuestData>(GUEST_NS, String(domid));
  if (!g) return { uptimeNs: 0, flags: 0 };
  // bootedNs is host time: negative when the guest came from a host whose clock ran longer (0 = never booted)
  const running = g.bootedNs !== 0 && g.phase !== 'booting';
  return {
    uptimeNs: running ? Math.max(0, lx.now() - g.bootedNs) : 0,
    flags: (running ? F_RUNNING : 0) | (g.hasPvDrivers ? F_PV_DRIVERS : 0) | (g.pvConnected ? F_PV_CONNECTED : 0),
  };
}

/** After the restore: the guest resumes where it was suspended (its suspend hypercall returns). */
export function applyGuestTimeState(lx: LibxlCtx, domid: number, s: GuestTimeState): void {
  const g = lx.records.get<GuestData>(GUEST_NS, String(domid));
  if (!g || !(s.flags & F_RUNNING)) return;
  g.phase = 'running';
  g.bootedNs = lx.now() - s.uptimeNs;
  if (g.bootedNs === 0) g.bootedNs = -1; // 0 means "not booted yet"
  g.hasPvDrivers = (s.flags & F_PV_DRIVERS) !== 0;
  g.pvConnected = (s.flags & F_PV_CONNECTED) !== 0;
  lx.records.put(GUEST_NS, String(domid), g);
  lx.hv.setGuestLoad(domid, 0.01);
}
