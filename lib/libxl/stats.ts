/**
 * Domain statistics as libxenstat collects them for xentop: one snapshot
 * ("node") of the host — physinfo, the Xen version string, every named
 * domain with its vCPUs, network interfaces and block devices.
 *
 * libxenstat reads the hypervisor (getdomaininfolist, vcpu info, physinfo,
 * xen_version), xenstore (domain names) and dom0's kernel (/proc/net/dev for
 * vifN.M, sysfs for blkback statistics); the kernel's counters are the
 * backends' traffic model in iostats.ts. So only netback vifs and blkback
 * vbds are listed — a qdisk (QEMU) disk has no blkback statistics and is
 * not among a domain's VBDs, as on a real host.
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
import { ioCounters } from './iostats';

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

function domainOf(lx: LibxlCtx, info: DomainInfo, name: string): XenstatDomain {
  const reason = (info.flags >>> 16) & DOMINF_SHUTDOWN_MASK;
  const vr = lx.hv.vcpuList(info.domid);
  const vcpus: XenstatVcpu[] = [];
  const numVcpus = info.maxVcpuId + 1;
  for (let i = 0; i < numVcpus; i++) {
    const v = vr.ok ? vr.value.find((x) => x.vcpu === i) : undefined;
    vcpus.push({ online: v?.online ?? false, ns: v?.timeNs ?? 0 });
  }
  const io = ioCounters(lx, info.domid);
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
    networks: io.vifs.map(([id, c]) => ({
      id,
      // dom0's view, as libxenstat copies /proc/net/dev: tx is what went to the guest
      rbytes: c.rxBytes,
      rpackets: c.rxPkts,
      rerrs: 0,
      rdrop: 0,
      tbytes: c.txBytes,
      tpackets: c.txPkts,
      terrs: 0,
      tdrop: 0,
    })),
    vbds: io.vbds.map(([dev, c]) => ({
      backType: VBD_BACK_BLKBACK,
      dev,
      error: false,
      ooReqs: c.oo,
      rdReqs: c.rdReq,
      wrReqs: c.wrReq,
      rdSects: c.rdSect,
      wrSects: c.wrSect,
    })),
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
