/**
 * Looks inside a simulated host from the test process (through the same
 * library layers the tools use): the guest's memory digest and uptime, and
 * moving a manual clock.
 */
import { installHostHooks, withCtx } from '../../lib/libxl/compose';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import { nameToDomid } from '../../lib/libxl/domain';
import { guestTimeState } from '../../lib/libxl/save-guest';
import { loadPageImage, storePageImage } from '../../lib/libxl/save-pages';
import { MemoryDigest } from '../../lib/libxl/stream';
import { nullXtl } from '../../lib/util/xtl';
import { pfnOfIndex } from '../../lib/xen/logdirty';
import { withHostSync } from '../../state/session';

function on<T>(home: string, host: string, fn: (lx: LibxlCtx) => T): T {
  return withCtx({ env: { XLSIM_HOME: home, XLSIM_HOST: host, TZ: 'UTC' }, xtl: nullXtl }, fn);
}

function domid(lx: LibxlCtx, name: string): number {
  const r = nameToDomid(lx, name);
  if (r.rc) throw new Error(`no domain ${name}`);
  return r.domid;
}

export function advance(home: string, host: string, seconds: number): void {
  installHostHooks();
  withHostSync({ XLSIM_HOME: home, XLSIM_HOST: host, TZ: 'UTC' }, (s) => s.clock.advance(seconds * 1e9));
}

/** the guest writes: every 7th page gets a new generation */
export function scribble(home: string, host: string, name: string): void {
  on(home, host, (lx) => {
    const id = domid(lx, name);
    const img = loadPageImage(lx, id)!;
    for (let i = 0; i < img.nrPages; i += 7) img.setGeneration(i, (i % 13) + 1);
    storePageImage(lx, id, img);
  });
}

export function memoryDigest(home: string, host: string, name: string): { pages: number; digest: string } {
  return on(home, host, (lx) => {
    const id = domid(lx, name);
    const img = loadPageImage(lx, id)!;
    const hvm = lx.hv.getdomaininfo(id).ok && (lx.hv.getdomaininfo(id) as { value: { hvm: boolean } }).value.hvm;
    const d = new MemoryDigest();
    for (let i = 0; i < img.nrPages; i++) d.add(pfnOfIndex(hvm, i), img.generation(i), 0);
    return { pages: img.nrPages, digest: JSON.stringify(d.value(), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) };
  });
}

export function guestUptimeNs(home: string, host: string, name: string): number {
  return on(home, host, (lx) => guestTimeState(lx, domid(lx, name)).uptimeNs);
}
