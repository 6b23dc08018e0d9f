/**
 * A booted simulated host with guests created through the hypercall surface,
 * for the host memory picture tests.
 */
import { bootXen } from '../../lib/xen/boot';
import { MemoryXenStorage } from '../../lib/xen/storage';
import { Xen } from '../../lib/xen/xen';
import { EMU } from '../../lib/xen/constants';
import type { XenDomainData, XenHostData } from '../../lib/xen/types';

export interface Fixture {
  host: XenHostData;
  domains: () => XenDomainData[];
  xen: Xen;
  store: MemoryXenStorage;
}

function ok<T>(r: { ok: true; value: T } | { ok: false; errno: string }): T {
  if (!r.ok) throw new Error(`hypercall failed: ${r.errno}`);
  return r.value;
}

export function bootFixture(): Fixture {
  const b = bootXen({
    sockets: 1,
    coresPerSocket: 4,
    threadsPerCore: 2,
    nodes: 1,
    memoryMiB: 16384,
    vendor: 'Intel',
    mhz: 2400,
    hap: true,
    vmfunc: true,
    pml: true,
    cmdline: 'placeholder dom0_mem=2048M,max:2048M',
    bootWallSec: 1_763_798_400,
  });
  const store = new MemoryXenStorage(b.host, [b.dom0], b.host.bootNs);
  const xen = new Xen(store);
  return { host: b.host, domains: () => store.domains(), xen, store };
}

/** createdomain + max_mem + populate + paging pool, as libxl would (in outline). */
export function addGuest(f: Fixture, kind: 'pv' | 'pvh' | 'hvm', memMiB: number, poolMiB: number): number {
  const hvm = kind !== 'pv';
  const flags = kind === 'pv' ? 0 : kind === 'pvh' ? EMU.LAPIC : 0x1ff;
  const domid = ok(f.xen.createdomain({ hvm, hap: hvm, maxVcpus: 2, emulationFlags: flags }));
  ok(f.xen.max_mem(domid, memMiB * 1024 + 1024));
  ok(f.xen.populate_physmap(domid, memMiB * 256));
  if (hvm) ok(f.xen.set_paging_mempool_size(domid, poolMiB * 1024 * 1024));
  f.store.clock += 1_000_000;
  return domid;
}
