import { bootXen, type XenBootParams } from '../../lib/xen/boot';
import { MemoryXenStorage } from '../../lib/xen/storage';
import { Xen } from '../../lib/xen/xen';
import type { CreateDomainConfig } from '../../lib/xen/domain-create';
import { EMU } from '../../lib/xen/constants';

export const BASE_PARAMS: XenBootParams = {
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
};

export interface TestHost {
  xen: Xen;
  store: MemoryXenStorage;
}

export function bootHost(over: Partial<XenBootParams> = {}): TestHost {
  const booted = bootXen({ ...BASE_PARAMS, ...over });
  const store = new MemoryXenStorage(booted.host, [booted.dom0], booted.host.bootNs);
  return { xen: new Xen(store), store };
}

export const PV: CreateDomainConfig = { hvm: false, hap: false, maxVcpus: 2, emulationFlags: 0 };
export const PVH: CreateDomainConfig = { hvm: true, hap: true, maxVcpus: 2, emulationFlags: EMU.LAPIC };
export const HVM: CreateDomainConfig = { hvm: true, hap: true, maxVcpus: 2, emulationFlags: 0x1ff };

export function unwrap<T>(r: { ok: true; value: T } | { ok: false; errno: string }): T {
  if (!r.ok) throw new Error(`unexpected ${r.errno}`);
  return r.value;
}
