// The bundle the shell tests and benchmark run: dist/xlsim.cjs once it
// registers `xlsim shell`, else a private build of test/shell/entry.ts
// (cmd/xlsim/commands.ts is not ours to edit) next to this file. The private
// build also applies the connection-cache hook the shell asks of
// state/host.ts (HostHandle.open: openHostDb -> acquireHostDb) unless the
// file has it already; SHELL_NO_CONN_CACHE=1 leaves it out, to compare.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

const connCacheHook = {
  name: 'conn-cache-hook',
  setup(b) {
    b.onLoad({ filter: /state[\\/]host\.ts$/ }, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      if (!text.includes('acquireHostDb')) {
        const before = text;
        text = text.replace('new HostHandle(openHostDb(', 'new HostHandle(acquireHostDb(') + "\nimport { acquireHostDb } from './conncache';\n";
        if (text === before) throw new Error('state/host.ts: HostHandle.open no longer calls openHostDb; update the hook');
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

export async function shellBundle() {
  const dist = path.join(root, 'dist', 'xlsim.cjs');
  if (fs.existsSync(dist) && fs.readFileSync(dist, 'utf8').includes('cannot run inside xlsim shell')) return dist;
  // named xlsim.cjs: run directly, the entry acts as the tool it is named after
  const out = path.join(here, 'build', 'xlsim.cjs');
  // test files build in parallel: each writes its own file, then renames it
  // into place (atomic), so nobody runs a half-written bundle
  const tmp = path.join(here, 'build', `xlsim.${process.pid}.${Date.now()}.tmp.cjs`);
  await build({
    entryPoints: [path.join(here, 'entry.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['bindings'],
    define: { 'import.meta.url': '__xlsim_url' },
    banner: { js: "const __xlsim_url = require('url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
    plugins: process.env.SHELL_NO_CONN_CACHE ? [] : [connCacheHook],
  });
  fs.renameSync(tmp, out);
  return out;
}
