/**
 * The libxlu accessors as parse_config_data() calls them
 * (xlu_cfg_get_string / _long / _bounded_long / _defbool / _list /
 * _listitem / _list_as_string_list), over lib/cfg/config.ts, with C's
 * numeric return codes (0, ESRCH, EINVAL) so the parser reads like xl's.
 * Warnings go to the config's report sink (stderr for xl).
 */
import {
  xluCfgGetBoundedLong,
  xluCfgGetDefbool,
  xluCfgGetList,
  xluCfgGetListAsStringList,
  xluCfgGetListitem,
  xluCfgGetLong,
  xluCfgGetString,
  xluCfgValueGetList,
  type CfgResult,
  type XluConfig,
  type XluConfigList,
} from '../../../lib/cfg/config';

export const ESRCH = 3 as const;
export const EINVAL = 22 as const;
export const ERANGE = 34 as const;

export type Got<T> = { rc: 0; value: T } | { rc: typeof ESRCH | typeof EINVAL | typeof ERANGE; value?: undefined };

export interface XluList {
  readonly count: number;
  /** xlu_cfg_get_listitem: the i-th item if it is a string, else undefined (silently) */
  item(i: number): string | undefined;
  /** whether the i-th item is a string (xlu_cfg_value_type == XLU_STRING) */
  isString(i: number): boolean;
  /** xlu_cfg_value_get_list on the i-th item: warns "value is not a list" unless dontWarn */
  itemAsList(i: number, dontWarn?: boolean): XluList | undefined;
}

export interface Xlu {
  readonly source: string;
  getString(key: string, dontWarn?: boolean): Got<string>;
  getLong(key: string, dontWarn?: boolean): Got<number>;
  getBoundedLong(key: string, min: number, max: number, dontWarn?: boolean): Got<number>;
  getDefbool(key: string, dontWarn?: boolean): Got<boolean>;
  getList(key: string, dontWarn?: boolean): Got<XluList>;
  /** items up to the first non-string one (C's NULL-terminated array) */
  getListAsStringList(key: string, dontWarn?: boolean): Got<string[]>;
}

function rc<T, U>(r: CfgResult<T>, map: (v: T) => U): Got<U> {
  if (r.ok) return { rc: 0, value: map(r.value) };
  return { rc: r.errno === 'ESRCH' ? ESRCH : r.errno === 'ERANGE' ? ERANGE : EINVAL };
}

function wrapList(cfg: XluConfig, l: XluConfigList): XluList {
  return {
    count: l.values.length,
    item: (i) => xluCfgGetListitem(l, i) ?? undefined,
    isString: (i) => l.values[i]?.type === 'string',
    itemAsList: (i, dontWarn = false) => {
      const v = l.values[i];
      if (v === undefined) return undefined;
      const r = xluCfgValueGetList(cfg, v, dontWarn);
      return r.ok ? wrapList(cfg, r.value) : undefined;
    },
  };
}

export function xluOf(cfg: XluConfig): Xlu {
  return {
    source: cfg.source,
    getString: (k, dw = false) => rc(xluCfgGetString(cfg, k, dw), (v) => v),
    getLong: (k, dw = false) => rc(xluCfgGetLong(cfg, k, dw), (v) => v),
    getBoundedLong: (k, min, max, dw = false) => rc(xluCfgGetBoundedLong(cfg, k, min, max, dw), (v) => v),
    getDefbool: (k, dw = false) => rc(xluCfgGetDefbool(cfg, k, dw), (v) => v),
    getList: (k, dw = false) => rc(xluCfgGetList(cfg, k, dw), (l) => wrapList(cfg, l)),
    getListAsStringList: (k, dw = false) =>
      rc(xluCfgGetListAsStringList(cfg, k, dw), (items) => {
        const out: string[] = [];
        for (const s of items) {
          if (s === null) break;
          out.push(s);
        }
        return out;
      }),
  };
}
