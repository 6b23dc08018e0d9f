// npm run build:sea [-- --links DIR] [-- --out FILE]
//
// Builds build/xlsim, a single executable (Node SEA) that is xl, xlsim,
// xentop and the xenstore-* tools by the name it is invoked under. Works
// offline: the base is the running node binary (it carries the SEA fuse),
// postject comes from node_modules.
//
// Steps: bundle cmd/main.ts with better-sqlite3's JS inside (a SEA's
// require loads only built-ins), write the manifest and sea-config.json,
// let node write the preparation blob, copy node, inject the blob.
// The native addon and configs/ travel as SEA assets (state/native.ts
// extracts them at run time).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** every name the multi-call binary answers to (package.json "bin") */
export const TOOLS = ['xl', 'xlsim', 'xentop', 'xenstore-ls', 'xenstore-read', 'xenstore-write', 'xenstore-rm', 'xenstore-list'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

class BuildError extends Error {
  constructor(message, code = 1) {
    super(message);
    this.exitCode = code;
  }
}

/** Exit status 3: the toolchain cannot build a SEA here (tests skip on it). */
export const UNAVAILABLE = 3;

/** Why this machine cannot build a SEA, or null when it can. */
export function seaUnavailable(nodeBinary = process.execPath) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 12)) return `Node ${process.versions.node} has no SEA assets (needs >= 20.12)`;
  try {
    require.resolve('postject/package.json', { paths: [root] });
  } catch {
    return 'postject is not installed (npm i -D postject@1.0.0-alpha.6)';
  }
  // the fuse string is in the binary once, in the clear; scan in chunks
  // rather than reading ~100 MB at once
  const fd = fs.openSync(nodeBinary, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    const overlap = SEA_FUSE.length;
    let pos = 0;
    let carry = Buffer.alloc(0);
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, pos);
      if (n === 0) break;
      const buf = Buffer.concat([carry, chunk.subarray(0, n)]);
      if (buf.includes(SEA_FUSE)) return null;
      carry = buf.subarray(Math.max(0, buf.length - overlap));
      pos += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return `${nodeBinary} has no SEA fuse (${SEA_FUSE}); use a stock Node build`;
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

function listFiles(dir, base = dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else if (e.isFile()) out.push(path.relative(base, p).split(path.sep).join('/'));
  }
  return out;
}

/** The symlinks DIR/<tool> -> binary, replacing links (never other files). */
export function installLinks(binary, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const target = path.resolve(binary);
  for (const tool of TOOLS) {
    const link = path.join(dir, tool);
    let st;
    try {
      st = fs.lstatSync(link);
    } catch {
      st = undefined;
    }
    if (st && !st.isSymbolicLink()) throw new BuildError(`${link} exists and is not a symlink; not replacing it`);
    if (st) fs.unlinkSync(link);
    fs.symlinkSync(target, link);
  }
}

async function bundle(outfile) {
  await build({
    entryPoints: [path.join(root, 'cmd', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // same shape as build.mjs, but better-sqlite3's JS is inside: its
    // `bindings` lookup is never reached because state/native.ts passes
    // the addon object
    define: { 'import.meta.url': '__xlsim_url', __XLSIM_SEA__: 'true' },
    banner: { js: "const __xlsim_url = require('url').pathToFileURL(__filename).href;" },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

function run(argv, opts = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  return r;
}

export async function buildSea({ out = path.join(root, 'build', 'xlsim'), links, quiet = false } = {}) {
  const say = quiet ? () => {} : (s) => console.log(s);
  const why = seaUnavailable();
  if (why) throw new BuildError(`build:sea: ${why}`, UNAVAILABLE);
  const t0 = Date.now();
  const work = path.join(path.dirname(out), 'sea');
  fs.mkdirSync(work, { recursive: true });

  const main = path.join(work, 'xlsim-sea.cjs');
  await bundle(main);

  const nativePath = require.resolve('better-sqlite3/build/Release/better_sqlite3.node', { paths: [root] });
  const configsDir = path.join(root, 'configs');
  const configs = listFiles(configsDir);
  const configsHash = createHash('sha256');
  for (const rel of configs) configsHash.update(rel + '\0').update(fs.readFileSync(path.join(configsDir, rel))).update('\0');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const manifest = {
    version: pkg.version,
    nativeSha256: sha256(fs.readFileSync(nativePath)),
    nativeSize: fs.statSync(nativePath).size,
    configsSha256: configsHash.digest('hex'),
    configs,
  };
  const manifestPath = path.join(work, 'xlsim-sea.json');
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');

  const assets = { 'xlsim-sea.json': manifestPath, 'better_sqlite3.node': nativePath };
  for (const rel of configs) assets[`configs/${rel}`] = path.join(configsDir, rel);
  const blob = path.join(work, 'sea-prep.blob');
  const seaConfig = path.join(work, 'sea-config.json');
  fs.writeFileSync(
    seaConfig,
    JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets }, null, 2) + '\n',
  );
  const prep = run([process.execPath, '--experimental-sea-config', seaConfig], { cwd: work });
  if (prep.status !== 0) throw new BuildError(`build:sea: node --experimental-sea-config failed:\n${prep.stdout}${prep.stderr}`);

  // inject into a copy, then rename: a half-written binary never sits at `out`
  const tmp = `${out}.tmp`;
  fs.copyFileSync(process.execPath, tmp);
  fs.chmodSync(tmp, 0o755);
  const postject = path.join(path.dirname(require.resolve('postject/package.json', { paths: [root] })), 'dist', 'cli.js');
  const inj = run([process.execPath, postject, tmp, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE]);
  // postject warns "Can't find string offset for section name '.note.100'"
  // on Node's ELF binary; harmless, so kept out of the way unless it fails
  if (inj.status !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new BuildError(`build:sea: postject failed:\n${inj.stdout}${inj.stderr}`);
  }
  fs.renameSync(tmp, out);

  // smoke test: the dispatch by name and the embedded assets load
  const smoke = run([out, 'help'], { argv0: 'xl', env: { ...process.env, XLSIM_HOME: path.join(work, 'smoke-home') } });
  fs.rmSync(path.join(work, 'smoke-home'), { recursive: true, force: true });
  if (smoke.status !== 0 || !smoke.stdout.startsWith('Usage xl [-vfNtT] <subcommand> [args]')) {
    throw new BuildError(`build:sea: ${out} does not run as xl (status ${smoke.status}):\n${smoke.stderr}`);
  }
  const size = fs.statSync(out).size;
  say(`built ${path.relative(process.cwd(), out) || out} (${(size / 1048576).toFixed(1)} MiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (links) {
    installLinks(out, links);
    say(`linked ${TOOLS.join(', ')} in ${links}`);
  }
  return out;
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new BuildError(`build:sea: ${a} needs an argument`, 2);
      return argv[++i];
    };
    if (a === '--links') opts.links = path.resolve(val());
    else if (a.startsWith('--links=')) opts.links = path.resolve(a.slice(8));
    else if (a === '--out') opts.out = path.resolve(val());
    else if (a.startsWith('--out=')) opts.out = path.resolve(a.slice(6));
    else if (a === '--quiet' || a === '-q') opts.quiet = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node scripts/build-sea.mjs [--out FILE] [--links DIR] [--quiet]');
      process.exit(0);
    } else throw new BuildError(`build:sea: unknown argument ${a}`, 2);
  }
  return opts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildSea(parseArgs(process.argv.slice(2)));
  } catch (e) {
    console.error(e instanceof BuildError ? e.message : e);
    process.exitCode = e instanceof BuildError ? e.exitCode : 1;
  }
}
