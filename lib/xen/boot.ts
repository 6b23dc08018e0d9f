/**
 * Booting the simulated machine: the host record from a hardware profile,
 * Xen's own memory, the boot log, and dom0 built with id 0, running.
 */
import { parseCmdline, parseDom0Mem, dom0Pages, dom0Vcpus } from './cmdline';
import {
  CONRING_DEFAULT_BYTES,
  CREDIT_DEFAULT_TSLICE_MS,
  EMU,
  PAGES_PER_MIB,
  SCHED_DEFAULT_RATELIMIT_US,
} from './constants';
import { bootLog } from './bootlog';
import { XenCore } from './core';
import { createDomain } from './domain-create';
import { MemoryXenStorage } from './storage';
import type { CpuVendor, PcpuData, NumaNodeData, SchedulerName, XenDomainData, XenHostData } from './types';

export interface XenBootParams {
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  /** NUMA nodes; sockets are spread over them evenly */
  nodes: number;
  /** installed RAM */
  memoryMiB: number;
  vendor: CpuVendor;
  /** nominal clock; cpu_khz gets a deterministic calibration remainder */
  mhz: number;
  /** hardware EPT/NPT */
  hap: boolean;
  /** VMX VM functions (EPTP switching) */
  vmfunc: boolean;
  /** page-modification logging */
  pml: boolean;
  /** VT-d / AMD-Vi present (default true) */
  iommu?: boolean;
  /** "4.20.0" by default; the extra gets "-xlsim" appended */
  xenVersion?: string;
  /** Xen command line; the options below are appended when absent from it */
  cmdline?: string;
  scheduler?: SchedulerName;
  /** e.g. "4096M,max:4096M" */
  dom0Mem?: string;
  dom0Vcpus?: number;
  dom0Type?: 'pv' | 'pvh';
  /** a debug=y hypervisor (prints dprintk / guest debug output) */
  debug?: boolean;
  /** wall-clock seconds since the epoch at power-on */
  bootWallSec: number;
  /** host clock (ns) at power-on; default 0 */
  bootNs?: number;
  /** guest busy fraction for dom0 (default 0.02) */
  dom0Load?: number;
}

export const HOST_SCHEMA = 1;

const INTEL_CAPS = [0xbfebfbff, 0x77fafbff, 0x2c100800, 0x00000121, 0x0000000f, 0x009c6fbf, 0x00000000, 0x00000100];
const AMD_CAPS = [0x178bfbff, 0x7ed8320b, 0x2fd3fbff, 0x000005ff, 0x0000000f, 0x219c91a9, 0x00400004, 0x00000100];

export interface BootedXen {
  host: XenHostData;
  dom0: XenDomainData;
}

function versionOf(v: string): { major: number; minor: number; extra: string } {
  const m = /^(\d+)\.(\d+)(.*)$/.exec(v);
  if (!m) return { major: 4, minor: 20, extra: '.0-xlsim' };
  return { major: Number(m[1]), minor: Number(m[2]), extra: `${m[3]}-xlsim` };
}

function ymd(sec: number): string {
  const d = new Date(sec * 1000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const mons = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${mons[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** Pages firmware keeps from the OS (E820 reserved, ACPI): about 0.17 %, at least 2 MiB. */
function firmwareReservedPages(memoryMiB: number): number {
  return Math.max(2, Math.floor(memoryMiB / 600)) * PAGES_PER_MIB;
}

/** Xen's own pages: frame table (32 B per page), M2P (8 B per page), 1 MiB per CPU, 16 MiB xenheap. */
function xenOwnPages(totalPages: number, nrCpus: number): number {
  return Math.ceil(totalPages / 128) + Math.ceil(totalPages / 512) + nrCpus * PAGES_PER_MIB + 16 * PAGES_PER_MIB;
}

function withOption(cmdline: string, name: string, value: string | undefined): string {
  if (value === undefined) return cmdline;
  if (cmdline.split(/\s+/).some((t) => t === name || t.startsWith(`${name}=`))) return cmdline;
  const opt = `${name}=${value}`;
  return cmdline.trim() === '' ? opt : `${cmdline.trim()} ${opt}`;
}

export function bootXen(p: XenBootParams): BootedXen {
  const nrCpus = p.sockets * p.coresPerSocket * p.threadsPerCore;
  let cmdline = p.cmdline ?? 'placeholder';
  cmdline = withOption(cmdline, 'dom0_mem', p.dom0Mem);
  cmdline = withOption(cmdline, 'dom0_max_vcpus', p.dom0Vcpus === undefined ? undefined : String(p.dom0Vcpus));
  cmdline = withOption(cmdline, 'sched', p.scheduler);
  if (p.dom0Type === 'pvh') cmdline = withOption(cmdline, 'dom0', 'pvh');
  const opts = parseCmdline(cmdline);
  const debug = p.debug ?? false;

  const pcpus: PcpuData[] = [];
  const nodes: NumaNodeData[] = [];
  const nrNodes = Math.max(1, Math.min(p.nodes, p.sockets * p.coresPerSocket));
  for (let n = 0; n < nrNodes; n++) nodes.push({ id: n, pages: 0, cpus: [] });
  for (let s = 0; s < p.sockets; s++) {
    for (let c = 0; c < p.coresPerSocket; c++) {
      for (let t = 0; t < p.threadsPerCore; t++) {
        const id = pcpus.length;
        const node = Math.floor(((s * p.coresPerSocket + c) * nrNodes) / (p.sockets * p.coresPerSocket));
        pcpus.push({ id, core: c, socket: s, node });
        nodes[node]!.cpus.push(id);
      }
    }
  }
  const totalPages = p.memoryMiB * PAGES_PER_MIB - firmwareReservedPages(p.memoryMiB);
  const perNode = Math.floor(totalPages / nrNodes);
  for (const n of nodes) n.pages = perNode;
  nodes[nrNodes - 1]!.pages += totalPages - perNode * nrNodes;
  const xenPages = xenOwnPages(totalPages, nrCpus);

  const ver = versionOf(p.xenVersion ?? '4.20.0');
  const hap = p.hap && opts.hap;
  const scheduler = opts.sched ?? 'credit2';
  const bootNs = p.bootNs ?? 0;
  const khz = p.mhz * 1000 + ((p.mhz * 37) % 997);
  const host: XenHostData = {
    schema: HOST_SCHEMA,
    version: {
      major: ver.major,
      minor: ver.minor,
      extra: ver.extra,
      changeset: 'Tue Nov 4 12:00:00 2025 +0000 git:xlsim',
      compiler: 'gcc (Debian 12.2.0-14+deb12u1) 12.2.0',
      compileBy: 'xlsim',
      compileDomain: 'xlsim.example',
      compileDate: ymd(p.bootWallSec - 86400 * 30),
      buildId: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      debug,
    },
    commandline: cmdline,
    opts: {
      altp2m: opts.altp2m,
      hap: opts.hap,
      dom0MemGiven: opts.dom0Mem !== undefined,
      conringSizeBytes: opts.conringBytes,
      logLower: opts.loglvl?.lower ?? (debug ? 4 : 3),
      logUpper: opts.loglvl?.upper ?? (debug ? 4 : 3),
      guestLower: opts.guestLoglvl?.lower ?? (debug ? 4 : 0),
      guestUpper: opts.guestLoglvl?.upper ?? (debug ? 4 : 2),
    },
    vendor: p.vendor,
    cpuModel: p.vendor === 'Intel' ? 'Intel(R) Xeon(R) Silver 4314 CPU' : 'AMD EPYC 7313 16-Core Processor',
    cpuKhz: khz,
    hwCaps: (p.vendor === 'Intel' ? INTEL_CAPS : AMD_CAPS).slice(),
    caps: {
      pv: true,
      hvm: true,
      hap,
      shadow: true,
      directio: p.iommu ?? true,
      iommuHapPtShare: (p.iommu ?? true) && hap,
      vmtrace: false,
      vpmu: false,
      gnttabV1: true,
      gnttabV2: false,
      vmfunc: p.vendor === 'Intel' && p.vmfunc,
      pml: p.vendor === 'Intel' && hap && p.pml,
    },
    nrCpus,
    coresPerSocket: p.coresPerSocket,
    threadsPerCore: p.threadsPerCore,
    sockets: p.sockets,
    pcpus,
    nodes,
    totalPages,
    xenPages,
    freePages: totalPages - xenPages,
    outstandingClaims: 0,
    domidLast: 0,
    scheduler,
    sched: { ratelimitUs: SCHED_DEFAULT_RATELIMIT_US, tsliceMs: CREDIT_DEFAULT_TSLICE_MS, migrationDelayUs: 0 },
    cpupools: [{ id: 0, name: 'Pool-0', sched: scheduler, cpus: pcpus.map((c) => c.id) }],
    console: [],
    conringSize: Math.max(CONRING_DEFAULT_BYTES, opts.conringBytes),
    bootWallSec: p.bootWallSec,
    bootNs,
  };

  // Dom0 is built from what the heap has left.
  const store = new MemoryXenStorage(host, [], bootNs);
  const x = new XenCore(store);
  const vcpus = dom0Vcpus(opts.dom0MaxVcpus, nrCpus);
  const pvh = opts.dom0Pvh && hap;
  const made = createDomain(
    x,
    {
      domid: 0,
      hvm: pvh,
      hap: pvh,
      maxVcpus: vcpus,
      emulationFlags: pvh ? EMU.LAPIC | EMU.IOAPIC | EMU.VPCI : EMU.PIT,
      handle: '00000000-0000-0000-0000-000000000000',
    },
    true,
  );
  if (!made.ok) throw new Error(`dom0 could not be created: ${made.errno}`);
  const dom0 = store.domain(0)!;
  // vcpu structs of the extra vCPUs come out of the heap first
  const avail = host.freePages - (vcpus - 1) * 2;
  const mem = dom0Pages(opts.dom0Mem === undefined ? undefined : parseDom0Mem(opts.dom0Mem), avail);
  dom0.totPages = mem.nrPages;
  dom0.maxPages = mem.maxPages;
  host.freePages -= mem.nrPages;
  for (const v of dom0.vcpus) v.online = true;
  dom0.controllerPause = 0;
  dom0.creationFinished = true;
  dom0.load = p.dom0Load ?? 0.02;
  dom0.kind = pvh ? 'pvh' : 'pv';

  for (const l of bootLog(host, dom0, pvh)) x.log(l.text, l.level);
  x.put(dom0);
  return { host, dom0 };
}
