/**
 * XEN_DOMCTL_createdomain: allocate a domid, validate the configuration the
 * way Xen's sanitise/arch checks do, and create a paused domain with no
 * memory, all vCPUs down and (for HVM containers) an initial paging pool.
 *
 * The domid cursor moves before validation, so a refused create still
 * consumes an id from the "next id" sequence, as in Xen.
 */
import { DOMID_ANY, HAP_INIT_PAGES, HVM_MAX_VCPUS, MAX_NR_ALTP2M, PV_MAX_VCPUS, SCHED_DEFAULT_WEIGHT, SHADOW_INIT_PAGES } from './constants';
import type { XenCore } from './core';
import { allocDomid } from './domid';
import { emulationFlagsOk } from './emulation';
import { err, ok, type ErrnoName, type XenResult } from './errno';
import { allocHeapPages } from './heap';
import type { Altp2mMode, DomainKind, XenDomainData, XenHostData, XenVcpuData } from './types';

export interface CreateDomainConfig {
  /** an explicit id; omitted or DOMID_ANY lets Xen choose */
  domid?: number;
  /** XEN_DOMCTL_CDF_hvm (PVH and HVM) */
  hvm: boolean;
  /** XEN_DOMCTL_CDF_hap */
  hap: boolean;
  /** XEN_DOMCTL_CDF_oos_off is the negation; default true */
  oos?: boolean;
  nested?: boolean;
  iommu?: boolean;
  vpmu?: boolean;
  /** XEN_DOMCTL_CDF_xs_domain */
  xsDomain?: boolean;
  maxVcpus: number;
  emulationFlags: number;
  altp2m?: { mode: Altp2mMode; nr: number };
  /** UUID; a fresh one from the host generator when omitted */
  handle?: string;
  ssidref?: number;
  cpupool?: number;
}

/** Validation in the order Xen applies it; the message is what a debug hypervisor logs. */
export function sanitiseDomainConfig(host: XenHostData, c: CreateDomainConfig): { errno: ErrnoName; why: string } | undefined {
  const nested = c.nested ?? false;
  const inval = (why: string) => ({ errno: 'EINVAL' as const, why });
  if (c.maxVcpus < 1) return inval('No vCPUS');
  if (c.hap && !c.hvm) return inval('HAP requested for non-HVM guest');
  if (c.iommu && !host.caps.directio) return inval('IOMMU requested but not available');
  if (c.vpmu && !host.caps.vpmu) return inval('vpmu requested but cannot be enabled this way');
  if (c.hvm ? !host.caps.hvm : !host.caps.pv) return inval(`${c.hvm ? 'HVM' : 'PV'} support not available`);
  const max = c.hvm ? HVM_MAX_VCPUS : PV_MAX_VCPUS;
  if (c.maxVcpus > max) return inval(`Requested vCPUs (${c.maxVcpus}) exceeds max (${max})`);
  if (c.hap && !host.caps.hap) return inval('HAP requested but not available');
  if (c.hvm && !c.hap && !host.caps.shadow) return inval('Shadow paging requested but not available');
  if (nested && !host.caps.hvm) return inval('Nested virt requested but not available');
  if (nested && !c.hap) return inval('Nested virt not supported without HAP');
  const alt = c.altp2m ?? { mode: 'disabled', nr: 0 };
  if (alt.mode !== 'disabled') {
    if (!altp2mSupported(host)) return inval('altp2m is not supported');
    if (!c.hap) return inval('altp2m is only supported with HAP');
    if (nested) return inval('Nested virt and altp2m are not supported together');
    if (alt.nr === 0) return inval('altp2m must be requested with altp2m.nr > 0');
    if (alt.nr > MAX_NR_ALTP2M) return inval(`altp2m.nr must be <= ${MAX_NR_ALTP2M}`);
  } else if (alt.nr !== 0) {
    return inval('altp2m.nr must be zero when altp2m is off');
  }
  return undefined;
}

/** altp2m needs the altp2m=1 boot option and Intel EPT with HAP. */
export function altp2mSupported(host: XenHostData): boolean {
  return host.opts.altp2m && host.vendor === 'Intel' && host.caps.hap;
}

export function kindOf(hvm: boolean, emulationFlags: number): DomainKind {
  if (!hvm) return 'pv';
  // Xen cannot tell PVH from HVM; the emulator set is the only difference.
  return (emulationFlags & ~0x410) === 0x001 ? 'pvh' : 'hvm';
}

export function createDomain(x: XenCore, c: CreateDomainConfig, hwdom = false): XenResult<number> {
  const host = x.host;
  const used = new Set(x.store.domids());
  const alloc = allocDomid(used, host.domidLast, c.domid ?? DOMID_ANY);
  if (!alloc) return err('EEXIST');
  if (alloc.last !== host.domidLast) {
    host.domidLast = alloc.last;
    x.hostChanged();
  }
  const domid = alloc.domid;

  const bad = sanitiseDomainConfig(host, c);
  if (bad) {
    x.log(bad.why, 'debug');
    return err(bad.errno, bad.why);
  }
  const emu = emulationFlagsOk(c.emulationFlags, c.hvm, hwdom, domid);
  if (!emu.ok) {
    x.log(emu.message ?? '', 'error', true);
    return err(emu.errno ?? 'EINVAL', emu.message);
  }
  const pool = host.cpupools.find((p) => p.id === (c.cpupool ?? 0));
  if (!pool) return err('ESRCH', `cpupool ${c.cpupool} not found`);

  const pagingMode = c.hvm ? (c.hap ? 'hap' : 'shadow') : 'none';
  const initPool = pagingMode === 'hap' ? HAP_INIT_PAGES : pagingMode === 'shadow' ? SHADOW_INIT_PAGES : 0;
  if (initPool > 0 && !allocHeapPages(host, initPool, undefined)) return err('ENOMEM');
  if (initPool > 0) x.hostChanged();

  const cpus = pool.cpus.slice();
  const vcpus: XenVcpuData[] = [];
  for (let i = 0; i < c.maxVcpus; i++) {
    vcpus.push({
      id: i,
      online: false,
      blocked: false,
      cpu: cpus.length > 0 ? cpus[(i + domid) % cpus.length]! : 0,
      hardAffinity: cpus.slice(),
      softAffinity: cpus.slice(),
      timeNs: 0,
      pausedForShutdown: false,
    });
  }
  const now = x.now();
  const d: XenDomainData = {
    domid,
    handle: c.handle ?? x.store.rng.uuid(),
    kind: kindOf(c.hvm, c.emulationFlags),
    hvm: c.hvm,
    hap: c.hap,
    oos: c.hvm ? (c.oos ?? true) : false,
    nested: c.nested ?? false,
    iommu: c.iommu ?? false,
    vpmu: c.vpmu ?? false,
    hwdom,
    xsDomain: c.xsDomain ?? false,
    debugged: false,
    emulationFlags: c.emulationFlags,
    controllerPause: 1,
    creationFinished: false,
    shutdown: 'none',
    shutdownCode: -1,
    dying: 'alive',
    extraRefs: 0,
    maxVcpus: c.maxVcpus,
    vcpus,
    totPages: 0,
    maxPages: 0,
    outstandingPages: 0,
    podTarget: 0,
    podEntries: 0,
    podCache: 0,
    pagingMode,
    pagingPoolPages: initPool,
    sharedPages: 0,
    pagedPages: 0,
    load: 0,
    accountedNs: now,
    createdNs: now,
    altp2m: c.altp2m ?? { mode: 'disabled', nr: 0 },
    ssidref: c.ssidref ?? 0,
    cpupool: pool.id,
    sched: { weight: SCHED_DEFAULT_WEIGHT, cap: 0 },
    timeOffset: 0,
    vmAssist: c.hvm ? 0 : 0x2d,
  };
  x.put(d);
  return ok(domid);
}
