// The config parser alone, in-process: a 10,000-line config (target < 50 ms),
// a typical guest config, and hostile inputs that must stay linear.
// Run: node test/bench/cfg-parse.bench.mjs   (outside npm test)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { buildSync } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-cfgbench-')), 'cfg.cjs');
buildSync({ entryPoints: [path.join(root, 'lib', 'cfg', 'config.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning' });
const { xluCfgInit } = createRequire(import.meta.url)(out);

function median(fn, runs) {
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

function parseOnce(text) {
  let n = 0;
  const cfg = xluCfgInit(() => n++, 'bench.cfg');
  const r = cfg.readData(text);
  return { ok: r.ok, reports: n };
}

let failed = 0;
function report(name, ms, target) {
  const ok = target === undefined || ms < target;
  if (!ok) failed++;
  console.log(`${name.padEnd(44)} ${ms.toFixed(2).padStart(9)} ms${target ? `  (target < ${target} ms) ${ok ? 'ok' : 'MISSED'}` : ''}`);
}

const lines = [];
for (let i = 0; i < 10000; i++) lines.push(i % 3 === 0 ? `key${i} = "value ${i}" # c` : i % 3 === 1 ? `n${i} = 0x${i.toString(16)}` : `l${i} = [ "a", "b", 'c' ]`);
const big = lines.join('\n') + '\n';
if (!parseOnce(big).ok) throw new Error('10,000-line config did not parse');
report('parse a 10,000-line config (median of 15)', median(() => parseOnce(big), 15), 50);

const guest = fs.readFileSync(path.join(root, 'configs', 'hvm-guest.cfg'), 'utf8');
report('parse configs/hvm-guest.cfg (median of 200)', median(() => parseOnce(guest), 200));

const junk = Buffer.alloc(10 << 20);
for (let i = 0; i < junk.length; i++) junk[i] = (Math.imul(i, 2654435761) >>> 24) & 0xff;
report('10 MB of binary junk', median(() => parseOnce(junk), 3));
report('10 MB of newlines', median(() => parseOnce('\n'.repeat(10 << 20)), 3));
report('one 10 MB string', median(() => parseOnce('x = "' + 'a'.repeat(10 << 20) + '"\n'), 3));
report('1 M syntax errors', median(() => parseOnce('x = = \n'.repeat(1 << 20)), 3));

fs.rmSync(path.dirname(out), { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
