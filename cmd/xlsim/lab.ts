/**
 * xlsim lab list|start NAME|status|hint|check|reset: guided lessons built
 * on the real commands. A lab (configs/labs/<name>/lab.ini) sets up its own
 * hosts and guests, states a goal per step, and checks each step from the
 * hosts' state: the learner types ordinary xl, xlsim and xenstore commands,
 * and `check` says what is still missing.
 */
import { loadAllLabs, loadLab, type LabSource } from '../../lib/lab/catalog';
import { fillText } from '../../lib/lab/parse';
import type { LabDef, LabStep } from '../../lib/lab/types';
import { sprintf } from '../../lib/util/printf';
import { hostExists, useHost } from '../../state/session';
import { labWorkDir, readLabsState, writeLabsState, type LabProgress } from '../../state/labprogress';
import { runStep } from './lab-check';
import { setupLab } from './lab-setup';
import { fail, registerXlsimCommands, runHandler, type XlsimCtx } from './registry';

interface Current {
  src: LabSource;
  progress: LabProgress;
  dir: string;
}

function say(ctx: XlsimCtx, text = ''): void {
  ctx.io.stdout.write(`${text}\n`);
}

function lines(ctx: XlsimCtx, src: LabSource, texts: string[], indent = ''): void {
  const dir = labWorkDir(ctx.io.env, src.def.name);
  for (const t of texts) say(ctx, t === '' ? '' : indent + fillText(t, src.def, dir));
}

/** The step the learner is on: the first one not checked done. */
function currentStep(def: LabDef, p: LabProgress): number {
  const i = def.steps.findIndex((s) => !p.done.includes(s.id));
  return i < 0 ? def.steps.length : i;
}

function stepHead(def: LabDef, i: number): string {
  return sprintf('Step %d of %d: %s', i + 1, def.steps.length, def.steps[i]!.title);
}

function showGoal(ctx: XlsimCtx, src: LabSource, i: number): void {
  say(ctx, stepHead(src.def, i));
  lines(ctx, src, src.def.steps[i]!.goal, '  ');
}

/** The lab in progress, or a message and status 1. */
function current(ctx: XlsimCtx): Current | number {
  const env = ctx.io.env;
  const st = readLabsState(env);
  const name = st.current;
  const progress = name === undefined ? undefined : st.labs[name];
  if (name === undefined || !progress) return fail(ctx, 'no lab started (xlsim lab list shows the labs; xlsim lab start NAME starts one)');
  const src = loadLab(env, name);
  if (!src.ok) return fail(ctx, src.error);
  return { src: src.value, progress, dir: labWorkDir(env, name) };
}

function save(ctx: XlsimCtx, name: string, p: LabProgress): void {
  const st = readLabsState(ctx.io.env);
  st.labs[name] = p;
  writeLabsState(ctx.io.env, st);
}

function list(ctx: XlsimCtx): number {
  const st = readLabsState(ctx.io.env);
  say(ctx, sprintf('  %-16s %5s  %-12s %s', 'NAME', 'STEPS', 'PROGRESS', 'TITLE'));
  let status = 0;
  for (const { name, lab } of loadAllLabs(ctx.io.env)) {
    const mark = st.current === name ? '*' : ' ';
    if (!lab.ok) {
      say(ctx, sprintf('%s %-16s %5s  %-12s %s', mark, name, '-', '-', '(invalid: xlsim lab start shows why)'));
      status = 1;
      continue;
    }
    const def = lab.value.def;
    const p = st.labs[name];
    const where = !p ? 'not started' : p.completedAt ? 'complete' : sprintf('step %d/%d', currentStep(def, p) + 1, def.steps.length);
    say(ctx, sprintf('%s %-16s %5d  %-12s %s', mark, name, def.steps.length, where, def.title));
  }
  return status;
}

function hostLine(def: LabDef): string {
  return def.hosts.map((h, i) => `${h.name} (profile ${h.profile}, clock ${h.clock})${i === 0 ? ', the current host' : ''}`).join('; ');
}

/** What to type to be on the lab's host, when the environment says otherwise. */
function hostNote(ctx: XlsimCtx, def: LabDef): void {
  const want = def.hosts[0]!.name;
  const env = ctx.io.env.XLSIM_HOST;
  if (env && env !== want) say(ctx, `Note: XLSIM_HOST=${env} is set and wins over the current host; type: export XLSIM_HOST=${want}`);
}

function welcome(ctx: XlsimCtx, src: LabSource, dir: string, resumed: boolean): void {
  const def = src.def;
  say(ctx, `Lab ${def.name}: ${def.title}${resumed ? ' (resumed; xlsim lab reset starts it over)' : ''}`);
  say(ctx, `Host${def.hosts.length > 1 ? 's' : ''}: ${hostLine(def)}`);
  hostNote(ctx, def);
  if (src.files.length) say(ctx, `Your files (${src.files.join(', ')}) are in ${dir}\n  cd ${dir}`);
  if (!resumed && def.intro.length) {
    say(ctx);
    lines(ctx, src, def.intro);
  }
}

function nextSteps(ctx: XlsimCtx): void {
  say(ctx);
  say(ctx, 'xlsim lab check: what is still missing; xlsim lab hint: a hint; xlsim lab status: your progress');
}

async function start(ctx: XlsimCtx, name: string, reset: boolean): Promise<number> {
  const env = ctx.io.env;
  const src = loadLab(env, name);
  if (!src.ok) return fail(ctx, src.error);
  const def = src.value.def;
  const st = readLabsState(env);
  const prior = st.labs[name];
  const hostsThere = def.hosts.every((h) => hostExists(env, h.name));
  if (!reset && prior && hostsThere) {
    st.current = name;
    writeLabsState(env, st);
    useHost(env, def.hosts[0]!.name);
    welcome(ctx, src.value, labWorkDir(env, name), true);
    say(ctx);
    const i = currentStep(def, prior);
    if (i < def.steps.length) showGoal(ctx, src.value, i);
    else say(ctx, 'Every step is done.');
    nextSteps(ctx);
    return 0;
  }
  const theirs = prior ? undefined : def.hosts.find((h) => hostExists(env, h.name));
  if (theirs) return fail(ctx, `host '${theirs.name}' exists but no lab started it; remove it first (xlsim host remove --force ${theirs.name})`);
  const r = await setupLab(ctx.io, src.value);
  if (r.failed) {
    ctx.io.stderr.write(r.failed.output);
    return fail(ctx, `lab ${name}: setup command failed on host ${r.failed.host}: ${r.failed.line}`);
  }
  welcome(ctx, src.value, r.dir, false);
  say(ctx);
  showGoal(ctx, src.value, 0);
  nextSteps(ctx);
  return 0;
}

function status(ctx: XlsimCtx): number {
  const c = current(ctx);
  if (typeof c === 'number') return c;
  const { def } = c.src;
  const i = currentStep(def, c.progress);
  say(ctx, `Lab ${def.name}: ${def.title}`);
  say(ctx, `Started ${c.progress.startedAt}${c.progress.completedAt ? `, complete ${c.progress.completedAt}` : ''}`);
  say(ctx, `Host${def.hosts.length > 1 ? 's' : ''}: ${hostLine(def)}`);
  hostNote(ctx, def);
  if (c.src.files.length) say(ctx, `Files: ${c.dir}`);
  say(ctx);
  def.steps.forEach((s, k) => say(ctx, sprintf('  [%s] %d. %s%s', c.progress.done.includes(s.id) ? 'x' : ' ', k + 1, s.title, k === i ? '   <- you are here' : '')));
  say(ctx);
  if (i < def.steps.length) showGoal(ctx, c.src, i);
  else say(ctx, 'Every step is done.');
  return 0;
}

function hint(ctx: XlsimCtx): number {
  const c = current(ctx);
  if (typeof c === 'number') return c;
  const { def } = c.src;
  const i = currentStep(def, c.progress);
  if (i >= def.steps.length) {
    say(ctx, `Lab ${def.name} is complete: no hints left to give.`);
    return 0;
  }
  const step = def.steps[i]!;
  const seen = c.progress.hints[step.id] ?? 0;
  const k = Math.min(seen, step.hints.length - 1);
  say(ctx, sprintf('Hint %d of %d for step %d (%s):', k + 1, step.hints.length, i + 1, step.title));
  lines(ctx, c.src, [step.hints[k]!], '  ');
  if (k === step.hints.length - 1 && seen >= step.hints.length) say(ctx, '(that was the last hint for this step)');
  c.progress.hints[step.id] = Math.min(seen + 1, step.hints.length);
  save(ctx, def.name, c.progress);
  return 0;
}

function report(ctx: XlsimCtx, results: Awaited<ReturnType<typeof runStep>>): void {
  const said = new Set<string>();
  for (const r of results) {
    const line = `  ${r.outcome.ok ? 'ok     ' : 'missing'}  ${r.outcome.detail}`;
    // one absent domain fails all its checks the same way: say it once
    if (!said.has(line)) say(ctx, line);
    said.add(line);
  }
}

async function check(ctx: XlsimCtx): Promise<number> {
  const c = current(ctx);
  if (typeof c === 'number') return c;
  const { def } = c.src;
  const gone = def.hosts.find((h) => !hostExists(ctx.io.env, h.name));
  if (gone) return fail(ctx, `host '${gone.name}' of lab ${def.name} is gone; xlsim lab reset sets the lab up again`);
  say(ctx, `Lab ${def.name}: ${def.title}`);
  for (let i = currentStep(def, c.progress); i < def.steps.length; i = currentStep(def, c.progress)) {
    const step: LabStep = def.steps[i]!;
    const results = await runStep(ctx.io.env, def, step);
    const ok = results.every((r) => r.outcome.ok);
    say(ctx, `${stepHead(def, i)}: ${ok ? 'done' : 'not yet'}`);
    report(ctx, results);
    if (!ok) {
      say(ctx);
      say(ctx, 'Goal:');
      lines(ctx, c.src, step.goal, '  ');
      say(ctx);
      say(ctx, 'xlsim lab hint gives a hint.');
      return 1;
    }
    lines(ctx, c.src, step.done, '  ');
    c.progress.done.push(step.id);
    save(ctx, def.name, c.progress);
  }
  if (!c.progress.completedAt) {
    c.progress.completedAt = new Date().toISOString();
    save(ctx, def.name, c.progress);
  }
  say(ctx, sprintf('Lab %s complete: all %d steps done.', def.name, def.steps.length));
  lines(ctx, c.src, def.outro);
  return 0;
}

async function reset(ctx: XlsimCtx, name: string | undefined): Promise<number> {
  const target = name ?? readLabsState(ctx.io.env).current;
  if (target === undefined) return fail(ctx, 'no lab started (xlsim lab start NAME starts one)');
  return start(ctx, target, true);
}

registerXlsimCommands((y, ctx) =>
  y.command('lab', 'Guided labs: set up hosts and guests, state a goal, check your work (list, start, status, hint, check, reset)', (l) =>
    l
      .command('list', 'List the labs (* marks the one in progress)', {}, () => runHandler(ctx, () => list(ctx)))
      .command(
        'start <name>',
        "Start a lab (or go back to one already started): create its hosts and guests, make its host current, and say what to do",
        (c) => c.positional('name', { type: 'string', demandOption: true, describe: 'lab name (see lab list)' }),
        (a) => runHandler(ctx, () => start(ctx, String(a.name), false)),
      )
      .command('status', "Show the current lab's steps and the one you are on", {}, () => runHandler(ctx, () => status(ctx)))
      .command('hint', 'Show the next hint for the step you are on', {}, () => runHandler(ctx, () => hint(ctx)))
      .command('check', 'Check your work: steps done, and what is still missing (exit 0 once the lab is complete)', {}, () => runHandler(ctx, () => check(ctx)))
      .command(
        'reset [name]',
        "Start the current lab (or NAME) over: its hosts are recreated as at the start",
        (c) => c.positional('name', { type: 'string', describe: 'lab name (default: the current lab)' }),
        (a) => runHandler(ctx, () => reset(ctx, a.name === undefined ? undefined : String(a.name))),
      )
      .demandCommand(1, 'Give a lab subcommand (list, start, status, hint, check, reset).'),
  ),
);
