/**
 * Setting a lab up: its hosts created fresh from their profiles, the
 * learner's copy of its files, and its setup commands — ordinary xl / xlsim
 * / xenstore-* command lines run in this process through the same entry the
 * binaries use (as `xlsim shell` runs them), so a lab's starting point is
 * exactly what typing those commands would give.
 */
import type { LabSource } from '../../lib/lab/catalog';
import type { LabHost } from '../../lib/lab/types';
import { createHost, hostExists, removeHost, useHost } from '../../state/session';
import { copyLabFiles, readLabsState, writeLabsState } from '../../state/labprogress';
import { memoryIo, type Io } from '../io';
import { ShellRunner } from './shell-run';

export interface SetupResult {
  dir: string;
  /** set when a setup command failed: its line and everything it printed */
  failed?: { host: string; line: string; output: string };
}

async function runSetup(io: Io, h: LabHost, dir: string): Promise<SetupResult['failed']> {
  if (h.setup.length === 0) return undefined;
  // loaded here: the entry imports this command table (a static import would be a cycle)
  const { runTool } = await import('../main');
  const cap = memoryIo({ ...io.env, XLSIM_HOST: h.name }, dir);
  const runner = new ShellRunner(cap, runTool, { errexit: true, interactive: false });
  // xl reads the files it is given relative to the process's directory, as C does
  const back = process.cwd();
  process.chdir(dir);
  try {
    for (const line of h.setup) {
      const o = await runner.feed(line);
      if (o.done && o.status !== 0) return { host: h.name, line, output: cap.errText() + cap.outText() };
    }
  } finally {
    process.chdir(back);
  }
  return undefined;
}

/**
 * (Re)creates every host of the lab, copies its files, runs its setup and
 * records a fresh start as the current lab. Lab hosts are the lab's own
 * (named lab-...): whatever was on them goes.
 */
export async function setupLab(io: Io, src: LabSource): Promise<SetupResult> {
  const env = io.env;
  const { def } = src;
  for (const h of def.hosts) {
    if (hostExists(env, h.name)) removeHost(env, h.name, true);
    createHost(env, h.name, { profile: h.profile, cwd: src.dir, clock: h.clock, ...(h.seed !== undefined ? { seed: h.seed } : {}) });
  }
  const dir = copyLabFiles(env, def.name, src.dir, src.files);
  for (const h of def.hosts) {
    const failed = await runSetup(io, h, dir);
    if (failed) {
      // half a lab is no start: the next `lab start` begins from nothing again
      for (const x of def.hosts) removeHost(env, x.name, true);
      return { dir, failed };
    }
  }
  useHost(env, def.hosts[0]!.name);
  const st = readLabsState(env);
  st.current = def.name;
  st.labs[def.name] = { startedAt: new Date().toISOString(), done: [], hints: {} };
  writeLabsState(env, st);
  return { dir };
}
