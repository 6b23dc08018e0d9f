/**
 * A learner's progress through the guided labs, per XLSIM_HOME:
 *
 *   $XLSIM_HOME/labs/progress.json   the current lab, and per lab: when it
 *                                    started, the steps done, hints seen
 *   $XLSIM_HOME/labs/<name>/         the lab's files, copied for the learner
 *
 * A small JSON file replaced atomically (as `current` is): lab commands are
 * typed by one learner, one at a time, and never hold a host's lock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HostError } from './errors';
import { xlsimHome, type Env } from './paths';

export interface LabProgress {
  /** ISO time (the machine's clock) the lab was last started or reset */
  startedAt: string;
  /** step ids checked done, in order */
  done: string[];
  /** hints shown so far, per step id */
  hints: Record<string, number>;
  completedAt?: string;
}

export interface LabsState {
  current?: string;
  labs: Record<string, LabProgress>;
}

export function labsHome(env: Env): string {
  return path.join(xlsimHome(env), 'labs');
}

/** Where the learner's copy of a lab's files lives. */
export function labWorkDir(env: Env, name: string): string {
  return path.join(labsHome(env), name);
}

function progressFile(env: Env): string {
  return path.join(labsHome(env), 'progress.json');
}

export function readLabsState(env: Env): LabsState {
  let text: string;
  try {
    text = fs.readFileSync(progressFile(env), 'utf8');
  } catch {
    return { labs: {} };
  }
  try {
    const st = JSON.parse(text) as LabsState;
    if (typeof st !== 'object' || st === null || typeof st.labs !== 'object' || st.labs === null) throw new Error('not a progress record');
    return st;
  } catch (e) {
    throw new HostError('corrupt', `xlsim: ${progressFile(env)} is damaged (${e instanceof Error ? e.message : String(e)}); remove it to start the labs afresh`);
  }
}

export function writeLabsState(env: Env, st: LabsState): void {
  const file = progressFile(env);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(st, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/** Replaces the learner's copy of a lab's files with fresh ones from `srcDir`. */
export function copyLabFiles(env: Env, name: string, srcDir: string, files: string[]): string {
  const dir = labWorkDir(env, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const f of files) fs.copyFileSync(path.join(srcDir, f), path.join(dir, f));
  return dir;
}
