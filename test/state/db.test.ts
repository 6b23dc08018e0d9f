import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { XLSIM_APP_ID, createHostDb, openHostDb } from '../../state/db';
import { HostError } from '../../state/errors';
import { MIGRATIONS, SCHEMA_VERSION } from '../../state/migrations';
import { SqliteXsBackend } from '../../state/xsbackend';
import { createHost, peekHost, withHostSync } from '../../state/session';
import { runTool } from '../helpers/cli';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-db-'));
}

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

function refusal(fn: () => unknown): HostError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HostError) return e;
    throw e;
  }
  throw new Error('expected a HostError');
}

describe('schema', () => {
  test('migrations are numbered 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  test('a fresh database: WAL, app id, version, meta, tables', () => {
    const f = path.join(tmp(), 'h.db');
    createHostDb('h', f).close();
    const db = new Database(f, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('application_id', { simple: true })).toBe(XLSIM_APP_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT key, value FROM meta ORDER BY key').all()).toEqual([
      { key: 'app', value: 'xlsim' },
      { key: 'schema_version', value: String(SCHEMA_VERSION) },
    ]);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]);
    expect(tables).toEqual(['buffers', 'domains', 'event_log', 'events', 'meta', 'records', 'xs_nodes']);
    db.close();
    const h = openHostDb('h', f);
    expect(h.db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(10_000);
    // no fsync: the crash model is a killed process (state/db.ts tune())
    expect(h.db.pragma('synchronous', { simple: true })).toBe(0);
    h.close();
  });

  test('an older schema is migrated forward on open', () => {
    const f = path.join(tmp(), 'old.db');
    const db = new Database(f);
    db.pragma('journal_mode = WAL');
    db.pragma(`application_id = ${XLSIM_APP_ID}`);
    db.close();
    openHostDb('old', f).close();
    const again = new Database(f, { readonly: true });
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(again.prepare('SELECT count(*) FROM xs_nodes').pluck().get()).toBe(5);
    again.close();
  });

  test('a version 1 host with domains gets its names indexed (2), and reads them from the index', () => {
    const f = path.join(tmp(), 'v1.db');
    const db = new Database(f);
    db.pragma('journal_mode = WAL');
    db.pragma(`application_id = ${XLSIM_APP_ID}`);
    db.exec(MIGRATIONS[0]!.sql);
    const put = db.prepare('INSERT INTO xs_nodes (path, parent, name, value, perms) VALUES (?, ?, ?, ?, ?)');
    put.run('/local', '/', 'local', Buffer.alloc(0), 'n0');
    put.run('/local/domain', '/local', 'domain', Buffer.alloc(0), 'n0');
    put.run('/local/domain/1', '/local/domain', '1', Buffer.alloc(0), 'n1');
    put.run('/local/domain/1/name', '/local/domain/1', 'name', Buffer.from('guest'), 'n1');
    put.run('/local/domain/1/domid', '/local/domain/1', 'domid', Buffer.from('1'), 'n1');
    db.pragma('user_version = 1');
    db.close();
    const h = openHostDb('v1', f);
    expect(h.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const xs = new SqliteXsBackend(h);
    expect(xs.getText('/local/domain/1/name')).toBe('guest');
    expect(xs.getText('/local/domain/2/name')).toBeUndefined();
    expect(xs.getText('/local/domain/1/domid')).toBe('1');
    // a renamed domain reads back its new name (the index follows the table)
    xs.setValue('/local/domain/1/name', new TextEncoder().encode('renamed'));
    expect(xs.getText('/local/domain/1/name')).toBe('renamed');
    const plan = h.db.prepare("EXPLAIN QUERY PLAN SELECT CAST(value AS TEXT) FROM xs_nodes INDEXED BY xs_nodes_names WHERE path = ? AND name = 'name'").all('/local/domain/1/name') as { detail: string }[];
    expect(plan.map((p) => p.detail)).toEqual(['SEARCH xs_nodes USING COVERING INDEX xs_nodes_names (path=?)']);
    h.close();
  });
});

describe('refusals leave the file untouched', () => {
  test('a database from a newer xlsim', () => {
    const f = path.join(tmp(), 'new.db');
    createHostDb('new', f).close();
    const db = new Database(f);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    const before = sha(f);
    const e = refusal(() => openHostDb('new', f));
    expect(e.kind).toBe('newer');
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe(`xlsim: host 'new': ${f} was written by a newer xlsim (schema version ${SCHEMA_VERSION + 5}, this xlsim knows up to ${SCHEMA_VERSION}); refusing to use it`);
    expect(sha(f)).toBe(before);
  });

  test('an SQLite file that is not ours', () => {
    const f = path.join(tmp(), 'other.db');
    const db = new Database(f);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const before = sha(f);
    const e = refusal(() => openHostDb('other', f));
    expect(e.kind).toBe('foreign');
    expect(e.message).toBe(`xlsim: host 'other': ${f} is not an xlsim host database; refusing to use it`);
    expect(sha(f)).toBe(before);
  });

  test('an empty file is not ours either', () => {
    const f = path.join(tmp(), 'empty.db');
    fs.writeFileSync(f, '');
    expect(refusal(() => openHostDb('empty', f)).kind).toBe('foreign');
    expect(fs.statSync(f).size).toBe(0);
  });

  test('garbage', () => {
    const f = path.join(tmp(), 'junk.db');
    fs.writeFileSync(f, crypto.randomBytes(8192));
    const before = sha(f);
    const e = refusal(() => openHostDb('junk', f));
    expect(e.kind).toBe('corrupt');
    expect(e.message).toBe(`xlsim: host 'junk': ${f} is corrupted (file is not a database); refusing to use it`);
    expect(sha(f)).toBe(before);
  });

  test('a damaged page of a real host is reported, not thrown as a stack', () => {
    const home = tmp();
    const env = { XLSIM_HOME: home, XLSIM_CLOCK: 'manual' };
    createHost(env, 'dmg', {});
    withHostSync(env, (s) => {
      for (let i = 0; i < 300; i++) s.xs.write(`/fill/n${i}`, 'x'.repeat(200));
    }, { host: 'dmg' });
    const f = path.join(home, 'hosts', 'dmg.db');
    // checkpoint so the data is in the main file, then smash the b-tree pages
    const db = new Database(f);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const fd = fs.openSync(f, 'r+');
    const size = fs.fstatSync(fd).size;
    for (let off = 4096; off < size; off += 4096) fs.writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, off);
    fs.closeSync(fd);
    const e = refusal(() => withHostSync(env, (s) => s.xs.directory('/fill'), { host: 'dmg' }));
    expect(e.kind).toBe('corrupt');
    expect(e.message).toMatch(new RegExp(`^xlsim: host 'dmg': ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is corrupted \\(.+\\); refusing to use it$`));
  });

  test('the CLI prints the one line and exits 1', () => {
    const home = tmp();
    const env = { XLSIM_HOME: home, XLSIM_CLOCK: 'manual' };
    createHost(env, 'lab', {});
    const f = path.join(home, 'hosts', 'lab.db');
    const db = new Database(f);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = sha(f);
    const r = runTool('xlsim', ['host', 'show', 'lab'], { env });
    expect(r).toEqual({
      stdout: '',
      stderr: `xlsim: host 'lab': ${f} was written by a newer xlsim (schema version ${SCHEMA_VERSION + 1}, this xlsim knows up to ${SCHEMA_VERSION}); refusing to use it\n`,
      code: 1,
    });
    expect(runTool('xenstore-ls', [], { env: { ...env, XLSIM_HOST: 'lab' } })).toMatchObject({ code: 1, stdout: '' });
    expect(sha(f)).toBe(before);
    expect(() => peekHost(env, 'lab')).toThrow(HostError);
  });
});
