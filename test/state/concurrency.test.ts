/**
 * Several processes on one host: the lock serialises them, none sees
 * SQLITE_BUSY, nothing is lost; a process killed inside its transaction
 * leaves no trace.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, test } from 'vitest';
import { listHosts, withHostSync } from '../../state/session';
import { ROOT, runTool, tmpHome } from '../helpers/cli';
import { dumpDb } from './fixtures/dump';

const WORKER = path.join(ROOT, 'test', '.tmp', 'state-worker.cjs');

beforeAll(async () => {
  await build({
    entryPoints: [path.join(ROOT, 'test', 'state', 'fixtures', 'worker.ts')],
    outfile: WORKER,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'warning',
  });
});

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function worker(env: Record<string, string>, args: string[], onStdout?: (text: string, kill: () => void) => void): Promise<Done> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [WORKER, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_PATH: path.join(ROOT, 'node_modules'), XLSIM_CONFIG_DIR: path.join(ROOT, 'configs'), ...env },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, () => p.kill('SIGKILL'));
    });
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function tool(env: Record<string, string>, name: string, args: string[]): Promise<Done> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(ROOT, 'bin', `${name}.cjs`), ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('concurrent processes', () => {
  test('8 processes x 25 increments: every one counted, no SQLITE_BUSY', async () => {
    const env = { XLSIM_HOME: tmpHome(), XLSIM_CLOCK: 'manual' };
    withHostSync(env, () => 0);
    const runs = await Promise.all(Array.from({ length: 8 }, () => worker(env, ['incr', '25'])));
    for (const r of runs) expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(withHostSync(env, (s) => s.getRecord<number>('test.counter'))).toBe(200);
  });

  test('50 processes on a fresh home: one default host, 50 distinct ids', async () => {
    const env = { XLSIM_HOME: tmpHome(), XLSIM_CLOCK: 'manual' };
    const runs = await Promise.all(Array.from({ length: 50 }, () => worker(env, ['alloc'])));
    for (const r of runs) expect(r).toMatchObject({ code: 0, stderr: '' });
    const ids = runs.map((r) => Number(r.stdout.trim())).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(fs.readdirSync(path.join(env.XLSIM_HOME, 'hosts')).filter((f) => f.endsWith('.db'))).toEqual(['default.db']);
    const uuids = withHostSync(env, (s) => s.domainRecords<{ uuid: string }>().map((d) => d.data.uuid));
    expect(new Set(uuids).size).toBe(50);
  });

  test('20 concurrent xenstore-write processes on a fresh home all succeed', async () => {
    const env = { XLSIM_HOME: tmpHome(), XLSIM_CLOCK: 'manual' };
    const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => tool(env, 'xenstore-write', [`/c/k${i}`, String(i)])));
    for (const r of runs) expect(r).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
    const listed = runTool('xenstore-list', ['/c'], { env }).stdout.split('\n').filter(Boolean);
    expect(listed.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`).sort());
  });
});

describe('crash safety', () => {
  test('SIGKILL inside a transaction leaves the host exactly as before', async () => {
    const env = { XLSIM_HOME: tmpHome(), XLSIM_CLOCK: 'manual' };
    withHostSync(env, (s) => s.xs.write('/before', 'kept'));
    const db = path.join(env.XLSIM_HOME, 'hosts', 'default.db');
    const before = dumpDb(db);
    const r = await worker(env, ['hold'], (out, kill) => {
      if (out.includes('ready')) kill();
    });
    expect(r.signal).toBe('SIGKILL');
    // the next command gets the lock at once and sees nothing of the killed one
    const t0 = Date.now();
    expect(withHostSync(env, (s) => [s.xs.tryRead('/crash/partial'), s.getDomainRecord(99), s.clock.now(), s.xs.read('/before')])).toEqual([undefined, undefined, 0, 'kept']);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(dumpDb(db)).toBe(before);
  });

  test('SIGKILL while a host boots leaves no host; the next first use builds it whole', async () => {
    const env = { XLSIM_HOME: tmpHome(), XLSIM_CLOCK: 'manual' };
    const r = await worker(env, ['create-hold'], (out, kill) => {
      if (out.includes('ready')) kill();
    });
    expect(r.signal).toBe('SIGKILL');
    expect(listHosts(env)).toEqual([]);
    const hosts = path.join(env.XLSIM_HOME, 'hosts');
    expect(fs.readdirSync(hosts).some((f) => f.startsWith('default.db.tmp-'))).toBe(true);
    expect(withHostSync(env, (s) => s.xs.directory('/'))).toEqual(['tool']);
    expect(listHosts(env)).toEqual(['default']);
    expect(fs.readdirSync(hosts).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
