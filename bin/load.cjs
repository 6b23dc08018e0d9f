'use strict';
// Loads a bundle (dist/xl.cjs or dist/xlsim.cjs) with V8's code cache (.cache, written
// at build time after a warm-up run): compiling the bundle is most of a
// command's start-up, and the cache skips it. Without a usable cache (a
// different Node, a rebuilt bundle) V8 compiles as usual: only slower.
// (node:module is not used: loading it costs more than it saves.)
const fs = require('fs');
const path = require('path');
const vm = require('vm');

function load(bundle, cacheFile) {
  // xl, xentop and xenstore-* load the smaller bundle without the lab console
  const file = path.join(__dirname, '..', 'dist', bundle === 'xlsim' ? 'xlsim.cjs' : 'xl.cjs');
  // dist/xl.cjs is pure ASCII (build.mjs checks): latin1 decodes it as a
  // one-byte string, cheaper to read and to hash against the code cache
  const source = fs.readFileSync(file, bundle === 'xlsim' ? 'utf8' : 'latin1');
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile || file + '.cache');
  } catch {
    cachedData = undefined;
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
