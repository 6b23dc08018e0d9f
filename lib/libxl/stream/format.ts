// Wire constants of the three nested save/migration formats: the xl save-file
// header (tools/xl/xl.h), the libxl stream v2 (docs/specs/libxl-migration-stream.pandoc)
// and the libxc stream v3 (docs/specs/libxc-migration-stream.pandoc).
//
// xlsim deviation (see README.md, "Page contents as tokens"): a PAGE_DATA record
// carries one 8-byte content token per data page instead of a 4 KiB page, and the
// libxc stream carries an extra optional record, XLSIM_MEMORY_DIGEST, right before
// its END record. Everything else is laid out as Xen lays it out.

/** `savefileheader_magic`: 32 bytes, including the embedded NUL. */
export const XL_MAGIC = Buffer.from('Xen saved domain, xl format\n \0 \r', 'latin1');
export const XL_HEADER_SIZE = 48;
export const XL_BYTEORDER_VALUE = 0x01020304;
export const XL_MANDATORY_FLAG_JSON = 1 << 0;
export const XL_MANDATORY_FLAG_STREAMV2 = 1 << 1;
export const XL_MANDATORY_FLAG_ALL = XL_MANDATORY_FLAG_JSON | XL_MANDATORY_FLAG_STREAMV2;

/** Records (both layers) are padded to this alignment. */
export const REC_ALIGN = 8;
export const align8 = (n: number): number => Math.ceil(n / REC_ALIGN) * REC_ALIGN;

// ---- libxl stream v2 ----
export const LIBXL_IDENT_HI = 0x4c696278; // "Libx"
export const LIBXL_IDENT_LO = 0x6c466d74; // "lFmt"
export const LIBXL_VERSION = 2;
export const LIBXL_OPT_BIG_ENDIAN = 1 << 0;
export const LIBXL_OPT_LEGACY = 1 << 1;
export const LIBXL_HEADER_SIZE = 16;

export const LIBXL_REC = {
  END: 0,
  LIBXC_CONTEXT: 1,
  EMULATOR_XENSTORE_DATA: 2,
  EMULATOR_CONTEXT: 3,
  CHECKPOINT_END: 4,
  CHECKPOINT_STATE: 5,
} as const;

export const EMULATOR_UNKNOWN = 0;
export const EMULATOR_QEMU_TRADITIONAL = 1;
export const EMULATOR_QEMU_UPSTREAM = 2;

export const CHECKPOINT_NEW = 0;
export const CHECKPOINT_SVM_SUSPENDED = 1;
export const CHECKPOINT_SVM_READY = 2;
export const CHECKPOINT_SVM_RESUMED = 3;

const LIBXL_REC_NAMES: Record<number, string> = {
  0: 'END',
  1: 'LIBXC_CONTEXT',
  2: 'EMULATOR_XENSTORE_DATA',
  3: 'EMULATOR_CONTEXT',
  4: 'CHECKPOINT_END',
  5: 'CHECKPOINT_STATE',
};
export function libxlRecName(type: number): string {
  return LIBXL_REC_NAMES[type] ?? 'UNKNOWN';
}

// ---- libxc stream v3 ----
export const IHDR_ID = 0x58454e46; // "XENF"
export const IHDR_VERSION = 3;
export const IHDR_OPT_BIG_ENDIAN = 1 << 0;
export const IHDR_SIZE = 24;
export const DHDR_SIZE = 16;
export const DHDR_TYPE_X86_PV = 1;
export const DHDR_TYPE_X86_HVM = 2;
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
/** Xen's REC_LENGTH_MAX: 128 MiB. */
export const REC_LENGTH_MAX = 128 << 20;
/** MAX_BATCH_SIZE in xg_save_restore.h. */
export const MAX_BATCH_SIZE = 1024;
export const TOKEN_SIZE = 8;

export const REC = {
  END: 0x00,
  PAGE_DATA: 0x01,
  X86_PV_INFO: 0x02,
  X86_PV_P2M_FRAMES: 0x03,
  X86_PV_VCPU_BASIC: 0x04,
  X86_PV_VCPU_EXTENDED: 0x05,
  X86_PV_VCPU_XSAVE: 0x06,
  SHARED_INFO: 0x07,
  X86_TSC_INFO: 0x08,
  HVM_CONTEXT: 0x09,
  HVM_PARAMS: 0x0a,
  TOOLSTACK: 0x0b,
  X86_PV_VCPU_MSRS: 0x0c,
  VERIFY: 0x0d,
  CHECKPOINT: 0x0e,
  CHECKPOINT_DIRTY_PFN_LIST: 0x0f,
  STATIC_DATA_END: 0x10,
  X86_CPUID_POLICY: 0x11,
  X86_MSR_POLICY: 0x12,
} as const;
export const REC_TYPE_OPTIONAL = 0x80000000;
/**
 * xlsim's own record: the digest of the final memory image. Optional (bit 31) so a
 * receiver that does not know it may skip it, as Xen skips unknown optional records.
 * The low bits spell "XS" (0x5853).
 */
export const REC_XLSIM_MEMORY_DIGEST = (REC_TYPE_OPTIONAL | 0x5853) >>> 0;
export const XLSIM_DIGEST_BODY_SIZE = 16;
/**
 * xlsim's own record: what the guest's workload writes to memory (u64 page
 * writes a second, u64 working-set pages), so a restored or migrated guest
 * keeps dirtying memory as it did. A real guest's running processes travel
 * inside its memory; xlsim's pages carry tokens, so the workload travels
 * beside them. Optional, written only for a busy guest, before the digest.
 * The low bits spell "XW" (0x5857).
 */
export const REC_XLSIM_GUEST_WORKLOAD = (REC_TYPE_OPTIONAL | 0x5857) >>> 0;
export const XLSIM_WORKLOAD_BODY_SIZE = 16;

const REC_NAMES: readonly string[] = [
  'End', 'Page data', 'x86 PV info', 'x86 PV P2M frames', 'x86 PV vcpu basic',
  'x86 PV vcpu extended', 'x86 PV vcpu xsave', 'Shared info', 'x86 TSC info',
  'HVM context', 'HVM params', 'Toolstack', 'x86 PV vcpu msrs', 'Verify', 'Checkpoint',
  'Checkpoint dirty pfn list', 'Static data end', 'x86 CPUID policy', 'x86 MSR policy',
];
/** rec_type_to_str: unknown and optional types are "Reserved". */
export function recTypeName(type: number): string {
  if (type === REC_XLSIM_MEMORY_DIGEST) return 'xlsim memory digest';
  if (type === REC_XLSIM_GUEST_WORKLOAD) return 'xlsim guest workload';
  if ((type & REC_TYPE_OPTIONAL) === 0 && type < REC_NAMES.length) return REC_NAMES[type]!;
  return 'Reserved';
}

/** dhdr_type_to_str. */
export function domainTypeName(type: number): string {
  return type === DHDR_TYPE_X86_PV ? 'x86 PV' : type === DHDR_TYPE_X86_HVM ? 'x86 HVM' : 'Reserved';
}

// ---- PAGE_DATA pfn entries: bits 63-60 type, 59-52 reserved, 51-0 pfn ----
export const PFINFO = {
  NOTAB: 0x0,
  L1TAB: 0x1,
  L2TAB: 0x2,
  L3TAB: 0x3,
  L4TAB: 0x4,
  L1TAB_PIN: 0x9,
  L2TAB_PIN: 0xa,
  L3TAB_PIN: 0xb,
  L4TAB_PIN: 0xc,
  BROKEN: 0xd,
  XALLOC: 0xe,
  XTAB: 0xf,
} as const;
export const PFN_MAX = 2 ** 52 - 1;

/** is_known_page_type: 0x5-0x8 are reserved. */
export function isKnownPageType(t: number): boolean {
  return t <= 0x4 || (t >= 0x9 && t <= 0xf);
}
/** page_type_has_stream_data: BROKEN, XALLOC and XTAB carry no data. */
export function pageTypeHasData(t: number): boolean {
  return t < PFINFO.BROKEN;
}

// ---- fixed record sizes used by Xen's restore-side checks ----
export const TSC_INFO_SIZE = 24;
export const PV_INFO_SIZE = 8;
export const CPUID_LEAF_SIZE = 24; // xen_cpuid_leaf_t
export const MSR_ENTRY_SIZE = 16; // xen_msr_entry_t
export const VCPU_MSR_SIZE = 16; // xen_domctl_vcpu_msr_t
export const VCPU_CONTEXT_X86_64_SIZE = 5168; // vcpu_guest_context_x86_64_t
export const VCPU_CONTEXT_X86_32_SIZE = 2800; // vcpu_guest_context_x86_32_t
export const VCPU_EXTENDED_MAX = 128;
export const VCPU_XSAVE_MIN = 16;
