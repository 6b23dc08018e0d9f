// `xlsim shell < script`: 1000 `xl list` lines on a host with a few domains,
// against the same command run as separate processes (timed over a sample,
// extrapolated to 1000) and `node -e 0`, all in this run. Target: the shell
// under 2 s. Not part of `npm test`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare } from './startup.mjs';
import { shellBundle } from '../shell/bundle.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LINES = 1000;
const TARGET_MS = 2000;
const SAMPLE = Number(process.env.SHELL_BENCH_SAMPLE ?? 21);

const bundle = await shellBundle();
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-shell-bench-'));
const env = { PATH: process.env.PATH, HOME: home, TZ: 'UTC', XLSIM_HOME: home, XLSIM_CONFIG_DIR: path.join(ROOT, 'configs') };

function must(args, input = '') {
  const r = spawnSync(process.execPath, [bundle, ...args], { env, input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`xlsim ${args.join(' ')}: ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

// the host: manual clock, four guests of different types
must(['host', 'create', 'default', '--clock', 'manual', '--seed', '7']);
let setup = '';
for (const [i, cfg] of ['pv-guest.cfg', 'pvh-guest.cfg', 'hvm-guest.cfg', 'pv-guest.cfg'].entries()) {
  const text = fs.readFileSync(path.join(ROOT, 'configs', cfg), 'utf8').replace(/^name\s*=.*$/m, `name = "g${i}"`).replace(/mac=[0-9a-f:]+,?/g, '');
  const file = path.join(home, `g${i}.cfg`);
  fs.writeFileSync(file, text);
  setup += `xl create -q ${file}\n`;
}
must(['shell', '--errexit'], setup);
const listing = must(['shell'], 'xl list\n');
const domains = listing.trim().split('\n').length - 1;

const script = 'xl list\n'.repeat(LINES);
const scriptFile = path.join(home, 'list.sh');
fs.writeFileSync(scriptFile, script);

function timeShell() {
  const fd = fs.openSync(scriptFile, 'r');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bundle, 'shell'], { env, stdio: [fd, 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.closeSync(fd);
  if (r.status !== 0) throw new Error(`shell exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
  if (String(r.stdout) !== listing.repeat(LINES)) throw new Error('shell output is not 1000 times the xl list output');
  return ms;
}

const shellRuns = Array.from({ length: 5 }, timeShell).sort((a, b) => a - b);
const shellMs = shellRuns[2];
const single = compare(
  { 'node -e 0': [process.execPath, '-e', '0'], 'xl list': [process.execPath, path.join(ROOT, 'bin', 'xl.cjs'), 'list'] },
  { runs: SAMPLE, warmup: 2, env, cwd: ROOT },
);
const separateMs = single['xl list'] * LINES;

const f = (ms) => `${ms.toFixed(0).padStart(7)} ms`;
console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
console.log(`host with ${domains} domains, ${LINES} x "xl list"`);
console.log(`xlsim shell < script      ${f(shellMs)}  (median of 5, best ${shellRuns[0].toFixed(0)} ms; ${(shellMs / LINES).toFixed(2)} ms/command)`);
console.log(`1000 separate xl list     ${f(separateMs)}  (extrapolated: median ${single['xl list'].toFixed(1)} ms x ${LINES})`);
console.log(`1000 x node -e 0          ${f(single['node -e 0'] * LINES)}  (median ${single['node -e 0'].toFixed(1)} ms)`);
console.log(`speed-up ${(separateMs / shellMs).toFixed(1)}x; shell = ${(shellMs / (single['node -e 0'] * LINES)).toFixed(2)} x (1000 x node -e 0)`);
fs.rmSync(home, { recursive: true, force: true });
if (shellMs >= TARGET_MS) {
  console.log(`FAIL: shell took ${shellMs.toFixed(0)} ms, target < ${TARGET_MS} ms`);
  process.exitCode = 1;
} else console.log(`PASS: < ${TARGET_MS} ms`);
