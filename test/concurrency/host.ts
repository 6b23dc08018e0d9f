/**
 * A big manual-clock host in a private XLSIM_HOME, and the built tools
 * spawned asynchronously so that many of them run at once.
 */
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tmpHome, type RunResult } from '../helpers/cli';
import { destroyGoneLines } from '../helpers/libxl-lines';

/**
 * CONCURRENCY_BIN=<dir> runs the scenarios against the bin/ of another
 * build (a development aid while dist/ is rebuilt by others).
 */
const BIN = process.env.CONCURRENCY_BIN ?? path.join(ROOT, 'bin');

function baseEnv(env: Record<string, string>): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', ...env };
}

function runTool(tool: string, args: string[], env: Record<string, string>, cwd: string): RunResult {
  const r = spawnSync(process.execPath, [path.join(BIN, `${tool}.cjs`), ...args], { cwd, env: baseEnv(env), encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { stdout: String(r.stdout), stderr: String(r.stderr), code: r.status ?? 128 };
}

export interface Done extends RunResult {
  signal: NodeJS.Signals | null;
}

export interface BigHost {
  home: string;
  env: Record<string, string>;
  /** the host database */
  db: string;
  logDir: string;
  cfg(name: string, text: string): string;
  /** one tool, synchronously */
  run(tool: string, args: string[], extraEnv?: Record<string, string>): RunResult;
  /** one tool as a child process; resolves when it has exited */
  spawn(tool: string, args: string[], extraEnv?: Record<string, string>): Promise<Done>;
}

export const SMALL_CFG = 'kernel = "/boot/vmlinuz"\nmemory = 64\n';

export function bigHost(): BigHost {
  const home = tmpHome('xlsim-concurrency-');
  const created = runTool('xlsim', ['host', 'create', 'big', '--profile', path.join(ROOT, 'test', 'bench', 'big-host.ini')], { XLSIM_HOME: home, XLSIM_CLOCK: 'manual' }, home);
  if (created.code !== 0) throw new Error(`host create failed: ${created.stderr}`);
  return hostAt(home);
}

/** A copy of the whole XLSIM_HOME (no process may be using it). */
export function cloneHost(h: BigHost): BigHost {
  const home = tmpHome('xlsim-concurrency-');
  fs.cpSync(h.home, home, { recursive: true });
  const c = hostAt(home);
  // the monitors' records name their log files by absolute path: point them
  // at the copy's, or the copy would write into the original's logs
  const db = new Database(c.db, { fileMustExist: true });
  try {
    db.prepare('UPDATE records SET data = replace(data, ?, ?)').run(h.home, home);
  } finally {
    db.close();
  }
  return c;
}

export function hostAt(home: string): BigHost {
  const env = { XLSIM_HOME: home, XLSIM_HOST: 'big' };
  return {
    home,
    env,
    db: path.join(home, 'hosts', 'big.db'),
    logDir: path.join(home, 'hosts', 'big', 'log'),
    cfg(name, text) {
      const file = path.join(home, `${name}.cfg`);
      fs.writeFileSync(file, text);
      return file;
    },
    run: (tool, args, extraEnv) => runTool(tool, args, { ...env, ...extraEnv }, home),
    spawn: (tool, args, extraEnv) =>
      new Promise((resolve, reject) => {
        const p = spawn(process.execPath, [path.join(BIN, `${tool}.cjs`), ...args], {
          cwd: home,
          env: baseEnv({ ...env, ...extraEnv }),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        p.on('error', reject);
        p.on('close', (code, signal) => resolve({ stdout, stderr, code: code ?? 128, signal }));
      }),
  };
}

/** The rows of `xl list` as {name, domid}. */
export function listed(stdout: string): { name: string; domid: number; state: string }[] {
  const lines = stdout.split('\n').filter((l) => l !== '');
  return lines.slice(1).map((l) => {
    const m = /^(\S+)\s+(\d+)\s+\d+\s+\d+\s+([-rbpscd]{6})\s+\d+\.\d$/.exec(l);
    if (!m) throw new Error(`not an xl list row: ${JSON.stringify(l)}`);
    return { name: m[1]!, domid: Number(m[2]), state: m[3]! };
  });
}

export const LIST_HEADER = 'Name                                        ID   Mem VCPUs\tState\tTime(s)\n';

/** What xl prints when a second domain is created under a name in use (xl-commands.md §3.1). */
export function duplicateNameStderr(cfg: string, domid: number, name: string): string {
  return (
    `Parsing config from ${cfg}\n` +
    `libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain ${domid}:Domain with name "${name}" already exists.\n` +
    `libxl: error: libxl_create.c:1309:initiate_domain_create: Domain ${domid}:cannot make domain: -6\n` +
    destroyGoneLines(domid)
  );
}

export const DB_ERROR = /database|sqlite|locked|busy/i;

export const CHECK_OK = { stdout: 'xlsim check: host is consistent\n', stderr: '', code: 0 };
