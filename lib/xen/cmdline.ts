/**
 * The few Xen boot options the simulator acts on, parsed from the command
 * line the way Xen's param parser reads them (later occurrences win,
 * booleans accept 1/0, yes/no, on/off, true/false, enable/disable and the
 * `no-<name>` form).
 */
import { CONRING_DEFAULT_BYTES, PAGES_PER_MIB } from './constants';
import type { SchedulerName } from './types';

export interface XenCmdline {
  dom0Mem?: string;
  dom0MaxVcpus?: string;
  dom0Pvh: boolean;
  sched?: SchedulerName;
  altp2m: boolean;
  hap: boolean;
  conringBytes: number;
  loglvl?: { lower: number; upper: number };
  guestLoglvl?: { lower: number; upper: number };
}

const TRUE = new Set(['1', 'yes', 'on', 'true', 'enable']);
const FALSE = new Set(['0', 'no', 'off', 'false', 'disable']);

function bool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return true;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return dflt;
}

/** K/M/G suffixes; a bare number means bytes here (conring_size). */
function sizeBytes(s: string): number | undefined {
  const m = /^(\d+)([kKmMgG]?)$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  const mul = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase()] ?? 1;
  return n * mul;
}

const LEVELS: Record<string, number> = { none: 0, error: 1, warning: 2, info: 3, debug: 4, all: 4 };

/** loglvl=<lower>[/<upper>]; the upper threshold is never below the lower one. */
function level(s: string): { lower: number; upper: number } | undefined {
  const [a, b] = s.split('/');
  const lower = LEVELS[a!];
  if (lower === undefined) return undefined;
  const upper = b === undefined ? lower : LEVELS[b];
  if (upper === undefined) return undefined;
  return { lower, upper: Math.max(lower, upper) };
}

export function parseCmdline(cmdline: string): XenCmdline {
  const out: XenCmdline = { dom0Pvh: false, altp2m: false, hap: true, conringBytes: CONRING_DEFAULT_BYTES };
  for (const tok of cmdline.split(/\s+/).filter(Boolean)) {
    const eq = tok.indexOf('=');
    let name = eq < 0 ? tok : tok.slice(0, eq);
    const val = eq < 0 ? undefined : tok.slice(eq + 1);
    let negated = false;
    if (name.startsWith('no-') && val === undefined) {
      negated = true;
      name = name.slice(3);
    }
    switch (name) {
      case 'dom0_mem':
        if (val !== undefined) out.dom0Mem = val;
        break;
      case 'dom0_max_vcpus':
        if (val !== undefined) out.dom0MaxVcpus = val;
        break;
      case 'dom0':
        for (const item of (val ?? '').split(',')) {
          if (item === 'pvh') out.dom0Pvh = true;
          else if (item === 'pv') out.dom0Pvh = false;
        }
        break;
      case 'sched':
        if (val === 'credit' || val === 'credit2' || val === 'rtds' || val === 'arinc653' || val === 'null') out.sched = val;
        break;
      case 'altp2m':
        out.altp2m = negated ? false : bool(val, out.altp2m);
        break;
      case 'hap':
        out.hap = negated ? false : bool(val, out.hap);
        break;
      case 'conring_size': {
        const b = val === undefined ? undefined : sizeBytes(val);
        if (b !== undefined && b >= CONRING_DEFAULT_BYTES) out.conringBytes = b;
        break;
      }
      case 'loglvl':
        if (val !== undefined && level(val)) out.loglvl = level(val);
        break;
      case 'guest_loglvl':
        if (val !== undefined && level(val)) out.guestLoglvl = level(val);
        break;
      default:
        break;
    }
  }
  return out;
}

/** One `dom0_mem` amount: [-]<size>[+<pct>%] or <pct>%; sizes default to KiB like Xen's parse_size_and_unit. */
export interface MemAmount {
  minus: boolean;
  pages: number;
  percent: number;
}

export interface Dom0MemSpec {
  size?: MemAmount;
  min?: MemAmount;
  max?: MemAmount;
}

function amountPages(s: string): { pages: number; rest: string } | undefined {
  const m = /^(0x[0-9a-fA-F]+|\d+)([tTgGmMkKbB%]?)(.*)$/.exec(s);
  if (!m) return undefined;
  let v = Number(m[1]);
  const unit = m[2]!;
  if (unit === '%') return { pages: -v, rest: m[3]! };
  const shift: Record<string, number> = { t: 40, g: 30, m: 20, k: 10, b: 0, '': 10 };
  v = v * 2 ** shift[unit.toLowerCase()]!;
  return { pages: Math.floor(v / 4096), rest: m[3]! };
}

function parseAmount(s: string): MemAmount | undefined {
  const minus = s.startsWith('-');
  let rest = minus ? s.slice(1) : s;
  const out: MemAmount = { minus, pages: 0, percent: 0 };
  let items = 0;
  for (;;) {
    const a = amountPages(rest);
    if (!a) return undefined;
    if (a.pages < 0) {
      if (-a.pages >= 100) return undefined;
      out.percent = -a.pages;
      items += 2;
    } else {
      if (items > 0) return undefined;
      out.pages = a.pages;
      items++;
    }
    rest = a.rest;
    if (rest.startsWith('+') && items < 2) {
      rest = rest.slice(1);
      continue;
    }
    break;
  }
  return rest === '' ? out : undefined;
}

/** `dom0_mem=[min:<amt>,][max:<amt>,][<amt>]`; undefined when malformed (Xen then ignores it). */
export function parseDom0Mem(s: string): Dom0MemSpec | undefined {
  const spec: Dom0MemSpec = {};
  for (const item of s.split(',')) {
    if (item.startsWith('min:')) {
      const a = parseAmount(item.slice(4));
      if (!a) return undefined;
      spec.min = a;
    } else if (item.startsWith('max:')) {
      const a = parseAmount(item.slice(4));
      if (!a) return undefined;
      spec.max = a;
    } else {
      const a = parseAmount(item);
      if (!a) return undefined;
      spec.size = a;
    }
  }
  return spec;
}

function memsize(a: MemAmount, avail: number): number {
  const pages = a.pages + Math.floor((a.percent * avail) / 100);
  return a.minus ? Math.max(0, avail - pages) : pages;
}

/**
 * Dom0's initial size and max_pages from the available heap pages
 * (dom0_compute_nr_pages): the explicit size or all but min(1/16, 128 MiB),
 * clamped by min:/max: and by what is available. max_pages is the max: value
 * or, without one, Xen's "unlimited" UINT_MAX.
 */
export function dom0Pages(spec: Dom0MemSpec | undefined, avail: number): { nrPages: number; maxPages: number } {
  const reserve = Math.min(Math.floor(avail / 16), 128 * PAGES_PER_MIB);
  const size = spec?.size ? memsize(spec.size, avail) : 0;
  let nr = size > 0 ? size : avail - reserve;
  const min = spec?.min ? memsize(spec.min, avail) : 0;
  const max = spec?.max ? memsize(spec.max, avail) : Number.MAX_SAFE_INTEGER;
  nr = Math.max(nr, min);
  nr = Math.min(nr, max);
  nr = Math.min(nr, avail);
  return { nrPages: nr, maxPages: Math.min(max, 0xffffffff) };
}

/** dom0_max_vcpus=N | N- | N-M | -M against the host's CPU count (default: all CPUs). */
export function dom0Vcpus(spec: string | undefined, nrCpus: number): number {
  let min = 1;
  let max = Number.MAX_SAFE_INTEGER;
  if (spec !== undefined) {
    const m = /^(\d*)(-?)(\d*)$/.exec(spec);
    if (m) {
      if (m[1] !== '') min = Number(m[1]);
      if (m[2] === '' && m[1] !== '') max = min;
      else if (m[3] !== '') max = Number(m[3]);
    }
  }
  let n = nrCpus;
  if (n > max) n = max;
  if (n < min) n = min;
  return Math.max(1, n);
}
