/**
 * libxl_ctx: what every libxl call works with — the hypervisor (through its
 * hypercall functions over the host's storage), xenstore, the host's clock
 * and event queue, its seeded generator, libxl's own per-domain records
 * (userdata, the domid history) and the logger xl handed down.
 *
 * One ctx lives for one host session (one transaction, see compose.ts).
 */
import type { Xen } from '../xen/xen';
import type { XenStore } from '../xenstore';
import type { EventQueue } from '../sim/events';
import type { Xtl } from '../util/xtl';
import type { XenPort } from './xenport';
import type { PciHostInfo } from './pci';

/** JSON records libxl keeps per host (userdata files, domid history, monitors). */
export interface RecordStore {
  get<T>(ns: string, key: string): T | undefined;
  put<T>(ns: string, key: string, value: T): void;
  delete(ns: string, key: string): void;
  list<T>(ns: string): Array<{ key: string; value: T }>;
}

export interface Uname {
  nodename: string;
  release: string;
  version: string;
  machine: string;
}

/**
 * What happens in the guest when the toolstack touches it: the xenstore
 * watches a real guest kernel has, and the first unpause that lets it run.
 * The composition root routes these to the guest model.
 */
export interface GuestHooks {
  /** a new domain's guest record (libxl__domain_build hands the OS its start) */
  built(domid: number, kind: 'pv' | 'pvh' | 'hvm', targetKb: number): void;
  /** a toolstack pause reference was taken (the vCPUs stop) */
  paused(domid: number): void;
  unpaused(domid: number): void;
  controlWritten(domid: number): void;
  sysrqWritten(domid: number): void;
  memoryTargetChanged(domid: number): void;
  /** cpu/N/availability was rewritten: true when the guest brings its vCPUs in line now */
  vcpuHotplug(domid: number): boolean;
  acpiButton(domid: number, button: 'power' | 'reset' | 'sleep'): void;
  resumed(domid: number): void;
  destroyed(domid: number): void;
  /**
   * SCHEDOP_remote_shutdown: the toolstack shuts the domain down itself (an
   * HVM guest without PV drivers is suspended this way); false if Xen refused
   */
  remoteShutdown(domid: number, reason: number): boolean;
  /** whether the guest answers PV control requests (HVM_PARAM_CALLBACK_IRQ) */
  pvControl(domid: number): boolean;
  /** the guest kernel hangs: its PV drivers look connected but answer no watch */
  hung?(domid: number): boolean;
  /** on_soft_reset: the same domain rebuilt in place, booting again */
  softReset(domid: number): void;
  /** a frontend reached Connected: the guest kernel has a new device */
  deviceConnected?(domid: number, kind: string, devid: number): void;
  /** a device's directories are being torn down (detach) */
  deviceRemoved?(domid: number, kind: string, devid: number): void;
}

export interface HostFiles {
  name: string;
  /** /var/log/xen */
  logDir: string;
  /** /var/lib/xen/dump */
  dumpDir: string;
  /** xenconsoled logs guest consoles to <logDir>/guest-<name>.log */
  consoleLog?: boolean;
}

export interface LibxlCtx {
  readonly xtl: Xtl;
  /** the hypervisor, reached only through its hypercalls */
  readonly hv: Xen;
  /** sysctl-style queries (physinfo, version, console, debug keys) */
  readonly xen: XenPort;
  /** dom0's (privileged) view of the store */
  readonly xs: XenStore;
  readonly events: EventQueue;
  readonly rng: { uuid(): string; mac(): string };
  readonly records: RecordStore;
  readonly files: HostFiles;
  readonly hooks: GuestHooks;
  /** simulated ns since host boot */
  now(): number;
  /** the host's wall clock, ms since the epoch */
  wallMs(): number;
  uname(): Uname;
  /**
   * XEN_DOMCTL_setdomainhandle (libxl_domain_preserve gives the kept domain
   * a fresh UUID); the hypervisor model has no such call yet, so the
   * composition root applies it to the domain record.
   */
  setDomainHandle(domid: number, uuid: string): void;
  /** the host's event log (`xlsim events`): what happened, in simulated time */
  eventLog(kind: string, text: string, domid?: number): void;
  /** bytes a second of the host's migration link (its profile's `[migration] bandwidth`) */
  readonly migrationLinkBps: number;
  /** the host's PCI functions and IOMMU (its profile's `[pci]`): what sysfs tells libxl */
  readonly pciHost: PciHostInfo;
}

export { withCtx } from './compose';
