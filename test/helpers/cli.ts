/**
 * Spawns the built tools (dist/xlsim.cjs through the bin shims) the way a
 * user's shell would, with a private XLSIM_HOME, and captures everything.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin');

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  cwd?: string;
  timeout?: number;
}

export function tmpHome(prefix = 'xlsim-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function runTool(tool: string, args: string[], opts: RunOptions = {}): RunResult {
  const o: SpawnSyncOptions = {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', ...opts.env },
    input: opts.input ?? '',
    timeout: opts.timeout ?? 30_000,
    encoding: 'utf8',
  };
  const r = spawnSync(process.execPath, [path.join(BIN, `${tool}.cjs`), ...args], o);
  if (r.error) throw r.error;
  return { stdout: String(r.stdout), stderr: String(r.stderr), code: r.status ?? 128 + (r.signal ? 9 : 0) };
}

export function xl(args: string[], opts: RunOptions = {}): RunResult {
  return runTool('xl', args, opts);
}
