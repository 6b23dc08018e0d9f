/**
 * Running the tools of the shell tests' bundle as separate processes and
 * as `xlsim shell`, with a private XLSIM_HOME and the shipped profiles.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, type RunResult } from '../helpers/cli';
import { shellBundle } from './bundle.mjs';

let bundle: string | undefined;

export async function prepareBundle(): Promise<string> {
  bundle ??= await shellBundle();
  return bundle;
}

export function shellEnv(home: string): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: home, TZ: 'UTC', XLSIM_HOME: home, XLSIM_CLOCK: 'manual', XLSIM_CONFIG_DIR: path.join(ROOT, 'configs') };
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** One tool as its own process: through bin/ once dist has the shell, else the test bundle's run(). */
export function separate(tool: string, args: string[], env: Record<string, string | undefined>, cwd: string, input = ''): RunResult {
  if (!bundle) throw new Error('prepareBundle() first');
  const argv = bundle.startsWith(path.join(ROOT, 'dist'))
    ? [path.join(ROOT, 'bin', `${tool}.cjs`), ...args]
    : ['-e', `require(${JSON.stringify(bundle)}).run(${JSON.stringify(tool)}, process.argv.slice(1))`, "--", ...args];
  const r = spawnSync(process.execPath, argv, { env, cwd, input, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? 128 };
}

/** `xlsim [pre...] shell [opts...]` reading `script` from stdin. */
export function shell(script: string, env: Record<string, string | undefined>, cwd: string, opts: string[] = [], pre: string[] = []): RunResult {
  return separate('xlsim', [...pre, 'shell', ...opts], env, cwd, script);
}

export function bundlePath(): string {
  if (!bundle) throw new Error('prepareBundle() first');
  return bundle;
}
