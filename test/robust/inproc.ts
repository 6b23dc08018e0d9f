/**
 * Runs the tools inside the test process through the multi-call entry
 * (`runTool`, what `xlsim shell` uses), so a command prints and exits
 * exactly as its binary would, at a fraction of a process's cost. Each
 * home is a private XLSIM_HOME with manual-clock hosts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryIo, runTool } from '../../cmd/main';
import { ROOT, type RunResult } from '../helpers/cli';

export interface InprocHome {
  home: string;
  /** runs one tool on `host` (default: the first host created) */
  run(tool: string, args: string[], host?: string): Promise<RunResult>;
  file(name: string, text: string | Uint8Array): string;
  env(host?: string): Record<string, string | undefined>;
}

export function tmpDir(prefix = 'xlsim-robust-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function inprocHome(hosts: readonly string[] = ['a'], home = tmpDir()): Promise<InprocHome> {
  const env = (host = hosts[0]): Record<string, string | undefined> => ({
    PATH: process.env.PATH,
    HOME: home,
    TZ: 'UTC',
    XLSIM_HOME: home,
    XLSIM_HOST: host,
    XLSIM_CLOCK: 'manual',
    XLSIM_CONFIG_DIR: path.join(ROOT, 'configs'),
  });
  const run = async (tool: string, args: string[], host?: string): Promise<RunResult> => {
    const io = memoryIo(env(host), home);
    const code = await runTool(tool, io, args);
    return { stdout: io.outText(), stderr: io.errText(), code };
  };
  let seed = 1;
  for (const h of hosts) {
    const r = await run('xlsim', ['host', 'create', h, '--clock', 'manual', '--seed', String(seed++)], h);
    if (r.code !== 0) throw new Error(`host create ${h}: ${r.stderr}`);
  }
  return {
    home,
    run,
    env,
    file(name, text) {
      const f = path.join(home, name);
      fs.writeFileSync(f, text);
      return f;
    },
  };
}

export const CHECK_OK: RunResult = { stdout: 'xlsim check: host is consistent\n', stderr: '', code: 0 };
