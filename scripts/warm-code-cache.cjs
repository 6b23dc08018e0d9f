'use strict';
// Build step: load each bundle, run the commands people run most (in a
// process of their own, on a throw-away host) so V8 compiles their
// functions, then save V8's code cache next to the bundle for bin/load.cjs.
//
//   dist/xl.cjs.cache     help, list, create -n, create: every xl command
//   dist/xl-list.cjs.cache  the quick `xl list` bundle, on a host that exists already
//   dist/xl-create.cjs.cache  the quick `xl create` bundle, the same
//   dist/xl.create-n.cache  `xl create -n` alone (a dry run: no host code)
//   dist/xlsim.cjs.cache  the xlsim bundle's common commands
//
// Each cache is made in a fresh process: V8 shares compiled functions
// between scripts of the same source within a process, so a second warm-up
// there would carry the first one's functions into its cache.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const load = require('../bin/load.cjs');

const root = path.join(__dirname, '..');

function commands() {
  const cfg = path.join(root, 'configs', 'pvh-guest.cfg');
  const xl = [
    ['xl', ['help']],
    ['xl', ['list']],
    ['xl', ['create', '-n', path.join(root, 'configs', 'hvm-guest.cfg')]],
    ['xl', ['create', cfg]],
    ['xl', ['list']],
  ];
  return {
    // each command left out compiles its functions lazily on every run, each
    // one added makes every start deserialise a bigger cache (measured in
    // instructions: create in the cache saves ~3% of an `xl create` and costs
    // ~0.5% of an `xl list`, which has a bundle of its own, xl-list)
    xl: { bundle: 'xl', out: 'xl.cjs.cache', runs: xl },
    'xl-list': { bundle: 'xl-list', out: 'xl-list.cjs.cache', prepare: [['xl', ['list']]], runs: [['xl', ['list']]] },
    'xl-create': { bundle: 'xl-create', out: 'xl-create.cjs.cache', prepare: [['xl', ['list']]], runs: [['xl', ['create', cfg]]] },
    'xl-create-n': { bundle: 'xl', out: 'xl.create-n.cache', prepare: [['xl', ['list']]], runs: [xl[2]] },
    xlsim: { bundle: 'xlsim', out: 'xlsim.cjs.cache', runs: [['xlsim', ['--help']], ['xlsim', ['clock']], ['xlsim', ['check']], ...xl.slice(0, 2)] },
  };
}

const envFor = (home) => ({ HOME: home, XLSIM_HOME: home, XLSIM_CLOCK: 'manual', TZ: 'UTC' });

async function runAll(m, home, runs) {
  for (const [tool, args] of runs) await m.runTool(tool, m.memoryIo(envFor(home), root), args);
}

/** In this process: the warm-up `name`, on `home` (prepared by another process). */
async function warmOne(name, home) {
  const w = commands()[name];
  const { exports: m, script } = load(w.bundle, false);
  await runAll(m, home, w.runs);
  fs.writeFileSync(path.join(root, 'dist', w.out), script.createCachedData());
}

/** The host a warm-up starts from, made by a process whose functions go in no cache. */
async function prepare(name, home) {
  const w = commands()[name];
  // the full xl makes the host (a quick bundle is for one command)
  const { exports: m } = load(w.bundle.startsWith('xl-') ? 'xl' : w.bundle, false);
  await runAll(m, home, w.prepare);
}

function child(step, name, home) {
  const r = spawnSync(process.execPath, [__filename, step, name, home], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${step} ${name} failed`);
}

async function main() {
  const [step, name, home] = process.argv.slice(2);
  if (step === 'warm') return warmOne(name, home);
  if (step === 'prepare') return prepare(name, home);
  for (const [n, w] of Object.entries(commands())) {
    const h = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-warm-'));
    try {
      if (w.prepare) child('prepare', n, h);
      child('warm', n, h);
    } finally {
      fs.rmSync(h, { recursive: true, force: true });
    }
  }
}

main().catch((e) => {
  // a build without a cache still works, only slower to start
  process.stderr.write(`warm-code-cache: ${e && e.message}\n`);
});
