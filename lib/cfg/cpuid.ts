/**
 * `cpuid=` (xl.cfg): the two policy languages of libxl_cpuid.c —
 * libxl_cpuid_parse_config() for one `name=value` of the libxl form
 * (`cpuid = "host,tm=0,sse3=0"`) and libxl_cpuid_parse_config_xend() for one
 * item of the xend list form (`cpuid = ["1:ecx=xxxx…,edx=…"]`) — and the
 * way xl_parse.c drives them and reports their error numbers.
 *
 * A policy register is a 32-character string, index 0 = bit 31, of
 * '0'/'1' (force), 'x' (default), 'k' (keep host), 's' (keep, legacy).
 */
import type { CpuidLeafPolicy, CpuidPolicyList } from '../libxl/types';
import { strtok, strtoul, toUint32 } from './cconv';
import { CPUID_FEATURES } from './cpuid-features';
import type { ReportSink } from './report';

/** XEN_CPUID_INPUT_UNUSED: "no subleaf" (and, as a leaf, the list terminator) */
const UNUSED = 0xffffffff;
type Reg = 'eax' | 'ebx' | 'ecx' | 'edx';
const REGS: readonly Reg[] = ['eax', 'ebx', 'ecx', 'edx'];

interface Flag {
  leaf: number;
  subleaf: number;
  reg: Reg;
  bit: number;
  length: number;
}

const NA = UNUSED;
/** libxl's own names for CPUID fields (checked before the featureset names) */
const FLAGS: ReadonlyArray<readonly [string, number, number, Reg, number, number]> = [
  ['maxleaf', 0x00000000, NA, 'eax', 0, 32],
  ['stepping', 0x00000001, NA, 'eax', 0, 4],
  ['model', 0x00000001, NA, 'eax', 4, 8],
  ['family', 0x00000001, NA, 'eax', 8, 8],
  ['brandid', 0x00000001, NA, 'ebx', 0, 8],
  ['clflush', 0x00000001, NA, 'ebx', 8, 8],
  ['proccount', 0x00000001, NA, 'ebx', 16, 8],
  ['localapicid', 0x00000001, NA, 'ebx', 24, 8],
  ['est', 0x00000001, NA, 'ecx', 7, 1],
  ['cntxid', 0x00000001, NA, 'ecx', 10, 1],
  ['cmpxchg16', 0x00000001, NA, 'ecx', 13, 1],
  ['sse4_1', 0x00000001, NA, 'ecx', 19, 1],
  ['sse4.1', 0x00000001, NA, 'ecx', 19, 1],
  ['sse4_2', 0x00000001, NA, 'ecx', 20, 1],
  ['sse4.2', 0x00000001, NA, 'ecx', 20, 1],
  ['aes', 0x00000001, NA, 'ecx', 25, 1],
  ['cmpxchg8', 0x00000001, NA, 'edx', 8, 1],
  ['sysenter', 0x00000001, NA, 'edx', 11, 1],
  ['psn', 0x00000001, NA, 'edx', 18, 1],
  ['clfsh', 0x00000001, NA, 'edx', 19, 1],
  ['tm', 0x00000001, NA, 'edx', 29, 1],
  ['ia64', 0x00000001, NA, 'edx', 30, 1],
  ['arat', 0x00000006, NA, 'eax', 2, 1],
  ['tsc_adjust', 0x00000007, 0, 'ebx', 1, 1],
  ['cmt', 0x00000007, 0, 'ebx', 12, 1],
  ['lahfsahf', 0x80000001, NA, 'ecx', 0, 1],
  ['cmplegacy', 0x80000001, NA, 'ecx', 1, 1],
  ['altmovcr8', 0x80000001, NA, 'ecx', 4, 1],
  ['nodeid', 0x80000001, NA, 'ecx', 19, 1],
  ['perfctr_core', 0x80000001, NA, 'ecx', 23, 1],
  ['perfctr_nb', 0x80000001, NA, 'ecx', 24, 1],
  ['procpkg', 0x00000004, 0, 'eax', 26, 6],
  ['invtsc', 0x80000007, NA, 'edx', 8, 1],
  ['ppin', 0x80000008, NA, 'ebx', 23, 1],
  ['nc', 0x80000008, NA, 'ecx', 0, 8],
  ['apicidsize', 0x80000008, NA, 'ecx', 12, 4],
  ['svm_npt', 0x8000000a, NA, 'edx', 0, 1],
  ['svm_lbrv', 0x8000000a, NA, 'edx', 1, 1],
  ['svm_nrips', 0x8000000a, NA, 'edx', 3, 1],
  ['svm_tscrate', 0x8000000a, NA, 'edx', 4, 1],
  ['svm_vmcbclean', 0x8000000a, NA, 'edx', 5, 1],
  ['svm_decode', 0x8000000a, NA, 'edx', 7, 1],
  ['svm_pausefilt', 0x8000000a, NA, 'edx', 10, 1],
  ['lfence+', 0x80000021, NA, 'eax', 2, 1],
  ['maxhvleaf', 0x40000000, NA, 'eax', 0, 8],
];

/** Which CPUID register (or MSR half) each 32-bit featureset word lives in. */
type WordPolicy = { msr: false; leaf: number; subleaf: number; reg: Reg } | { msr: true; index: number; high: boolean };
const WORDS: readonly WordPolicy[] = [
  { msr: false, leaf: 0x00000001, subleaf: NA, reg: 'edx' },
  { msr: false, leaf: 0x00000001, subleaf: NA, reg: 'ecx' },
  { msr: false, leaf: 0x80000001, subleaf: NA, reg: 'edx' },
  { msr: false, leaf: 0x80000001, subleaf: NA, reg: 'ecx' },
  { msr: false, leaf: 0x0000000d, subleaf: 1, reg: 'eax' },
  { msr: false, leaf: 0x00000007, subleaf: 0, reg: 'ebx' },
  { msr: false, leaf: 0x00000007, subleaf: 0, reg: 'ecx' },
  { msr: false, leaf: 0x80000007, subleaf: NA, reg: 'edx' },
  { msr: false, leaf: 0x80000008, subleaf: NA, reg: 'ebx' },
  { msr: false, leaf: 0x00000007, subleaf: 0, reg: 'edx' },
  { msr: false, leaf: 0x00000007, subleaf: 1, reg: 'eax' },
  { msr: false, leaf: 0x80000021, subleaf: NA, reg: 'eax' },
  { msr: false, leaf: 0x00000007, subleaf: 1, reg: 'ebx' },
  { msr: false, leaf: 0x00000007, subleaf: 2, reg: 'edx' },
  { msr: false, leaf: 0x00000007, subleaf: 1, reg: 'ecx' },
  { msr: false, leaf: 0x00000007, subleaf: 1, reg: 'edx' },
  { msr: true, index: 0x10a, high: false },
  { msr: true, index: 0x10a, high: true },
];

/** A fresh, empty policy list (libxl's NULL list). */
export function newCpuidPolicy(): CpuidPolicyList {
  return { cpuid: [], msr: [] };
}

/**
 * cpuid_find_match(): the entry for leaf/subleaf, appended if new. A leaf of
 * 0xffffffff is libxl's list terminator, so such an entry never shows: it
 * gets a scratch object that is not in the list.
 */
function findLeaf(p: CpuidPolicyList, leaf: number, subleaf: number): CpuidLeafPolicy {
  const sub = subleaf === UNUSED ? undefined : subleaf;
  const found = p.cpuid.find((e) => e.leaf === leaf && e.subleaf === sub);
  if (found) return found;
  const e: CpuidLeafPolicy = sub === undefined ? { leaf } : { leaf, subleaf: sub };
  if (leaf !== UNUSED) p.cpuid.push(e);
  return e;
}

const splice = (s: string, at: number, text: string): string => s.slice(0, at) + text + s.slice(at + text.length);

/** cpuid_add(): 0, or 3 for a value that is neither a number nor x/k/s. */
function cpuidAdd(p: CpuidPolicyList, name: string, f: Flag, val: string): number {
  // the entry exists from here on, even if the value turns out bad
  const entry = findLeaf(p, f.leaf, f.subleaf);
  const n = strtoul(val, 0);
  let num = n.value;
  let flags: string;
  if (n.end !== 0) {
    flags = '';
    for (let i = f.length - 1; i >= 0; i--) flags += (num >> BigInt(i)) & 1n ? '1' : '0';
  } else if (val[0] === 'x' || val[0] === 'k' || val[0] === 's') {
    flags = val[0].repeat(f.length);
  } else {
    return 3;
  }
  let res = entry[f.reg] ?? 'x'.repeat(32);
  if (name === 'family') {
    // family spills into the extended-family field (bits 27:20) above 15
    if (num < 16n) {
      res = splice(res, 28 - f.bit, flags.slice(4, 8));
      res = splice(res, 4, '00000000');
    } else {
      num -= 15n;
      res = splice(res, 28 - f.bit, '1111');
      let ext = flags[0]!;
      for (let i = 6; i >= 0; i--) ext += (num >> BigInt(i)) & 1n ? '1' : '0';
      res = splice(res, 4, ext);
    }
  } else if (name === 'model') {
    // extended model (bits 19:16) and model (bits 7:4)
    res = splice(res, 12, flags.slice(0, 4));
    res = splice(res, 28 - f.bit, flags.slice(4, 8));
  } else {
    res = splice(res, 32 - f.length - f.bit, flags);
  }
  entry[f.reg] = res;
  return 0;
}

/** msr_add(): one character only; 's' is stored as 'k'. */
function msrAdd(p: CpuidPolicyList, index: number, bit: number, val: string): number {
  let e = p.msr.find((m) => m.index === index);
  if (!e) {
    e = { index, policy: 'x'.repeat(64) };
    p.msr.push(e);
  }
  if (val.length !== 1 || !'01xks'.includes(val)) return 3;
  e.policy = splice(e.policy, 63 - bit, val === 's' ? 'k' : val);
  return 0;
}

/**
 * libxl_cpuid_parse_config(): one `name=value`. Returns 0, 1 (no `=`),
 * 2 (unknown name) or 3 (bad value).
 */
export function cpuidParseConfig(p: CpuidPolicyList, str: string): number {
  const eq = str.indexOf('=');
  if (eq < 0) return 1;
  const name = str.slice(0, eq);
  const val = str.slice(eq + 1);
  const flag = FLAGS.find((f) => f[0] === name);
  if (flag) return cpuidAdd(p, name, { leaf: flag[1], subleaf: flag[2], reg: flag[3], bit: flag[4], length: flag[5] }, val);
  const fbit = CPUID_FEATURES.get(name);
  if (fbit === undefined) return 2;
  const word = WORDS[fbit >> 5];
  if (!word) return 2;
  if (word.msr) return msrAdd(p, word.index, (fbit & 31) + (word.high ? 32 : 0), val);
  return cpuidAdd(p, name, { leaf: word.leaf, subleaf: word.subleaf, reg: word.reg, bit: fbit & 31, length: 1 }, val);
}

/**
 * libxl_cpuid_parse_config_xend(): one `leaf[,subleaf]:eXx=<32 chars>,…`.
 * Returns 0, 1 (leaf), 2 (subleaf), 3 (missing colon), 4 (register name),
 * 5 (policy length). Registers parsed before an error stay set.
 */
export function cpuidParseConfigXend(p: CpuidPolicyList, str: string): number {
  const l = strtoul(str, 0);
  if (l.end === 0) return 1;
  const leaf = toUint32(l.value);
  let subleaf = UNUSED;
  let at = l.end;
  if (str[at] === ',') {
    const s = strtoul(str, 0, at + 1);
    if (s.end === at + 1) return 2;
    subleaf = toUint32(s.value);
    at = s.end;
  }
  if (str[at] !== ':') return 3;
  const entry = findLeaf(p, leaf, subleaf);
  let i = at + 1;
  while (i < str.length) {
    // C tests str[2] even when the string is shorter; past the end it reads NUL
    if (str[i] !== 'e' || str[i + 2] !== 'x') return 4;
    const r = (str.charCodeAt(i + 1) - 97) >>> 0;
    const eq = str.indexOf('=', i);
    if (r > 3 || eq < 0) return 4;
    const start = eq + 1;
    let end = str.indexOf(',', start);
    if (end < 0) end = str.length;
    if (end - start !== 32) return 5;
    entry[REGS[r]!] = str.slice(start, end);
    if (end === str.length) break;
    i = end + 1;
    while (str[i] === ' ' || str[i] === '\n') i++;
  }
  return 0;
}

const XEND_ERRORS: Record<number, string> = {
  1: 'illegal leaf number',
  2: 'illegal subleaf number',
  3: 'missing colon',
  4: 'invalid register name (must be e[abcd]x)',
  5: 'policy string must be exactly 32 characters long',
};
const LIBXL_ERRORS: Record<number, string> = {
  1: 'missing "=" in key=value',
  2: 'unknown CPUID flag name',
  3: 'illegal CPUID value (must be: [0|1|x|k|s])',
  [-5]: 'out of memory',
};

/**
 * `cpuid = [ ... ]` (xend form): every item parsed; errors are reported as
 * `while parsing CPUID line: "%s":` / `  error #%i: %s` and skipped.
 */
export function parseCpuidList(report: ReportSink, p: CpuidPolicyList, items: readonly string[]): void {
  for (const item of items) {
    const e = cpuidParseConfigXend(p, item);
    if (e === 0) continue;
    report(`while parsing CPUID line: "${item}":\n`);
    report(`  error #${e}: ${XEND_ERRORS[e] ?? 'unknown error'}\n`);
  }
}

/**
 * `cpuid = "host,name=value,..."` (libxl form): the first word must be
 * `host`; each later comma piece is parsed as is (no trimming) and a bad one
 * is reported as `while parsing CPUID flag: "%s":` / `  error #%i: %s` and
 * skipped. Nothing here is fatal.
 */
export function parseCpuidString(report: ReportSink, p: CpuidPolicyList, str: string): void {
  const pieces = strtok(str, ',');
  if (pieces.length === 0) return;
  if (pieces[0] !== 'host') {
    report(`while parsing CPUID string: "${str}":\n`);
    report('  error: first word must be "host"\n');
    return;
  }
  for (const piece of pieces.slice(1)) {
    const e = cpuidParseConfig(p, piece);
    if (e === 0) continue;
    report(`while parsing CPUID flag: "${piece}":\n`);
    report(`  error #${e}: ${LIBXL_ERRORS[e] ?? 'unknown error'}\n`);
  }
}
