/**
 * The guest's network and disk traffic as dom0's backends count it: what
 * netback adds to vif<domid>.<devid> in dom0's /proc/net/dev and blkback
 * to /sys/devices/xen-backend/vbd-<domid>-<dev>/statistics, which
 * libxenstat (xentop, `xl top`) reads.
 *
 * Traffic comes from the guest: a small amount while it boots (the kernel
 * reads its root filesystem, the network comes up), a partition-table scan
 * when a disk connects later, and whatever I/O workload runs in it
 * (`xlsim guest D workload --net-rate/--io-rate`, `stress --hdd`, `dd` in
 * the guest shell). A workload's rates are bytes per second of the domain
 * being active (Xen's runstate time outside RUNSTATE_offline), so a paused
 * or shut-down guest moves nothing, and the counters depend only on the
 * simulated time that passed, never on how often anyone looked.
 *
 * Only devices whose frontend is Connected carry traffic: an HVM guest
 * without PV drivers does its I/O through QEMU's emulated devices, which
 * neither backend counts. Counters belong to the domain: a rebooted guest
 * is a new domain and starts from zero.
 *
 * Record: namespace `iostat`, key = domid, value `IoRecord`.
 */
import type { LibxlCtx } from './ctx';
import { XenbusState } from './devices-xenbus';

export const IOSTAT_NS = 'iostat';

/** Bytes a second of the guest's active time, from the guest's point of view. */
export interface IoRates {
  netTx: number;
  netRx: number;
  read: number;
  write: number;
}

export const IDLE_IO: IoRates = { netTx: 0, netRx: 0, read: 0, write: 0 };

/** One vif as netback counts it: rx = from the guest, tx = to the guest. */
export interface VifCount {
  rxBytes: number;
  rxPkts: number;
  txBytes: number;
  txPkts: number;
}

/** One vbd as blkback counts it (requests and 512-byte sectors). */
export interface VbdCount {
  oo: number;
  rdReq: number;
  wrReq: number;
  rdSect: number;
  wrSect: number;
}

interface IoRecord {
  rates: IoRates;
  /** the domain's active time the counters below are folded up to */
  foldNs: number;
  vifs: Record<string, VifCount>;
  vbds: Record<string, VbdCount>;
}

/** a full Ethernet frame at MTU 1500, as netback counts skb lengths */
const FRAME = 1514;
/** blkfront's largest request with indirect descriptors (32 segments × 4 KiB) */
const REQ_BYTES = 128 * 1024;
const SECTOR = 512;
/** requests a second blkback serves before its pending-request pool runs dry */
const BLKBACK_REQS_PER_S = 4000;
/** requests behind each "out of requests" stall once past that */
const OO_BATCH = 64;

/** What the kernel does on a device as it boots: systemd reading the root fs, the journal, DHCP. */
const BOOT_ROOT: VbdCount = { oo: 0, rdReq: 1432, wrReq: 84, rdSect: 75112, wrSect: 1136 };
/** any other disk as it appears: the partition table and udev's blkid probe */
const PART_SCAN: VbdCount = { oo: 0, rdReq: 12, wrReq: 0, rdSect: 200, wrSect: 0 };
/**
 * the interface coming up at boot: the guest sends DHCP discover/request
 * and IPv6 router/neighbour solicitations, a DHCP offer and ack come back
 */
const BOOT_NET: VifCount = { rxBytes: 1180, rxPkts: 6, txBytes: 684, txPkts: 2 };
/** a guest counts as booting this long after its kernel came up (its devices connect in that window) */
const BOOT_WINDOW_NS = 1_000_000_000;

function zeroVif(): VifCount {
  return { rxBytes: 0, rxPkts: 0, txBytes: 0, txPkts: 0 };
}

function zeroVbd(): VbdCount {
  return { oo: 0, rdReq: 0, wrReq: 0, rdSect: 0, wrSect: 0 };
}

function activeNs(lx: LibxlCtx, domid: number): number | undefined {
  const r = lx.hv.runstate_active_ns(domid);
  return r.ok ? r.value : undefined;
}

function load(lx: LibxlCtx, domid: number): IoRecord | undefined {
  return lx.records.get<IoRecord>(IOSTAT_NS, String(domid));
}

function fresh(lx: LibxlCtx, domid: number): IoRecord {
  return { rates: { ...IDLE_IO }, foldNs: activeNs(lx, domid) ?? 0, vifs: {}, vbds: {} };
}

function frontendConnected(lx: LibxlCtx, domid: number, kind: 'vif' | 'vbd', devid: number): boolean {
  return lx.xs.tryRead(`/local/domain/${domid}/device/${kind}/${devid}/state`) === String(XenbusState.Connected);
}

/** Numeric ids under a directory, ascending. */
function ids(lx: LibxlCtx, path: string): number[] {
  const r = lx.xs.directory(path);
  return Array.isArray(r) ? r.filter((k) => /^\d+$/.test(k)).map(Number).sort((a, b) => a - b) : [];
}

/** The dom0 backends libxenstat sees: netback's vifs and blkback's vbds (not QEMU's qdisk). */
export function dom0Vifs(lx: LibxlCtx, domid: number): number[] {
  return ids(lx, `/local/domain/0/backend/vif/${domid}`);
}

export function dom0Vbds(lx: LibxlCtx, domid: number): number[] {
  return ids(lx, `/local/domain/0/backend/vbd/${domid}`);
}

/** A network interface in dom0 that libxenstat counts for the domain. */
export interface NetDev {
  /** the counters' key: the devid, with `-emu` for QEMU's tap */
  key: string;
  /** the id xentop shows (vif<domid>.<id>) */
  id: number;
}

/**
 * The domain's interfaces in dom0's /proc/net/dev, in its order. An HVM
 * guest's emulated NIC (nictype vif_ioemu) is QEMU's tap vif<d>.<n>-emu,
 * made when the device model starts, before libxl adds the PV vifs;
 * libxenstat's "vif%u.%u" match takes it for a second interface with the
 * same id.
 */
export function dom0NetDevs(lx: LibxlCtx, domid: number): NetDev[] {
  const vifs = dom0Vifs(lx, domid);
  const emu = vifs.filter((id) => lx.xs.tryRead(`/local/domain/0/backend/vif/${domid}/${id}/type`) === 'vif_ioemu');
  return [...emu.map((id) => ({ key: `${id}-emu`, id })), ...vifs.map((id) => ({ key: String(id), id }))];
}

/**
 * Where the guest's traffic goes: its first connected PV interface (eth0);
 * without one, an HVM guest's emulated NIC.
 */
function busyNet(lx: LibxlCtx, domid: number): string | undefined {
  const devs = dom0NetDevs(lx, domid);
  const pv = devs.find((d) => !d.key.endsWith('-emu') && frontendConnected(lx, domid, 'vif', d.id));
  return (pv ?? devs.find((d) => d.key.endsWith('-emu')))?.key;
}

function isCdrom(lx: LibxlCtx, domid: number, devid: number): boolean {
  return lx.xs.tryRead(`/local/domain/${domid}/device/vbd/${devid}/device-type`) === 'cdrom';
}

function busyVbd(lx: LibxlCtx, domid: number): number | undefined {
  return dom0Vbds(lx, domid).find((id) => !isCdrom(lx, domid, id) && frontendConnected(lx, domid, 'vbd', id));
}

/** What `secs` seconds at `rates` add: bytes in full frames, requests of REQ_BYTES. */
function traffic(rates: IoRates, secs: number): { vif: VifCount; vbd: VbdCount } {
  const tx = Math.floor(rates.netTx * secs);
  const rx = Math.floor(rates.netRx * secs);
  const rd = Math.floor(rates.read * secs);
  const wr = Math.floor(rates.write * secs);
  const rdReq = Math.ceil(rd / REQ_BYTES);
  const wrReq = Math.ceil(wr / REQ_BYTES);
  const reqRate = (rates.read + rates.write) / REQ_BYTES;
  const oo = reqRate > BLKBACK_REQS_PER_S ? Math.floor(((reqRate - BLKBACK_REQS_PER_S) * secs) / OO_BATCH) : 0;
  return {
    // the guest's transmit is what netback receives, and the other way round
    vif: { rxBytes: tx, rxPkts: Math.ceil(tx / FRAME), txBytes: rx, txPkts: Math.ceil(rx / FRAME) },
    vbd: { oo, rdReq, wrReq, rdSect: Math.ceil(rd / SECTOR), wrSect: Math.ceil(wr / SECTOR) },
  };
}

function addVif(a: VifCount, b: VifCount): VifCount {
  return { rxBytes: a.rxBytes + b.rxBytes, rxPkts: a.rxPkts + b.rxPkts, txBytes: a.txBytes + b.txBytes, txPkts: a.txPkts + b.txPkts };
}

function addVbd(a: VbdCount, b: VbdCount): VbdCount {
  return { oo: a.oo + b.oo, rdReq: a.rdReq + b.rdReq, wrReq: a.wrReq + b.wrReq, rdSect: a.rdSect + b.rdSect, wrSect: a.wrSect + b.wrSect };
}

/** The counters as they stand now, without changing the record. */
function current(lx: LibxlCtx, domid: number, rec: IoRecord): IoRecord {
  const now = activeNs(lx, domid);
  const out: IoRecord = { rates: rec.rates, foldNs: now ?? rec.foldNs, vifs: { ...rec.vifs }, vbds: { ...rec.vbds } };
  if (now === undefined || now <= rec.foldNs) return out;
  const t = traffic(rec.rates, (now - rec.foldNs) / 1e9);
  const vif = busyNet(lx, domid);
  const vbd = busyVbd(lx, domid);
  if (vif !== undefined) out.vifs[vif] = addVif(out.vifs[vif] ?? zeroVif(), t.vif);
  if (vbd !== undefined) out.vbds[vbd] = addVbd(out.vbds[vbd] ?? zeroVbd(), t.vbd);
  return out;
}

/** Bring the counters up to now and keep them (before anything that changes where traffic goes). */
export function ioFold(lx: LibxlCtx, domid: number): void {
  const rec = load(lx, domid);
  if (rec) lx.records.put(IOSTAT_NS, String(domid), current(lx, domid, rec));
}

export function getIoRates(lx: LibxlCtx, domid: number): IoRates {
  return load(lx, domid)?.rates ?? { ...IDLE_IO };
}

/** The guest's I/O workload changes; what ran so far is counted at the old rates. */
export function setIoRates(lx: LibxlCtx, domid: number, rates: IoRates): void {
  if (activeNs(lx, domid) === undefined) return;
  const rec = current(lx, domid, load(lx, domid) ?? fresh(lx, domid));
  rec.rates = { ...rates };
  lx.records.put(IOSTAT_NS, String(domid), rec);
}

/** The counters of every backend libxenstat would find for the domain. */
export function ioCounters(lx: LibxlCtx, domid: number): { vifs: Array<[number, VifCount]>; vbds: Array<[number, VbdCount]> } {
  const rec = load(lx, domid);
  const cur = rec ? current(lx, domid, rec) : undefined;
  return {
    vifs: dom0NetDevs(lx, domid).map((d) => [d.id, cur?.vifs[d.key] ?? zeroVif()]),
    vbds: dom0Vbds(lx, domid).map((id) => [id, cur?.vbds[id] ?? zeroVbd()]),
  };
}

/**
 * A frontend just reached Connected: what the guest does with a device as
 * it appears. During boot the root disk is read and the network comes up;
 * a disk connected later has its partition table read.
 */
export function ioDeviceConnected(lx: LibxlCtx, domid: number, kind: string, devid: number, bootedNs: number): void {
  if (kind !== 'vif' && kind !== 'vbd') return;
  const base = kind === 'vif' ? dom0Vifs(lx, domid) : dom0Vbds(lx, domid);
  if (!base.includes(devid) || activeNs(lx, domid) === undefined) return;
  const rec = current(lx, domid, load(lx, domid) ?? fresh(lx, domid));
  const booting = bootedNs === 0 || lx.now() - bootedNs < BOOT_WINDOW_NS;
  if (kind === 'vif') {
    if (booting) rec.vifs[devid] = addVif(rec.vifs[devid] ?? zeroVif(), BOOT_NET);
  } else {
    const root = booting && !isCdrom(lx, domid, devid) && dom0Vbds(lx, domid).find((id) => !isCdrom(lx, domid, id)) === devid;
    rec.vbds[devid] = addVbd(rec.vbds[devid] ?? zeroVbd(), root ? BOOT_ROOT : PART_SCAN);
  }
  lx.records.put(IOSTAT_NS, String(domid), rec);
}

/** guest CPU a byte costs: netfront's copies and interrupts, blkfront's requests */
const NET_CPU_NS_PER_BYTE = 1;
const DISK_CPU_NS_PER_BYTE = 0.5;

/**
 * How busy the guest's I/O keeps each of its online vCPUs (0..1): moving
 * 1 GB/s over the network takes about a CPU, over a disk about half one.
 */
export function ioCpuLoad(lx: LibxlCtx, domid: number): number {
  const r = getIoRates(lx, domid);
  const info = lx.hv.getdomaininfo(domid);
  const vcpus = info.ok ? Math.max(1, info.value.nrOnlineVcpus) : 1;
  const cpu = ((r.netTx + r.netRx) * NET_CPU_NS_PER_BYTE + (r.read + r.write) * DISK_CPU_NS_PER_BYTE) / 1e9;
  return Math.min(1, cpu / vcpus);
}

/**
 * A backend is about to go (detach): traffic so far stays with the devices
 * that carried it, and a device attached again under the same id is a new
 * sysfs/netdev entry, counting from zero.
 */
export function ioDeviceGone(lx: LibxlCtx, domid: number, kind: string, devid: number): void {
  const rec = load(lx, domid);
  if (!rec || (kind !== 'vif' && kind !== 'vbd')) return;
  const cur = current(lx, domid, rec);
  if (kind === 'vif') {
    // QEMU's tap goes with the vif libxl recorded it under
    delete cur.vifs[devid];
    delete cur.vifs[`${devid}-emu`];
  } else delete cur.vbds[devid];
  lx.records.put(IOSTAT_NS, String(domid), cur);
}

/** A domain's backends are gone with it. */
export function ioForget(lx: LibxlCtx, domid: number): void {
  lx.records.delete(IOSTAT_NS, String(domid));
}

/**
 * `xlsim check`: counters only for live domains and for devices their
 * backends still have, every counter a whole, non-negative number.
 */
export function checkIoStats(lx: LibxlCtx): string[] {
  const problems: string[] = [];
  for (const { key, value } of lx.records.list<IoRecord>(IOSTAT_NS)) {
    const domid = Number(key);
    if (activeNs(lx, domid) === undefined) {
      problems.push(`I/O counters kept for d${key}, which does not exist`);
      continue;
    }
    const nets = new Set(dom0NetDevs(lx, domid).map((d) => d.key));
    const vbds = new Set(dom0Vbds(lx, domid).map(String));
    const bad = (c: object): boolean => Object.values(c).some((v) => !Number.isSafeInteger(v) || (v as number) < 0);
    for (const [k, c] of Object.entries(value.vifs)) {
      if (!nets.has(k)) problems.push(`d${key}: I/O counters for vif ${k}, which dom0 does not have`);
      if (bad(c)) problems.push(`d${key}: vif ${k} counters are not whole non-negative numbers`);
    }
    for (const [k, c] of Object.entries(value.vbds)) {
      if (!vbds.has(k)) problems.push(`d${key}: I/O counters for vbd ${k}, which blkback does not serve`);
      if (bad(c)) problems.push(`d${key}: vbd ${k} counters are not whole non-negative numbers`);
    }
  }
  return problems;
}
