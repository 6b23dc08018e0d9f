/**
 * libxl object -> JNode: the twin of the `libxl_<type>_gen_json` functions
 * gentypes.py writes (libxl_C_type_gen_json + get_default_expr) and of the
 * builtin generators in libxl_json.c / libxl_cpuid.c.
 *
 * Per field, in IDL order (rules of reference §5.3):
 *  1. nested structs and keyed unions are always emitted;
 *  2. arrays only when non-empty;
 *  3. a field with an init value only when it differs from it;
 *  4. builtins with a default check (defbool, uuid, mac, bitmap, lists,
 *     ms_vm_genid, cpuid) only when not default; hwcap always;
 *  5. anything else only when non-zero / true / non-NULL.
 * In our objects "absent" is the init value, so rule 3 reduces to "present and
 * not equal to it" — which is why an explicit MemKB 0 is printed.
 */

import { ENUMS, enumValue } from './idl-enums';
import { defboolToString } from './idl-init';
import { INIT_U64_ALL_ONES, initOf, unionKeyDefault, type BuiltinName, type IdlField, type IdlKeyedUnion, type IdlStruct, type IdlType } from './idl';
import { jarr, jbool, jint, jnull, jobj, jstr, type JNode } from './json-tree';

type Obj = Readonly<Record<string, unknown>>;

const TWO_POW_64 = 2 ** 64;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${path}: expected a number, got ${typeof v}`);
  return v;
}

/** The value C would hold after storing `v` in a field of this width. */
function cInteger(name: BuiltinName, v: number): number | bigint {
  switch (name) {
    case 'uint8': return v & 0xff;
    case 'uint16': return v & 0xffff;
    case 'uint32': case 'domid': return v >>> 0;
    case 'integer': case 'devid': return v | 0;
    default: return v < 0 ? BigInt.asUintN(64, BigInt(Math.trunc(v))) : v;
  }
}

const INTEGER_TYPES: ReadonlySet<BuiltinName> = new Set<BuiltinName>(
  ['integer', 'uint8', 'uint16', 'uint32', 'uint64', 'MemKB', 'domid', 'devid']);

function equalsInit(v: unknown, init: number | string): boolean {
  if (init === INIT_U64_ALL_ONES) return typeof v === 'number' && v >= TWO_POW_64 - 1;
  if (typeof init === 'string') return typeof v === 'string' && v.toLowerCase() === init;
  if (typeof v !== 'number') return false;
  // Numeric init values belong to 32-bit fields. C compares after conversion
  // to the field's width, so a uint32 holding -1 equals ~0U, and an int
  // holding -1 equals ~(uint32_t)0 (max_grant_version).
  return (v >>> 0) === (init >>> 0);
}

function isNilUuid(s: string): boolean {
  return /^[0-]*$/.test(s);
}

function isZeroMac(s: string): boolean {
  return /^[0:]*$/.test(s);
}

function nonEmptyArray(v: unknown): boolean {
  return Array.isArray(v) && v.length > 0;
}

/** get_default_expr: should field `f` holding `v` appear in the JSON? */
function shouldEmit(f: IdlField, v: unknown): boolean {
  const t = f.type;
  if (t.kind === 'struct' || t.kind === 'union') return true;
  if (t.kind === 'array') return nonEmptyArray(v);
  const init = initOf(f);
  if (init !== undefined) return v !== undefined && v !== null && !equalsInit(v, init);
  if (t.kind === 'enum') return typeof v === 'string' && enumValue(t.name, v.toLowerCase()) !== 0;
  switch (t.name) {
    case 'defbool': return typeof v === 'boolean';
    case 'uuid': return typeof v === 'string' && !isNilUuid(v);
    case 'mac': return typeof v === 'string' && !isZeroMac(v);
    case 'bitmap': case 'string_list': case 'key_value_list': return nonEmptyArray(v);
    case 'hwcap': return true;
    case 'ms_vm_genid': return Array.isArray(v) && v.some((b) => b !== 0);
    case 'cpuid_policy_list':
      return isObj(v) && (nonEmptyArray(v.cpuid) || nonEmptyArray(v.msr));
    case 'bool': return v === true;
    case 'string': return typeof v === 'string';
    default: return typeof v === 'number' && v !== 0;
  }
}

function intArray(v: unknown, len: number | undefined, path: string): JNode {
  const a = Array.isArray(v) ? v : [];
  const n = len ?? a.length;
  const out: JNode[] = [];
  for (let i = 0; i < n; i++) out.push(jint(i < a.length ? num(a[i], `${path}[${i}]`) : 0));
  return jarr(out);
}

function genCpuid(v: unknown, path: string): JNode {
  const p = isObj(v) ? v : {};
  const leaves = Array.isArray(p.cpuid) ? p.cpuid : [];
  const msrs = Array.isArray(p.msr) ? p.msr : [];
  const cpuid = leaves.map((l: unknown, i) => {
    const e = isObj(l) ? l : {};
    const m: Array<[string, JNode]> = [];
    for (const k of ['leaf', 'subleaf']) if (e[k] !== undefined) m.push([k, jint(num(e[k], `${path}.cpuid[${i}].${k}`))]);
    for (const k of ['eax', 'ebx', 'ecx', 'edx']) if (typeof e[k] === 'string') m.push([k, jstr(e[k] as string)]);
    return jobj(m);
  });
  const msr = msrs.map((x: unknown, i) => {
    const e = isObj(x) ? x : {};
    return jobj([['index', jint(num(e.index, `${path}.msr[${i}].index`))], ['policy', jstr(String(e.policy ?? ''))]]);
  });
  return jobj([['cpuid', jarr(cpuid)], ['msr', jarr(msr)]]);
}

function genBuiltin(name: BuiltinName, v: unknown, path: string): JNode {
  if (INTEGER_TYPES.has(name)) return jint(cInteger(name, num(v ?? 0, path)));
  switch (name) {
    case 'bool': return jbool(v === true);
    case 'string': return typeof v === 'string' ? jstr(v) : jnull;
    case 'defbool': return jstr(defboolToString(typeof v === 'boolean' ? v : undefined));
    case 'uuid': return jstr(typeof v === 'string' ? v.toLowerCase() : '00000000-0000-0000-0000-000000000000');
    case 'mac': return jstr(typeof v === 'string' ? v.toLowerCase() : '00:00:00:00:00:00');
    case 'bitmap': {
      const bits = Array.isArray(v) ? [...new Set(v.map((b, i) => num(b, `${path}[${i}]`)))].sort((a, b) => a - b) : [];
      return jarr(bits.map((b) => jint(b)));
    }
    case 'string_list':
      return jarr((Array.isArray(v) ? v : []).map((s) => (typeof s === 'string' ? jstr(s) : jnull)));
    case 'key_value_list':
      return jobj((Array.isArray(v) ? v : []).map((kv: unknown): [string, JNode] => {
        const [k, val] = Array.isArray(kv) ? kv : [String(kv), null];
        return [String(k), typeof val === 'string' ? jstr(val) : jnull];
      }));
    case 'hwcap': return intArray(v, 4, path);
    case 'ms_vm_genid': return intArray(v, 16, path);
    case 'cpuid_policy_list': return genCpuid(v, path);
    default: throw new TypeError(`${path}: unhandled builtin ${name}`);
  }
}

export function genValue(t: IdlType, v: unknown, path: string): JNode {
  switch (t.kind) {
    case 'builtin': return genBuiltin(t.name, v, path);
    case 'enum': {
      const s = typeof v === 'string' ? v.toLowerCase() : ENUMS[t.name].init;
      if (s === undefined || enumValue(t.name, s) === undefined) throw new TypeError(`${path}: not a ${t.name}: ${String(v)}`);
      return jstr(s);
    }
    case 'struct': return genStruct(t.struct, v, path);
    case 'array':
      return jarr((Array.isArray(v) ? v : []).map((e, i) => genValue(t.elem, e, `${path}[${i}]`)));
    case 'union': throw new TypeError(`${path}: a keyed union is generated from its parent struct`);
  }
}

function genUnion(u: IdlKeyedUnion, fieldName: string, parent: Obj, m: Array<[string, JNode]>, path: string): void {
  const raw = parent[u.keyvar];
  const key = typeof raw === 'string' ? raw.toLowerCase() : unionKeyDefault(u);
  const member = u.members.find((x) => x.name === key);
  // No case in the generated switch for this key value: nothing is written.
  if (member === undefined) return;
  const value = member.struct === null ? jobj() : genStruct(member.struct, parent[fieldName], `${path}.${fieldName}`);
  m.push([`${u.keyvar}.${member.name}`, value]);
}

/** libxl_<struct>_gen_json */
export function genStruct(st: IdlStruct, v: unknown, path = st.name ?? '?'): JNode {
  const o: Obj = isObj(v) ? v : {};
  const m: Array<[string, JNode]> = [];
  for (const f of st.fields) {
    if (f.isConst) continue;
    const fpath = `${path}.${f.name}`;
    if (f.type.kind === 'union') {
      genUnion(f.type, f.name, o, m, path);
      continue;
    }
    const val = o[f.name];
    if (!shouldEmit(f, val)) continue;
    m.push([f.name, genValue(f.type, val, fpath)]);
  }
  return jobj(m);
}
