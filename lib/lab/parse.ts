/**
 * Reads a lab.ini (the `ini` package, as host profiles are read) into a
 * validated LabDef. Every problem is reported at once, naming its section
 * and key, so an instructor fixes a lab in one pass; a lab with any problem
 * is refused whole.
 *
 *   [lab]          title, order, intro[], outro[]
 *   [host.ALIAS]   name (lab-...), profile, clock, seed, setup[]   (first = current)
 *   [step.ID]      title, goal[], hint[], check[], done[]          (in file order)
 */
import ini from 'ini';
import { isClockMode } from '../sim/clock';
import type { Parsed } from '../sim/duration';
import { isValidHostName } from '../../state/paths';
import { parseCheck, type Check } from './checks';
import type { LabDef, LabHost, LabStep } from './types';

type Section = Record<string, unknown>;

class Reader {
  readonly errors: string[] = [];

  str(sec: Section, where: string, key: string, dflt?: string): string {
    const v = sec[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (v !== undefined && typeof v !== 'string') this.errors.push(`[${where}] ${key}: expected one value`);
    else if (dflt === undefined) this.errors.push(`[${where}] ${key}: missing`);
    return dflt ?? '';
  }

  /** `key[] = line` entries (a single `key = line` counts as one) */
  lines(sec: Section, key: string): string[] {
    const v = sec[key];
    if (v === undefined) return [];
    return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : String(x)));
  }

  int(sec: Section, where: string, key: string): number | undefined {
    const v = sec[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
    this.errors.push(`[${where}] ${key}: '${String(v)}' is not a non-negative integer`);
    return undefined;
  }
}

function sections(doc: Section, kind: string, r: Reader): Array<[string, Section]> {
  const v = doc[kind];
  if (v === undefined) return [];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    r.errors.push(`[${kind}]: give each one a name, as [${kind}.NAME]`);
    return [];
  }
  return Object.entries(v as Record<string, unknown>).filter((e): e is [string, Section] => typeof e[1] === 'object' && e[1] !== null);
}

function readHost(alias: string, sec: Section, r: Reader): LabHost {
  const where = `host.${alias}`;
  const name = r.str(sec, where, 'name');
  if (name && (!isValidHostName(name) || !name.startsWith('lab-'))) {
    // lab hosts are recreated by `lab reset`: they must never be a learner's own
    r.errors.push(`[${where}] name: '${name}' must be a valid host name starting with 'lab-'`);
  }
  const clock = r.str(sec, where, 'clock', 'manual');
  if (!isClockMode(clock)) r.errors.push(`[${where}] clock: '${clock}' is not real or manual`);
  const seed = r.int(sec, where, 'seed');
  return {
    alias,
    name,
    profile: r.str(sec, where, 'profile', 'default'),
    clock: isClockMode(clock) ? clock : 'manual',
    ...(seed !== undefined ? { seed } : {}),
    setup: r.lines(sec, 'setup'),
  };
}

function readStep(id: string, sec: Section, r: Reader, aliases: string[]): LabStep {
  const where = `step.${id}`;
  const checks: Check[] = [];
  for (const line of r.lines(sec, 'check')) {
    const c = parseCheck(line);
    if (!c.ok) {
      r.errors.push(`[${where}] ${c.error}`);
      continue;
    }
    for (const a of [c.value.host, ...c.value.refs]) {
      if (a !== '' && !aliases.includes(a)) r.errors.push(`[${where}] check '${c.value.text}': no [host.${a}] in this lab`);
    }
    checks.push(c.value);
  }
  const step: LabStep = { id, title: r.str(sec, where, 'title'), goal: r.lines(sec, 'goal'), hints: r.lines(sec, 'hint'), checks, done: r.lines(sec, 'done') };
  if (!/^[a-z][a-z0-9-]*$/.test(id)) r.errors.push(`[${where}]: a step id is lower-case letters, digits and '-', starting with a letter`);
  if (step.checks.length === 0 && !r.errors.some((e) => e.startsWith(`[${where}] check`))) r.errors.push(`[${where}] check[]: a step needs at least one check`);
  if (step.hints.length === 0) r.errors.push(`[${where}] hint[]: a step needs at least one hint`);
  return step;
}

export function parseLab(text: string, name: string): Parsed<LabDef> {
  let doc: Section;
  try {
    doc = ini.parse(text) as Section;
  } catch (e) {
    return { ok: false, error: `cannot parse: ${e instanceof Error ? e.message : String(e)}` };
  }
  const r = new Reader();
  const lab = (doc.lab ?? {}) as Section;
  const hosts = sections(doc, 'host', r).map(([alias, sec]) => readHost(alias, sec, r));
  if (hosts.length === 0) r.errors.push('[host.NAME]: a lab needs at least one host');
  const names = hosts.map((h) => h.name);
  if (new Set(names).size !== names.length) r.errors.push('[host.*] name: two hosts of the lab have the same name');
  const aliases = hosts.map((h) => h.alias);
  const steps = sections(doc, 'step', r).map(([id, sec]) => readStep(id, sec, r, aliases));
  if (steps.length === 0) r.errors.push('[step.ID]: a lab needs at least one step');
  const def: LabDef = {
    name,
    title: r.str(lab, 'lab', 'title'),
    order: r.int(lab, 'lab', 'order') ?? 1000,
    intro: r.lines(lab, 'intro'),
    outro: r.lines(lab, 'outro'),
    hosts,
    steps,
  };
  if (r.errors.length) return { ok: false, error: r.errors.join('\n') };
  return { ok: true, value: def };
}

/** Fills the placeholders of a lab text: {dir}, {host} (the first host), {host.ALIAS}. */
export function fillText(text: string, lab: LabDef, dir: string): string {
  return text.replace(/\{(dir|host(?:\.[A-Za-z0-9_-]+)?)\}/g, (all, key: string) => {
    if (key === 'dir') return dir;
    if (key === 'host') return lab.hosts[0]?.name ?? all;
    return lab.hosts.find((h) => h.alias === key.slice(5))?.name ?? all;
  });
}
