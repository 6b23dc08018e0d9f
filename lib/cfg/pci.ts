/**
 * PCI pass-through specs (xl-pci-configuration(5)): the twin of
 * tools/libs/util/libxlu_pci.c — BDF, PCI_SPEC_STRING and `rdm=`.
 *
 * Numbers go through sscanf("%x"), so whitespace, a sign and `0x` are
 * tolerated and values are truncated to 32 bits before the range checks.
 */
import type { DevicePci, RdmReservePolicy, RdmReserveStrategy } from '../libxl/types';
import { atoi, scanfUnsigned } from './cconv';
import type { ReportSink } from './report';

/** libxl error codes the PCI parsers return (xl exits with their negation). */
export const ERROR_FAIL = -3;
export const ERROR_INVAL = -6;

const isXDigit = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

interface Bdf {
  domain: number;
  bus: number;
  dev: number;
  func: number;
  vfunc_mask: number;
  end: number;
}

/** LIBXL_PCI_FUNC_ALL (~0U) */
const FUNC_ALL = 0xffffffff;

/** One literal character of a scanf format. */
function lit(s: string, at: number, c: string): number | null {
  return s[at] === c ? at + 1 : null;
}

function parseBdfAt(str: string): Bdf | null {
  let colons = 0;
  for (let i = 0; i < str.length && (isXDigit(str[i]) || str[i] === ':'); i++) if (str[i] === ':') colons++;
  let domain = 0;
  let at = 0;
  const hex = (): number | null => {
    const r = scanfUnsigned(str, at, 16);
    if (!r) return null;
    at = r.end;
    return r.value;
  };
  const expect = (c: string): boolean => {
    const n = lit(str, at, c);
    if (n === null) return false;
    at = n;
    return true;
  };
  if (colons === 2) {
    const d = hex();
    if (d === null || !expect(':')) return null;
    domain = d;
  } else if (colons !== 1) {
    return null;
  }
  const bus = hex();
  if (bus === null || !expect(':')) return null;
  const dev = hex();
  // C reads `%n` after the '.'; without the '.' it would use an
  // uninitialised offset — treated here as the error it almost certainly is
  if (dev === null || !expect('.')) return null;
  if (domain > 0xffff || bus > 0xff || dev > 0x1f) return null;
  let func: number;
  let mask: number;
  if (str[at] === '*') {
    mask = FUNC_ALL;
    func = 0;
    at++;
  } else {
    const f = hex();
    if (f === null || f > 7) return null;
    func = f;
    mask = 1;
  }
  return { domain, bus, dev, func, vfunc_mask: mask, end: at };
}

function applyBdf(pci: DevicePci, b: Bdf): void {
  pci.domain = b.domain;
  pci.bus = b.bus;
  pci.dev = b.dev;
  pci.func = b.func;
  pci.vfunc_mask = b.vfunc_mask;
}

/** xlu_pci_parse_bdf(): `[DDDD:]BB:SS.F`; 0 or ERROR_INVAL. */
export function xluPciParseBdf(pci: DevicePci, str: string): number {
  const b = parseBdfAt(str);
  if (!b) return ERROR_INVAL;
  applyBdf(pci, b);
  return 0;
}

function parseVslot(str: string, at: number): { vdevfn: number; end: number } | null {
  const r = scanfUnsigned(str, at, 16);
  if (!r || r.value > 0x1f) return null;
  return { vdevfn: r.value << 3, end: r.end };
}

function parseRdmPolicy(report: ReportSink, str: string): RdmReservePolicy | undefined {
  const lower = str.toLowerCase();
  if (lower === 'invalid' || lower === 'strict' || lower === 'relaxed') return lower;
  report(`Unknown RDM policy: ${str}`);
  return undefined;
}

/**
 * xlu_pci_parse_spec_string(): `[BDF[@VSLOT][,]]{key=value,}` applied on top
 * of `pci` (which the caller pre-fills with the pci_* defaults and the rdm
 * policy). Returns 0, ERROR_INVAL or ERROR_FAIL (unknown rdm_policy).
 *
 * xl then prints "unable to parse PCI_SPEC_STRING `%s' for passthrough" and
 * exits with -rc: status 6 for ERROR_INVAL, 3 for ERROR_FAIL.
 */
export function xluPciParseSpecString(report: ReportSink, pci: DevicePci, str: string): number {
  let at = 0;
  let bdfPresent = false;
  let namePresent = false;
  const b = parseBdfAt(str);
  if (b) {
    applyBdf(pci, b);
    bdfPresent = true;
    at = b.end;
    if (str[at] === '@') {
      const vs = parseVslot(str, at + 1);
      if (!vs) return ERROR_INVAL;
      pci.vdevfn = vs.vdevfn;
      at = vs.end;
    }
    if (str[at] === ',') at++;
    else if (at < str.length) return ERROR_INVAL;
  }
  while (at < str.length) {
    const eq = str.indexOf('=', at);
    if (eq < 0) return ERROR_INVAL;
    const key = str.slice(at, eq);
    let end = str.indexOf(',', eq + 1);
    if (end < 0) end = str.length;
    const val = str.slice(eq + 1, end);
    at = end < str.length ? end + 1 : end;
    let ret = 0;
    if (key === 'bdf') {
      const bb = parseBdfAt(val);
      if (bb) {
        applyBdf(pci, bb);
        bdfPresent = true;
      } else ret = ERROR_INVAL;
    } else if (key === 'vslot') {
      const vs = parseVslot(val, 0);
      if (vs) pci.vdevfn = vs.vdevfn;
      else ret = ERROR_INVAL;
    } else if (key === 'permissive') {
      pci.permissive = atoi(val) !== 0;
    } else if (key === 'msitranslate') {
      pci.msitranslate = atoi(val) !== 0;
    } else if (key === 'seize') {
      pci.seize = atoi(val) !== 0;
    } else if (key === 'power_mgmt') {
      pci.power_mgmt = atoi(val) !== 0;
    } else if (key === 'rdm_policy') {
      const p = parseRdmPolicy(report, val);
      if (p === undefined) ret = ERROR_FAIL;
      else pci.rdm_policy = p;
    } else if (key === 'name') {
      namePresent = true;
      pci.name = val;
    } else {
      report(`Unknown PCI_SPEC_STRING option: ${key}`);
      ret = ERROR_INVAL;
    }
    if (ret) return ret;
  }
  if (bdfPresent === namePresent) return ERROR_INVAL;
  return 0;
}

export interface RdmReserve {
  strategy?: RdmReserveStrategy;
  policy?: RdmReservePolicy;
}

/**
 * xlu_rdm_parse(): `strategy=host` / `policy=…`, comma-separated.
 * Returns 0 or ERROR_INVAL; xl applies `rdm` only on 0 and says nothing
 * else. The policy test is inverted in the C code (a *valid* policy makes
 * the parse fail; an invalid one prints "Unknown RDM policy: %s" and is
 * accepted, leaving the policy unchanged) — kept, since it decides whether
 * `rdm=` takes effect.
 */
export function xluRdmParse(report: ReportSink, rdm: RdmReserve, str: string): number {
  type State = 'type' | 'strategy' | 'policy' | 'terminal';
  let state: State = 'type';
  let tok = 0;
  // walk the string and its terminating NUL, like the C loop
  for (let i = 0; i <= str.length; i++) {
    const c = i < str.length ? str[i] : '\0';
    if (state === 'type') {
      if (c === '=') {
        const word = str.slice(tok, i);
        if (word === 'strategy') state = 'strategy';
        else if (word === 'policy') state = 'policy';
        else {
          report(`Unknown RDM state option: ${word}`);
          return ERROR_INVAL;
        }
        tok = i + 1;
      }
    } else if (state === 'strategy' || state === 'policy') {
      if (c === ',' || c === '\0') {
        const word = str.slice(tok, i);
        const was = state;
        state = c === ',' ? 'type' : 'terminal';
        if (was === 'strategy') {
          if (word === 'host') rdm.strategy = 'host';
          else {
            report(`Unknown RDM strategy option: ${word}`);
            return ERROR_INVAL;
          }
        } else {
          const p = parseRdmPolicy(report, word);
          if (p !== undefined) {
            rdm.policy = p;
            return ERROR_INVAL;
          }
        }
        tok = i + 1;
      }
    }
  }
  if (tok !== str.length + 1 || state !== 'terminal') return ERROR_INVAL;
  return 0;
}
