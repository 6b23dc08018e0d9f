'use strict';
// Loads a bundle (dist/xl.cjs or dist/xlsim.cjs) with V8's code cache (.cache, written
// at build time after a warm-up run): compiling the bundle is most of a
// command's start-up, and the cache skips it. Without a usable cache (a
// different Node, a rebuilt bundle) V8 compiles as usual: only slower.
// (node:module is not used: loading it costs more than it saves.)
const fs = require('fs');
const path = require('path');
const vm = require('vm');

/** The command: the first argument without a dash (xl's global options -v, -N, -f, -t, -T take no values). */
function xlCommand(argv) {
  return argv.find((a) => a[0] !== '-');
}

/** `xl create` as a dry run: -N before the command, -n/--dryrun after it, alone or in a bundle such as -qn. */
function isCreateDryRun(argv) {
  const at = argv.findIndex((a) => a[0] !== '-');
  return argv[at] === 'create' && argv.some((a, i) => (i < at ? a === '-N' : i > at && (a === '--dryrun' || /^-[^-]*n/.test(a))));
}

/**
 * The quick bundle for `xl <argv>`, if it has one (cmd/xl/quick/entry.ts):
 * dist/xl-list.cjs for `xl list`, dist/xl-create.cjs for `xl create`. Each
 * hands over to dist/xl.cjs when it must.
 */
function xlQuickBundleFor(argv) {
  const cmd = xlCommand(argv);
  if (cmd === 'list') return 'xl-list';
  // the dry run never touches the host: the full bundle with its own small cache is quicker
  if (cmd === 'create' && !isCreateDryRun(argv)) return 'xl-create';
  return undefined;
}

/**
 * The code cache for the full xl: `xl create -n` (the dry run) has one of
 * its own, warmed by that command alone: smaller, so faster to read and
 * deserialise than the general one, which every other command uses.
 */
function xlCacheFor(argv) {
  return isCreateDryRun(argv) ? path.join(__dirname, '..', 'dist', 'xl.create-n.cache') : undefined;
}

function load(bundle, cacheFile) {
  // bundle: 'xlsim' (everything), 'xl' (all but the lab console: xl,
  // xentop and xenstore-*) or a quick one ('xl-list', 'xl-create')
  const file = path.join(__dirname, '..', 'dist', bundle + '.cjs');
  // dist/xl.cjs and the quick bundles are pure ASCII (build.mjs checks):
  // latin1 decodes them as one-byte strings, cheaper to read and to hash
  // against the code cache
  const source = fs.readFileSync(file, bundle === 'xlsim' ? 'utf8' : 'latin1');
  let cachedData;
  // cacheFile: false for none (the build's warm-up), a file to try before
  // the bundle's own .cache, or nothing for just that
  const candidates = cacheFile === false ? [] : cacheFile ? [cacheFile, file + '.cache'] : [file + '.cache'];
  for (const f of candidates) {
    try {
      cachedData = fs.readFileSync(f);
      break;
    } catch {
      cachedData = undefined;
    }
  }
  // dist/xl.cjs and the quick bundles are built already wrapped in the module function (build.mjs);
  // dist/xlsim.cjs also runs as a plain script, so it is wrapped here
  const wrapped = source.startsWith('(function (exports, require, module, __filename, __dirname) {')
    ? source
    : '(function (exports, require, module, __filename, __dirname) { ' + source + '\n});';
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  // import() inside a vm.Script needs a loader of its own; the bundle's one
  // dynamic import (the wizard's prompts) goes through this module instead,
  // which resolves node_modules the same from bin/ as from dist/
  globalThis.__xlsimImport = (spec) => import(spec);
  const mod = { exports: {}, id: file, filename: file, loaded: false };
  // the bundle requires only built-ins and better-sqlite3's addon, which
  // resolve the same from bin/ as from dist/
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, file, path.dirname(file));
  mod.loaded = true;
  return { exports: mod.exports, script };
}

module.exports = load;
module.exports.xlCacheFor = xlCacheFor;
module.exports.xlQuickBundleFor = xlQuickBundleFor;
