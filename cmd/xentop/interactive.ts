/**
 * xentop's curses mode (xentop.c main's curses loop, handle_key,
 * do_bottom_line): redraw every delay seconds or after a key, wait up to
 * half a second for a key (halfdelay(5)), quit on q/Q/Esc.
 *
 * Like ncurses, it needs a terminal type (TERM) and otherwise draws to
 * whatever stdout is; keys come from stdin, in raw mode when stdin is a TTY
 * (always restored). Raw mode turns ^C into a byte, which ends the run as
 * the SIGINT it would have been.
 */
import type { Io } from '../io';
import { sprintf } from '../../lib/util/printf';
import { FIELDS } from './fields';
import { atoi } from './getopt';
import { ATTR_HILITE, ATTR_REVERSE, newTopState, top } from './render';
import { Screen } from './screen';
import { sample, type XentopResult, type XentopSettings } from './session';

type Key = string;
const KEY_UP = 'KEY_UP';
const KEY_DOWN = 'KEY_DOWN';
const KEY_BACKSPACE = 'KEY_BACKSPACE';
const KEY_ESCAPE = '\x1b';
const KEY_REPAINT = '\x0c';
const CTRL_C = '\x03';
const SIGINT = 2;

/** Keys from stdin, with the escape sequences keypad() would decode. */
class KeyReader {
  private queue: Key[] = [];
  private waiter: (() => void) | undefined;
  readonly raw: boolean;
  private readonly onData = (d: Buffer | string) => {
    this.decode(typeof d === 'string' ? d : d.toString('latin1'));
    this.waiter?.();
  };

  constructor(private readonly stdin: NodeJS.ReadStream) {
    this.raw = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
    if (this.raw) stdin.setRawMode(true);
    stdin.on('data', this.onData);
    stdin.resume();
  }

  private decode(s: string): void {
    let i = 0;
    while (i < s.length) {
      const m = /^\x1b[[O]([0-9;]*)([A-Za-z~])/.exec(s.slice(i));
      if (m) {
        if (m[2] === 'A') this.queue.push(KEY_UP);
        else if (m[2] === 'B') this.queue.push(KEY_DOWN);
        i += m[0].length;
        continue;
      }
      const c = s[i++]!;
      this.queue.push(c === '\x7f' || c === '\x08' ? KEY_BACKSPACE : c);
    }
  }

  /** The next key, or undefined (curses' ERR) after `ms` without one. */
  async get(ms: number): Promise<Key | undefined> {
    if (this.queue.length === 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, ms);
        function done() {
          clearTimeout(t);
          resolve();
        }
        this.waiter = done;
      });
      this.waiter = undefined;
    }
    return this.queue.shift();
  }

  close(): void {
    this.stdin.off('data', this.onData);
    this.stdin.pause();
    if (this.raw) this.stdin.setRawMode(false);
  }
}

function screenSize(io: Io): { rows: number; cols: number } {
  const envNum = (v: string | undefined) => (v && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : undefined);
  const tty = io.stdout.isTTY ? process.stdout : undefined;
  return {
    rows: envNum(io.env.LINES) ?? tty?.rows ?? 24,
    cols: envNum(io.env.COLUMNS) ?? tty?.columns ?? 80,
  };
}

interface Prompt {
  label: string;
  value: string;
}

function bottomLine(scr: Screen, o: XentopSettings, prompt: Prompt | undefined): void {
  scr.move(scr.rows - 1, 2);
  if (prompt) {
    scr.addstr(sprintf('%s: %s', prompt.label, prompt.value));
    return;
  }
  const hl = (on: boolean) => (on ? ATTR_HILITE : 0);
  scr.addstr('D', ATTR_REVERSE);
  scr.addstr('elay  ');
  scr.addstr('N', ATTR_REVERSE);
  scr.addstr('etworks', hl(o.showNetworks));
  scr.addstr('  ');
  scr.addstr('v', hl(o.showVbds));
  scr.addstr('B', ATTR_REVERSE);
  scr.addstr('ds', hl(o.showVbds));
  scr.addstr('  ');
  scr.addstr('V', ATTR_REVERSE);
  scr.addstr('CPUs', hl(o.showVcpus));
  scr.addstr('  ');
  scr.addstr('R', ATTR_REVERSE);
  scr.addstr('epeat header', hl(o.repeatHeader));
  scr.addstr('  ');
  scr.addstr('S', ATTR_REVERSE);
  scr.addstr('ort order  ');
  scr.addstr('Q', ATTR_REVERSE);
  scr.addstr('uit  ');
}

/** handle_key: false when xentop should quit. */
function handleKey(ch: Key | undefined, o: XentopSettings, p: { prompt: Prompt | undefined }): boolean {
  if (ch === undefined) return true;
  if (!p.prompt) {
    switch (ch) {
      case 'n': case 'N': o.showNetworks = !o.showNetworks; break;
      case 'b': case 'B': o.showVbds = !o.showVbds; break;
      case 'r': case 'R': o.repeatHeader = !o.repeatHeader; break;
      case 's': case 'S': o.sortField = (o.sortField + 1) % FIELDS.length; break;
      case 'v': case 'V': o.showVcpus = !o.showVcpus; break;
      case KEY_DOWN: o.firstDomainIndex++; break;
      case KEY_UP: if (o.firstDomainIndex > 0) o.firstDomainIndex--; break;
      case 'd': case 'D': p.prompt = { label: 'Delay(sec)', value: '' }; break;
      case 'q': case 'Q': case KEY_ESCAPE: return false;
    }
    return true;
  }
  if (ch === '\r') {
    const d = atoi(p.prompt.value);
    if (d > 0) o.delay = d;
    p.prompt = undefined;
  } else if (ch === KEY_ESCAPE) {
    p.prompt = undefined;
  } else if (ch === KEY_BACKSPACE) {
    p.prompt.value = p.prompt.value.slice(0, -1);
  } else if (ch.length === 1 && ch >= ' ' && ch <= '~' && p.prompt.value.length + 1 < 80) {
    p.prompt.value += ch;
  }
  return true;
}

export async function runInteractive(io: Io, o: XentopSettings): Promise<XentopResult> {
  const term = io.env.TERM;
  if (!term) {
    io.stderr.write('Error opening terminal: unknown.\n');
    return { code: 1 };
  }
  const { rows, cols } = screenSize(io);
  const scr = new Screen(rows, cols);
  const keys = new KeyReader(io.stdin);
  const st = newTopState();
  const p: { prompt: Prompt | undefined } = { prompt: undefined };
  let iterations = o.iterations >>> 0;
  let oldSec = 0;
  let oldHostMs: number | undefined;
  let ch: Key | undefined;
  // initscr: the alternate screen, cleared; endwin leaves it
  io.stdout.write('\x1b[?1049h\x1b[H\x1b[2J');
  try {
    do {
      const nowSec = Math.floor(Date.now() / 1000);
      if (ch !== undefined || nowSec - oldSec >= o.delay) {
        if (ch === KEY_REPAINT) io.stdout.write('\x1b[2J');
        scr.erase();
        const s = sample(io);
        top(scr, o, st, s.node, oldHostMs === undefined ? 0 : (s.node.wallMs - oldHostMs) * 1000);
        bottomLine(scr, o, p.prompt);
        oldHostMs = s.node.wallMs;
        oldSec = nowSec;
        io.stdout.write(scr.render());
        if (!o.loop) {
          iterations = (iterations - 1) >>> 0;
          if (iterations === 0) break;
        }
      }
      ch = await keys.get(500);
      if (ch === CTRL_C && keys.raw) return { signal: SIGINT };
    } while (handleKey(ch, o, p));
  } finally {
    keys.close();
    io.stdout.write('\x1b[?1049l');
  }
  return { code: 0 };
}
