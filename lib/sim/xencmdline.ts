/**
 * The simulated Xen's boot command line: the options the model acts on
 * (docs/misc/xen-command-line.pandoc). Unknown options are kept verbatim in
 * `raw` (Xen ignores what it does not know, and `xl info` prints the line).
 */
import type { Parsed } from './duration';

export interface Dom0Mem {
  /** the amount dom0 starts with, KiB */
  amountKiB?: number;
  minKiB?: number;
  maxKiB?: number;
}

export interface XenCmdline {
  raw: string;
  /** present only when `dom0_mem=` was given (autoballoon=auto keys off it) */
  dom0Mem?: Dom0Mem;
  /** `altp2m=<bool>`: the alternate-p2m HVM feature, off unless asked for */
  altp2m: boolean;
  /** `hap=<bool>`: hardware-assisted paging where the CPU has it (default on) */
  hap: boolean;
  /** `loglvl=` / `guest_loglvl=` thresholds, verbatim (default "warning") */
  loglvl: string;
  guestLoglvl: string;
  /** `sched=` if given */
  sched?: string;
  /** `dom0_max_vcpus=` if given */
  dom0MaxVcpus?: number;
}

function parseBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return true;
  if (/^(1|yes|on|true|enable)$/i.test(v)) return true;
  if (/^(0|no|off|false|disable)$/i.test(v)) return false;
  return undefined;
}

/** Xen's parse_size_and_unit: a bare number is KiB. Returns KiB. */
export function parseXenSizeKiB(text: string): number | undefined {
  const m = /^(\d+)([BKMGT]?)$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]!.toUpperCase()) {
    case 'B':
      return Math.floor(n / 1024);
    case 'T':
      return n * 1024 ** 3;
    case 'G':
      return n * 1024 ** 2;
    case 'M':
      return n * 1024;
    default:
      return n;
  }
}

export function parseXenCmdline(raw: string): Parsed<XenCmdline> {
  const out: XenCmdline = { raw: raw.trim().replace(/\s+/g, ' '), altp2m: false, hap: true, loglvl: 'warning', guestLoglvl: 'none/warning' };
  for (const word of out.raw.split(' ').filter(Boolean)) {
    const eq = word.indexOf('=');
    const key = eq >= 0 ? word.slice(0, eq) : word;
    const val = eq >= 0 ? word.slice(eq + 1) : undefined;
    const noKey = key.startsWith('no-') ? key.slice(3) : undefined;
    switch (noKey ?? key) {
      case 'altp2m':
      case 'hap': {
        const b = noKey ? (val === undefined ? false : undefined) : parseBool(val);
        if (b === undefined) return { ok: false, error: `bad boolean in '${word}'` };
        if (key.endsWith('altp2m')) out.altp2m = b;
        else out.hap = b;
        break;
      }
      case 'loglvl':
        if (!val) return { ok: false, error: `'${word}' needs a level` };
        out.loglvl = val;
        break;
      case 'guest_loglvl':
        if (!val) return { ok: false, error: `'${word}' needs a level` };
        out.guestLoglvl = val;
        break;
      case 'sched':
        if (!val) return { ok: false, error: `'${word}' needs a scheduler name` };
        out.sched = val;
        break;
      case 'dom0_max_vcpus': {
        const n = Number(val);
        if (!val || !Number.isInteger(n) || n < 1) return { ok: false, error: `bad dom0_max_vcpus in '${word}'` };
        out.dom0MaxVcpus = n;
        break;
      }
      case 'dom0_mem': {
        if (!val) return { ok: false, error: `'${word}' needs a size` };
        const d: Dom0Mem = {};
        for (const part of val.split(',')) {
          const [k, v] = part.includes(':') ? part.split(':', 2) : ['', part];
          const kib = parseXenSizeKiB(v ?? '');
          if (kib === undefined) return { ok: false, error: `bad size '${v}' in '${word}'` };
          if (k === 'min') d.minKiB = kib;
          else if (k === 'max') d.maxKiB = kib;
          else if (k === '') d.amountKiB = kib;
          else return { ok: false, error: `unknown dom0_mem element '${part}'` };
        }
        out.dom0Mem = d;
        break;
      }
      default:
        break;
    }
  }
  return { ok: true, value: out };
}
