/**
 * xl's stdio logger: twin of tools/libs/toollog/xtl_logger_stdio.c as xl
 * configures it (xl.c: level from -v, -t for carriage-return progress, -T
 * for date and pid prefixes).
 *
 * Line: `[<YYYY-MM-DD HH:MM:SS TZ> ][[<pid>] ]<context>: <level>: <msg>[: <strerror>]`
 */
import { sprintf } from '../../lib/util/printf';
import { levelValue, type Xtl, type XtlLevel } from '../../lib/util/xtl';
import type { OutStream } from '../io';

export interface StdioXtlOptions {
  minLevel: XtlLevel;
  /** CR progress (-t, or stderr is a terminal); asked only when progress is reported */
  progressCR: boolean | (() => boolean);
  timestamps: boolean;
  hideProgress?: boolean;
  pid?: number;
  now?: () => Date;
}

export class StdioXtl implements Xtl {
  private progressLast = 0;
  private eraseLen = 0; // characters of the last CR progress line (xtl's progress_erase_len)
  hideProgress: boolean;

  constructor(
    private readonly stream: OutStream,
    private readonly opts: StdioXtlOptions,
  ) {
    this.hideProgress = opts.hideProgress ?? false;
  }

  private prefix(): string {
    if (!this.opts.timestamps) return '';
    const d = (this.opts.now ?? (() => new Date()))();
    const tz = Intl.DateTimeFormat('en', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
    const date = sprintf('%04d-%02d-%02d %02d:%02d:%02d %s ', d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), tz);
    return date + sprintf('[%lu] ', this.opts.pid ?? process.pid);
  }

  /** a message written while a CR progress line is shown blanks it first */
  private progressErase(): void {
    if (this.eraseLen) this.stream.write(`\r${' '.repeat(this.eraseLen)}\r`);
  }

  log(level: XtlLevel, context: string, message: string, errnoText?: string): void {
    if (levelValue(level) < levelValue(this.opts.minLevel)) return;
    this.progressErase();
    this.stream.write(`${this.prefix()}${context}: ${level}: ${message}${errnoText !== undefined ? `: ${errnoText}` : ''}\n`);
  }

  progress(context: string, what: string, done: number, total: number): void {
    if (this.hideProgress) return;
    const pct = total ? Math.floor((done * 100) / total) : 0;
    // The same percentage again is dropped; a rise of less than 5 points is
    // only "detail" (shown with -v); a fall or a rise of 5 is "progress".
    let level: XtlLevel;
    if (pct < this.progressLast) level = 'progress';
    else if (pct === this.progressLast) return;
    else if (pct < this.progressLast + 5) level = 'detail';
    else level = 'progress';
    if (levelValue(level) < levelValue(this.opts.minLevel)) return;
    this.progressLast = pct;
    const cr = typeof this.opts.progressCR === 'function' ? this.opts.progressCR() : this.opts.progressCR;
    if (!cr) {
      this.log(level, context, sprintf('%s: %lu/%lu  %3d%%', what, done, total, pct));
      return;
    }
    // CR mode: redraw in place; the line ends when the work is done; what
    // is left of a longer previous line is blanked
    if (this.eraseLen) this.stream.write('\r');
    const line = sprintf('%s: %s: %lu/%lu  %3d%%%s', context, what, done, total, pct, done === total ? '\n' : '');
    this.stream.write(line);
    const extra = this.eraseLen - line.length;
    if (extra > 0) this.stream.write(`${' '.repeat(extra)}\r`);
    this.eraseLen = line.length;
  }
}
