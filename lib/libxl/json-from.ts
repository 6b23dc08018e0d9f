/**
 * JNode -> libxl object: the twin of the `libxl_<type>_parse_json` functions
 * gentypes.py writes (libxl_C_type_parse_json) and of the builtin parsers in
 * libxl_json.c.
 *
 * Like libxl: keys are looked up by name (first occurrence), unknown keys are
 * ignored, and a key whose JSON kind is not the one the field expects is
 * ignored too (libxl__json_map_get returns NULL on a kind mismatch). A value of
 * the right kind that does not parse (unknown enum name, bad defbool string,
 * malformed uuid/mac, non-integer bitmap entry, out-of-range integer) is an
 * error. Absent fields keep their init value; nested structs are always built.
 */

import { enumFromString } from './idl-enums';
import { unionKeyDefault, type BuiltinName, type IdlStruct, type IdlType } from './idl';
import type { JNode } from './json-tree';

export interface JsonShapeError {
  readonly kind: 'shape';
  /** where in the object, e.g. `domain_config.b_info.type.hvm.vnc.enable` */
  readonly path: string;
  readonly message: string;
}

export class ShapeFail extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
  }
}

type Mut = Record<string, unknown>;

/** The json_parse_type of each IDL type: what kind of JSON value the field accepts. */
function accepts(t: IdlType, n: JNode): boolean {
  switch (t.kind) {
    case 'struct': return n.t === 'obj';
    case 'array': return n.t === 'arr';
    case 'enum': return n.t === 'str';
    case 'union': return n.t === 'obj';
    case 'builtin':
      switch (t.name) {
        case 'bool': return n.t === 'bool';
        case 'string': return n.t === 'str' || n.t === 'null';
        case 'defbool': case 'uuid': case 'mac': return n.t === 'str';
        case 'bitmap': case 'string_list': case 'hwcap': return n.t === 'arr';
        case 'key_value_list': return n.t === 'obj';
        case 'ms_vm_genid': case 'cpuid_policy_list': return true;
        default: return isJsonInteger(n);
      }
  }
}

/** yajl hands libxl a JSON_INTEGER only for an integer that fits in long long. */
function isJsonInteger(n: JNode): boolean {
  if (n.t !== 'num' || !/^-?\d+$/.test(n.v)) return false;
  const b = BigInt(n.v);
  return b >= -(2n ** 63n) && b < 2n ** 63n;
}

const RANGES: Partial<Record<BuiltinName, readonly [bigint, bigint]>> = {
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  devid: [-(2n ** 31n), 2n ** 31n - 1n],
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 2n ** 32n - 1n],
  domid: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  MemKB: [0n, 2n ** 64n - 1n],
};

function integer(n: JNode, name: BuiltinName, path: string): number {
  if (!isJsonInteger(n) || n.t !== 'num') throw new ShapeFail(path, 'expected an integer');
  const b = BigInt(n.v);
  const r = RANGES[name];
  if (r && (b < r[0] || b > r[1])) throw new ShapeFail(path, `integer ${n.v} out of range for ${name}`);
  return Number(b);
}

function str(n: JNode, path: string): string {
  if (n.t !== 'str') throw new ShapeFail(path, 'expected a string');
  return n.v;
}

function arr(n: JNode, path: string): JNode[] {
  if (n.t !== 'arr') throw new ShapeFail(path, 'expected an array');
  return n.a;
}

/** libxl_uuid_from_string: 8-4-4-4-12 hex digits. */
function parseUuid(s: string, path: string): string {
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s))
    throw new ShapeFail(path, `invalid uuid "${s}"`);
  return s.toLowerCase();
}

/** libxl__parse_mac: six hex octets separated by ':'. */
function parseMac(s: string, path: string): string {
  const parts = s.split(':');
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p)))
    throw new ShapeFail(path, `invalid mac "${s}"`);
  return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
}

function fixedInts(n: JNode, len: number, path: string): number[] {
  const a = arr(n, path);
  if (a.length < len) throw new ShapeFail(path, `expected ${len} integers`);
  return a.slice(0, len).map((e, i) => integer(e, 'uint32', `${path}[${i}]`));
}

function parseCpuid(n: JNode, path: string): unknown {
  if (n.t !== 'obj') throw new ShapeFail(path, 'expected an object');
  const get = (k: string): JNode | undefined => n.m.find(([key]) => key === k)?.[1];
  const cpuidNode = get('cpuid');
  const msrNode = get('msr');
  const cpuid = (cpuidNode ? arr(cpuidNode, `${path}.cpuid`) : []).map((e, i) => {
    const p = `${path}.cpuid[${i}]`;
    if (e.t !== 'obj') throw new ShapeFail(p, 'expected an object');
    const leaf: Mut = {};
    for (const [k, v] of e.m) {
      if (k === 'leaf' || k === 'subleaf') leaf[k] = integer(v, 'uint32', `${p}.${k}`);
      else if (['eax', 'ebx', 'ecx', 'edx'].includes(k)) leaf[k] = str(v, `${p}.${k}`);
    }
    return leaf;
  });
  const msr = (msrNode ? arr(msrNode, `${path}.msr`) : []).map((e, i) => {
    const p = `${path}.msr[${i}]`;
    if (e.t !== 'obj') throw new ShapeFail(p, 'expected an object');
    const idx = e.m.find(([k]) => k === 'index')?.[1];
    const pol = e.m.find(([k]) => k === 'policy')?.[1];
    if (!idx || !pol) throw new ShapeFail(p, 'msr entry needs index and policy');
    return { index: integer(idx, 'uint32', `${p}.index`), policy: str(pol, `${p}.policy`) };
  });
  return { cpuid, msr };
}

function parseBuiltin(name: BuiltinName, n: JNode, path: string): unknown {
  switch (name) {
    case 'bool':
      if (n.t !== 'bool') throw new ShapeFail(path, 'expected a boolean');
      return n.v;
    case 'string':
      if (n.t === 'null') return undefined;
      return str(n, path);
    case 'defbool': {
      // libxl__defbool_parse_json compares prefixes (strncmp with the constant's length).
      const s = str(n, path);
      if (s.startsWith('<default>')) return undefined;
      if (s.startsWith('True')) return true;
      if (s.startsWith('False')) return false;
      throw new ShapeFail(path, `invalid defbool "${s}"`);
    }
    case 'uuid': return parseUuid(str(n, path), path);
    case 'mac': return parseMac(str(n, path), path);
    case 'bitmap': {
      const bits = arr(n, path).map((e, i) => integer(e, 'integer', `${path}[${i}]`));
      if (bits.some((b) => b < 0)) throw new ShapeFail(path, 'negative bit number');
      return [...new Set(bits)].sort((a, b) => a - b);
    }
    case 'string_list': return arr(n, path).map((e, i) => str(e, `${path}[${i}]`));
    case 'key_value_list': {
      if (n.t !== 'obj') throw new ShapeFail(path, 'expected an object');
      return n.m.map(([k, v]) => {
        if (v.t !== 'str' && v.t !== 'null') throw new ShapeFail(`${path}.${k}`, 'expected a string or null');
        return [k, v.t === 'str' ? v.v : null];
      });
    }
    case 'hwcap': return fixedInts(n, 4, path);
    case 'ms_vm_genid': return fixedInts(n, 16, path).map((b) => b & 0xff);
    case 'cpuid_policy_list': return parseCpuid(n, path);
    default: return integer(n, name, path);
  }
}

export function parseValue(t: IdlType, n: JNode, path: string): unknown {
  switch (t.kind) {
    case 'builtin': return parseBuiltin(t.name, n, path);
    case 'enum': {
      const s = str(n, path);
      const v = enumFromString(t.name, s);
      if (v === undefined) throw new ShapeFail(path, `invalid ${t.name} "${s}"`);
      return v;
    }
    case 'struct': return parseStruct(t.struct, n, path);
    case 'array': return arr(n, path).map((e, i) => parseValue(t.elem, e, `${path}[${i}]`));
    case 'union': throw new ShapeFail(path, 'a keyed union is parsed from its parent struct');
  }
}

/** libxl_<struct>_init for our representation: every nested struct exists. */
export function initStruct(st: IdlStruct): Mut {
  const o: Mut = {};
  for (const f of st.fields) if (f.type.kind === 'struct') o[f.name] = initStruct(f.type.struct);
  return o;
}

/** libxl_<struct>_parse_json */
export function parseStruct(st: IdlStruct, n: JNode, path = st.name ?? '?'): Mut {
  if (n.t !== 'obj') throw new ShapeFail(path, 'expected an object');
  const first = (k: string): JNode | undefined => n.m.find(([key]) => key === k)?.[1];
  const o = initStruct(st);
  for (const f of st.fields) {
    if (f.isConst) continue;
    const t = f.type;
    if (t.kind === 'union') {
      const dflt = unionKeyDefault(t);
      for (const mem of t.members) {
        const key = `${t.keyvar}.${mem.name}`;
        const x = first(key);
        if (x === undefined || x.t !== 'obj') continue;
        if (mem.name === dflt) delete o[t.keyvar];
        else o[t.keyvar] = mem.name;
        if (mem.struct) o[f.name] = parseStruct(mem.struct, x, `${path}.${key}`);
        else delete o[f.name];
      }
      continue;
    }
    const x = first(f.name);
    if (x === undefined || !accepts(t, x)) continue;
    const v = parseValue(t, x, `${path}.${f.name}`);
    if (v !== undefined) o[f.name] = v;
  }
  return o;
}
