/**
 * Shared helpers for the config-language tests: parse a text as xl would
 * (source name "g.cfg") and capture everything reported.
 */
import { xluCfgInit, type XluConfig, type XluConfigValue } from '../../lib/cfg/config';

export interface Parsed {
  cfg: XluConfig;
  ok: boolean;
  /** everything sent to the report sink, concatenated */
  report: string;
  /** the calls to the sink, one per line */
  lines: string[];
  /** the sink's text since the parse (accessor warnings) */
  since(): string;
}

export function parse(text: string | Uint8Array, source = 'g.cfg'): Parsed {
  const lines: string[] = [];
  const cfg = xluCfgInit((l) => lines.push(l), source);
  const r = cfg.readData(text);
  const mark = lines.length;
  return {
    cfg,
    ok: r.ok,
    report: lines.join(''),
    lines,
    since: () => lines.slice(mark).join(''),
  };
}

/** The stored value in a compact form: strings as JSON, lists as [..], with lines when asked. */
export function show(v: XluConfigValue | undefined, withLines = false): string {
  if (v === undefined) return 'undefined';
  const at = withLines ? `@${v.line}` : '';
  if (v.type === 'string') return JSON.stringify(v.value) + at;
  return `[${v.values.map((x) => show(x, withLines)).join(',')}]${at}`;
}

export const PYTHON =
  'warning: Config file looks like it contains Python code.\n' +
  'warning:  Arbitrary Python is no longer supported.\n' +
  'warning:  See https://wiki.xen.org/wiki/PythonInXlConfig\n';
