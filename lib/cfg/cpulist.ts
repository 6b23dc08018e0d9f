/**
 * CPULIST (`cpus=`, `cpus_soft=`, xl.conf's vm.*cpumask, `xl vcpu-pin`):
 * the twin of parse_cpurange() / update_cpumap_range() / parse_range() in
 * tools/xl/xl_parse.c, and of print_bitmap() in tools/xl/xl_utils.c.
 *
 * A cpumap is a libxl_bitmap sized for the host: libxl_cpu_bitmap_alloc()
 * rounds max_cpus up to whole bytes, `all` sets every bit of those bytes, and
 * setting a bit beyond them is silently ignored.
 */
import { strtoul, strtok, ULONG_MAX } from './cconv';
import type { ReportSink } from './report';

/** What the parser needs to know about the host. */
export interface HostTopology {
  /** libxl_get_max_cpus(): max_cpu_id + 1 */
  nrCpus: number;
  /** cpusOfNode[n] = the CPUs of NUMA node n (libxl_node_to_cpumap) */
  cpusOfNode: number[][];
}

/** A CPU bitmap of `bytes*8` bits. */
export class CpuMap {
  readonly bits: Uint8Array;
  constructor(readonly nbits: number) {
    this.bits = new Uint8Array(Math.ceil(nbits / 8));
  }
  static forHost(topo: HostTopology): CpuMap {
    return new CpuMap(topo.nrCpus);
  }
  /** size in bits as libxl sees it (whole bytes) */
  get size(): number {
    return this.bits.length * 8;
  }
  set(i: number): void {
    if (i >= 0 && i < this.size) this.bits[i >> 3]! |= 1 << (i & 7);
  }
  reset(i: number): void {
    if (i >= 0 && i < this.size) this.bits[i >> 3]! &= ~(1 << (i & 7));
  }
  test(i: number): boolean {
    return i >= 0 && i < this.size && (this.bits[i >> 3]! & (1 << (i & 7))) !== 0;
  }
  setAny(): void {
    this.bits.fill(0xff);
  }
  /** the set bits, ascending (libxl's JSON form of a bitmap) */
  toList(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.test(i)) out.push(i);
    return out;
  }
}

/** parse_range(): `N` or `N-M`, decimal (strtoul: leading space and sign accepted), M ≥ N. */
function parseRange(str: string): [bigint, bigint] | null {
  const a = strtoul(str, 10);
  if (a.end === 0 || a.value === ULONG_MAX) return null;
  let b = a.value;
  let end = a.end;
  if (str[end] === '-') {
    const r = strtoul(str, 10, end + 1);
    if (r.end === end + 1 || r.value === ULONG_MAX || r.value < a.value) return null;
    b = r.value;
    end = r.end;
  }
  if (end !== str.length) return null;
  return [a.value, b];
}

const TWO32 = 1n << 32n;

/** Is there an id in [a, b] with (int)id === t (t ≥ 0)? */
function rangeHitsInt32(a: bigint, b: bigint, t: number): boolean {
  const tt = BigInt(t);
  const k = a > tt ? (a - tt + TWO32 - 1n) / TWO32 : 0n;
  return tt + k * TWO32 <= b;
}

/**
 * update_cpumap_range(): one comma-free term. Returns 0 or a libxl error
 * (ERROR_INVAL for `^all`, 1 for a bad range, as the C code does).
 */
function updateCpumapRange(report: ReportSink, topo: HostTopology, term: string, map: CpuMap): number {
  let s = term;
  let isNot = false;
  let isNodes = false;
  if (s.startsWith('^')) {
    isNot = true;
    s = s.slice(1);
  }
  if (s.startsWith('node:')) {
    isNodes = true;
    s = s.slice(5);
  } else if (s.startsWith('nodes:')) {
    isNodes = true;
    s = s.slice(6);
  }
  if (s === 'all') {
    if (isNot) {
      report('Can\'t combine "^" and "all".\n');
      return -6;
    }
    map.setAny();
    return 0;
  }
  const r = parseRange(s);
  if (!r) {
    report(`Invalid pcpu range: ${s}.\n`);
    return 1;
  }
  // The C loop walks every id from a to b and hands it to functions taking
  // an int (libxl_bitmap_set, libxl_node_to_cpumap), so id 2^32 means 0
  // again. Instead of spinning through up to 2^64 ids, ask for each CPU
  // (or node) whether some id in the range truncates to it.
  const count = isNodes ? topo.cpusOfNode.length : map.size;
  for (let t = 0; t < count; t++) {
    if (!rangeHitsInt32(r[0], r[1], t)) continue;
    const ids = isNodes ? (topo.cpusOfNode[t] ?? []) : [t];
    for (const cpu of ids) {
      if (isNot) map.reset(cpu);
      else map.set(cpu);
    }
  }
  return 0;
}

/**
 * parse_cpurange(): applies the comma-separated terms left to right to
 * `map` (which the caller allocated empty). Returns 0 on success; non-zero
 * after printing `Invalid pcpu range: %s.` or `Can't combine "^" and "all".`
 * — xl then exits 1 (create, vcpu-pin).
 */
export function parseCpurange(report: ReportSink, topo: HostTopology, cpu: string, map: CpuMap): number {
  for (const term of strtok(cpu, ',')) {
    const rc = updateCpumapRange(report, topo, term, map);
    if (rc) return rc;
  }
  return 0;
}

/**
 * print_bitmap() over the first `nbits` bits: `none`, `all` (one run from
 * bit 0 to the end), or runs `a` / `a-b` joined by commas.
 */
export function bitmapText(map: CpuMap, nbits: number): string {
  return bitmapRuns((i) => map.test(i), nbits);
}

/**
 * print_bitmap over any bit test: "none", "all" when every bit from 0 up
 * to the last examined one is set, else ascending runs "a" / "a-b" joined
 * by commas.
 */
export function bitmapRuns(test: (bit: number) => boolean, nbits: number): string {
  let out = '';
  let state = 0;
  let firstset = 0;
  let i = 0;
  for (; i < nbits; i++) {
    const set = test(i);
    if (state === 0 || state === 2) {
      if (set) {
        firstset = i;
        state++;
      }
    } else if (!set) {
      out += `${state > 1 ? ',' : ''}${firstset}`;
      if (i - 1 > firstset) out += `-${i - 1}`;
      state = 2;
    }
  }
  if (state === 0) return 'none';
  if (state === 1 && firstset === 0) return 'all';
  if (state === 1 || state === 3) {
    out += `${state > 1 ? ',' : ''}${firstset}`;
    if (i - 1 > firstset) out += `-${i - 1}`;
  }
  return out;
}
