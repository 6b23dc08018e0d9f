/**
 * Host profiles: what machine a simulated host is and how its Xen was
 * booted (configs/hosts/*.ini, an instructor-editable INI file read with the
 * `ini` package). The parsed, validated profile is stored in the host
 * database at creation, so editing the file later does not change a host
 * that already booted — as on real hardware.
 */
import ini from 'ini';
import { isClockMode, type ClockMode } from './clock';
import { parseRate, parseSize, type Parsed } from './duration';
import { parseXenCmdline, type XenCmdline } from './xencmdline';

export type CpuVendor = 'Intel' | 'AMD';
export type SchedulerName = 'credit2' | 'credit' | 'rtds' | 'arinc653' | 'null';
const SCHEDULERS: readonly SchedulerName[] = ['credit2', 'credit', 'rtds', 'arinc653', 'null'];

export interface HardwareProfile {
  cpuVendor: CpuVendor;
  cpuModel: string;
  cpuMhz: number;
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  numaNodes: number;
  /** sockets × cores × threads */
  nrCpus: number;
  memoryMiB: number;
  /** EPT (Intel) / NPT (AMD) present */
  hap: boolean;
  /** VMFUNC (EPTP switching; Intel only) */
  vmfunc: boolean;
  /** Page Modification Logging (Intel only) */
  pml: boolean;
}

export interface XenProfile {
  /** "4.20.0" as written in the profile */
  version: string;
  major: number;
  minor: number;
  /** what xen_extra reports: ".0-xlsim" */
  extra: string;
  /** what `xl info` calls xen_version: "4.20.0-xlsim" */
  fullVersion: string;
  cmdline: XenCmdline;
  scheduler: SchedulerName;
  /** a debug=y build: dprintk lines, and debug keys such as 'S' (blow shadow tables) */
  debug?: boolean;
}

export interface Dom0Profile {
  memoryMiB: number;
  vcpus: number;
}

/**
 * One function of the host's PCI inventory ([pci] section): what dom0's
 * /sys/bus/pci/devices shows, and the driver bound at boot — `pciback`
 * when the Xen command line or modprobe hid it for pass-through, none
 * when nothing claimed it.
 */
export interface PciHostDevice {
  domain: number;
  bus: number;
  dev: number;
  func: number;
  /** bound driver at boot (`pciback`, `igb`, ...), or '' for none */
  driver: string;
  description: string;
}

/** `[pci]` keys `DDDD:BB:DD.F = driver[, description]` (driver `none` = unbound) */
function parsePciSection(doc: Record<string, unknown>, errors: string[]): PciHostDevice[] {
  const sec = doc.pci;
  if (sec === undefined || sec === null || typeof sec !== 'object') return [];
  const out: PciHostDevice[] = [];
  for (const [key, raw] of Object.entries(sec as Record<string, unknown>)) {
    if (key === 'iommu') continue;
    const m = /^([0-9a-fA-F]{4}):([0-9a-fA-F]{2}):([0-1][0-9a-fA-F])\.([0-7])$/.exec(key.trim());
    if (!m || Number.parseInt(m[3]!, 16) > 0x1f) {
      errors.push(`[pci] ${key}: not a PCI address like 0000:03:00.0`);
      continue;
    }
    const text = String(raw).trim();
    const comma = text.indexOf(',');
    const driver = (comma < 0 ? text : text.slice(0, comma)).trim();
    if (!/^[A-Za-z0-9_-]+$/.test(driver)) {
      errors.push(`[pci] ${key}: '${driver}' is not a driver name (or none)`);
      continue;
    }
    out.push({
      domain: Number.parseInt(m[1]!, 16),
      bus: Number.parseInt(m[2]!, 16),
      dev: Number.parseInt(m[3]!, 16),
      func: Number(m[4]),
      driver: driver === 'none' ? '' : driver,
      description: comma < 0 ? '' : text.slice(comma + 1).trim(),
    });
  }
  return out;
}

export interface HostProfile {
  /** profile file name without .ini ("default") */
  name: string;
  description: string;
  hardware: HardwareProfile;
  xen: XenProfile;
  dom0: Dom0Profile;
  migration: { bandwidthBytesPerSec: number };
  clock: { mode: ClockMode; seed: number; epochMs: number };
  /** host PCI inventory; absent in profiles stored before it existed */
  pci?: PciHostDevice[];
  /** xenconsoled's guest logging (`[console] log`): guest-<name>.log files */
  consoleLog?: boolean;
  /** an IOMMU (VT-d / AMD-Vi) is enabled: pass-through to HVM guests works */
  iommu?: boolean;
}

export const XLSIM_EXTRA = '-xlsim';

type Section = Record<string, unknown>;

class Reader {
  readonly errors: string[] = [];
  constructor(private readonly doc: Record<string, unknown>) {}

  private raw(sec: string, key: string): string | undefined {
    const s = this.doc[sec];
    if (s === undefined || typeof s !== 'object' || s === null) return undefined;
    const v = (s as Section)[key];
    if (v === undefined || v === null) return undefined;
    return String(v).trim();
  }

  private fail(sec: string, key: string, msg: string): void {
    this.errors.push(`[${sec}] ${key}: ${msg}`);
  }

  str(sec: string, key: string, def?: string): string {
    const v = this.raw(sec, key);
    if (v === undefined || v === '') {
      if (def === undefined) this.fail(sec, key, 'missing');
      return def ?? '';
    }
    return v;
  }

  int(sec: string, key: string, min: number, max: number, def?: number): number {
    const v = this.raw(sec, key);
    if (v === undefined || v === '') {
      if (def === undefined) this.fail(sec, key, 'missing');
      return def ?? min;
    }
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      this.fail(sec, key, `'${v}' is not an integer in ${min}..${max}`);
      return min;
    }
    return Number(v);
  }

  bool(sec: string, key: string, def: boolean): boolean {
    const v = this.raw(sec, key);
    if (v === undefined || v === '') return def;
    if (/^(1|yes|on|true)$/i.test(v)) return true;
    if (/^(0|no|off|false)$/i.test(v)) return false;
    this.fail(sec, key, `'${v}' is not a boolean (true/false)`);
    return def;
  }

  parsed<T>(sec: string, key: string, p: (s: string) => Parsed<T>, def?: string): T | undefined {
    const v = this.raw(sec, key) ?? def;
    if (v === undefined) {
      this.fail(sec, key, 'missing');
      return undefined;
    }
    const r = p(v);
    if (!r.ok) {
      this.fail(sec, key, r.error);
      return undefined;
    }
    return r.value;
  }

  has(sec: string, key: string): boolean {
    return this.raw(sec, key) !== undefined;
  }
}

/**
 * Parses and validates a profile. `name` is the file's base name. Errors
 * name the section and key, one per line, ready for the user.
 */
export function parseProfile(text: string, name: string): Parsed<HostProfile> {
  let doc: Record<string, unknown>;
  try {
    doc = ini.parse(text) as Record<string, unknown>;
  } catch (e) {
    return { ok: false, error: `cannot parse: ${e instanceof Error ? e.message : String(e)}` };
  }
  const r = new Reader(doc);
  const vendorText = r.str('hardware', 'cpu_vendor', 'Intel');
  const vendor: CpuVendor = /^amd$/i.test(vendorText) ? 'AMD' : 'Intel';
  if (!/^(intel|amd)$/i.test(vendorText)) r.errors.push(`[hardware] cpu_vendor: '${vendorText}' is not Intel or AMD`);
  const sockets = r.int('hardware', 'sockets', 1, 64, 1);
  const cores = r.int('hardware', 'cores_per_socket', 1, 256);
  const threads = r.int('hardware', 'threads_per_core', 1, 8, 1);
  const memBytes = r.parsed('hardware', 'memory', (s) => parseSize(s, 'm'));
  const hardware: HardwareProfile = {
    cpuVendor: vendor,
    cpuModel: r.str('hardware', 'cpu_model', vendor === 'Intel' ? 'Intel(R) Xeon(R) CPU' : 'AMD EPYC Processor'),
    cpuMhz: r.int('hardware', 'cpu_mhz', 100, 10000, 2400),
    sockets,
    coresPerSocket: cores,
    threadsPerCore: threads,
    numaNodes: r.int('hardware', 'numa_nodes', 1, 64, 1),
    nrCpus: sockets * cores * threads,
    memoryMiB: memBytes === undefined ? 0 : Math.floor(memBytes / 2 ** 20),
    hap: r.bool('hardware', 'hap', true),
    vmfunc: r.bool('hardware', 'vmfunc', vendor === 'Intel'),
    pml: r.bool('hardware', 'pml', vendor === 'Intel'),
  };
  if (memBytes !== undefined && hardware.memoryMiB < 256) r.errors.push(`[hardware] memory: ${hardware.memoryMiB} MiB is too small (at least 256M)`);
  if (vendor === 'AMD' && hardware.vmfunc) r.errors.push('[hardware] vmfunc: AMD CPUs have no VMFUNC');
  if (vendor === 'AMD' && hardware.pml) r.errors.push('[hardware] pml: AMD CPUs have no PML');
  if (hardware.numaNodes > sockets * cores) r.errors.push(`[hardware] numa_nodes: ${hardware.numaNodes} nodes for ${sockets * cores} cores`);

  const version = r.str('xen', 'version', '4.20.0');
  const vm = /^(\d+)\.(\d+)(\.\d+.*)?$/.exec(version);
  if (!vm) r.errors.push(`[xen] version: '${version}' is not like 4.20.0`);
  const cmdline = r.parsed('xen', 'cmdline', parseXenCmdline, '');
  const schedText = r.str('xen', 'scheduler', cmdline?.sched ?? 'credit2');
  if (!(SCHEDULERS as readonly string[]).includes(schedText)) r.errors.push(`[xen] scheduler: '${schedText}' is not one of ${SCHEDULERS.join(', ')}`);
  const extra = `${vm?.[3] ?? ''}${XLSIM_EXTRA}`;
  const xen: XenProfile = {
    version,
    major: vm ? Number(vm[1]) : 4,
    minor: vm ? Number(vm[2]) : 20,
    extra,
    fullVersion: vm ? `${vm[1]}.${vm[2]}${extra}` : version,
    cmdline: cmdline ?? { raw: '', altp2m: false, hap: true, loglvl: 'warning', guestLoglvl: 'none/warning' },
    scheduler: schedText as SchedulerName,
    ...(r.bool('xen', 'debug', false) ? { debug: true } : {}),
  };

  // dom0_mem= on the Xen command line decides dom0's size when present, as
  // it does on a real host; [dom0] memory stands for "what dom0 got" otherwise.
  const cmdMiB = cmdline?.dom0Mem?.amountKiB !== undefined ? Math.floor(cmdline.dom0Mem.amountKiB / 1024) : undefined;
  let dom0Mem = cmdMiB ?? 0;
  if (cmdMiB === undefined) {
    const b = r.parsed('dom0', 'memory', (s) => parseSize(s, 'm'));
    dom0Mem = b === undefined ? 0 : Math.floor(b / 2 ** 20);
  } else if (r.has('dom0', 'memory')) {
    const b = r.parsed('dom0', 'memory', (s) => parseSize(s, 'm'));
    if (b !== undefined && Math.floor(b / 2 ** 20) !== cmdMiB) {
      r.errors.push(`[dom0] memory: ${Math.floor(b / 2 ** 20)} MiB disagrees with dom0_mem= on the Xen command line (${cmdMiB} MiB)`);
    }
  }
  const dom0: Dom0Profile = {
    memoryMiB: dom0Mem,
    vcpus: r.int('dom0', 'vcpus', 1, 4096, cmdline?.dom0MaxVcpus ?? Math.min(hardware.nrCpus, 4)),
  };
  if (dom0.memoryMiB < 128 && r.errors.length === 0) r.errors.push(`dom0 memory ${dom0.memoryMiB} MiB is below Xen's minimum of 128 MiB`);
  if (hardware.memoryMiB && dom0.memoryMiB >= hardware.memoryMiB) r.errors.push(`dom0 memory ${dom0.memoryMiB} MiB does not fit in ${hardware.memoryMiB} MiB of RAM`);
  if (dom0.vcpus > hardware.nrCpus) r.errors.push(`[dom0] vcpus: ${dom0.vcpus} is more than the host's ${hardware.nrCpus} pCPUs`);

  const bw = r.parsed('migration', 'bandwidth', parseRate, '1Gbit');
  const modeText = r.str('clock', 'mode', 'real');
  if (!isClockMode(modeText)) r.errors.push(`[clock] mode: '${modeText}' is not real or manual`);
  const epochText = r.str('clock', 'epoch', '2026-01-01T00:00:00Z');
  const epochMs = Date.parse(epochText);
  if (Number.isNaN(epochMs)) r.errors.push(`[clock] epoch: '${epochText}' is not an ISO date`);
  const clock = {
    mode: (isClockMode(modeText) ? modeText : 'real') as ClockMode,
    seed: r.int('clock', 'seed', 0, Number.MAX_SAFE_INTEGER, 1),
    epochMs: Number.isNaN(epochMs) ? 0 : epochMs,
  };

  const pci = parsePciSection(doc, r.errors);
  const iommu = r.bool('pci', 'iommu', true);
  const consoleLog = r.bool('console', 'log', false);

  if (r.errors.length) return { ok: false, error: r.errors.join('\n') };
  return {
    ok: true,
    value: {
      name,
      description: r.str('host', 'description', ''),
      hardware,
      xen,
      dom0,
      migration: { bandwidthBytesPerSec: bw ?? 125_000_000 },
      clock,
      pci,
      iommu,
      consoleLog,
    },
  };
}
