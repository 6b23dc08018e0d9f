/**
 * Two manual-clock simulated hosts, a and b, in one private XLSIM_HOME,
 * driven through the built tools as a user would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, runTool, tmpHome, type RunResult } from '../helpers/cli';

export interface TwoHosts {
  home: string;
  on(host: string): { xl(...args: string[]): RunResult; xlsim(...args: string[]): RunResult };
  cfg(name: string, text: string): string;
}

export function twoHosts(): TwoHosts {
  const home = tmpHome('xlsim-migrate-');
  const on = (host: string) => ({
    xl: (...args: string[]) => runTool('xl', args, { env: { XLSIM_HOME: home, XLSIM_HOST: host }, cwd: home }),
    xlsim: (...args: string[]) => runTool('xlsim', args, { env: { XLSIM_HOME: home, XLSIM_HOST: host }, cwd: home }),
  });
  for (const [h, seed] of [['a', '1'], ['b', '2']] as const) {
    const r = runTool('xlsim', ['host', 'create', h, '--clock', 'manual', '--seed', seed], { env: { XLSIM_HOME: home }, cwd: home });
    if (r.code !== 0) throw new Error(`host create ${h}: ${r.stderr}`);
  }
  return {
    home,
    on,
    cfg(name, text) {
      const file = path.join(home, `${name}.cfg`);
      fs.writeFileSync(file, text);
      return file;
    },
  };
}

/**
 * How every migration's transcript opens, up to the receiver's "Restoring
 * domain": the two ends' lines interleaved as ssh shows them.
 */
export function migrationOpening(domid: number, kind: string, optlen: string): string {
  return (
    'migration target: Ready to receive domain.\n' +
    `Saving to migration stream new xl format (info 0x3/0x0/${optlen})\n` +
    `Loading new save file <incoming migration stream> (new xl fmt info 0x3/0x0/${optlen})\n` +
    ' Savefile contains xl domain config in JSON format\n' +
    'Parsing config from <saved>\n' +
    `xc: info: Saving domain ${domid}, type x86 ${kind}\n` +
    `xc: info: Found x86 ${kind} domain from Xen 4.20\n` +
    'xc: info: Restoring domain\n'
  );
}

export const XL_SHIM = path.join(BIN, 'xl.cjs');

/** a guest whose stream takes long enough to interrupt */
export const BIG_CFG = 'name = "g8"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 8192\n';

export interface Running {
  child: ChildProcess;
  /** resolves once stderr contains the text */
  waitFor(text: string): Promise<void>;
  done: Promise<RunResult>;
}

/** An xl running in the background (for killing things mid-way). */
export function startXl(home: string, host: string, args: string[]): Running {
  const child = spawn(process.execPath, [XL_SHIM, ...args], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', XLSIM_HOME: home, XLSIM_HOST: host },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let waiters: Array<() => void> = [];
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  });
  const done = new Promise<RunResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ stdout: out, stderr: err, code: code ?? (signal ? 128 + 9 : 1) }));
  });
  return {
    child,
    done,
    async waitFor(text) {
      const deadline = Date.now() + 20_000;
      while (!err.includes(text)) {
        if (Date.now() > deadline) throw new Error(`never saw ${JSON.stringify(text)} in:\n${err}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
  };
}

/** the pid of the `xl migrate-receive` working in this XLSIM_HOME, or 0 */
export function receiverPid(home: string): number {
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'latin1').split('\0');
      if (!cmd.includes('migrate-receive')) continue;
      const env = fs.readFileSync(`/proc/${d}/environ`, 'latin1').split('\0');
      if (env.includes(`XLSIM_HOME=${home}`)) return Number(d);
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return 0;
}

/** waits (up to 20 s) until the process has exited */
export async function gone(pid: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`process ${pid} still running`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
