/**
 * A scripted learner: its own XLSIM_HOME, no XLSIM_HOST (the lab makes its
 * host current, as for a real learner), typing the built tools in the
 * lab's files directory through a shell, as a person would.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { BIN, tmpHome, type RunResult } from '../helpers/cli';

export interface Learner {
  home: string;
  /** the learner's copy of the lab's files (cwd of every command) */
  dir: string;
  /** a command line, with xl / xlsim / xenstore-* meaning the built tools */
  sh(cmd: string): RunResult;
  lab(...args: string[]): RunResult;
}

const TOOLS = ['xl', 'xlsim', 'xenstore-ls', 'xenstore-read', 'xenstore-write', 'xenstore-rm', 'xenstore-list'];

/** The built tools under their own names, as a learner's PATH would have them. */
function shims(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const t of TOOLS) {
    const f = path.join(dir, t);
    fs.writeFileSync(f, `#!/bin/sh\nexec '${process.execPath}' '${path.join(BIN, `${t}.cjs`)}' "$@"\n`);
    fs.chmodSync(f, 0o755);
  }
  return dir;
}

export function learner(lab: string): Learner {
  const home = tmpHome('xlsim-lab-');
  const dir = path.join(home, 'labs', lab);
  const bin = shims(path.join(home, 'bin'));
  const run = (cmd: string, cwd: string): RunResult => {
    const r = spawnSync('sh', ['-c', cmd], {
      cwd,
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: process.env.HOME, TZ: 'UTC', XLSIM_HOME: home },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { stdout: String(r.stdout), stderr: String(r.stderr), code: r.status ?? 128 };
  };
  return {
    home,
    dir,
    // before the lab starts there are no files yet: the learner is at home
    sh: (cmd) => run(cmd, fs.existsSync(dir) ? dir : home),
    lab: (...args) => run(`xlsim lab ${args.map((a) => `'${a}'`).join(' ')}`, home),
  };
}

/** Runs a learner's command and insists it worked. */
export function ok(l: Learner, cmd: string): RunResult {
  const r = l.sh(cmd);
  expect(r.code, `${cmd}\n${r.stdout}${r.stderr}`).toBe(0);
  return r;
}

/** `lab check` says the step is not done yet, and why (exit 1). */
export function expectMissing(l: Learner, step: string, ...missing: string[]): void {
  const r = l.lab('check');
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(r.stdout).toContain(`${step}: not yet`);
  for (const m of missing) expect(r.stdout).toContain(`  missing  ${m}`);
}

/** Starts the lab, checks that nothing is done, and that hint gives the first hint. */
export function startLab(l: Learner, name: string, steps: number): RunResult {
  const r = l.lab('start', name);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toContain(`Step 1 of ${steps}: `);
  expect(r.stdout).toContain(`cd ${l.dir}`);
  const h = l.lab('hint');
  expect(h.code).toBe(0);
  expect(h.stdout).toMatch(/^Hint 1 of \d+ for step 1 /);
  return r;
}

/** The final check: every step done, exit 0. */
export function expectComplete(l: Learner, name: string, steps: number): void {
  const r = l.lab('check');
  expect(r.stdout, r.stdout + r.stderr).toContain(`Lab ${name} complete: all ${steps} steps done.`);
  expect(r.code).toBe(0);
  const st = l.lab('status');
  expect(st.stdout.match(/\[x\]/g)).toHaveLength(steps);
}

/** reset: the lab is back at its start (no step done, step 1 missing again). */
export function expectReset(l: Learner, name: string, firstStep: string, ...missing: string[]): void {
  const r = l.lab('reset');
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toContain(`Lab ${name}: `);
  const st = l.lab('status');
  expect(st.stdout).not.toContain('[x]');
  expect(st.stdout).toContain('<- you are here');
  expectMissing(l, firstStep, ...missing);
  const h = l.lab('hint');
  expect(h.stdout).toMatch(/^Hint 1 of \d+ for step 1 /);
}
