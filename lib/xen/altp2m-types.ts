/**
 * The records behind alternate p2m views and mem_access, kept inside the
 * domain record so they live and die with the domain (and, as in Xen, are
 * not part of any save or migration stream: a restored domain is a new
 * domain with only its creation-time mode).
 *
 * Views are stored sparsely: only gfns that were touched, given an access
 * or remapped have an entry, which is what an EPT that is populated on
 * demand holds too.
 */
import type { XenDomainData } from './types';

/** XENMEM_access_* in public/memory.h order; the index is the ABI value. */
export const MEM_ACCESS_NAMES = ['n', 'r', 'w', 'rw', 'x', 'rx', 'wx', 'rwx', 'rx2rw', 'n2rwx', 'r_pw'] as const;
export type MemAccess = (typeof MEM_ACCESS_NAMES)[number];
/** XENMEM_access_default: "whatever the p2m's default is" */
export const XENMEM_ACCESS_DEFAULT = 11;

export function memAccessName(v: number): MemAccess | undefined {
  return MEM_ACCESS_NAMES[v];
}

export function memAccessValue(name: string): number | undefined {
  if (name === 'default') return XENMEM_ACCESS_DEFAULT;
  const i = (MEM_ACCESS_NAMES as readonly string[]).indexOf(name);
  return i < 0 ? undefined : i;
}

/** One materialised entry of a view: its access, and where a change_gfn pointed it. */
export interface ViewEntry {
  a: MemAccess;
  /** the gfn whose frame this gfn shows (change_gfn); absent = its own */
  to?: number;
  /** suppress-#VE bit; absent = 1, the EPT default */
  sve?: 0;
}

export interface Altp2mViewData {
  idx: number;
  defaultAccess: MemAccess;
  /** in the VMFUNC EPTP list (altp2m_visible_eptp) */
  visible: boolean;
  /** gfn (decimal) → entry */
  e: Record<string, ViewEntry>;
  /** change_gfn targets seen, for the dropped-page reset rule */
  minRemapped?: number;
  maxRemapped?: number;
}

/** A VM_EVENT_REASON_MEM_ACCESS request waiting in the monitor ring. */
export interface MemAccessEvent {
  seq: number;
  /** host time, ns since boot */
  t: number;
  vcpu: number;
  gfn: number;
  offset: number;
  /** the faulting access, MEM_ACCESS_R|W|X bits */
  flags: number;
  /** the page's access in the view at the time */
  access: MemAccess;
  view: number;
  /** VM_EVENT_FLAG_ALTERNATE_P2M */
  altp2m: boolean;
  /** VM_EVENT_FLAG_VCPU_PAUSED (a synchronous event) */
  paused: boolean;
}

export interface MonitorRing {
  /** a listener has the ring (vm_event monitor enabled) */
  enabled: boolean;
  /** p2m->access_required: with no listener a violation crashes the domain */
  accessRequired: boolean;
  pending: MemAccessEvent[];
  nextSeq: number;
  /** requests that found the ring full (the vCPU would have waited) */
  dropped: number;
}

export interface Altp2mState {
  /** d->arch.altp2m_active */
  active: boolean;
  /** active views other than 0, by index */
  views: Altp2mViewData[];
  /** view 0 taken out of the VMFUNC list (set_visibility 0 off) */
  view0Hidden?: true;
  /** per vCPU: its view, or -1 (INVALID_ALTP2M) while altp2m is off */
  vcpuView: number[];
  /** per vCPU: the #VE info page gfn, or -1 */
  veGfn: number[];
  /** the host p2m's accesses that differ from its default (rwx) */
  hostAccess: Record<string, MemAccess>;
  /** host p2m gfns whose suppress-#VE bit was cleared */
  hostVe?: Record<string, 0>;
  monitor: MonitorRing;
}

declare module './types' {
  interface XenDomainData {
    /** alternate p2m views and mem_access (lib/xen/altp2m*.ts); absent until first used */
    altp2mState?: Altp2mState;
  }
}

/** The domain's altp2m record, created empty on first use. */
export function altp2mStateOf(d: XenDomainData): Altp2mState {
  d.altp2mState ??= {
    active: false,
    views: [],
    vcpuView: d.vcpus.map(() => -1),
    veGfn: d.vcpus.map(() => -1),
    hostAccess: {},
    monitor: { enabled: false, accessRequired: false, pending: [], nextSeq: 1, dropped: 0 },
  };
  return d.altp2mState;
}

export const MEM_ACCESS_R = 1 << 0;
export const MEM_ACCESS_W = 1 << 1;
export const MEM_ACCESS_X = 1 << 2;

export type AccessKind = 'r' | 'w' | 'x';
export const ACCESS_FLAG: Record<AccessKind, number> = { r: MEM_ACCESS_R, w: MEM_ACCESS_W, x: MEM_ACCESS_X };
