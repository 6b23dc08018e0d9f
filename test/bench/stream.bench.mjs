// Benchmark: a 16 GiB guest's migration stream (4 Mi pages -> 4 Mi 8-byte tokens)
// sent by one process through an OS pipe to another that parses and verifies it,
// against a raw pipe carrying the same number of bytes, measured in the same run
// (interleaved, median of BENCH_RUNS). Also reports each side's peak RSS.
// Run: node test/bench/stream.bench.mjs   (exit 1 when a target is missed)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const PAGES = Number(process.env.BENCH_PAGES ?? 4 * 1024 * 1024);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-stream-bench-'));
buildSync({
  entryPoints: [path.join(root, 'lib', 'libxl', 'stream', 'index.ts')],
  bundle: true, platform: 'node', format: 'esm', outfile: path.join(dir, 'stream.mjs'), logLevel: 'warning',
});

const common = `
import fs from 'node:fs';
const PAGES = ${PAGES};
const CHUNK = 64 * 1024;
const report = (o) => fs.writeSync(2, JSON.stringify({ ...o, rssMiB: process.resourceUsage().maxRSS / 1024 }) + '\\n');
function writeAll(buf) { let o = 0; while (o < buf.length) { try { o += fs.writeSync(1, buf, o); } catch (e) { if (e.code !== 'EAGAIN') throw e; } } }
`;
fs.writeFileSync(path.join(dir, 'sender.mjs'), `${common}
import * as S from './stream.mjs';
const t0 = performance.now();
const d = { type: 'hvm', xenMajor: 4, xenMinor: 20, vcpus: 4, maxPfn: PAGES - 1, tsc: { mode: 0, khz: 2400000, nsec: 1n, incarnation: 0 } };
// The page generation table the hypervisor model would hold: token = generation.
const tokens = new BigUint64Array(PAGES);
const w32 = new Uint32Array(tokens.buffer);
for (let p = 0; p < PAGES; p++) w32[2 * p] = (p * 2654435761) >>> 0;
const dg = new S.MemoryDigest();
for (let p = 0; p < PAGES; p++) dg.add(p, w32[2 * p], 0);
let pend = []; let len = 0;
const w = new S.StreamWriter((c) => { pend.push(c); len += c.length; if (len >= CHUNK) { writeAll(Buffer.concat(pend, len)); pend = []; len = 0; } });
w.raw(S.writeSaveHeader('{}').bytes);
S.writeStreamPrologue(w, d);
const pfns = new Float64Array(S.MAX_BATCH_SIZE);
for (let s = 0; s < PAGES; s += S.MAX_BATCH_SIZE) {
  const n = Math.min(S.MAX_BATCH_SIZE, PAGES - s);
  for (let i = 0; i < n; i++) pfns[i] = s + i;
  w.pageBatch(pfns, tokens.subarray(s, s + n), undefined, 0, n);
}
S.writeStreamEpilogue(w, d, dg.value());
writeAll(Buffer.concat(pend, len));
report({ side: 'sender', ms: performance.now() - t0, bytes: w.bytesWritten });
`);
fs.writeFileSync(path.join(dir, 'receiver.mjs'), `${common}
import * as S from './stream.mjs';
let t0 = 0;
// as xl migrate-receive reads: one buffer for every read, each chunk placed so that the
// records are word-aligned in it, the pages going straight into the page map (no events)
const r = new S.StreamReader({ maxPfn: PAGES - 1, source: '<incoming migration stream>', transientPages: true, pageEvents: false });
r.memory.reserve(PAGES);
const b = Buffer.allocUnsafeSlow(CHUNK + 8);
let bytes = 0;
for (;;) {
  const at = r.chunkAlignment;
  let n;
  try { n = fs.readSync(0, b, at, CHUNK, null); } catch (e) { if (e.code === 'EAGAIN') continue; throw e; }
  if (n === 0) break;
  if (!t0) t0 = performance.now();
  bytes += n;
  for (const e of r.push(b.subarray(at, at + n))) {
    if ('code' in e) { report({ side: 'receiver', error: e.message }); process.exit(1); }
  }
  r.ownInput();
}
const res = r.finish();
report({ side: 'receiver', ms: performance.now() - t0, ok: res.ok && res.memory.size === PAGES, bytes });
`);
fs.writeFileSync(path.join(dir, 'rawsend.mjs'), `${common}
const total = Number(process.argv[2]);
const t0 = performance.now();
const b = Buffer.alloc(CHUNK, 1);
for (let o = 0; o < total; o += CHUNK) writeAll(o + CHUNK <= total ? b : b.subarray(0, total - o));
report({ side: 'sender', ms: performance.now() - t0, bytes: total });
`);
fs.writeFileSync(path.join(dir, 'rawrecv.mjs'), `${common}
let t0 = 0, bytes = 0;
for (;;) {
  const b = Buffer.allocUnsafeSlow(CHUNK);
  let n;
  try { n = fs.readSync(0, b, 0, CHUNK, null); } catch (e) { if (e.code === 'EAGAIN') continue; throw e; }
  if (n === 0) break;
  if (!t0) t0 = performance.now();
  bytes += n;
}
report({ side: 'receiver', ms: performance.now() - t0, ok: true, bytes });
`);

function pipeline(send, recv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', `"${process.execPath}" ${send} | "${process.execPath}" ${recv}`], { cwd: dir, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${send} | ${recv}: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l));
  const s = lines.find((l) => l.side === 'sender');
  const v = lines.find((l) => l.side === 'receiver');
  if (!v.ok) throw new Error(`receiver refused the stream: ${JSON.stringify(v)}`);
  return { wall, sender: s, receiver: v };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const streamRuns = [];
const rawRuns = [];
let total = 0;
for (let i = 0; i < runs + 1; i++) {
  const s = pipeline('sender.mjs', 'receiver.mjs');
  total = s.sender.bytes;
  const raw = pipeline(`rawsend.mjs ${total}`, 'rawrecv.mjs');
  if (i > 0) { streamRuns.push(s); rawRuns.push(raw); } // first round warms the disk cache
}
const sMs = median(streamRuns.map((r) => r.wall));
const rMs = median(rawRuns.map((r) => r.wall));
const rxMs = median(streamRuns.map((r) => r.receiver.ms));
const rawRxMs = median(rawRuns.map((r) => r.receiver.ms));
const sRss = Math.max(...streamRuns.map((r) => r.sender.rssMiB));
const vRss = Math.max(...streamRuns.map((r) => r.receiver.rssMiB));
const mib = total / 2 ** 20;
let failed = 0;
const line = (name, value, target, ok) => {
  if (!ok) failed++;
  console.log(`${name.padEnd(44)} ${value.padEnd(24)} ${target}${target ? (ok ? ' ok' : ' MISSED') : ''}`);
};
console.log(`16 GiB guest (${PAGES} pages): stream of ${mib.toFixed(1)} MiB, median of ${runs}`);
line('sender | receiver, wall (2 node processes)', `${sMs.toFixed(0)} ms`, '', true);
line('raw pipe of the same bytes, wall', `${rMs.toFixed(0)} ms`, '', true);
line('ratio stream / raw pipe (wall)', `${(sMs / rMs).toFixed(2)}x`, '', true);
line('receiver: first byte to verified end', `${rxMs.toFixed(0)} ms  ${(mib / (rxMs / 1000)).toFixed(0)} MiB/s`, '(target < 1000 ms)', rxMs < 1000);
line('raw pipe receiver: first byte to EOF', `${rawRxMs.toFixed(0)} ms  ${(mib / (rawRxMs / 1000)).toFixed(0)} MiB/s`, '', true);
line('peak RSS sender', `${sRss.toFixed(0)} MiB`, '(target < 300 MiB)', sRss < 300);
line('peak RSS receiver', `${vRss.toFixed(0)} MiB`, '(target < 300 MiB)', vRss < 300);
fs.rmSync(dir, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
