'use strict';
// Loads a bundle (dist/xl.cjs or dist/xlsim.cjs) with V8's code cache (.cache, written
// at build time after a warm-up run): compiling the bundle is most of a
// command's start-up, and the cache skips it. Without a usable cache (a
// different Node, a rebuilt bundle) V8 compiles as usual: only slower.
// (node:module is not used: loading it costs more than it saves.)
const fs = require('fs');
const path = require('path');
const vm = require('vm');

/**
 * The code cache for `xl <command>`: `xl list` (the command scripts run
 * most) and `xl create -n` (the dry run) have one each, warmed by that
 * command alone: smaller, so faster to read and deserialise than the
 * general one, which every other command uses.
 * Global options (-v, -N, -f, -t, -T) take no values, so the command is the
 * first argument without a dash.
 */
function xlCacheFor(argv) {
  const at = argv.findIndex((a) => a[0] !== '-');
  const cmd = argv[at];
  let name;
  if (cmd === 'list') name = 'xl.list.cache';
  // a dry run (-N before the command, -n/--dryrun after it, alone or in a
  // bundle such as -qn) never touches the host: its cache has none of that code
  else if (cmd === 'create' && argv.some((a, i) => (i < at ? a === '-N' : i > at && (a === '--dryrun' || /^-[^-]*n/.test(a))))) name = 'xl.create-n.cache';
  return name && path.join(__dirname, '..', 'dist', name);
}

function load(bundle, cacheFile) {
  // xl, xentop and xenstore-* load the smaller bundle without the lab console
  const file = path.join(__dirname, '..', 'dist', bundle === 'xlsim' ? 'xlsim.cjs' : 'xl.cjs');
  // dist/xl.cjs is pure ASCII (build.mjs checks): latin1 decodes it as a
  // one-byte string, cheaper to read and to hash against the code cache
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
  // dist/xl.cjs is built already wrapped in the module function (build.mjs);
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
