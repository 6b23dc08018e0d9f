/**
 * A manual-clock host in a private XLSIM_HOME, driven command by command
 * through the built tools, with the config files the scenarios use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runTool, tmpHome, type RunResult } from '../helpers/cli';

/**
 * LIFECYCLE_BUNDLE=<file.cjs> runs the scenarios against another build of
 * the multi-call bundle (a development aid while dist/ is rebuilt by others).
 */
const BUNDLE = process.env.LIFECYCLE_BUNDLE;

function runBundle(tool: string, args: string[], env: Record<string, string>, cwd: string): RunResult {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(BUNDLE)}).run(process.argv[1], process.argv.slice(2))`, tool, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', XLSIM_CONFIG_DIR: path.resolve(__dirname, '..', '..', 'configs'), ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { stdout: String(r.stdout), stderr: String(r.stderr), code: r.status ?? 128 };
}

export interface Host {
  home: string;
  dir: string;
  xl(...args: string[]): RunResult;
  xlsim(...args: string[]): RunResult;
  cfg(name: string, text: string): string;
  log(name: string): string;
  /** every command and its results, for determinism checks */
  transcript: string[];
}

export function manualHost(seed = 1, profile = 'default'): Host {
  const home = tmpHome('xlsim-lifecycle-');
  const env = { XLSIM_HOME: home };
  const transcript: string[] = [];
  const run = (tool: string, args: string[]): RunResult => {
    const r = BUNDLE ? runBundle(tool, args, env, home) : runTool(tool, args, { env, cwd: home });
    transcript.push(`$ ${tool} ${args.join(' ')}\n${r.stdout}${r.stderr}[${r.code}]`);
    return r;
  };
  const created = run('xlsim', ['host', 'create', 'default', '--profile', profile, '--clock', 'manual', '--seed', String(seed)]);
  if (created.code !== 0) throw new Error(`host create failed: ${created.stderr}`);
  return {
    home,
    dir: path.join(home, 'hosts', 'default'),
    xl: (...args) => run('xl', args),
    xlsim: (...args) => run('xlsim', args),
    cfg(name, text) {
      const file = path.join(home, `${name}.cfg`);
      fs.writeFileSync(file, text);
      return file;
    },
    log(name) {
      const f = path.join(home, 'hosts', 'default', 'log', `xl-${name}.log`);
      return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
    },
    transcript,
  };
}

/** The host's simulated time as `xlsim clock` prints it (seconds since boot). */
export function clockNow(h: { xlsim(...args: string[]): RunResult }): string {
  return /now: +(\S+)/.exec(h.xlsim('clock').stdout)![1]!;
}

/** What the toolstack left in a guest's control/shutdown node (xenstore-read's output). */
export function controlShutdown(h: Host, domid: number): string {
  const r = runTool('xenstore-read', [`/local/domain/${domid}/control/shutdown`], { env: { XLSIM_HOME: h.home }, cwd: h.home });
  if (r.code !== 0) throw new Error(`xenstore-read control/shutdown of ${domid}: ${r.stderr}`);
  return r.stdout;
}

export const HEADER = 'Name                                        ID   Mem VCPUs\tState\tTime(s)\n';

/** One `xl list` row as list_domains formats it. */
export function row(name: string, id: number, mem: number, vcpus: number, state: string, time: string): string {
  return `${name.padEnd(40)} ${String(id).padStart(5)} ${String(mem).padStart(5)} ${String(vcpus).padStart(5)}     ${state}  ${time.padStart(8)}\n`;
}

export const PV_CFG = `name = "pv1"
type = "pv"
kernel = "/boot/vmlinuz"
memory = 512
vcpus = 2
disk = [ 'phy:/dev/vg/pv1,xvda,w' ]
vif = [ 'bridge=xenbr0' ]
`;

export const HVM_CFG = `name = "hvm1"
type = "hvm"
memory = 1024
vcpus = 2
`;

export const PVH_CFG = `name = "pvh1"
type = "pvh"
kernel = "/boot/vmlinuz"
memory = 256
`;
