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
  private crPending = 0; // length of the line drawn in CR mode, 0 if none
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

  private endCrLine(): void {
    if (this.crPending) {
      this.stream.write('\n');
      this.crPending = 0;
    }
  }

  log(level: XtlLevel, context: string, message: string, errnoText?: string): void {
    if (levelValue(level) < levelValue(this.opts.minLevel)) return;
    this.endCrLine();
    this.stream.write(`${this.prefix()}${context}: ${level}: ${message}${errnoText !== undefined ? `: ${errnoText}` : ''}\n`);
  }

  progress(context: string, what: string, done: number, total: number): void {
    if (this.hideProgress) return;
    const pct = total ? Math.floor((done * 100) / total) : 0;
    const cr = typeof this.opts.progressCR === 'function' ? this.opts.progressCR() : this.opts.progressCR;
    if (!cr) {
      // Non-CR mode: a report at level "progress" only when the percentage
      // went down, or up by at least 5 points; otherwise it is level detail.
      const level: XtlLevel = pct < this.progressLast || pct >= this.progressLast + 5 ? 'progress' : 'detail';
      if (level === 'progress') this.progressLast = pct;
      this.log(level, context, sprintf('%s: %lu/%lu  %3d%%', what, done, total, pct));
      return;
    }
    if (levelValue('progress') < levelValue(this.opts.minLevel)) return;
    const line = sprintf('%s: %s: %lu/%lu  %3d%%', context, what, done, total, pct);
    const blank = this.crPending > line.length ? ' '.repeat(this.crPending - line.length) : '';
    this.stream.write('\r' + line + blank);
    this.crPending = line.length;
    if (done === total) this.endCrLine();
  }
}
