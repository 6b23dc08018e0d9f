/**
 * The consoles of a domain as xenconsoled and QEMU keep them, and what
 * libxl_console.c finds for a client: which console is primary, where its
 * tty node is, and the per-domain lock xenconsole takes.
 *
 * Output a guest wrote and nobody has read yet waits in a per-console
 * buffer, as in xenconsoled: the ring (2048 bytes of `out`) plus the
 * daemon's own buffer, trimmed back to `limit` once it grows past 5/4 of
 * it (--overflow-data=discard). Reading drains it — the data has gone to
 * the pty's reader.
 */
import type { LibxlCtx } from './ctx';

export type ConsoleType = 'pv' | 'serial' | 'vuart';

const NS = 'console';
const LOCKS = 'console.lock';
/** xencons_interface.out */
export const OUT_RING_BYTES = 2048;
/** the frontend's `limit` node libxl writes */
export const CONSOLE_LIMIT = 1048576;

interface ConsoleBuffer {
  data: string;
}

function key(domid: number, type: ConsoleType, num: number): string {
  return `${domid}/${type}/${num}`;
}

/** Guest output arriving at a console (from the ring or QEMU's serial port). */
export function consoleWrite(lx: LibxlCtx, domid: number, type: ConsoleType, num: number, text: string): void {
  const k = key(domid, type, num);
  const b = lx.records.get<ConsoleBuffer>(NS, k) ?? { data: '' };
  b.data += text;
  if (b.data.length > OUT_RING_BYTES + Math.floor((CONSOLE_LIMIT * 5) / 4)) b.data = b.data.slice(b.data.length - (OUT_RING_BYTES + CONSOLE_LIMIT));
  lx.records.put(NS, k, b);
}

/** What the client reads: everything not delivered yet. */
export function consoleDrain(lx: LibxlCtx, domid: number, type: ConsoleType, num: number): string {
  const k = key(domid, type, num);
  const b = lx.records.get<ConsoleBuffer>(NS, k);
  if (!b || b.data === '') return '';
  lx.records.put(NS, k, { data: '' });
  return b.data;
}

/** The domain is gone: its buffers and lock with it. */
export function consoleForget(lx: LibxlCtx, domid: number): void {
  for (const t of ['pv', 'serial', 'vuart'] as const) for (let n = 0; n < 4; n++) lx.records.delete(NS, key(domid, t, n));
  lx.records.delete(LOCKS, String(domid));
}

/** The xenstore node holding a console's pty path (xenconsole's choice of path). */
export function consoleTtyPath(domid: number, type: ConsoleType, num: number): string {
  const dom = `/local/domain/${domid}`;
  if (type === 'serial') return `${dom}/serial/${num}/tty`;
  if (type === 'vuart') return `${dom}/vuart/0/tty`;
  return num === 0 ? `${dom}/console/tty` : `${dom}/device/console/${num}/tty`;
}

/**
 * The console a client attaches to: HVM defaults to serial, PV/PVH to pv;
 * a serial console without a tty node falls back to pv (xenconsole does
 * this silently).
 */
export function resolveConsole(lx: LibxlCtx, domid: number, type: ConsoleType | undefined, num: number): { type: ConsoleType; num: number; path: string } {
  let t: ConsoleType = type ?? 'pv';
  if (type === undefined) {
    const d = lx.hv.getdomaininfo(domid);
    if (d.ok && d.value.hvm) t = 'serial';
  }
  if (t === 'serial' && lx.xs.tryRead(consoleTtyPath(domid, 'serial', num)) === undefined) t = 'pv';
  return { type: t, num, path: consoleTtyPath(domid, t, num) };
}

export interface ConsoleLock {
  pid: number;
}

/**
 * flock(/var/lock/xenconsole.<domid>, LOCK_EX|LOCK_NB). A lock whose holder
 * no longer lives is stale (the kernel would have dropped it): `alive`
 * tells, since only the caller can look at processes.
 */
export function consoleLock(lx: LibxlCtx, domid: number, pid: number, alive: (pid: number) => boolean): boolean {
  const cur = lx.records.get<ConsoleLock>(LOCKS, String(domid));
  if (cur && cur.pid !== pid && alive(cur.pid)) return false;
  lx.records.put<ConsoleLock>(LOCKS, String(domid), { pid });
  return true;
}

export function consoleUnlock(lx: LibxlCtx, domid: number, pid: number): void {
  const cur = lx.records.get<ConsoleLock>(LOCKS, String(domid));
  if (cur && cur.pid === pid) lx.records.delete(LOCKS, String(domid));
}
