/**
 * Xen's console ring (what `xl dmesg` reads). Xen filters by log level when
 * a line is printed, not when it is read, so lines below the threshold never
 * enter the ring. The ring has a byte size; the oldest whole lines go first
 * when it is full.
 */
import type { ConsoleLevel, ConsoleLine, XenHostData } from './types';

const utf8 = new TextEncoder();
/** Xen's threshold scale: a line at this level prints when its rank ≤ the threshold. */
const LEVEL_RANK: Record<ConsoleLevel, number> = { error: 1, warning: 2, info: 3, debug: 4 };

/** loglvl_str(): names of thresholds 0..4 */
export function loglvlName(n: number): string {
  return ['Nothing', 'Errors', 'Errors and warnings', 'Errors, warnings and info', 'All'][n] ?? '???';
}

/** "<lower>" or "<lower> (Rate-limited: <upper>)", as the boot banner prints it. */
export function loglvlBanner(lower: number, upper: number): string {
  return lower === upper ? loglvlName(lower) : `${loglvlName(lower)} (Rate-limited: ${loglvlName(upper)})`;
}

export function renderLine(l: ConsoleLine): string {
  return l.src === 'xen' ? `(XEN) ${l.text}` : `(d${l.domid ?? 0}) ${l.text}`;
}

function lineBytes(l: ConsoleLine): number {
  return utf8.encode(renderLine(l)).length + 1;
}

/** Whether a line at this level gets printed under the host's thresholds. */
export function levelVisible(host: XenHostData, level: ConsoleLevel, guest: boolean): boolean {
  // Rate limiting is not modelled: everything up to the upper threshold prints.
  const threshold = guest ? host.opts.guestUpper : host.opts.logUpper;
  return LEVEL_RANK[level] <= threshold;
}

/**
 * Append one printk. Multi-line text becomes several lines. Returns whether
 * the line passed the level filter.
 */
export function printk(
  host: XenHostData,
  now: number,
  text: string,
  level: ConsoleLevel = 'info',
  opts: { guest?: boolean; domid?: number; force?: boolean } = {},
): boolean {
  const guestRelated = opts.guest ?? opts.domid !== undefined;
  if (!opts.force && !levelVisible(host, level, guestRelated)) return false;
  for (const part of text.split('\n')) {
    const line: ConsoleLine =
      opts.domid !== undefined
        ? { src: 'guest', domid: opts.domid, level, guest: guestRelated, t: now, text: part }
        : { src: 'xen', level, guest: guestRelated, t: now, text: part };
    host.console.push(line);
  }
  trimRing(host);
  return true;
}

export function trimRing(host: XenHostData): void {
  let bytes = 0;
  for (const l of host.console) bytes += lineBytes(l);
  let drop = 0;
  while (bytes > host.conringSize && drop < host.console.length) {
    bytes -= lineBytes(host.console[drop]!);
    drop++;
  }
  if (drop > 0) host.console.splice(0, drop);
}

export function ringBytes(host: XenHostData): number {
  let bytes = 0;
  for (const l of host.console) bytes += lineBytes(l);
  return bytes;
}

/** sysctl readconsole: the rendered lines, oldest first; `clear` empties the ring afterwards. */
export function readConsole(host: XenHostData, clear: boolean): string[] {
  const out = host.console.map(renderLine);
  if (clear) host.console.length = 0;
  return out;
}
