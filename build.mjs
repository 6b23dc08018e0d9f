// Bundles the multi-call entry into one CommonJS file (fast start, and the
// shape a Node single executable needs). better-sqlite3 stays external: its
// native binding is found through node_modules (or handed over by the SEA
// loader), and bundling it breaks the `bindings` lookup.
import { build } from 'esbuild';

const started = Date.now();
await build({
  entryPoints: ['cmd/main.ts'],
  outfile: 'dist/xlsim.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3'],
  // yargs (ESM-only) calls createRequire(import.meta.url); esbuild empties
  // import.meta in CJS output, so give it the bundle's own URL.
  define: { 'import.meta.url': '__xlsim_url' },
  banner: { js: "const __xlsim_url = require('url').pathToFileURL(__filename).href;" },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
if (process.env.XLSIM_BUILD_VERBOSE) console.log(`built dist/xlsim.cjs in ${Date.now() - started} ms`);
