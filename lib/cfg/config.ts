/**
 * The xl config language store and its accessors: the twin of
 * tools/libs/util/libxlu_cfg.c (xlu_cfg_init, xlu_cfg_readdata and every
 * xlu_cfg_get_* function), used for domain configs and for xl.conf.
 *
 * Usage, as xl does it:
 *
 *   const cfg = xluCfgInit(report, 'guest.cfg');
 *   const r = cfg.readData(text);          // text = file contents (+ "\n" + overrides)
 *   if (!r.ok) { print 'Failed to parse config: ' + cfgStrerror(r.errno); exit 1 }
 *   const mem = xluCfgGetLong(cfg, 'memory', false);
 *   if (mem.ok) ... else if (mem.errno === 'ESRCH') ... // absent
 *
 * Every diagnostic libxlu would fprintf() to its report FILE goes to the
 * `report` sink given to xluCfgInit, one call per line, trailing "\n"
 * included, text byte-for-byte as libxlu prints it. Nothing here throws on
 * any input.
 *
 * Return convention (C returns an errno and fills *value_r):
 *   { ok: true, value }                  rc 0
 *   { ok: false, errno: 'ESRCH' }        the key is not set (never warned about)
 *   { ok: false, errno: 'EINVAL' }       wrong shape (list vs single value), `+=` on
 *                                        a number, not a number, out of bounds
 *   { ok: false, errno: 'ERANGE' }       strtol overflow
 * xl_parse.c ignores most return codes (a bad value just means "unset") but
 * probes dual-form keys with dontWarn (cpus, viridian, tsc_mode, ...), so the
 * three failure kinds are kept apart.
 */
import { strtol } from './cconv';
import { parseConfigData, type CfgStore } from './parser';
import type { XluConfigList, XluConfigSetting, XluConfigValue } from './value';
import type { ReportSink } from './report';

export type { XluConfigList, XluConfigSetting, XluConfigString, XluConfigValue, XluOperation } from './value';
export type { ReportSink } from './report';

export type CfgErrno = 'ESRCH' | 'EINVAL' | 'ERANGE';
export type CfgResult<T> = { ok: true; value: T } | { ok: false; errno: CfgErrno };

/** readData's result; `errno` is what xlu_cfg_readdata returns (EINVAL for every parse error). */
export type CfgReadResult = { ok: true } | { ok: false; errno: 'EINVAL' | 'ERANGE' | 'ENOMEM' };

/** C's LONG_MIN / LONG_MAX (LP64), for bounds. */
export const LONG_MIN = -(1n << 63n);
export const LONG_MAX = (1n << 63n) - 1n;
/** C's INT_MAX, the bound xl.conf uses for max_grant_frames & co. */
export const INT_MAX = 2147483647;

const STRERROR: Record<string, string> = {
  ESRCH: 'No such process',
  EINVAL: 'Invalid argument',
  ERANGE: 'Numerical result out of range',
  ENOMEM: 'Cannot allocate memory',
};

/** strerror() of the errno names used here (glibc texts). */
export function cfgStrerror(errno: CfgErrno | 'ENOMEM'): string {
  return STRERROR[errno] ?? 'Unknown error';
}

/** An XLU_Config: the settings read so far, where to report, and the name reports use. */
export class XluConfig implements CfgStore {
  /** the report_source given to xlu_cfg_init: FILE in every "FILE:LINE:" prefix */
  readonly source: string;
  /** the report sink (libxlu's `report` FILE); device-spec parsers report here too */
  readonly report: ReportSink;
  private readonly byName = new Map<string, XluConfigSetting>();
  private readonly history: XluConfigSetting[] = [];

  constructor(report: ReportSink, source: string) {
    this.report = report;
    this.source = source;
  }

  /**
   * xlu_cfg_readdata: parse `data` (the raw bytes, or a string taken as
   * UTF-8) and add its settings. On failure the diagnostics have already
   * gone to the report sink, and the settings must not be used (libxlu
   * says it is undefined behaviour; here they are simply incomplete).
   */
  readData(data: string | Uint8Array): CfgReadResult {
    const err = parseConfigData(this, data);
    return err === 0 ? { ok: true } : { ok: false, errno: err };
  }

  /** find(): the newest setting with this name (so the last assignment wins). */
  find(name: string): XluConfigSetting | undefined {
    return this.byName.get(name);
  }

  /** every setting stored, oldest first (duplicates included) */
  settings(): readonly XluConfigSetting[] {
    return this.history;
  }

  /** @internal the parser's xlu__cfg_set_store, after `+=` has been resolved */
  push(setting: XluConfigSetting): void {
    this.byName.set(setting.name, setting);
    this.history.push(setting);
  }
}

/** xlu_cfg_init(report, report_source) */
export function xluCfgInit(report: ReportSink, source: string): XluConfig {
  return new XluConfig(report, source);
}

function fail<T>(errno: CfgErrno): CfgResult<T> {
  return { ok: false, errno };
}

function warn(cfg: XluConfig, dontWarn: boolean, line: string): void {
  if (!dontWarn) cfg.report(line);
}

/** find_atom: the setting if it is a single value; warns when it is a list. */
function findAtom(cfg: XluConfig, name: string, dontWarn: boolean): CfgResult<XluConfigSetting & { value: { type: 'string' } }> {
  const set = cfg.find(name);
  if (!set) return fail('ESRCH');
  if (set.value.type !== 'string') {
    warn(cfg, dontWarn, `${cfg.source}:${set.lineno}: warning: parameter \`${name}' is a list but should be a single value\n`);
    return fail('EINVAL');
  }
  return { ok: true, value: set as XluConfigSetting & { value: { type: 'string' } } };
}

/** xlu_cfg_get_string: a single value (NUMBER tokens come back as their text). */
export function xluCfgGetString(cfg: XluConfig, name: string, dontWarn = false): CfgResult<string> {
  const a = findAtom(cfg, name, dontWarn);
  return a.ok ? { ok: true, value: a.value.value.value } : a;
}

/**
 * xlu_cfg_replace_string: same lookup and warnings as get_string; C frees
 * and replaces *value_r only on success, so callers assign only when ok.
 */
export function xluCfgReplaceString(cfg: XluConfig, name: string, dontWarn = false): CfgResult<string> {
  return xluCfgGetString(cfg, name, dontWarn);
}

/**
 * xlu_cfg_get_bounded_long with exact 64-bit arithmetic: the setting's text
 * through C strtol(text, &end, 0), then the bounds. The order of checks and
 * the warnings are libxlu's.
 */
export function xluCfgGetBoundedLongBigint(
  cfg: XluConfig,
  name: string,
  min: bigint,
  max: bigint,
  dontWarn = false,
): CfgResult<bigint> {
  const a = findAtom(cfg, name, dontWarn);
  if (!a.ok) return a;
  const set = a.value;
  const src = cfg.source;
  if (set.op === '+=') {
    warn(cfg, dontWarn, `${src}:${set.lineno}: warning: can't use += with numbers for parameter \`${name}'\n`);
    return fail('EINVAL');
  }
  const text = set.value.value;
  const conv = strtol(text, 0);
  if (conv.erange) {
    warn(cfg, dontWarn, `${src}:${set.lineno}: warning: parameter \`${name}' could not be parsed as a number: ${STRERROR.ERANGE}\n`);
    return fail('ERANGE');
  }
  if (conv.end !== text.length || conv.end === 0) {
    warn(cfg, dontWarn, `${src}:${set.lineno}: warning: parameter \`${name}' is not a valid number\n`);
    return fail('EINVAL');
  }
  const l = conv.value;
  if (l < min) {
    warn(cfg, dontWarn, `${src}:${set.lineno}: warning: value \`${l}' is smaller than minimum bound '${min}'\n`);
    return fail('EINVAL');
  }
  if (l > max) {
    warn(cfg, dontWarn, `${src}:${set.lineno}: warning: value \`${l}' is greater than maximum bound '${max}'\n`);
    return fail('EINVAL');
  }
  return { ok: true, value: l };
}

/**
 * xlu_cfg_get_bounded_long. The value is a JS number: exact up to 2^53,
 * rounded beyond (use the Bigint variant where that matters).
 */
export function xluCfgGetBoundedLong(
  cfg: XluConfig,
  name: string,
  min: number | bigint,
  max: number | bigint,
  dontWarn = false,
): CfgResult<number> {
  const r = xluCfgGetBoundedLongBigint(cfg, name, BigInt(min), BigInt(max), dontWarn);
  return r.ok ? { ok: true, value: Number(r.value) } : r;
}

/** xlu_cfg_get_long: bounded by LONG_MIN..LONG_MAX, i.e. only strtol's own checks. */
export function xluCfgGetLong(cfg: XluConfig, name: string, dontWarn = false): CfgResult<number> {
  return xluCfgGetBoundedLong(cfg, name, LONG_MIN, LONG_MAX, dontWarn);
}

/** xlu_cfg_get_long with the exact 64-bit value */
export function xluCfgGetLongBigint(cfg: XluConfig, name: string, dontWarn = false): CfgResult<bigint> {
  return xluCfgGetBoundedLongBigint(cfg, name, LONG_MIN, LONG_MAX, dontWarn);
}

/** xlu_cfg_get_defbool: a number, true when non-zero ("yes"/"true" are not numbers). */
export function xluCfgGetDefbool(cfg: XluConfig, name: string, dontWarn = false): CfgResult<boolean> {
  const r = xluCfgGetLongBigint(cfg, name, dontWarn);
  return r.ok ? { ok: true, value: r.value !== 0n } : r;
}

/** xlu_cfg_get_list: the list (its length is C's *entries_r); warns when it is a single value. */
export function xluCfgGetList(cfg: XluConfig, name: string, dontWarn = false): CfgResult<XluConfigList> {
  const set = cfg.find(name);
  if (!set) return fail('ESRCH');
  if (set.value.type !== 'list') {
    warn(cfg, dontWarn, `${cfg.source}:${set.lineno}: warning: parameter \`${name}' is a single value but should be a list\n`);
    return fail('EINVAL');
  }
  return { ok: true, value: set.value };
}

/**
 * xlu_cfg_get_list_as_string_list: every item, with null where an item is
 * itself a list. In C the result is a NULL-terminated char* array, so every
 * consumer stops at the first null: treat the list as ending there.
 */
export function xluCfgGetListAsStringList(cfg: XluConfig, name: string, dontWarn = false): CfgResult<(string | null)[]> {
  const r = xluCfgGetList(cfg, name, dontWarn);
  if (!r.ok) return r;
  return { ok: true, value: r.value.values.map((v) => (v.type === 'string' ? v.value : null)) };
}

/** xlu_cfg_get_listitem: the entry if it exists and is a string; null otherwise, silently. */
export function xluCfgGetListitem(list: XluConfigList, entry: number): string | null {
  if (entry < 0 || entry >= list.values.length) return null;
  const v = list.values[entry];
  return v.type === 'string' ? v.value : null;
}

/** xlu_cfg_get_listitem2: the entry whatever its type; null when out of range. */
export function xluCfgGetListitem2(list: XluConfigList, entry: number): XluConfigValue | null {
  if (entry < 0 || entry >= list.values.length) return null;
  return list.values[entry];
}

/** xlu_cfg_value_type */
export function xluCfgValueType(value: XluConfigValue): 'string' | 'list' {
  return value.type;
}

/** xlu_cfg_value_get_string: warns "FILE:LINE:0: warning: value is not a string". */
export function xluCfgValueGetString(cfg: XluConfig, value: XluConfigValue, dontWarn = false): CfgResult<string> {
  if (value.type !== 'string') {
    warn(cfg, dontWarn, `${cfg.source}:${value.line}:0: warning: value is not a string\n`);
    return fail('EINVAL');
  }
  return { ok: true, value: value.value };
}

/** xlu_cfg_value_get_list: warns "FILE:LINE:0: warning: value is not a list". */
export function xluCfgValueGetList(cfg: XluConfig, value: XluConfigValue, dontWarn = false): CfgResult<XluConfigList> {
  if (value.type !== 'list') {
    warn(cfg, dontWarn, `${cfg.source}:${value.line}:0: warning: value is not a list\n`);
    return fail('EINVAL');
  }
  return { ok: true, value };
}
