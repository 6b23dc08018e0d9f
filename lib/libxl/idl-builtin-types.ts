/**
 * TypeScript shapes of libxl's builtin IDL types (the `Builtin(...)` lines at
 * the top of libxl_types.idl). Import these through types.ts.
 */

/** libxl_defbool: true / false / undefined = "<default>" (not yet decided). */
export type Defbool = boolean | undefined;

/** libxl_domid (uint32) */
export type Domid = number;

/** libxl_devid (int, init -1) */
export type Devid = number;

/** libxl_uuid, lower-case "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"; nil = all zero */
export type Uuid = string;

/** libxl_mac, lower-case "00:16:3e:12:34:56"; default = all zero */
export type Mac = string;

/** libxl_bitmap as its set bits, ascending (JSON: array of bit numbers) */
export type Bitmap = number[];

/** libxl_string_list (NULL-terminated char* array in C, so no null entries) */
export type StringList = string[];

/**
 * libxl_key_value_list: pairs in order. A pair array rather than a record
 * because JS objects reorder integer-like keys and libxl keeps insertion order;
 * a value may be NULL.
 */
export type KeyValueList = Array<[string, string | null]>;

/** libxl_hwcap: 4 x uint32 */
export type Hwcap = number[];

/** libxl_ms_vm_genid: 16 bytes */
export type MsVmGenid = number[];

/** One entry of a cpuid policy (libxl_cpuid.c JSON form): registers as 32-char strings of 0/1/x/k/s. */
export interface CpuidLeafPolicy {
  leaf?: number;
  subleaf?: number;
  eax?: string;
  ebx?: string;
  ecx?: string;
  edx?: string;
}

/** One MSR policy entry: `policy` is a 64-char string. */
export interface MsrPolicy {
  index: number;
  policy: string;
}

/** libxl_cpuid_policy_list; empty (or absent) = default. */
export interface CpuidPolicyList {
  cpuid: CpuidLeafPolicy[];
  msr: MsrPolicy[];
}

/** MemKB (uint64, init LIBXL_MEMKB_DEFAULT = ~0): absent = default; 0 is a real value. */
export type MemKB = number;
