/**
 * Helpers for the create tests: run the built xl (through test/helpers/cli)
 * in a scratch directory holding the config files of a test, so messages
 * show the short relative names a user would type.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tmpHome, xl as xlHelper, type RunOptions, type RunResult } from '../helpers/cli';
import { hostPaths } from '../../state/paths';

/**
 * XLSIM_CREATE_TEST_BIN may name another xl.cjs (a private build) while the
 * shared bundle is being rebuilt by others; by default the project's bin/xl.cjs.
 */
function run(args: string[], opts: RunOptions): RunResult {
  const alt = process.env.XLSIM_CREATE_TEST_BIN;
  if (!alt) return xlHelper(args, opts);
  const r = spawnSync(process.execPath, [alt, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', ...opts.env },
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { stdout: String(r.stdout), stderr: String(r.stderr), code: r.status ?? 128 };
}

export interface Scratch {
  dir: string;
  home: string;
  write(name: string, text: string | Buffer): string;
  xl(args: string[], env?: Record<string, string>): RunResult;
}

/**
 * @param xlConf the host's xl.conf (/etc/xen/xl.conf on a real host); a
 *   real install always has one, so tests start with an empty one
 */
export function scratch(xlConf = ''): Scratch {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-create-'));
  const home = tmpHome();
  const conf = hostPaths({ XLSIM_HOME: home }).xlConf;
  fs.mkdirSync(path.dirname(conf), { recursive: true });
  fs.writeFileSync(conf, xlConf);
  return {
    dir,
    home,
    write(name, text) {
      const p = path.join(dir, name);
      fs.writeFileSync(p, text);
      return p;
    },
    xl(args, env = {}) {
      return run(args, { cwd: dir, env: { XLSIM_HOME: home, ...env } });
    },
  };
}

/** a fixed uuid line so dry-run output is byte-comparable */
export const UUID = '5a3e2b71-0c9d-4e8f-9a61-2f4b7c1d8e90';
