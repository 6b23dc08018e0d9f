/**
 * The shipped labs: configs/labs/<name>/lab.ini beside the files the
 * learner works with (guest configs). XLSIM_CONFIG_DIR points an
 * instructor's own collection in, as it does for host profiles.
 */
import fs from 'node:fs';
import path from 'node:path';
import { configDir } from '../../state/configdir';
import type { Env } from '../../state/paths';
import type { Parsed } from '../sim/duration';
import { parseLab } from './parse';
import type { LabDef } from './types';

export interface LabSource {
  def: LabDef;
  /** the lab's directory in the configs */
  dir: string;
  /** the files besides lab.ini that the learner gets a copy of */
  files: string[];
}

export function labsDir(env: Env): string {
  return path.join(configDir(env), 'labs');
}

/** Lab names (directories with a lab.ini), sorted by name. */
export function labNames(env: Env): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(labsDir(env));
  } catch {
    return [];
  }
  return entries.filter((n) => /^[a-z0-9][a-z0-9-]*$/.test(n) && fs.existsSync(path.join(labsDir(env), n, 'lab.ini'))).sort();
}

export function loadLab(env: Env, name: string): Parsed<LabSource> {
  if (!labNames(env).includes(name)) {
    const known = labNames(env);
    return { ok: false, error: `no lab '${name}'${known.length ? ` (labs: ${known.join(', ')})` : ''}` };
  }
  const dir = path.join(labsDir(env), name);
  const file = path.join(dir, 'lab.ini');
  const r = parseLab(fs.readFileSync(file, 'utf8'), name);
  if (!r.ok) return { ok: false, error: `lab ${file} is invalid:\n${r.error.replace(/^/gm, '  ')}` };
  const files = fs
    .readdirSync(dir)
    .filter((f) => f !== 'lab.ini' && fs.statSync(path.join(dir, f)).isFile())
    .sort();
  return { ok: true, value: { def: r.value, dir, files } };
}

/** Every lab that loads, in the order `lab list` shows them. */
export function loadAllLabs(env: Env): Array<{ name: string; lab: Parsed<LabSource> }> {
  const all = labNames(env).map((name) => ({ name, lab: loadLab(env, name) }));
  const order = (x: (typeof all)[number]) => (x.lab.ok ? x.lab.value.def.order : Number.MAX_SAFE_INTEGER);
  return all.sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
}
