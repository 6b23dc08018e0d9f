/**
 * The little of curses xentop uses: a grid with a cursor, addstr that wraps
 * at the right margin and never scrolls, erase, move, and a refresh that
 * repaints the whole terminal with ANSI sequences (no diffing: a screen is
 * at most a few KB, redrawn every few seconds).
 */
import { ATTR_BOLD, ATTR_HILITE, ATTR_REVERSE, type Sink } from './render';

interface Cell {
  ch: string;
  attr: number;
}

export class Screen implements Sink {
  private grid: Cell[][] = [];
  private y = 0;
  private x = 0;

  constructor(
    readonly rows: number,
    readonly cols: number,
  ) {
    this.erase();
  }

  erase(): void {
    this.grid = Array.from({ length: this.rows }, () => Array.from({ length: this.cols }, () => ({ ch: ' ', attr: 0 })));
    this.y = 0;
    this.x = 0;
  }

  move(y: number, x: number): void {
    this.y = Math.max(0, Math.min(y, this.rows - 1));
    this.x = Math.max(0, Math.min(x, this.cols - 1));
  }

  get row(): number {
    return this.y;
  }

  /** xentop's print(): nothing once the cursor reaches the last line. */
  room(): boolean {
    return this.y < this.rows - 1;
  }

  print(text: string, attr = 0): void {
    if (this.room()) this.addstr(text, attr);
  }

  addstr(text: string, attr = 0): void {
    for (const ch of text) {
      if (ch === '\n') {
        for (let x = this.x; x < this.cols; x++) this.grid[this.y]![x] = { ch: ' ', attr: 0 };
        if (this.y < this.rows - 1) this.y++;
        this.x = 0;
        continue;
      }
      this.grid[this.y]![this.x] = { ch, attr };
      if (this.x < this.cols - 1) this.x++;
      else if (this.y < this.rows - 1) {
        this.y++;
        this.x = 0;
      }
    }
  }

  /** The whole screen as terminal output, cursor left where curses would leave it. */
  render(): string {
    let out = '\x1b[H';
    this.grid.forEach((line, y) => {
      if (y > 0) out += '\r\n';
      let cur = 0;
      for (const c of line) {
        if (c.attr !== cur) {
          out += sgr(c.attr);
          cur = c.attr;
        }
        out += c.ch;
      }
      if (cur !== 0) out += '\x1b[0m';
    });
    return out + `\x1b[${this.y + 1};${this.x + 1}H`;
  }
}

function sgr(attr: number): string {
  const codes = ['0'];
  if (attr & ATTR_BOLD) codes.push('1');
  if (attr & ATTR_REVERSE) codes.push('7');
  if (attr & ATTR_HILITE) codes.push('43');
  return `\x1b[${codes.join(';')}m`;
}
