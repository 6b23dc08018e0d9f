/**
 * libxl's JSON surface: libxl_domain_config_to_json / libxl_device_*_to_json
 * (gentypes.py + libxl__object_to_json), the `xl list -l` and printf_info
 * wrappers around libxl_domain_config_gen_json (tools/xl/xl_info.c), and
 * libxl_*_from_json for reading stored configs back.
 *
 * Text layouts: 'yajl' (default; Xen 4.20) or 'json-c' (Xen 4.21+), see json-tree.ts.
 */

import { DEVICE_STRUCTS } from './idl-devices';
import { domain_config } from './idl-domain';
import type { IdlStruct } from './idl';
import { ShapeFail, parseStruct, type JsonShapeError } from './json-from';
import { genStruct } from './json-gen';
import { parseJsonText, type JsonSyntaxError } from './json-parse';
import { jint, jnull, jobj, jarr, renderJson, type JNode, type JsonStyle } from './json-tree';
import type { DeviceKind, DeviceOf, DomainConfig } from './types';

export type { JsonStyle, JNode } from './json-tree';
export type { JsonShapeError } from './json-from';
export type { JsonSyntaxError } from './json-parse';

export type JsonError = JsonSyntaxError | JsonShapeError;
export type JsonResult<T> = { ok: true; value: T } | { ok: false; error: JsonError };

/** A one-line description of a JSON error, for log messages. */
export function describeJsonError(e: JsonError): string {
  return e.kind === 'syntax' ? `parse error at offset ${e.offset}: ${e.message}` : `${e.path}: ${e.message}`;
}

function deviceStruct(kind: DeviceKind): IdlStruct {
  const st = DEVICE_STRUCTS[kind];
  if (st === undefined) throw new TypeError(`unknown device kind ${kind}`);
  return st;
}

/** libxl_domain_config_gen_json as a tree, for embedding in larger documents. */
export function domainConfigToJNode(cfg: DomainConfig): JNode {
  return genStruct(domain_config, cfg);
}

/**
 * libxl_domain_config_to_json. YAJL text ends with a newline (xl's `create -n`
 * fputs it as is); json-c text does not.
 */
export function domainConfigToJson(cfg: DomainConfig, style: JsonStyle = 'yajl'): string {
  return renderJson(domainConfigToJNode(cfg), style);
}

/**
 * libxl_device_<kind>_to_json, as printed by `xl -N <dev>-attach`
 * (`printf("disk: %s\n", json)`, so YAJL output is followed by an empty line).
 */
export function deviceToJson<K extends DeviceKind>(kind: K, dev: DeviceOf[K], style: JsonStyle = 'yajl'): string {
  return renderJson(genStruct(deviceStruct(kind), dev), style);
}

export interface DomainJsonEntry {
  /** null prints `"domid": null` (xl passes -1 for "no domain yet") */
  readonly domid: number | null;
  readonly config: DomainConfig;
}

function entryNode(e: DomainJsonEntry): JNode {
  return jobj([
    ['domid', e.domid === null || e.domid < 0 ? jnull : jint(e.domid)],
    ['config', domainConfigToJNode(e.config)],
  ]);
}

/**
 * printf_info_one_json as a standalone document (`xl config-update -N`,
 * `xl create -d`): `{"domid": N|null, "config": {...}}`; xl fputs it as is.
 */
export function domainInfoToJson(domid: number | null, cfg: DomainConfig, style: JsonStyle = 'yajl'): string {
  return renderJson(entryNode({ domid, config: cfg }), style);
}

/**
 * The generator buffer of `xl list -l` (list_domains_details): an array of
 * `{"domid", "config"}` objects. xl prints it with puts(), which adds one more
 * newline — the caller must add it.
 */
export function domainListToJson(entries: readonly DomainJsonEntry[], style: JsonStyle = 'yajl'): string {
  return renderJson(jarr(entries.map(entryNode)), style);
}

function fromText<T>(text: string, st: IdlStruct): JsonResult<T> {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return parsed;
  return fromJNode<T>(parsed.value, st);
}

function fromJNode<T>(node: JNode, st: IdlStruct): JsonResult<T> {
  try {
    return { ok: true, value: parseStruct(st, node) as T };
  } catch (e) {
    if (e instanceof ShapeFail) return { ok: false, error: { kind: 'shape', path: e.path, message: e.message } };
    throw e;
  }
}

/** libxl_domain_config_from_json: reads YAJL or json-c layout. */
export function domainConfigFromJson(text: string): JsonResult<DomainConfig> {
  return fromText<DomainConfig>(text, domain_config);
}

/** The same, from an already parsed tree (e.g. the "config" member of a list -l entry). */
export function domainConfigFromJNode(node: JNode): JsonResult<DomainConfig> {
  return fromJNode<DomainConfig>(node, domain_config);
}

/** libxl_device_<kind>_from_json */
export function deviceFromJson<K extends DeviceKind>(kind: K, text: string): JsonResult<DeviceOf[K]> {
  return fromText<DeviceOf[K]>(text, deviceStruct(kind));
}

/** Reads back `xl list -l` / printf_info output: one entry or an array of them. */
export function domainListFromJson(text: string): JsonResult<DomainJsonEntry[]> {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return parsed;
  const items = parsed.value.t === 'arr' ? parsed.value.a : [parsed.value];
  const out: DomainJsonEntry[] = [];
  for (const [i, item] of items.entries()) {
    const path = `[${i}]`;
    if (item.t !== 'obj') return { ok: false, error: { kind: 'shape', path, message: 'expected an object' } };
    const d = item.m.find(([k]) => k === 'domid')?.[1];
    const c = item.m.find(([k]) => k === 'config')?.[1];
    if (c === undefined) return { ok: false, error: { kind: 'shape', path: `${path}.config`, message: 'missing' } };
    const cfg = domainConfigFromJNode(c);
    if (!cfg.ok) return cfg;
    const domid = d !== undefined && d.t === 'num' ? Number(d.v) : null;
    out.push({ domid, config: cfg.value });
  }
  return { ok: true, value: out };
}

/** Alias under the name cmd/xl/list.ts uses. */
export const listLongJson = domainListToJson;
