/**
 * Shared pieces of the console tests: a manual-clock host per test, and a
 * private tmux server (its own socket name, killed afterwards) to drive
 * `xl console` / `xl create -c` on a real terminal.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, ROOT, tmpHome, xl, type RunResult } from '../helpers/cli';

export { ROOT };

export interface Lab {
  home: string;
  env: Record<string, string>;
  xl(args: string[], input?: string): RunResult;
  /** a shell command line run with the lab's env (pipes, redirections) */
  sh(cmd: string): RunResult;
}

export function lab(seed = 7): Lab {
  const home = tmpHome('xlsim-console-');
  const env = { XLSIM_HOME: home, XLSIM_CLOCK: 'manual', XLSIM_SEED: String(seed) };
  return {
    home,
    env,
    xl: (args, input) => xl(args, { env, input }),
    sh: (cmd) => {
      const r = spawnSync('sh', ['-c', cmd], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', ...env },
        encoding: 'utf8',
        timeout: 30_000,
      });
      return { stdout: String(r.stdout), stderr: String(r.stderr), code: r.status ?? 128 };
    },
  };
}

/** `xl` as a shell word: the built bundle through node, whatever PATH says. */
export const XL = `${process.execPath} ${path.join(BIN, 'xl.cjs')}`;
export const XLSIM = `${process.execPath} ${path.join(BIN, 'xlsim.cjs')}`;

export function hasTmux(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

let serial = 0;

/** One tmux server of our own with one window running bash. */
export class Tmux {
  readonly name = `xlsim-console-${process.pid}-${++serial}`;

  constructor(env: Record<string, string>, cwd = ROOT) {
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    this.tmux(['-f', '/dev/null', 'new-session', '-d', '-x', '160', '-y', '60', '-c', cwd, ...envArgs, 'env PS1="$ " bash --norc --noprofile']);
  }

  tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.name, ...args], { encoding: 'utf8' });
  }

  /** Types a line (Enter at the end) into a pane. */
  line(text: string, pane = ':0'): void {
    this.tmux(['send-keys', '-t', pane, '-l', text]);
    this.tmux(['send-keys', '-t', pane, 'Enter']);
  }

  keys(keys: string[], pane = ':0'): void {
    this.tmux(['send-keys', '-t', pane, ...keys]);
  }

  screen(pane = ':0'): string {
    return this.tmux(['capture-pane', '-p', '-J', '-S', '-200', '-t', pane]);
  }

  /** Polls the screen until `pred` holds (or fails with the screen shown). */
  async waitFor(pred: (screen: string) => boolean, what: string, timeoutMs = 8000, pane = ':0'): Promise<string> {
    const t0 = Date.now();
    for (;;) {
      const s = this.screen(pane);
      if (pred(s)) return s;
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** A second window (not a split: the first terminal keeps its size). */
  window(): string {
    this.tmux(['new-window', '-d', 'env PS1="$ " bash --norc --noprofile']);
    return ':1';
  }

  kill(): void {
    let socket = '';
    try {
      socket = this.tmux(['display-message', '-p', '#{socket_path}']).trim();
      this.tmux(['kill-server']);
    } catch {
      // already gone
    }
    // tmux leaves its socket file behind
    if (socket) fs.rmSync(socket, { force: true });
  }
}

export function golden(name: string, actual: string): { expected: string; actual: string } {
  const file = path.join(__dirname, 'golden', name);
  // regenerate with UPDATE_GOLDEN=1 (and review the diff); a missing file fails
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  return { expected: fs.readFileSync(file, 'utf8'), actual };
}
