'use strict';
// Build step: load each bundle, run the commands people run most (in this
// process, on a throw-away host) so V8 compiles their functions, then save
// V8's code cache next to the bundle for bin/load.cjs.
const fs = require('fs');
const os = require('os');
const path = require('path');
const load = require('../bin/load.cjs');

const root = path.join(__dirname, '..');

async function warm(bundle, runs) {
  const { exports: m, script } = load(bundle, '/nonexistent');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-warm-'));
  const env = { HOME: home, XLSIM_HOME: home, XLSIM_CLOCK: 'manual', TZ: 'UTC' };
  for (const [tool, args] of runs) {
    await m.runTool(tool, m.memoryIo(env, root), args);
  }
  fs.writeFileSync(path.join(root, 'dist', `${bundle}.cjs.cache`), script.createCachedData());
  fs.rmSync(home, { recursive: true, force: true });
}

async function main() {
  const cfg = path.join(root, 'configs', 'pvh-guest.cfg');
  const xl = [
    ['xl', ['help']],
    ['xl', ['list']],
    ['xl', ['create', '-n', path.join(root, 'configs', 'hvm-guest.cfg')]],
    ['xl', ['create', cfg]],
    ['xl', ['list']],
    ['xl', ['list', '-l']],
    ['xl', ['info']],
    ['xl', ['vcpu-list']],
    ['xl', ['destroy', 'pvh-guest']],
    ['xenstore-ls', ['/local/domain/0']],
  ];
  // the xl bundle's cache holds what the most frequent commands run (help,
  // list, create -n, create): each command left out compiles its functions
  // lazily on every run, each one added makes every start deserialise a
  // bigger cache (measured in instructions: create in the cache saves ~3% of
  // an `xl create` and costs ~0.5% of an `xl list`)
  await warm('xl', xl.slice(0, 5));
  await warm('xlsim', [['xlsim', ['--help']], ['xlsim', ['clock']], ['xlsim', ['check']], ...xl.slice(0, 2)]);
}

main().catch((e) => {
  // a build without a cache still works, only slower to start
  process.stderr.write(`warm-code-cache: ${e && e.message}\n`);
});
