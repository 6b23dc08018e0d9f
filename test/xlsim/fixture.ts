/**
 * A lab host for the xlsim console tests: manual clock, fixed seed, and one
 * guest of each type created through the real `xl create` at time 0 (the
 * clock is not moved, so every number below is fixed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { runTool, tmpHome, xl, type RunResult } from '../helpers/cli';

export interface Lab {
  home: string;
  env: Record<string, string>;
  xlsim(...args: string[]): RunResult;
  xl(...args: string[]): RunResult;
}

export const res = (stdout: string, stderr = '', code = 0): RunResult => ({ stdout, stderr, code });

export const GUESTS: Record<string, string> = {
  web: 'name = "web"\ntype = "hvm"\nmemory = 512\nvcpus = 2\n',
  app: 'name = "app"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 256\n',
  old: 'name = "old"\nkernel = "/boot/vmlinuz"\nmemory = 128\n',
};

export function emptyLab(): Lab {
  const home = tmpHome('xlsim-console-');
  const env = { XLSIM_HOME: home, XLSIM_HOST: 'lab' };
  const lab: Lab = {
    home,
    env,
    xlsim: (...args) => runTool('xlsim', args, { env, cwd: home }),
    xl: (...args) => xl(args, { env, cwd: home }),
  };
  expect(runTool('xlsim', ['host', 'create', 'lab', '--clock', 'manual', '--seed', '7'], { env: { XLSIM_HOME: home } })).toEqual(
    res("Created host 'lab' (profile default, clock manual, seed 7)\n"),
  );
  return lab;
}

export function guestLab(): Lab {
  const lab = emptyLab();
  for (const [name, text] of Object.entries(GUESTS)) {
    fs.writeFileSync(path.join(lab.home, `${name}.cfg`), text);
    expect(lab.xl('create', `${name}.cfg`)).toMatchObject({ code: 0 });
  }
  return lab;
}

/** The host database's bytes: a failed command must leave them as they were. */
export function dbBytes(lab: Lab): Buffer {
  return fs.readFileSync(path.join(lab.home, 'hosts', 'lab.db'));
}
