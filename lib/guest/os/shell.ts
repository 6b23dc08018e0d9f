/**
 * A login prompt and a small bash on one guest terminal (hvc0 or ttyS0),
 * as a pure state machine.
 *
 * Public API (for the console wiring: `xl console`, `xl create -c`):
 *
 *   newShell(tty: TtyChannel): ShellState            — a getty showing "<name> login: "
 *   feed(state, input, env: ShellEnv, nowMs): FeedResult
 *       input  — bytes the user typed, as a string (one char per byte)
 *       nowMs  — any monotonic clock in ms (the host's simulated time); `later`
 *                chunks and `actions` are relative to it
 *     → { state,            new state (the input state is not modified)
 *         output,           text to write back to this terminal now (echo + answers, \r\n)
 *         later: Chunk[],   output due later (atMs relative to now; channel may be another
 *                           console, e.g. kernel messages go to every kernel console)
 *         actions: OsAction[]  effects for the caller: SCHEDOP_shutdown, halted vCPUs,
 *                           workload start/stop (dirty rate)
 *         dmesg: string[] } kernel log lines to append to the guest's dmesg
 *   ShellEnv (commands.ts) — the read-only world: desc, consoles, live(), dmesg(), xs
 *
 * Terminal behaviour (documented simplifications):
 *   - CR or LF ends a line (CR LF counts once); the line is echoed, \r\n after it;
 *   - DEL (0x7f) and BS (0x08) erase one character ("\b \b"); Ctrl-U erases the line;
 *   - Ctrl-C: "^C", the line is dropped, a running command (stress) stops;
 *   - Ctrl-D on an empty line: at the shell "logout" and a fresh login prompt;
 *   - escape sequences (arrow keys) are swallowed; Tab is ignored;
 *   - login: `root` logs in without a password (the image has none set); any other user is
 *     asked for a password and refused with "Login incorrect" after 2 s (agetty's delay);
 *   - after poweroff/reboot/halt/crash the terminal takes no more input ('down').
 * Commands: see commands.ts (`help` lists them); simple `cmd | grep WORD`, `| head [-n N]`,
 * `| tail [-n N]` and `| wc -l` pipelines work; `echo K > /proc/sysrq-trigger` triggers SysRq.
 */
import { runCommand, type CmdResult, type ShellEnv } from './commands';
import { loginBanner, loginPrompt } from './userspace';
import { KERNEL, type Chunk, type OsAction, type TtyChannel } from './types';

export type ShellMode = 'login' | 'password' | 'shell' | 'busy' | 'down';

export interface ShellState {
  tty: TtyChannel;
  mode: ShellMode;
  line: string;
  /** the previous byte was CR (so a following LF is the same line end) */
  lastCr: boolean;
  /** inside an escape sequence: 0 no, 1 after ESC, 2 inside CSI/SS3 */
  esc: 0 | 1 | 2;
  /** busy: the command ends by itself at this time (absolute ms), or null (until Ctrl-C) */
  busyEndsAt: number | null;
  /** a running workload that Ctrl-C must stop */
  workload: boolean;
  /** the running command moves network or disk data (Ctrl-C stops that too) */
  io?: boolean;
}

export interface FeedResult {
  state: ShellState;
  output: string;
  later: Chunk[];
  actions: OsAction[];
  dmesg: string[];
}

export function newShell(tty: TtyChannel): ShellState {
  return { tty, mode: 'login', line: '', lastCr: false, esc: 0, busyEndsAt: null, workload: false };
}

function prompt(env: ShellEnv): string {
  return `root@${env.desc.name}:~# `;
}

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

function motd(env: ShellEnv): string {
  return crlf(
    `Linux ${env.desc.name} ${KERNEL.release} ${KERNEL.version} x86_64\n\n` +
      'The programs included with the Debian GNU/Linux system are free software;\n' +
      'the exact distribution terms for each program are described in the\n' +
      'individual files in /usr/share/doc/*/copyright.\n\n' +
      'Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\n' +
      'permitted by applicable law.\n',
  );
}

/** Split a command line into words (single and double quotes, backslash). */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let have = false;
  let q: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      q = c;
      have = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      have = true;
    } else if (c === ' ' || c === '\t') {
      if (have) out.push(cur);
      cur = '';
      have = false;
    } else {
      cur += c;
      have = true;
    }
  }
  if (have) out.push(cur);
  return out;
}

function filter(text: string, stage: string[]): string {
  const [cmd, ...args] = stage;
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const count = () => {
    const i = args.indexOf('-n');
    if (i >= 0) return Number(args[i + 1] ?? 10);
    const m = args.find((a) => /^-\d+$/.test(a));
    return m ? Number(m.slice(1)) : 10;
  };
  const join = (ls: string[]) => (ls.length ? ls.join('\n') + '\n' : '');
  switch (cmd) {
    case 'grep': {
      const ci = args.includes('-i');
      const pat = args.find((a) => !a.startsWith('-')) ?? '';
      return join(lines.filter((l) => (ci ? l.toLowerCase().includes(pat.toLowerCase()) : l.includes(pat))));
    }
    case 'head':
      return join(lines.slice(0, count()));
    case 'tail':
      return join(lines.slice(Math.max(0, lines.length - count())));
    case 'wc':
      return `${text === '' ? 0 : lines.length}\n`;
    default:
      return `-bash: ${cmd}: command not found\n`;
  }
}

/** One command line (a pipeline of one command and filters, an optional redirect). */
export function execLine(env: ShellEnv, tty: TtyChannel, line: string): CmdResult {
  const stages = line.split('|').map((s) => s.trim());
  let first = stages[0]!;
  let redirect: string | undefined;
  const r = /^(.*?)\s*>\s*(\S+)\s*$/.exec(first);
  if (r) {
    first = r[1]!;
    redirect = r[2]!;
  }
  const argv = splitWords(first);
  // `grep WORD FILE` reads a file the way cat would
  if (argv[0] === 'grep' && argv.length >= 3 && stages.length === 1) {
    const file = argv[argv.length - 1]!;
    const res = runCommand(env, ['cat', file], undefined, tty);
    return { ...res, out: filter(res.out, argv.slice(0, -1)) };
  }
  const res = runCommand(env, argv, redirect, tty);
  let out = res.out;
  for (const st of stages.slice(1)) out = filter(out, splitWords(st));
  return { ...res, out };
}

export function feed(state: ShellState, input: string, env: ShellEnv, nowMs: number): FeedResult {
  const st: ShellState = { ...state };
  let output = '';
  const later: Chunk[] = [];
  const actions: OsAction[] = [];
  const dmesg: string[] = [];

  if (st.mode === 'busy' && st.busyEndsAt !== null && nowMs >= st.busyEndsAt) {
    st.mode = 'shell';
    st.busyEndsAt = null;
    st.workload = false;
    st.io = false;
  }

  const endLine = (): void => {
    const line = st.line;
    st.line = '';
    switch (st.mode) {
      case 'login':
        output += '\r\n';
        if (line.trim() === '') output += loginPrompt(env.desc);
        else if (line.trim() === 'root') {
          st.mode = 'shell';
          output += motd(env) + prompt(env);
        } else {
          st.mode = 'password';
          output += 'Password: ';
        }
        return;
      case 'password':
        output += '\r\n';
        st.mode = 'login';
        later.push({ atMs: 2000, channel: st.tty, text: `\r\nLogin incorrect\r\n${loginPrompt(env.desc)}` });
        return;
      case 'shell': {
        output += '\r\n';
        if (line.trim() === '') {
          output += prompt(env);
          return;
        }
        const res = execLine(env, st.tty, line);
        output += crlf(res.out);
        later.push(...res.later ?? []);
        actions.push(...res.actions ?? []);
        dmesg.push(...res.dmesg ?? []);
        if (res.next === 'down') st.mode = 'down';
        else if (res.next === 'logout') {
          st.mode = 'login';
          later.push({ atMs: 300, channel: st.tty, text: loginBanner(env.desc, st.tty) });
        } else if (res.next === 'busy') {
          st.mode = 'busy';
          st.workload = (res.actions ?? []).some((a) => a.kind === 'workload');
          st.io = (res.actions ?? []).some((a) => a.kind === 'io');
          if (res.busyUntilMs !== undefined) {
            st.busyEndsAt = nowMs + res.busyUntilMs;
            later.push({ atMs: res.busyUntilMs, channel: st.tty, text: crlf(res.busyTail ?? '') + prompt(env) });
          }
        } else output += prompt(env);
        return;
      }
      default:
        return;
    }
  };

  for (const ch of input) {
    if (st.mode === 'down') break;
    const c = ch.charCodeAt(0);
    const wasCr = st.lastCr;
    st.lastCr = ch === '\r';
    if (st.esc === 1) {
      st.esc = ch === '[' || ch === 'O' ? 2 : 0;
      continue;
    }
    if (st.esc === 2) {
      if (c >= 0x40 && c <= 0x7e) st.esc = 0;
      continue;
    }
    if (c === 0x1b) {
      st.esc = 1;
      continue;
    }
    if (ch === '\n' && wasCr) continue;
    if (st.mode === 'busy') {
      if (c === 0x03) {
        output += '^C\r\n' + prompt(env);
        if (st.workload) actions.push({ atMs: 0, kind: 'workload', dirtyRateMiBs: 0, wssMiB: 0 });
        if (st.io) actions.push({ atMs: 0, kind: 'io', netTx: 0, netRx: 0, read: 0, write: 0 });
        st.mode = 'shell';
        st.busyEndsAt = null;
        st.workload = false;
        st.io = false;
        st.line = '';
      } else if (ch === '\r' || ch === '\n') output += '\r\n';
      else if (c >= 0x20 && c < 0x7f) output += ch;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endLine();
      continue;
    }
    if (c === 0x7f || c === 0x08) {
      if (st.line.length > 0) {
        st.line = st.line.slice(0, -1);
        if (st.mode !== 'password') output += '\b \b';
      }
      continue;
    }
    if (c === 0x15) {
      if (st.mode !== 'password') output += '\b \b'.repeat(st.line.length);
      st.line = '';
      continue;
    }
    if (c === 0x03) {
      st.line = '';
      if (st.mode === 'shell') output += '^C\r\n' + prompt(env);
      else {
        st.mode = 'login';
        output += '\r\n' + loginPrompt(env.desc);
      }
      continue;
    }
    if (c === 0x04) {
      if (st.line !== '') continue;
      if (st.mode === 'shell') {
        output += 'logout\r\n';
        st.mode = 'login';
        later.push({ atMs: 300, channel: st.tty, text: loginBanner(env.desc, st.tty) });
      } else if (st.mode === 'login') output += loginBanner(env.desc, st.tty);
      continue;
    }
    if (c < 0x20) continue;
    st.line += ch;
    if (st.mode !== 'password') output += ch;
  }
  return { state: st, output, later, actions, dmesg };
}
