/**
 * Numbers from Xen's public headers (xen.h, domctl.h, sched.h,
 * arch-x86/xen.h) that the simulated hypervisor and the toolstack share.
 */

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 4096;
export const PAGES_PER_MIB = 256;

export const DOMID_FIRST_RESERVED = 0x7ff0;
export const DOMID_SELF = 0x7ff0;
export const DOMID_IO = 0x7ff1;
export const DOMID_XEN = 0x7ff2;
export const DOMID_COW = 0x7ff3;
export const DOMID_INVALID = 0x7ff4;
export const DOMID_ANY = 0x7ff5;
export const DOMID_IDLE = 0x7fff;
export const DOMID_MASK = 0x7fff;

/** XEN_DOMINF_* bits of getdomaininfo */
export const DOMINF = {
  dying: 1 << 0,
  hvm_guest: 1 << 1,
  shutdown: 1 << 2,
  paused: 1 << 3,
  blocked: 1 << 4,
  running: 1 << 5,
  debugged: 1 << 6,
  xs_domain: 1 << 7,
  hap: 1 << 8,
} as const;
export const DOMINF_SHUTDOWN_SHIFT = 16;
export const DOMINF_SHUTDOWN_MASK = 255;

/** SHUTDOWN_* reasons (sched.h) */
export const SHUTDOWN = {
  poweroff: 0,
  reboot: 1,
  suspend: 2,
  crash: 3,
  watchdog: 4,
  soft_reset: 5,
} as const;
export const SHUTDOWN_MAX = 5;
export type ShutdownReason = keyof typeof SHUTDOWN;

/** XEN_X86_EMU_* */
export const EMU = {
  LAPIC: 1 << 0,
  HPET: 1 << 1,
  PM: 1 << 2,
  RTC: 1 << 3,
  IOAPIC: 1 << 4,
  PIC: 1 << 5,
  VGA: 1 << 6,
  IOMMU: 1 << 7,
  PIT: 1 << 8,
  USE_PIRQ: 1 << 9,
  VPCI: 1 << 10,
} as const;
export const EMU_ALL = 0x7ff;

export const CONTROLLER_PAUSE_MAX = 255;
/** HVM_MAX_VCPUS; PV domains are limited by the host's MAX_VIRT_CPUS */
export const HVM_MAX_VCPUS = 128;
export const PV_MAX_VCPUS = 8192;
export const MAX_NR_ALTP2M = 512;

/** LIBXL_MIN_DOM0_MEM and the default dom0 reserve cap (dom0_build.c) */
export const DOM0_DEFAULT_RESERVE_MAX_PAGES = 128 * PAGES_PER_MIB;

/** paging pool auto-initialisation when the toolstack set nothing */
export const SHADOW_INIT_PAGES = 1024;
export const HAP_INIT_PAGES = 256;
/** shadow_min_acceptable_pages: per vCPU */
export const SHADOW_MIN_PAGES_PER_VCPU = 128;

/** _CONRING_SIZE */
export const CONRING_DEFAULT_BYTES = 16 * 1024;

export const SCHED_DEFAULT_WEIGHT = 256;
export const SCHED_DEFAULT_RATELIMIT_US = 1000;
export const CREDIT_DEFAULT_TSLICE_MS = 30;

export const NS_PER_SEC = 1_000_000_000;
