// Benchmarks named by the issues, each reported as a ratio against
// `node -e 0` measured in the same run (interleaved). Run: npm run bench
// Exit status 1 when a target is missed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { compare } from './startup.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const xl = path.join(root, 'bin', 'xl.cjs');
const xlsim = path.join(root, 'bin', 'xlsim.cjs');
const runs = Number(process.env.BENCH_RUNS ?? 21);
let failed = 0;

function report(name, ms, base, target) {
  const ratio = ms / base;
  const ok = target === undefined || ratio <= target;
  if (!ok) failed++;
  console.log(`${name.padEnd(44)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(3)}x node -e 0${target ? `  (target <= ${target}x) ${ok ? 'ok' : 'MISSED'}` : ''}`);
}

// The machine's environment sets NODE_EXTRA_CA_CERTS, which makes every
// node process (node -e 0 included) parse the CA bundle at start (~30 ms
// here). The targets are measured as the machine runs commands; for
// comparison, the same pair without it (no target).
function withoutCaCerts(cmd, env) {
  if (!process.env.NODE_EXTRA_CA_CERTS) return;
  const clean = { ...env };
  delete clean.NODE_EXTRA_CA_CERTS;
  const c = compare({ node: ['node', '-e', '0'], cmd }, { runs, env: clean });
  report('  same, without NODE_EXTRA_CA_CERTS (info)', c.cmd, c.node);
}

function freshHome() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-bench-'));
}

function sh(argv, env) {
  const r = spawnSync(process.execPath, argv, { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// 1. xl create -n on the shipped HVM guest (issue: foundation)
{
  const home = freshHome();
  const env = { ...process.env, XLSIM_HOME: home };
  sh([xl, 'create', '-n', path.join(root, 'configs', 'hvm-guest.cfg')], env); // first use creates the host
  const r = compare(
    { node: ['node', '-e', '0'], createN: [process.execPath, xl, 'create', '-q', '-n', path.join(root, 'configs', 'hvm-guest.cfg')] },
    { runs, env },
  );
  report('xl create -n configs/hvm-guest.cfg', r.createN, r.node, 1.2);
  withoutCaCerts([process.execPath, xl, 'create', '-q', '-n', path.join(root, 'configs', 'hvm-guest.cfg')], env);
}

// 2. parsing a 10,000-line config (in-process, the parser alone)
{
  const lines = [];
  for (let i = 0; i < 10000; i++) lines.push(i % 3 === 0 ? `key${i} = "value ${i}" # c` : i % 3 === 1 ? `n${i} = 0x${i.toString(16)}` : `l${i} = [ "a", "b", 'c' ]`);
  const text = lines.join('\n') + '\n';
  const file = path.join(freshHome(), 'big.cfg');
  fs.writeFileSync(file, text);
  const out = sh(['-e', `
    const { performance } = require('node:perf_hooks');
    require('esbuild').buildSync({ entryPoints: [${JSON.stringify(path.join(root, 'lib', 'cfg', 'config.ts'))}], bundle: true, platform: 'node', format: 'cjs', outfile: ${JSON.stringify(file + '.cjs')} });
    const m = require(${JSON.stringify(file + '.cjs')});
    const text = require('fs').readFileSync(${JSON.stringify(file)}, 'utf8');
    const times = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      const cfg = m.xluCfgInit(() => {}, 'big.cfg');
      cfg.readData(text);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(times[7].toFixed(2));
  `], { ...process.env, NODE_PATH: path.join(root, 'node_modules') });
  const ms = Number(out.trim());
  const ok = ms < 50;
  if (!ok) failed++;
  console.log(`${'parse a 10,000-line config'.padEnd(44)} ${ms.toFixed(1).padStart(7)} ms  (target < 50 ms) ${ok ? 'ok' : 'MISSED'}`);
}

// 3. xl list with 100 and 1000 domains; xl create of a PVH guest (issue: simulated host)
{
  const home = freshHome();
  const env = { ...process.env, XLSIM_HOME: home, XLSIM_HOST: 'bench' };
  sh([xlsim, 'host', 'create', 'bench', '--profile', path.join(root, 'test', 'bench', 'big-host.ini')], env);
  const cfg = path.join(home, 'small.cfg');
  fs.writeFileSync(cfg, 'kernel = "/boot/vmlinuz"\nmemory = 64\n');
  const pvh = path.join(home, 'pvh.cfg');
  fs.writeFileSync(pvh, 'type = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 256\n');
  let n = 0;
  const fill = (upto) => {
    for (; n < upto; n++) sh([xl, 'create', '-q', '-e', cfg, `name="g${n}"`], env);
  };
  fill(100);
  let r = compare({ node: ['node', '-e', '0'], list: [process.execPath, xl, 'list'] }, { runs, env });
  report('xl list (100 domains)', r.list, r.node, 1.2);
  withoutCaCerts([process.execPath, xl, 'list'], env);
  let k = 0;
  const createCmd = () => [process.execPath, xl, 'create', '-q', '-e', pvh, `name="pvh${k++}"`];
  const times = { node: [], create: [] };
  for (let i = 0; i < runs; i++) {
    times.node.push(compare({ node: ['node', '-e', '0'] }, { runs: 1, warmup: 0, env }).node);
    times.create.push(compare({ create: createCmd() }, { runs: 1, warmup: 0, env }).create);
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  report('xl create (PVH guest)', med(times.create), med(times.node), 1.4);
  fill(1000);
  r = compare({ node: ['node', '-e', '0'], list: [process.execPath, xl, 'list'] }, { runs, env });
  report('xl list (1000 domains)', r.list, r.node, 1.5);
}

process.exitCode = failed ? 1 : 0;
