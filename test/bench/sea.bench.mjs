// Startup of the single executable against plain node and the bundle, in
// the same run (interleaved, medians): `node test/bench/sea.bench.mjs`.
//
//   node -e 0                     the floor for any Node program
//   node bin/xl.cjs list          the npm-installed way (shim + dist bundle)
//   <sea>/xl list                 build:sea's binary through its xl symlink
//
// The binary is built afresh into a temporary directory, so the numbers are
// for the current sources. BENCH_RUNS sets the number of runs (default 21).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compare } from './startup.mjs';
import { buildSea, seaUnavailable } from '../../scripts/build-sea.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = Number(process.env.BENCH_RUNS ?? 21);

const why = seaUnavailable();
if (why) {
  console.log(`sea.bench: skipped: ${why}`);
  process.exit(0);
}

const top = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-sea-bench-'));
try {
  if (spawnSync(process.execPath, [path.join(root, 'build.mjs')], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('node build.mjs failed');
  const binary = await buildSea({ out: path.join(top, 'xlsim'), quiet: true });
  const xlLink = path.join(top, 'xl');
  fs.symlinkSync(binary, xlLink);

  const env = { PATH: process.env.PATH, HOME: top, TZ: 'UTC', XLSIM_HOME: path.join(top, 'home'), TMPDIR: top };
  // the host exists before timing starts; both front ends read the same one
  const made = spawnSync(process.execPath, [path.join(root, 'bin', 'xlsim.cjs'), 'host', 'create', 'default', '--clock', 'manual'], { env, encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`host create failed: ${made.stderr}`);
  // first run of the binary extracts the native addon and the configs
  const first = spawnSync(xlLink, ['list'], { env, encoding: 'utf8' });
  if (first.status !== 0) throw new Error(`${xlLink} list failed: ${first.stderr}`);

  const r = compare(
    {
      'node -e 0': [process.execPath, '-e', '0'],
      'node bin/xl.cjs list (bundle)': [process.execPath, path.join(root, 'bin', 'xl.cjs'), 'list'],
      'xl list (single executable)': [xlLink, 'list'],
    },
    { runs, env, cwd: top },
  );
  const base = r['node -e 0'];
  console.log(`startup, median of ${runs} runs (interleaved, 3 warm-up rounds); binary ${(fs.statSync(binary).size / 1048576).toFixed(1)} MiB`);
  for (const [name, ms] of Object.entries(r)) {
    console.log(`${name.padEnd(34)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / base).toFixed(3)}x node -e 0`);
  }
  const sea = r['xl list (single executable)'];
  const bundle = r['node bin/xl.cjs list (bundle)'];
  console.log(`single executable / bundle: ${(sea / bundle).toFixed(3)}`);
} finally {
  fs.rmSync(top, { recursive: true, force: true });
}
