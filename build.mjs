// Bundles the multi-call entry into CommonJS files (fast start, and the
// shape a Node single executable needs): dist/xlsim.cjs with every tool,
// dist/xl.cjs with all but the lab console.
import { build } from 'esbuild';

const started = Date.now();

// The config grammar's LALR tables, derived once here and embedded.
const tablesJs = 'dist/.grammar-tables.cjs';
await build({ entryPoints: ['lib/cfg/grammar.ts'], outfile: tablesJs, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
const { createRequire } = await import('node:module');
const g = createRequire(import.meta.url)('./' + tablesJs);
const cfgTables = JSON.stringify(g.serializeTables(g.deriveTables()));
(await import('node:fs')).rmSync(tablesJs);
// `import fs from 'node:fs'` in a CommonJS bundle becomes __toESM(require(..)),
// which copies every export of the built-in onto a new object, once per
// importing module: fs and path are imported so by some thirty of our modules,
// and the copies were ~0.5 ms of every command's start-up. Ours resolve
// instead to one module whose default export is the built-in itself. (Only
// default imports are written for these two; a named one fails the build.)
const builtinDefaults = {
  name: 'builtin-defaults',
  setup(b) {
    b.onResolve({ filter: /^node:(fs|path)$/ }, (a) =>
      a.namespace === 'builtin-default' || a.importer.includes('node_modules') ? undefined : { path: a.path, namespace: 'builtin-default' },
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin-default' }, (a) => ({ contents: `export default require(${JSON.stringify(a.path)});`, loader: 'js' }));
  },
};
const common = {
  plugins: [builtinDefaults],
  entryPoints: ['cmd/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // better-sqlite3's JS is bundled; its addon is loaded by state/db.ts with
  // nativeBinding, so the `bindings` lookup it would otherwise do is never used.
  // @inquirer/prompts (the wizard, TTY only) stays in node_modules: bundled
  // it would double the file every command loads.
  external: ['bindings', '@inquirer/prompts'],
  // computed on first use only: building a URL costs ~0.7 ms of start-up
  banner: { js: "const __xlsim_meta = { get url() { return require('url').pathToFileURL(__filename).href; } };" },
  // XLSIM_BUILD_READABLE=1 keeps names, for profiling start-up
  minify: !process.env.XLSIM_BUILD_READABLE,
  legalComments: 'none',
  logLevel: 'warning',
};
// yargs (ESM-only) calls createRequire(import.meta.url); esbuild empties
// import.meta in CJS output, so give it the bundle's own URL.
const define = { 'import.meta.url': '__xlsim_meta.url', __XLSIM_CFG_TABLES__: cfgTables, __XLSIM_SEA__: 'false' };
/** The head of the function dist/xl.cjs is wrapped in (bin/load.cjs checks for it). */
const XL_WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
// the whole multi-call bundle (xlsim, and everything)
await build({ ...common, outfile: 'dist/xlsim.cjs', define: { ...define, __XLSIM_XL_ONLY__: 'false' } });
// xl, xentop and the xenstore tools without the lab console: what most
// commands load, so it stays small
// It is written already wrapped as the CommonJS function bin/load.cjs
// calls: wrapping at load time would copy half a megabyte on every start.
await build({
  ...common,
  outfile: 'dist/xl.cjs',
  define: { ...define, __XLSIM_XL_ONLY__: 'true' },
  banner: { js: `${XL_WRAPPER_HEAD}${common.banner.js}` },
  footer: { js: '})' },
});
// The quick bundles (cmd/xl/quick/entry.ts): xl's own main() and one
// command, with the modules below swapped for the ones that stand for them
// there. bin/xl.cjs runs them for `xl list` and `xl create`; they hand
// anything else over to dist/xl.cjs.
const QUICK_BUNDLES = {
  // no event handler, no guest model, no list -l: holds its output, as it
  // may stop half way
  'xl-list': {
    hold: true,
    swaps: {
      'cmd/xl/handlers.ts': 'cmd/xl/quick/handlers-list.ts',
      'cmd/xl/completion.ts': 'cmd/xl/quick/completion.ts',
      'cmd/xl/list_details.ts': 'cmd/xl/quick/list_details.ts',
      'lib/libxl/event_handlers.ts': 'cmd/xl/quick/event_handlers.ts',
    },
  },
  // everything create uses (the guest model, the console for -c)
  'xl-create': {
    hold: false,
    swaps: {
      'cmd/xl/handlers.ts': 'cmd/xl/quick/handlers-create.ts',
      'cmd/xl/completion.ts': 'cmd/xl/quick/completion.ts',
    },
  },
};
{
  const path = await import('node:path');
  const root = process.cwd();
  for (const [name, q] of Object.entries(QUICK_BUNDLES)) {
    const swaps = {
      name: 'quick-swaps',
      setup(b) {
        b.onResolve({ filter: /^\./ }, (a) => {
          const rel = path.relative(root, path.resolve(a.resolveDir, a.path)) + '.ts';
          const to = q.swaps[rel];
          return to ? { path: path.join(root, to) } : undefined;
        });
      },
    };
    await build({
      ...common,
      plugins: [...common.plugins, swaps],
      entryPoints: ['cmd/xl/quick/entry.ts'],
      outfile: `dist/${name}.cjs`,
      define: { ...define, __XLSIM_XL_ONLY__: 'true', __XLSIM_QUICK_HOLD__: String(q.hold) },
      banner: { js: `${XL_WRAPPER_HEAD}${common.banner.js}` },
      footer: { js: '})' },
    });
  }
}
// bin/load.cjs reads dist/xl.cjs and the quick bundles as latin1: they must stay pure ASCII
{
  const fs = await import('node:fs');
  for (const file of ['dist/xl.cjs', ...Object.keys(QUICK_BUNDLES).map((n) => `dist/${n}.cjs`)]) {
    const text = fs.readFileSync(file);
    const bad = text.findIndex((b) => b > 0x7f);
    if (bad >= 0) {
      console.error(`build: ${file} has a non-ASCII byte at ${bad}; escape it in the source`);
      process.exit(1);
    }
  }
}
// V8 code cache for bin/load.cjs (after a warm-up run of common commands)
const { spawnSync } = await import('node:child_process');
spawnSync(process.execPath, ['scripts/warm-code-cache.cjs'], { stdio: 'inherit' });
if (process.env.XLSIM_BUILD_VERBOSE) console.log(`built dist/ in ${Date.now() - started} ms`);
