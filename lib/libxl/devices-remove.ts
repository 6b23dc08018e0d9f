/**
 * Removing a device the guest is using (libxl_device.c
 * libxl__initiate_device_generic_remove, device_backend_callback,
 * device_hotplug_done): libxl takes the backend offline and asks it to
 * close, then waits up to LIBXL_DESTROY_TIMEOUT for the backend to reach
 * Closed — which happens once the guest's frontend driver lets go. A guest
 * that cannot (paused, hung, shut down, or with no driver bound to the
 * device, like an HVM guest without PV drivers) never does: a safe remove
 * then fails and leaves the device in place, closing; an ordinary remove
 * (FORCE_AUTO) falls back to a forced one, which tears the frontend down
 * and succeeds.
 *
 * The caller waits between looks (cmd/xl/wait.ts): `removeBegin` once,
 * then `removeReleased` until it says yes or the deadline passes.
 */
import type { LibxlCtx } from './ctx';
import { XenbusState } from './devices-xenbus';
import { ERROR_TIMEDOUT } from './errors';
import { libxlLog, where } from './log';

/** LIBXL_DESTROY_TIMEOUT (seconds), in ns */
export const DESTROY_TIMEOUT_NS = 10_000_000_000;

/** the part of the guest model's record this module looks at */
interface GuestView {
  phase?: string;
  pvConnected?: boolean;
  hung?: boolean;
}

export interface RemovalWait {
  domid: number;
  kind: string;
  devid: number;
  /** the backend directory */
  be: string;
  deadlineNs: number;
}

/** Backend offline and Closing (unless already Closed); the wait's deadline. */
export function removeBegin(lx: LibxlCtx, domid: number, kind: string, devid: number): RemovalWait {
  const be = lx.xs.tryRead(`/libxl/${domid}/device/${kind}/${devid}/backend`) ?? '';
  if (be && lx.xs.exists(be)) {
    lx.xs.write(`${be}/online`, '0');
    if (lx.xs.tryRead(`${be}/state`) !== String(XenbusState.Closed)) lx.xs.write(`${be}/state`, String(XenbusState.Closing));
  }
  return { domid, kind, devid, be, deadlineNs: lx.now() + DESTROY_TIMEOUT_NS };
}

/**
 * The frontend has let go, or will at once: the guest is running with its
 * xenbus answering and a driver bound to the device (blkfront, netfront
 * ... close their end when the backend starts closing, connected or not),
 * or there is no frontend left. An HVM guest's CD-ROM has no driver bound.
 */
export function removeReleased(lx: LibxlCtx, w: RemovalWait): boolean {
  const fe = `/local/domain/${w.domid}/device/${w.kind}/${w.devid}`;
  const state = lx.xs.tryRead(`${fe}/state`);
  if (state === undefined || state === String(XenbusState.Closed)) return true;
  const info = lx.hv.getdomaininfo(w.domid);
  if (!info.ok || info.value.paused || info.value.shutdown || info.value.dying) return false;
  if (w.kind === 'vbd' && info.value.kind === 'hvm' && lx.xs.tryRead(`${fe}/device-type`) === 'cdrom') return false;
  const g = lx.records.get<GuestView>('guest', String(w.domid));
  return g !== undefined && g.phase === 'running' && g.pvConnected === true && g.hung !== true;
}

/** device_backend_callback on the timeout of a safe remove (then device_addrm_aocomplete). */
export function removeTimedOut(lx: LibxlCtx, w: RemovalWait): number {
  libxlLog(lx.xtl, 'error', where('libxl_device.c', 1194, 'device_backend_callback'), w.domid, `unable to remove device with path ${w.be} - rc ${ERROR_TIMEDOUT}`);
  libxlLog(lx.xtl, 'error', where('libxl_device.c', 1495, 'device_addrm_aocomplete'), w.domid, `Unable to remove ${w.kind} with id ${w.devid}`);
  return ERROR_TIMEDOUT;
}

/** device_backend_callback on the timeout of an ordinary remove: forced from here on. */
export function removeForcing(lx: LibxlCtx, w: RemovalWait): void {
  libxlLog(lx.xtl, 'debug', where('libxl_device.c', 1187, 'device_backend_callback'), w.domid, 'Timeout reached, initiating forced remove');
}
