/**
 * A compact, data-driven twin of libxl's IDL (tools/libs/light/idl.py and
 * libxl_types.idl). The JSON generator and parser walk these descriptors
 * exactly as gentypes.py walks the Python ones, so key order, omission and
 * value rendering come from one place.
 *
 * The struct tables themselves live in idl-domain.ts and idl-devices.ts.
 */

import { ENUMS, type EnumName } from './idl-enums';

/** The builtin and integer types of the IDL. */
export type BuiltinName =
  | 'integer' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'MemKB' | 'domid' | 'devid'
  | 'bool' | 'string'
  | 'defbool' | 'uuid' | 'mac' | 'bitmap' | 'string_list' | 'key_value_list'
  | 'hwcap' | 'ms_vm_genid' | 'cpuid_policy_list';

export type IdlType =
  | { readonly kind: 'builtin'; readonly name: BuiltinName }
  | { readonly kind: 'enum'; readonly name: EnumName }
  | { readonly kind: 'struct'; readonly struct: IdlStruct }
  | { readonly kind: 'array'; readonly elem: IdlType }
  | IdlKeyedUnion;

/**
 * A KeyedUnion: the key variable (`keyvar`) sits beside the union in the parent
 * struct; in JSON the union appears under "<keyvar>.<member>". In our objects
 * the key is the property `keyvar` and the selected member's struct is `u`.
 */
export interface IdlKeyedUnion {
  readonly kind: 'union';
  readonly keyvar: string;
  readonly keyEnum: EnumName;
  /** `keyvar_init_val` (else the enum's init value, else the value 0) */
  readonly keyInit?: string;
  readonly members: ReadonlyArray<{ readonly name: string; readonly struct: IdlStruct | null }>;
}

/** A field's init value, when it differs from its type's. */
export type InitVal = number | string;

export interface IdlField {
  readonly name: string;
  readonly type: IdlType;
  readonly init?: InitVal;
  /** `const: True` fields are neither emitted nor parsed */
  readonly isConst?: boolean;
}

export interface IdlStruct {
  /** libxl type name without the `libxl_` prefix; null for anonymous structs */
  readonly name: string | null;
  readonly fields: readonly IdlField[];
}

/** ~0 of a 64-bit field: not representable as a JS number, so only "absent" stands for it. */
export const INIT_U64_ALL_ONES = 'u64:~0';
/** ~(uint32_t)0, e.g. LIBXL_MAX_GRANT_DEFAULT, LIBXL_NR_SPIS_DEFAULT */
export const U32_ALL_ONES = 0xffffffff;

export const T = {
  integer: { kind: 'builtin', name: 'integer' },
  uint8: { kind: 'builtin', name: 'uint8' },
  uint16: { kind: 'builtin', name: 'uint16' },
  uint32: { kind: 'builtin', name: 'uint32' },
  uint64: { kind: 'builtin', name: 'uint64' },
  MemKB: { kind: 'builtin', name: 'MemKB' },
  domid: { kind: 'builtin', name: 'domid' },
  devid: { kind: 'builtin', name: 'devid' },
  bool: { kind: 'builtin', name: 'bool' },
  string: { kind: 'builtin', name: 'string' },
  defbool: { kind: 'builtin', name: 'defbool' },
  uuid: { kind: 'builtin', name: 'uuid' },
  mac: { kind: 'builtin', name: 'mac' },
  bitmap: { kind: 'builtin', name: 'bitmap' },
  string_list: { kind: 'builtin', name: 'string_list' },
  key_value_list: { kind: 'builtin', name: 'key_value_list' },
  hwcap: { kind: 'builtin', name: 'hwcap' },
  ms_vm_genid: { kind: 'builtin', name: 'ms_vm_genid' },
  cpuid_policy_list: { kind: 'builtin', name: 'cpuid_policy_list' },
} as const satisfies Record<BuiltinName, IdlType>;

export function Enum(name: EnumName): IdlType {
  return { kind: 'enum', name };
}

export function Sub(struct: IdlStruct): IdlType {
  return { kind: 'struct', struct };
}

export function ArrayOf(elem: IdlType): IdlType {
  return { kind: 'array', elem };
}

export function Struct(name: string | null, fields: ReadonlyArray<IdlField | readonly [string, IdlType] | readonly [string, IdlType, InitVal]>): IdlStruct {
  return {
    name,
    fields: fields.map((f) => (Array.isArray(f) ? field(f[0], f[1], f[2]) : (f as IdlField))),
  };
}

export function field(name: string, type: IdlType, init?: InitVal): IdlField {
  return init === undefined ? { name, type } : { name, type, init };
}

export function constField(name: string, type: IdlType): IdlField {
  return { name, type, isConst: true };
}

/** The init value of a builtin type itself (IDL `init_val=` on the Builtin/UInt). */
function builtinInit(name: BuiltinName): InitVal | undefined {
  if (name === 'MemKB') return INIT_U64_ALL_ONES;
  if (name === 'devid') return -1;
  return undefined;
}

/** gentypes.py get_init_val: the field's own init value, else its type's. */
export function initOf(f: IdlField): InitVal | undefined {
  if (f.init !== undefined) return f.init;
  if (f.type.kind === 'builtin') return builtinInit(f.type.name);
  if (f.type.kind === 'enum') return ENUMS[f.type.name].init;
  return undefined;
}

/** The key a union takes when its key variable is unset. */
export function unionKeyDefault(u: IdlKeyedUnion): string | undefined {
  if (u.keyInit !== undefined) return u.keyInit;
  const t = ENUMS[u.keyEnum];
  if (t.init !== undefined) return t.init;
  for (const [v, n] of t.values) if (v === 0) return n;
  return undefined;
}
