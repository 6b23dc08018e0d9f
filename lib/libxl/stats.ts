/**
 * Domain statistics as libxenstat collects them for xentop: one snapshot
 * ("node") of the host — physinfo, the Xen version string, every named
 * domain with its vCPUs, network interfaces and block devices.
 *
 * libxenstat reads the hypervisor (getdomaininfolist, vcpu info, physinfo,
 * xen_version), xenstore (domain names) and dom0's kernel (/proc/net/dev for
 * vifN.M, sysfs for blkback statistics). The simulated host has no dom0
 * kernel counters and no traffic model yet, so the network and block
 * counters here are a placeholder for a workload model: they grow with the
 * CPU time the guest has used (an idle or paused guest moves no data), at
 * per-device rates taken from a hash of the domain's UUID and the device id.
 * Same host, same commands: same numbers — never random per run.
 */
import type { WithHostOptions } from '../../state/session';
import { withHostSync } from '../../state/session';
import type { Env } from '../../state/paths';
import type { ClockMode } from '../sim/clock';
import { nullXtl, type Xtl } from '../util/xtl';
import { DOMINF_SHUTDOWN_MASK } from '../xen/constants';
import type { DomainInfo } from '../xen/info';
import type { LibxlCtx } from './ctx';
import { ctxInSession, installHostHooks } from './compose';

/** SHUTDOWN_crash (xen/include/public/sched.h) */
const SHUTDOWN_CRASH = 3;
const PAGE_SIZE = 4096;
/** max_pages of a domain without a limit (UINT_MAX) */
const NO_LIMIT_PAGES = 0xffffffff;

/** xentop's names for the block backends (index = xenstat_vbd_type) */
export const VBD_BACK_BLKBACK = 1;

export interface XenstatVcpu {
  online: boolean;
  ns: number;
}

export interface XenstatNetwork {
  id: number;
  rbytes: number;
  rpackets: number;
  rerrs: number;
  rdrop: number;
  tbytes: number;
  tpackets: number;
  terrs: number;
  tdrop: number;
}

export interface XenstatVbd {
  /** 0 unidentified, 1 BlkBack, 2 BlkTap, 3 Tapdisk3 */
  backType: number;
  /** the virtual device number (the frontend's device id) */
  dev: number;
  /** statistics could not be read */
  error: boolean;
  ooReqs: number;
  rdReqs: number;
  wrReqs: number;
  rdSects: number;
  wrSects: number;
}

export interface XenstatDomain {
  id: number;
  name: string;
  running: boolean;
  blocked: boolean;
  paused: boolean;
  /** shut down for a reason other than a crash */
  shutdown: boolean;
  crashed: boolean;
  dying: boolean;
  cpuNs: number;
  /** max_vcpu_id + 1 */
  numVcpus: number;
  vcpus: XenstatVcpu[];
  /** bytes */
  curMem: number;
  /** bytes, or null for "no limit" */
  maxMem: number | null;
  ssid: number;
  networks: XenstatNetwork[];
  vbds: XenstatVbd[];
}

export interface XenstatNode {
  /** "%d.%d%s": major, minor, extraversion */
  xenVersion: string;
  cpuHz: number;
  numCpus: number;
  /** bytes */
  totMem: number;
  freeMem: number;
  domains: XenstatDomain[];
  /** the host's wall clock at the snapshot, ms since the epoch */
  wallMs: number;
}

/** FNV-1a over a string: the per-device seed of the placeholder counters. */
function seedOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Per-device rate from the seed: lo..lo+span-1, using bits from `shift`. */
function rate(seed: number, shift: number, lo: number, span: number): number {
  return lo + ((seed >>> shift) % span);
}

function networkCounters(uuid: string, devid: number, cpuSec: number): XenstatNetwork {
  const s = seedOf(`${uuid}/vif/${devid}`);
  const rxRate = rate(s, 0, 2048, 30000); // bytes per guest CPU-second
  const txRate = rate(s, 8, 1024, 20000);
  const rxPkt = rate(s, 16, 300, 1200); // mean packet sizes
  const txPkt = rate(s, 20, 120, 900);
  const rbytes = Math.floor(cpuSec * rxRate);
  const tbytes = Math.floor(cpuSec * txRate);
  return {
    id: devid,
    rbytes,
    rpackets: Math.floor(rbytes / rxPkt),
    rerrs: 0,
    rdrop: 0,
    tbytes,
    tpackets: Math.floor(tbytes / txPkt),
    terrs: 0,
    tdrop: 0,
  };
}

function vbdCounters(uuid: string, devid: number, cpuSec: number): XenstatVbd {
  const s = seedOf(`${uuid}/vbd/${devid}`);
  const rdRate = rate(s, 0, 2, 60); // requests per guest CPU-second
  const wrRate = rate(s, 8, 1, 30);
  const rdSize = 8 * rate(s, 16, 1, 16); // sectors per request
  const wrSize = 8 * rate(s, 20, 1, 8);
  const rdReqs = Math.floor(cpuSec * rdRate);
  const wrReqs = Math.floor(cpuSec * wrRate);
  return {
    backType: VBD_BACK_BLKBACK,
    dev: devid,
    error: false,
    ooReqs: 0,
    rdReqs,
    wrReqs,
    rdSects: rdReqs * rdSize,
    wrSects: wrReqs * wrSize,
  };
}

/** The numeric device ids under a domain's frontend directory, in order. */
function deviceIds(lx: LibxlCtx, domid: number, kind: 'vif' | 'vbd'): number[] {
  const r = lx.xs.directory(`/local/domain/${domid}/device/${kind}`);
  if (!Array.isArray(r)) return [];
  return r
    .filter((k) => /^\d+$/.test(k))
    .map(Number)
    .sort((a, b) => a - b);
}

function domainOf(lx: LibxlCtx, info: DomainInfo, name: string): XenstatDomain {
  const reason = (info.flags >>> 16) & DOMINF_SHUTDOWN_MASK;
  const vr = lx.hv.vcpuList(info.domid);
  const vcpus: XenstatVcpu[] = [];
  const numVcpus = info.maxVcpuId + 1;
  for (let i = 0; i < numVcpus; i++) {
    const v = vr.ok ? vr.value.find((x) => x.vcpu === i) : undefined;
    vcpus.push({ online: v?.online ?? false, ns: v?.timeNs ?? 0 });
  }
  const cpuSec = info.cpuTimeNs / 1e9;
  return {
    id: info.domid,
    name,
    running: info.running,
    blocked: info.blocked,
    paused: info.paused,
    shutdown: info.shutdown && reason !== SHUTDOWN_CRASH,
    crashed: info.shutdown && reason === SHUTDOWN_CRASH,
    dying: info.dying,
    cpuNs: info.cpuTimeNs,
    numVcpus,
    vcpus,
    curMem: info.totPages * PAGE_SIZE,
    maxMem: info.maxPages >>> 0 === NO_LIMIT_PAGES ? null : info.maxPages * PAGE_SIZE,
    ssid: info.ssidref,
    networks: deviceIds(lx, info.domid, 'vif').map((id) => networkCounters(info.handle, id, cpuSec)),
    vbds: deviceIds(lx, info.domid, 'vbd').map((id) => vbdCounters(info.handle, id, cpuSec)),
  };
}

/**
 * xenstat_get_node(XENSTAT_ALL): a snapshot of the host. A domain without a
 * name in xenstore is being torn down and is left out, as libxenstat does.
 */
export function xenstatGetNode(lx: LibxlCtx): XenstatNode | undefined {
  const p = lx.xen.physinfo();
  const v = lx.xen.versionInfo();
  const list = lx.hv.getdomaininfolist();
  if (!list.ok) return undefined;
  const domains: XenstatDomain[] = [];
  for (const info of list.value) {
    const name = lx.xs.tryRead(`/local/domain/${info.domid}/name`);
    if (name === undefined) continue;
    domains.push(domainOf(lx, info, name));
  }
  return {
    xenVersion: `${v.major}.${v.minor}${v.extra}`,
    cpuHz: p.cpu_khz * 1000,
    numCpus: p.nr_cpus,
    totMem: p.total_pages * PAGE_SIZE,
    freeMem: p.free_pages * PAGE_SIZE,
    domains,
    wallMs: lx.wallMs(),
  };
}

export interface StatsSample {
  node: XenstatNode | undefined;
  /** xentop paces itself by the wall clock only when the host's clock follows it */
  clockMode: ClockMode;
}

/** One sample in its own short transaction (xentop never holds the host between samples). */
export function sampleHost(env: Env, xtl: Xtl = nullXtl, opts?: WithHostOptions): StatsSample {
  // the first use of the default host boots it, with the hooks libxl installs
  installHostHooks();
  return withHostSync(
    env,
    (s) => ({ node: ctxInSession(s, xtl, (lx) => xenstatGetNode(lx)), clockMode: s.clock.mode }),
    opts,
  );
}
