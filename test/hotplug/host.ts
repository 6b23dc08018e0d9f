/**
 * A manual-clock host in a private XLSIM_HOME for the hotplug transcripts:
 * every command through the built tools, exact streams and exit codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { runTool, tmpHome, type RunResult } from '../helpers/cli';

export interface Host {
  home: string;
  xl(...args: string[]): RunResult;
  xlsim(...args: string[]): RunResult;
  xs(tool: string, ...args: string[]): RunResult;
  cfg(name: string, text: string): string;
  file(name: string): string;
  /** `xlsim check` passes */
  check(): void;
  advance(d: string): void;
}

export function manualHost(profile = 'default'): Host {
  const home = tmpHome('xlsim-hotplug-');
  const env = { XLSIM_HOME: home, XLSIM_HOST: 'lab' };
  const run = (tool: string, args: string[]): RunResult => runTool(tool, args, { env, cwd: home });
  const created = run('xlsim', ['host', 'create', 'lab', '--profile', profile, '--clock', 'manual', '--seed', '1']);
  if (created.code !== 0) throw new Error(`host create failed: ${created.stderr}`);
  return {
    home,
    xl: (...args) => run('xl', args),
    xlsim: (...args) => run('xlsim', args),
    xs: (tool, ...args) => run(tool, args),
    cfg(name, text) {
      const f = path.join(home, `${name}.cfg`);
      fs.writeFileSync(f, text);
      return f;
    },
    file(name) {
      const f = path.join(home, name);
      fs.writeFileSync(f, '');
      return f;
    },
    check() {
      expect(run('xlsim', ['check'])).toEqual({ stdout: 'xlsim check: host is consistent\n', stderr: '', code: 0 });
    },
    advance(d) {
      expect(run('xlsim', ['clock', 'advance', d]).code).toBe(0);
    },
  };
}

export const ok = { stdout: '', stderr: '', code: 0 };

export function err(stderr: string, code = 1): RunResult {
  return { stdout: '', stderr, code };
}

export const BLOCK_HEADER = 'Vdev  BE  handle state evt-ch ring-ref BE-path                       \n';
export const NET_HEADER = 'Idx BE Mac Addr.         handle state evt-ch   tx-/rx-ring-ref BE-path                       \n';
