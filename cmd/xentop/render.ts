/**
 * One xentop screen (xentop.c top(), do_summary, do_header, do_domain,
 * do_vcpu, do_network, do_vbd), written to a sink: stdout text in batch
 * mode, the curses-like screen otherwise.
 */
import { sprintf } from '../../lib/util/printf';
import type { XenstatDomain, XenstatNode } from '../../lib/libxl/stats';
import { FIELDS, adjustWidths, defaultWidths, resetWidths, type FieldEnv, type Widths } from './fields';

export const ATTR_NONE = 0;
export const ATTR_REVERSE = 1;
export const ATTR_BOLD = 2;
export const ATTR_HILITE = 4;

export interface Sink {
  /** false once the cursor sits on the screen's last line (curses only) */
  room(): boolean;
  print(text: string, attr?: number): void;
}

export interface TopOptions {
  batch: boolean;
  showVcpus: boolean;
  showNetworks: boolean;
  showVbds: boolean;
  repeatHeader: boolean;
  showFullName: boolean;
  dom0First: boolean;
  /** index into FIELDS; 0 (xentop's FIELD_DOMID) sorts by name */
  sortField: number;
  firstDomainIndex: number;
}

export function defaultTopOptions(): TopOptions {
  return {
    batch: false,
    showVcpus: false,
    showNetworks: false,
    showVbds: false,
    repeatHeader: false,
    showFullName: false,
    dom0First: false,
    sortField: 0,
    firstDomainIndex: 0,
  };
}

/** What persists between screens. */
export interface TopState {
  prev: XenstatNode | undefined;
  widths: Widths;
}

export function newTopState(): TopState {
  return { prev: undefined, widths: defaultWidths() };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** strftime("%H:%M:%S", localtime(...)) with the process's TZ. */
function clockTime(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

function doSummary(out: Sink, node: XenstatNode): void {
  out.print(sprintf('xentop - %s   Xen %s\n', clockTime(node.wallMs), node.xenVersion));
  let run = 0, block = 0, pause = 0, crash = 0, dying = 0, shutdown = 0;
  for (const d of node.domains) {
    if (d.running) run++;
    else if (d.blocked) block++;
    else if (d.paused) pause++;
    else if (d.shutdown) shutdown++;
    else if (d.crashed) crash++;
    else if (d.dying) dying++;
  }
  out.print(
    sprintf(
      '%u domains: %u running, %u blocked, %u paused, %u crashed, %u dying, %u shutdown \n',
      node.domains.length, run, block, pause, crash, dying, shutdown,
    ),
  );
  const used = node.totMem - node.freeMem;
  out.print(sprintf('Mem: %lluk total, %lluk used, %lluk free    ', Math.floor(node.totMem / 1024), Math.floor(used / 1024), Math.floor(node.freeMem / 1024)));
  out.print(sprintf('CPUs: %u @ %lluMHz\n', node.numCpus, Math.floor(node.cpuHz / 1e6)));
}

function doHeader(out: Sink, o: TopOptions, w: Widths): void {
  FIELDS.forEach((f, i) => {
    if (i !== 0) out.print(' ', ATTR_REVERSE);
    out.print(sprintf('%*s', f.width(w), f.header), ATTR_REVERSE | (i === o.sortField ? ATTR_BOLD : 0));
  });
  out.print('\n');
}

function doDomain(out: Sink, o: TopOptions, d: XenstatDomain, e: FieldEnv): void {
  FIELDS.forEach((f, i) => {
    if (i !== 0) out.print(' ');
    out.print(f.print(d, e), i === o.sortField ? ATTR_BOLD : ATTR_NONE);
  });
  out.print('\n');
}

function doVcpu(out: Sink, d: XenstatDomain): void {
  out.print('VCPUs(sec): ');
  d.vcpus.forEach((v, i) => {
    if (!v.online) return;
    if (i !== 0 && i % 5 === 0) out.print('\n        ');
    out.print(sprintf(' %2u: %10llus', i, Math.floor(v.ns / 1e9)));
  });
  out.print('\n');
}

function doNetwork(out: Sink, d: XenstatDomain): void {
  d.networks.forEach((n, i) => {
    out.print(sprintf('Net%d RX: %8llubytes %8llupkts %8lluerr %8lludrop  ', i, n.rbytes, n.rpackets, n.rerrs, n.rdrop));
    out.print(sprintf('TX: %8llubytes %8llupkts %8lluerr %8lludrop\n', n.tbytes, n.tpackets, n.terrs, n.tdrop));
  });
}

const VBD_TYPES = ['Unidentified', 'BlkBack', 'BlkTap', 'Tapdisk3'];

function doVbd(out: Sink, d: XenstatDomain): void {
  for (const v of d.vbds) {
    // Linux's old 16-bit dev_t split (linux/kdev_t.h MAJOR/MINOR)
    const details = sprintf('[%2x:%2x] ', v.dev >>> 8, v.dev & 0xff);
    const type = VBD_TYPES[v.backType] ?? VBD_TYPES[0]!;
    if (v.error) {
      out.print(sprintf('VBD %s %4d %s OO: %8c   RD: %8c   WR: %8c   RSECT: %10c   WSECT: %10c\n', type, v.dev, details, '-', '-', '-', '-', '-'));
    } else {
      out.print(
        sprintf(
          'VBD %s %4d %s OO: %8llu   RD: %8llu   WR: %8llu   RSECT: %10llu   WSECT: %10llu\n',
          type, v.dev, details, v.ooReqs, v.rdReqs, v.wrReqs, v.rdSects, v.wrSects,
        ),
      );
    }
  }
}

/**
 * One screen for `cur`; `usElapsed` is the time since the previous screen.
 * Clamps o.firstDomainIndex to the last domain, as xentop keeps it.
 */
export function top(out: Sink, o: TopOptions, st: TopState, cur: XenstatNode, usElapsed: number): void {
  const prev = st.prev;
  const env: FieldEnv = {
    cur,
    prev: (id) => prev?.domains.find((d) => d.id === id),
    usElapsed: prev ? usElapsed : undefined,
    showFullName: o.showFullName,
    widths: st.widths,
  };
  if (!o.batch) doSummary(out, cur);

  const domains = [...cur.domains];
  let start = 0;
  const d0 = domains.findIndex((d) => d.name === 'Domain-0');
  if (o.dom0First && d0 !== -1) {
    if (d0 !== 0) [domains[0], domains[d0]] = [domains[d0]!, domains[0]!];
    start = 1;
  }
  const field = FIELDS[o.sortField] ?? FIELDS[0]!;
  // glibc's qsort is a merge sort: ties keep their (domid) order
  const sorted = domains.slice(0, start).concat(domains.slice(start).sort((a, b) => field.compare(a, b, env)));

  if (o.firstDomainIndex >= sorted.length) o.firstDomainIndex = Math.max(0, sorted.length - 1);

  resetWidths(st.widths);
  for (let i = o.firstDomainIndex; i < sorted.length; i++) adjustWidths(st.widths, sorted[i]!, o.showFullName);

  for (let i = o.firstDomainIndex; i < sorted.length; i++) {
    if (!o.batch && !out.room()) break;
    const d = sorted[i]!;
    if (i === o.firstDomainIndex || o.repeatHeader) doHeader(out, o, st.widths);
    doDomain(out, o, d, env);
    if (o.showVcpus) doVcpu(out, d);
    if (o.showNetworks) doNetwork(out, d);
    if (o.showVbds) doVbd(out, d);
  }
  st.prev = cur;
}
