/**
 * A manual-clock host for the scheduler/cpupool scenarios, driven through
 * the built tools (run `node build.mjs` first).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { runTool, tmpHome, type RunResult } from '../helpers/cli';

export interface SchedHost {
  home: string;
  xl(...args: string[]): RunResult;
  xlsim(...args: string[]): RunResult;
  /** a file in the host's home, returns its path */
  file(name: string, text: string): string;
  /** `xl create` a PV guest of `vcpus` vCPUs */
  guest(name: string, vcpus?: number, extra?: string): void;
  /** `xlsim check` must pass */
  check(): void;
}

export function schedHost(profile = 'default'): SchedHost {
  const home = tmpHome('xlsim-sched-');
  const env = { XLSIM_HOME: home, XLSIM_HOST: 'lab' };
  const run = (tool: string, args: string[]) => runTool(tool, args, { env, cwd: home });
  const made = run('xlsim', ['host', 'create', 'lab', '--profile', profile, '--clock', 'manual', '--seed', '1']);
  if (made.code !== 0) throw new Error(`host create failed: ${made.stderr}`);
  const h: SchedHost = {
    home,
    xl: (...args) => run('xl', args),
    xlsim: (...args) => run('xlsim', args),
    file(name, text) {
      const f = path.join(home, name);
      fs.writeFileSync(f, text);
      return f;
    },
    guest(name, vcpus = 2, extra = '') {
      const cfg = h.file(`${name}.cfg`, `name = "${name}"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 256\nvcpus = ${vcpus}\n${extra}`);
      const r = h.xl('create', cfg);
      if (r.code !== 0) throw new Error(`create ${name} failed: ${r.stderr}`);
    },
    check() {
      expect(h.xlsim('check')).toMatchObject({ code: 0 });
    },
  };
  return h;
}

export function out(stdout: string, stderr = '', code = 0): RunResult {
  return { stdout, stderr, code };
}
