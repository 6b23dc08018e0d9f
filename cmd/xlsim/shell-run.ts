/**
 * The engine of `xlsim shell`: runs one command line at a time in this
 * process, through the same entry (`runTool`) the separate binaries use, so
 * each command prints what its binary would print and ends with the status
 * its binary would exit with. A few builtins (exit, quit, help, echo, set)
 * make scripts and the prompt usable; `$?` is the last command's status.
 */
import type { Io } from '../io';
import { splitWords, type Word } from './shell-words';

/** The tools a line may start with, as the multi-call entry knows them. */
export const SHELL_TOOLS = ['xl', 'xlsim', 'xentop', 'xenstore-ls', 'xenstore-read', 'xenstore-write', 'xenstore-rm', 'xenstore-list'] as const;
export const SHELL_BUILTINS = ['exit', 'quit', 'help', 'echo', 'set'] as const;

export type RunToolFn = (name: string, io: Io, args: string[]) => Promise<number>;

/** What the shell does around each command (the connection cache, for one). */
export interface ShellHooks {
  beforeCommand?(tool: string, args: readonly string[]): void;
}

export interface ShellOptions {
  /** stop at the first command that fails (sh's set -e) */
  errexit: boolean;
  /** how lines are named in the shell's own messages ("line 3", or nothing at a prompt) */
  interactive: boolean;
}

export type LineOutcome =
  /** keep reading */
  | { readonly done: false }
  /** the shell ends with this status (exit, quit, errexit) */
  | { readonly done: true; readonly status: number };

const HELP = `xlsim shell: runs xl, xlsim, xentop and xenstore-* commands in one process.

Each line is one command, split into words as sh would (quotes, backslash,
# comments); $? is the status of the last command. Every command prints and
ends exactly as its own binary would.

Tools:     ${SHELL_TOOLS.join(' ')}
Builtins:  echo [WORD...] [>&2]   print the words (on stderr with >&2)
           set -e | set +e        stop at (or go on after) a failing command
           help                   this text
           exit [N] | quit        leave the shell (status N, else the last status)
`;

export class ShellRunner {
  /** the status of the last command, $? */
  status = 0;
  private lineNo = 0;
  private pending = '';
  private pendingStart = 0;
  /**
   * The environment every command starts from. A plain copy, taken once:
   * reading process.env goes through the C++ environment on every key,
   * which copied per command cost more than `xl list` itself.
   */
  private readonly env: Record<string, string | undefined>;

  constructor(
    private readonly io: Io,
    private readonly runTool: RunToolFn,
    readonly opts: ShellOptions,
    private readonly hooks: ShellHooks = {},
  ) {
    this.env = { ...io.env };
  }

  /** true while a quoted string or a trailing backslash waits for the next line */
  get continuing(): boolean {
    return this.pending !== '';
  }

  private where(): string {
    return this.opts.interactive ? '' : `line ${this.pendingStart}: `;
  }

  private complain(text: string, status: number): void {
    this.io.stderr.write(`xlsim shell: ${this.where()}${text}\n`);
    this.status = status;
  }

  /** Feeds one input line (without its newline). */
  async feed(line: string): Promise<LineOutcome> {
    this.lineNo++;
    if (!this.continuing) this.pendingStart = this.lineNo;
    const text = this.continuing ? `${this.pending}\n${line}` : line;
    const split = splitWords(text, this.status);
    if (!split.ok) {
      this.pending = text;
      return { done: false };
    }
    this.pending = '';
    return this.runWords(split.words);
  }

  /** ^C at the prompt: forget a half-typed line, $? becomes `status`. */
  abandon(status: number): void {
    this.pending = '';
    this.status = status;
  }

  /** End of input: a line left open is a syntax error, as in sh. */
  finish(): number {
    if (this.continuing) {
      const split = splitWords(this.pending, this.status);
      this.complain(`unexpected end of file (${split.ok ? 'unterminated line' : split.error})`, 2);
      this.pending = '';
    }
    return this.status;
  }

  private async runWords(words: Word[]): Promise<LineOutcome> {
    const first = words[0];
    if (!first) return { done: false };
    const args = words.slice(1).map((w) => w.text);
    const name = first.text;
    switch (name) {
      case 'exit':
      case 'quit': {
        if (args.length > 1) {
          this.complain(`${name}: too many arguments`, 1);
          return { done: false };
        }
        if (args[0] === undefined) return { done: true, status: this.status };
        if (!/^-?\d+$/.test(args[0])) {
          this.complain(`${name}: ${args[0]}: numeric argument required`, 2);
          return { done: true, status: 2 };
        }
        return { done: true, status: Number(args[0]) & 0xff };
      }
      case 'help':
        this.io.stdout.write(HELP);
        this.status = 0;
        return { done: false };
      case 'echo':
        return this.echo(words.slice(1));
      case 'set':
        return this.set(args);
    }
    if (!(SHELL_TOOLS as readonly string[]).includes(name)) {
      this.complain(`${name}: command not found (try help)`, 127);
      return this.after();
    }
    if (name === 'xlsim' && args.includes('shell')) {
      // it would compete with this shell for the same input
      this.complain('xlsim shell cannot run inside xlsim shell', 1);
      return this.after();
    }
    // Each command gets its own copy of the environment, as a child
    // process would: nothing a command sets there reaches the next one.
    const io: Io = {
      stdout: this.io.stdout,
      stderr: this.io.stderr,
      stdin: this.io.stdin,
      env: { ...this.env },
      cwd: this.io.cwd,
    };
    this.hooks.beforeCommand?.(name, args);
    this.status = await this.runTool(name, io, args);
    return this.after();
  }

  private after(): LineOutcome {
    if (this.opts.errexit && this.status !== 0) return { done: true, status: this.status };
    return { done: false };
  }

  private echo(words: Word[]): LineOutcome {
    const last = words[words.length - 1];
    const toErr = last !== undefined && last.bare && last.text === '>&2';
    const text = (toErr ? words.slice(0, -1) : words).map((w) => w.text).join(' ');
    (toErr ? this.io.stderr : this.io.stdout).write(`${text}\n`);
    this.status = 0;
    return { done: false };
  }

  private set(args: string[]): LineOutcome {
    if (args.length === 0) {
      this.io.stdout.write(`errexit\t${this.opts.errexit ? 'on' : 'off'}\n`);
      this.status = 0;
      return { done: false };
    }
    for (const a of args) {
      if (a === '-e') this.opts.errexit = true;
      else if (a === '+e') this.opts.errexit = false;
      else {
        this.complain(`set: ${a}: only -e and +e are known`, 2);
        return this.after();
      }
    }
    this.status = 0;
    return { done: false };
  }
}
