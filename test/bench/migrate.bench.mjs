// Benchmark: `xl migrate` of a 16 GiB HVM guest between two simulated hosts
// whose profile has a 10 Gbit/s migration link (test/bench/big-host.ini) —
// idle, and with a 1 GiB working set dirtied at 200 MB/s. Each migration is
// a whole command (sender, and the receiver it spawns), timed wall-clock and
// interleaved with `node -e 0` for the ratio. The same run pushes the same
// number of bytes through a raw pipe between two node processes, so the
// stream's throughput is compared with what the pipe alone can do. Peak RSS
// of sender and receiver comes from process.resourceUsage() at their exit
// (a --require hook through NODE_OPTIONS, which the receiver inherits).
// Run: node build.mjs && node test/bench/migrate.bench.mjs   (exit 1 when a target is missed)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { median, timeOnce } from './startup.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const xl = path.join(root, 'bin', 'xl.cjs');
const xlsim = path.join(root, 'bin', 'xlsim.cjs');
const runs = Number(process.env.BENCH_RUNS ?? 9);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-migrate-bench-'));
const rssFile = path.join(dir, 'rss.jsonl');
const hook = path.join(dir, 'rss-hook.cjs');
fs.writeFileSync(
  hook,
  `const fs = require('node:fs');
process.on('exit', () => {
  try { fs.appendFileSync(${JSON.stringify(rssFile)}, JSON.stringify({ pid: process.pid, argv: process.argv.slice(2), rssKiB: process.resourceUsage().maxRSS }) + '\\n'); } catch {}
});
`,
);
const env = { ...process.env, XLSIM_HOME: dir, TZ: 'UTC' };
const hooked = { ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${hook}`.trim() };

function run(tool, host, args, e = env) {
  const r = spawnSync(process.execPath, [tool, ...args], { env: { ...e, XLSIM_HOST: host }, cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${host}: ${path.basename(tool)} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

for (const h of ['a', 'b']) run(xlsim, h, ['host', 'create', h, '--profile', path.join(root, 'test', 'bench', 'big-host.ini'), '--seed', h === 'a' ? '1' : '2']);
const cfg = path.join(dir, 'big.cfg');
fs.writeFileSync(cfg, 'name = "big"\ntype = "hvm"\nmemory = 16384\nvcpus = 2\n');
run(xl, 'a', ['create', '-q', cfg]);

let here = 'a';
const there = () => (here === 'a' ? 'b' : 'a');
const readRss = () => (fs.existsSync(rssFile) ? fs.readFileSync(rssFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

/** one timed migration of the guest to the other host; returns wall ms and both peak RSS values */
function migrate(busy) {
  if (busy) run(xlsim, here, ['guest', 'big', 'workload', '--dirty-rate', '200MB/s', '--wss', '1G']);
  fs.rmSync(rssFile, { force: true });
  const ms = timeOnce([process.execPath, xl, 'migrate', 'big', there()], { env: { ...hooked, XLSIM_HOST: here }, cwd: dir });
  // the sender does not wait for the receiver's exit: give its hook a moment
  const deadline = Date.now() + 3000;
  let rows = readRss();
  while (rows.length < 2 && Date.now() < deadline) {
    spawnSync('sleep', ['0.05']);
    rows = readRss();
  }
  const sender = rows.find((r) => r.argv.includes('migrate'));
  const receiver = rows.find((r) => r.argv.includes('migrate-receive'));
  if (!sender || !receiver) throw new Error(`no RSS from ${sender ? 'receiver' : 'sender'}: ${JSON.stringify(rows)}`);
  const report = JSON.parse(run(xlsim, here, ['report', 'migration', '--json']));
  here = there();
  // the workload travels with the guest: stop it, so that the next idle run is idle
  if (busy) run(xlsim, here, ['guest', 'big', 'workload', 'idle']);
  return { ms, senderMiB: sender.rssKiB / 1024, receiverMiB: receiver.rssKiB / 1024, report };
}

// the raw pipe: the same bytes from one node process to another
fs.writeFileSync(
  path.join(dir, 'rawsend.mjs'),
  `import fs from 'node:fs';
const total = Number(process.argv[2]); const CHUNK = 64 * 1024; const b = Buffer.alloc(CHUNK, 1);
for (let o = 0; o < total; o += CHUNK) { const c = o + CHUNK <= total ? b : b.subarray(0, total - o); let w = 0; while (w < c.length) { try { w += fs.writeSync(1, c, w); } catch (e) { if (e.code !== 'EAGAIN') throw e; } } }
`,
);
fs.writeFileSync(
  path.join(dir, 'rawrecv.mjs'),
  `import fs from 'node:fs';
const b = Buffer.allocUnsafe(1 << 20);
for (;;) { let n; try { n = fs.readSync(0, b, 0, b.length, null); } catch (e) { if (e.code === 'EAGAIN') continue; throw e; } if (n === 0) break; }
`,
);
function rawPipe(bytes) {
  return timeOnce(['sh', '-c', `"${process.execPath}" rawsend.mjs ${bytes} | "${process.execPath}" rawrecv.mjs`], { cwd: dir });
}

const idle = [];
const busy = [];
const raw = [];
const node = [];
migrate(false); // warm-up: disk cache, both databases
for (let i = 0; i < runs; i++) {
  node.push(timeOnce([process.execPath, '-e', '0']));
  const m = migrate(false);
  idle.push(m);
  raw.push(rawPipe(m.report.totals.bytes));
  busy.push(migrate(true));
}

let failed = 0;
const line = (name, value, target, ok) => {
  if (!ok) failed++;
  console.log(`${name.padEnd(46)} ${value.padEnd(30)} ${target}${target ? (ok ? ' ok' : ' MISSED') : ''}`);
};
const nodeMs = median(node);
const idleMs = median(idle.map((m) => m.ms));
const busyMs = median(busy.map((m) => m.ms));
const rawMs = median(raw);
const bytes = idle[0].report.totals.bytes;
const mib = bytes / 2 ** 20;
const streamTp = mib / (idleMs / 1000);
const rawTp = mib / (rawMs / 1000);
const b0 = busy[0].report;
const rounds = b0.rounds.map((r) => r.sent).join('+');
console.log(`16 GiB HVM guest, 10 Gbit/s link, median of ${runs} (node -e 0: ${nodeMs.toFixed(0)} ms)`);
line('xl migrate, idle guest (wall)', `${idleMs.toFixed(0)} ms  ${(idleMs / nodeMs).toFixed(1)}x node -e 0`, '(target <= 2000 ms)', idleMs <= 2000);
line('xl migrate, 1 GiB WSS at 200 MB/s (wall)', `${busyMs.toFixed(0)} ms  ${(busyMs / nodeMs).toFixed(1)}x node -e 0`, '(target <= 2000 ms)', busyMs <= 2000);
line('  busy guest: pages sent per round', rounds, '', true);
line(
  '  busy guest: simulated duration / downtime',
  `${(b0.totals.duration_ns / 1e9).toFixed(3)} s / ${(b0.totals.downtime_ns / 1e6).toFixed(1)} ms`,
  '',
  true,
);
line('  idle guest: simulated duration / downtime', `${(idle[0].report.totals.duration_ns / 1e9).toFixed(3)} s / ${(idle[0].report.totals.downtime_ns / 1e6).toFixed(1)} ms`, '', true);
line('stream: bytes / whole migration', `${mib.toFixed(1)} MiB  ${streamTp.toFixed(0)} MiB/s`, '', true);
line('raw pipe of the same bytes (2 node processes)', `${rawMs.toFixed(0)} ms  ${rawTp.toFixed(0)} MiB/s`, '', true);
line('stream throughput / raw pipe throughput', `${((100 * streamTp) / rawTp).toFixed(0)}%`, '(target >= 30%)', streamTp / rawTp >= 0.3);
const sRss = Math.max(...idle.concat(busy).map((m) => m.senderMiB));
const rRss = Math.max(...idle.concat(busy).map((m) => m.receiverMiB));
line('peak RSS sender (xl migrate)', `${sRss.toFixed(0)} MiB`, '(target < 300 MiB)', sRss < 300);
line('peak RSS receiver (xl migrate-receive)', `${rRss.toFixed(0)} MiB`, '(target < 300 MiB)', rRss < 300);
fs.rmSync(dir, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
