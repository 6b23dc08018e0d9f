/**
 * xentoollog: the logger interface libxl and libxc write through. xl owns
 * the concrete logger (stderr, its level, -t/-T flags) and hands it down, so
 * the library layers report without printing — as in Xen, where libxl never
 * touches stderr itself.
 */

export const XTL_LEVELS = ['none', 'debug', 'verbose', 'detail', 'progress', 'info', 'notice', 'warning', 'error', 'critical'] as const;
export type XtlLevel = Exclude<(typeof XTL_LEVELS)[number], 'none'>;

export function levelValue(l: XtlLevel | 'none'): number {
  return XTL_LEVELS.indexOf(l);
}

export interface Xtl {
  /** one log message; `errnoText` is strerror(errno) when the caller logged errno */
  log(level: XtlLevel, context: string, message: string, errnoText?: string): void;
  /** a progress report (save/restore/migrate) */
  progress(context: string, what: string, done: number, total: number): void;
}

/** A logger that drops everything (tests of library code, dry paths). */
export const nullXtl: Xtl = {
  log() {},
  progress() {},
};

/** A logger that records, for tests and for callers that want the lines. */
export class RecordingXtl implements Xtl {
  readonly lines: string[] = [];
  constructor(private readonly minLevel: XtlLevel = 'progress') {}
  log(level: XtlLevel, context: string, message: string, errnoText?: string): void {
    if (levelValue(level) < levelValue(this.minLevel)) return;
    this.lines.push(`${context}: ${level}: ${message}${errnoText !== undefined ? `: ${errnoText}` : ''}`);
  }
  progress(context: string, what: string, done: number, total: number): void {
    this.lines.push(`${context}: progress: ${what}: ${done}/${total}`);
  }
}
