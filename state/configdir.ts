/**
 * Where the shipped configuration lives (host profiles, the default
 * xl.conf): `configs/` at the project root. The bundle runs from dist/ and
 * the sources from state/ — both one level below the root — so the root is
 * found from this file's directory; XLSIM_CONFIG_DIR overrides it (a single
 * executable, or an instructor's own profile collection).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Env } from './paths';

export function configDir(env: Env): string {
  if (env.XLSIM_CONFIG_DIR) return path.resolve(env.XLSIM_CONFIG_DIR);
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (const cand of [path.join(here, '..', 'configs'), path.join(here, '..', '..', 'configs'), path.join(here, 'configs')]) {
    if (fs.existsSync(path.join(cand, 'hosts'))) return cand;
  }
  return path.join(here, '..', 'configs');
}

/** A profile argument: a path to an .ini file, or the name of a shipped profile. */
export function resolveProfilePath(env: Env, cwd: string, profile: string): string {
  if (profile.includes('/') || profile.endsWith('.ini')) return path.resolve(cwd, profile);
  return path.join(configDir(env), 'hosts', `${profile}.ini`);
}

/** The xl.conf a new host starts with. */
export function defaultXlConfPath(env: Env): string {
  return path.join(configDir(env), 'xl.conf');
}
