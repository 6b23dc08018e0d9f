/**
 * libxl's logging convention (libxl_internal.c, libxl__logv): context
 * "libxl", body "<file>:<line>:<function>: [Domain N:]<text>", the domain
 * part only for a valid guest domid. Line numbers are those of the Xen
 * sources the reference quotes, so messages match a real host's byte for
 * byte; the call sites pass them explicitly because they *are* the output.
 */
import type { Xtl, XtlLevel } from '../util/xtl';

/** the ids libxl_domid_valid_guest accepts */
export function domidValidGuest(domid: number): boolean {
  return domid > 0 && domid < 0x7ff0;
}

export interface Where {
  file: string;
  line: number;
  func: string;
}

export function where(file: string, line: number, func: string): Where {
  return { file, line, func };
}

/**
 * One libxl log line. `errnoText` is strerror(errno) for the LOGE* family
 * (appended by the logger as ": <text>").
 */
export function libxlLog(xtl: Xtl, level: XtlLevel, w: Where, domid: number | undefined, msg: string, errnoText?: string): void {
  const dom = domid !== undefined && domidValidGuest(domid) ? `Domain ${domid}:` : '';
  xtl.log(level, 'libxl', `${w.file}:${w.line}:${w.func}: ${dom}${msg}`, errnoText);
}
