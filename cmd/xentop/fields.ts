/**
 * xentop's domain table (tools/xentop/xentop.c): the nineteen columns, how
 * each is printed and compared, and the widths that grow with large
 * counters. Formats are xentop's own, byte for byte.
 */
import { sprintf } from '../../lib/util/printf';
import type { XenstatDomain, XenstatNode } from '../../lib/libxl/stats';

/** What the column printers need besides the domain. */
export interface FieldEnv {
  cur: XenstatNode;
  /** the domain in the previous sample, for CPU(%) */
  prev(domid: number): XenstatDomain | undefined;
  /** µs between the previous sample and this one (undefined: no previous sample) */
  usElapsed: number | undefined;
  showFullName: boolean;
  widths: Widths;
}

export interface Widths {
  name: number;
  netTx: number;
  netRx: number;
  vbdRd: number;
  vbdWr: number;
  vbdRsect: number;
  vbdWsect: number;
}

export function defaultWidths(): Widths {
  return { name: 10, netTx: 8, netRx: 8, vbdRd: 8, vbdWr: 8, vbdRsect: 10, vbdWsect: 10 };
}

export interface Field {
  header: string;
  width(w: Widths): number;
  compare(a: XenstatDomain, b: XenstatDomain, e: FieldEnv): number;
  print(d: XenstatDomain, e: FieldEnv): string;
}

const cmp = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);

function strcasecmp(a: string, b: string): number {
  const x = Buffer.from(a.toLowerCase(), 'latin1');
  const y = Buffer.from(b.toLowerCase(), 'latin1');
  return Math.sign(Buffer.compare(x, y));
}

/** xentop's state letters, in its order: dying, shutdown, blocked, crashed, paused, running. */
const STATES: Array<[(d: XenstatDomain) => boolean, string]> = [
  [(d) => d.dying, 'd'],
  [(d) => d.shutdown, 's'],
  [(d) => d.blocked, 'b'],
  [(d) => d.crashed, 'c'],
  [(d) => d.paused, 'p'],
  [(d) => d.running, 'r'],
];

export function stateString(d: XenstatDomain): string {
  return STATES.map(([get, ch]) => (get(d) ? ch : '-')).join('');
}

export function cpuPct(d: XenstatDomain, e: FieldEnv): number {
  if (e.usElapsed === undefined) return 0;
  const old = e.prev(d.id);
  if (!old) return 0;
  // a manual clock can stand still between samples: no time, no rate
  if (e.usElapsed <= 0) return 0;
  return (d.cpuNs - old.cpuNs) / 10 / e.usElapsed;
}

export function totNetBytes(d: XenstatDomain, rx: boolean): number {
  return d.networks.reduce((t, n) => t + (rx ? n.rbytes : n.tbytes), 0);
}

export type VbdStat = 'oo' | 'rd' | 'wr' | 'rsect' | 'wsect';

/** Totals over the readable VBDs; undefined when every VBD failed (printed as '-'). */
export function totVbd(d: XenstatDomain, which: VbdStat): number | undefined {
  let show = d.vbds.length === 0;
  let total = 0;
  for (const v of d.vbds) {
    if (v.error) continue;
    show = true;
    total += { oo: v.ooReqs, rd: v.rdReqs, wr: v.wrReqs, rsect: v.rdSects, wsect: v.wrSects }[which];
  }
  return show ? total : undefined;
}

function vbdField(header: string, which: VbdStat, w: (x: Widths) => number): Field {
  return {
    header,
    width: w,
    compare: (a, b) => -cmp(totVbd(a, which) ?? 0, totVbd(b, which) ?? 0),
    print: (d, e) => {
      const v = totVbd(d, which);
      return v === undefined ? sprintf('%*c', w(e.widths), '-') : sprintf('%*llu', w(e.widths), v);
    },
  };
}

const kb = (bytes: number): number => Math.floor(bytes / 1024);

export const FIELDS: Field[] = [
  {
    header: 'NAME',
    width: (w) => w.name,
    compare: (a, b) => strcasecmp(a.name, b.name),
    print: (d, e) => (e.showFullName ? sprintf('%*s', e.widths.name, d.name) : sprintf('%10.10s', d.name)),
  },
  {
    header: 'STATE',
    width: () => 6,
    compare: (a, b) => {
      for (const [get] of STATES) {
        if (get(a) && !get(b)) return -1;
        if (get(b) && !get(a)) return 1;
      }
      return 0;
    },
    print: (d) => stateString(d),
  },
  {
    header: 'CPU(sec)',
    width: () => 10,
    compare: (a, b) => -cmp(a.cpuNs, b.cpuNs),
    print: (d) => sprintf('%10llu', Math.floor(d.cpuNs / 1e9)),
  },
  {
    header: 'CPU(%)',
    width: () => 6,
    compare: (a, b, e) => -cmp(cpuPct(a, e), cpuPct(b, e)),
    print: (d, e) => sprintf('%6.1f', cpuPct(d, e)),
  },
  {
    header: 'MEM(k)',
    width: () => 10,
    compare: (a, b) => -cmp(a.curMem, b.curMem),
    print: (d) => sprintf('%10llu', kb(d.curMem)),
  },
  {
    header: 'MEM(%)',
    width: () => 6,
    compare: (a, b) => -cmp(a.curMem, b.curMem),
    print: (d, e) => sprintf('%6.1f', (d.curMem / e.cur.totMem) * 100),
  },
  {
    header: 'MAXMEM(k)',
    width: () => 10,
    compare: (a, b) => -cmp(a.maxMem ?? Number.MAX_VALUE, b.maxMem ?? Number.MAX_VALUE),
    print: (d) => (d.maxMem === null ? sprintf('%10s', 'no limit') : sprintf('%10llu', kb(d.maxMem))),
  },
  {
    header: 'MAXMEM(%)',
    width: () => 9,
    compare: (a, b) => -cmp(a.maxMem ?? Number.MAX_VALUE, b.maxMem ?? Number.MAX_VALUE),
    print: (d, e) => (d.maxMem === null ? sprintf('%9s', 'n/a') : sprintf('%9.1f', (d.maxMem / e.cur.totMem) * 100)),
  },
  {
    header: 'VCPUS',
    width: () => 5,
    compare: (a, b) => -cmp(a.numVcpus, b.numVcpus),
    print: (d) => sprintf('%5u', d.numVcpus),
  },
  {
    header: 'NETS',
    width: () => 4,
    compare: (a, b) => -cmp(a.networks.length, b.networks.length),
    print: (d) => sprintf('%4u', d.networks.length),
  },
  {
    header: 'NETTX(k)',
    width: (w) => w.netTx,
    compare: (a, b) => -cmp(totNetBytes(a, false), totNetBytes(b, false)),
    print: (d, e) => sprintf('%*llu', e.widths.netTx, kb(totNetBytes(d, false))),
  },
  {
    header: 'NETRX(k)',
    width: (w) => w.netRx,
    compare: (a, b) => -cmp(totNetBytes(a, true), totNetBytes(b, true)),
    print: (d, e) => sprintf('%*llu', e.widths.netRx, kb(totNetBytes(d, true))),
  },
  {
    header: 'VBDS',
    width: () => 4,
    compare: (a, b) => -cmp(a.vbds.length, b.vbds.length),
    print: (d) => sprintf('%4u', d.vbds.length),
  },
  {
    header: 'VBD_OO',
    width: () => 8,
    compare: (a, b) => -cmp(totVbd(a, 'oo') ?? 0, totVbd(b, 'oo') ?? 0),
    // xentop prints this one at its fixed width, never widened
    print: (d) => {
      const v = totVbd(d, 'oo');
      return v === undefined ? sprintf('%8c', '-') : sprintf('%8llu', v);
    },
  },
  vbdField('VBD_RD', 'rd', (w) => w.vbdRd),
  vbdField('VBD_WR', 'wr', (w) => w.vbdWr),
  vbdField('VBD_RSECT', 'rsect', (w) => w.vbdRsect),
  vbdField('VBD_WSECT', 'wsect', (w) => w.vbdWsect),
  {
    header: 'SSID',
    width: () => 4,
    compare: (a, b) => cmp(a.ssid, b.ssid),
    print: (d) => sprintf('%4u', d.ssid),
  },
];

/** Decimal digits of n as xentop counts them: (unsigned)(log10(n) + 1). */
function intFieldWidth(n: number): number {
  return Math.floor(Math.log10(n) + 1);
}

/** Back to the defaults before each screen; the name column only ever grows. */
export function resetWidths(w: Widths): void {
  const d = defaultWidths();
  w.netTx = d.netTx;
  w.netRx = d.netRx;
  w.vbdRd = d.vbdRd;
  w.vbdWr = d.vbdWr;
  w.vbdRsect = d.vbdRsect;
  w.vbdWsect = d.vbdWsect;
}

export function adjustWidths(w: Widths, d: XenstatDomain, showFullName: boolean): void {
  if (showFullName) w.name = Math.max(w.name, Buffer.byteLength(d.name));
  w.netTx = Math.max(w.netTx, intFieldWidth(kb(totNetBytes(d, false)) + 1));
  w.netRx = Math.max(w.netRx, intFieldWidth(kb(totNetBytes(d, true)) + 1));
  w.vbdRd = Math.max(w.vbdRd, intFieldWidth((totVbd(d, 'rd') ?? 0) + 1));
  w.vbdWr = Math.max(w.vbdWr, intFieldWidth((totVbd(d, 'wr') ?? 0) + 1));
  w.vbdRsect = Math.max(w.vbdRsect, intFieldWidth((totVbd(d, 'rsect') ?? 0) + 1));
  w.vbdWsect = Math.max(w.vbdWsect, intFieldWidth((totVbd(d, 'wsect') ?? 0) + 1));
}
