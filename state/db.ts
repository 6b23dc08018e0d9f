/**
 * Opening a host database. The only module (with its siblings in state/)
 * that touches SQLite.
 *
 * - WAL: readers never wait for the writer; one writer at a time.
 * - busy timeout of 15 s plus retries: a second command waits for the lock
 *   rather than failing with SQLITE_BUSY (real xl serialises on /var/lock/xl).
 * - The file header identifies us (application_id) and the schema
 *   (user_version). Both are read before anything is written, so a foreign,
 *   newer or damaged file is refused untouched.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { nativeBinding as seaBinding } from './native';
import { nodeRequire } from './builtin';
import { HostError, corruptError, isBusyError, isCorruptionError, translateDbError } from './errors';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { killPointsArmed, testKillPoint } from './testkill';

type Db = Database.Database;
type Stmt = Database.Statement;

/** "XlSi" */
export const XLSIM_APP_ID = 0x586c5369;
export const BUSY_TIMEOUT_MS = 15_000;
/** total time a command keeps retrying a busy lock before giving up */
const BUSY_GIVE_UP_MS = 120_000;

let addonCache: object | undefined;


/**
 * better-sqlite3's native addon, loaded directly: the package's JS is
 * bundled into our single file (a dozen fewer module loads on every
 * command), so its `bindings` lookup is bypassed. Inside a single
 * executable the addon comes from the embedded asset.
 */
const ADDON = 'better-sqlite3/build/Release/better_sqlite3.node';

/**
 * The addon where a checkout or a plain install has it (the bundle in dist/
 * and this file in state/ both sit one level below the package root),
 * opened with dlopen directly; else wherever Node's resolution finds it (a
 * hoisted install). The direct path skips the module resolver's walk, a
 * measurable part of a command's start-up.
 */
function loadAddonFromNodeModules(): object {
  // in the bundle __filename is dist/<bundle>.cjs (load.cjs passes it); the
  // ESM sources under test have only import.meta.url (a URL costs ~0.7 ms
  // to set up on first use, so the bundle avoids it)
  const here = typeof __filename === 'string' ? path.dirname(__filename) : path.dirname(fileURLToPath(import.meta.url));
  const mod = { exports: {} as object };
  try {
    process.dlopen(mod, path.join(here, '..', 'node_modules', ADDON));
    return mod.exports;
  } catch {
    const req = nodeRequire() as NodeJS.Require;
    return req(req.resolve(ADDON)) as object;
  }
}

function sqliteAddon(): string {
  if (!addonCache) {
    const sea = seaBinding();
    if (sea) addonCache = sea as unknown as object;
    else {
      addonCache = loadAddonFromNodeModules();
    }
  }
  // @types/better-sqlite3 declares only the path form; the addon object is accepted too
  return addonCache as unknown as string;
}

export class HostDb {
  private readonly stmts = new Map<string, Stmt>();

  constructor(
    readonly db: Db,
    readonly hostName: string,
    readonly file: string,
  ) {}

  /** A prepared statement, prepared once per connection. */
  stmt(sql: string): Stmt {
    if (killPointsArmed) testKillPoint('stmt');
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Blocks the thread (the whole process is one command). */
export function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `fn`, retrying while SQLite reports the database busy (cases the
 * busy handler does not cover, such as WAL recovery by another process).
 */
export function retryBusy<T>(hostName: string, fn: () => T): T {
  const start = Date.now();
  let delay = 5;
  for (;;) {
    try {
      return fn();
    } catch (e) {
      if (!isBusyError(e)) throw e;
      if (Date.now() - start > BUSY_GIVE_UP_MS) {
        throw new HostError('busy', `xlsim: host '${hostName}' is busy: another command has held its lock for over ${BUSY_GIVE_UP_MS / 1000} s`);
      }
      sleepMs(delay);
      delay = Math.min(delay * 2, 200);
    }
  }
}

function tune(db: Db): void {
  // The crash model is a killed process, not a power cut: the OS keeps what
  // SQLite wrote, and WAL makes every commit atomic. So no fsync at all —
  // it would cost more than the rest of an `xl list` (checkpoint on close).
  // (exec: the same statement as db.pragma() without its JS wrapping)
  db.exec('PRAGMA synchronous = OFF');
}

/** Opens an existing host database, migrating an older schema forward. */
export function openHostDb(hostName: string, file: string): HostDb {
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS, nativeBinding: sqliteAddon() });
  } catch (e) {
    if (isCorruptionError(e)) throw corruptError(hostName, file, e);
    throw new HostError('io', `xlsim: host '${hostName}': cannot open ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const [appId, version] = retryBusy(hostName, () => [db.pragma('application_id', { simple: true }), db.pragma('user_version', { simple: true })] as const);
    if (appId !== XLSIM_APP_ID) {
      throw new HostError('foreign', `xlsim: host '${hostName}': ${file} is not an xlsim host database; refusing to use it`);
    }
    if (typeof version !== 'number' || version > SCHEMA_VERSION) {
      throw new HostError(
        'newer',
        `xlsim: host '${hostName}': ${file} was written by a newer xlsim (schema version ${String(version)}, this xlsim knows up to ${SCHEMA_VERSION}); refusing to use it`,
      );
    }
    tune(db);
    const h = new HostDb(db, hostName, file);
    if (version < SCHEMA_VERSION) migrate(h);
    return h;
  } catch (e) {
    db.close();
    throw translateDbError(hostName, file, e);
  }
}

/** Creates a fresh database at `file` (which must not exist) at the current schema. */
export function createHostDb(hostName: string, file: string): HostDb {
  let db: Db | undefined;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS, nativeBinding: sqliteAddon() });
    db.pragma('journal_mode = WAL');
    db.pragma(`application_id = ${XLSIM_APP_ID}`);
    tune(db);
    const h = new HostDb(db, hostName, file);
    migrate(h);
    return h;
  } catch (e) {
    db?.close();
    if (e instanceof HostError) throw e;
    throw new HostError('io', `xlsim: cannot create host '${hostName}' at ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function migrate(h: HostDb): void {
  const { db } = h;
  retryBusy(h.hostName, () => db.exec('BEGIN IMMEDIATE'));
  try {
    // Another process may have migrated while we waited for the lock.
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new HostError('newer', `xlsim: host '${h.hostName}': ${h.file} was written by a newer xlsim (schema version ${current}, this xlsim knows up to ${SCHEMA_VERSION}); refusing to use it`);
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    const put = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    put.run('app', 'xlsim');
    put.run('schema_version', String(SCHEMA_VERSION));
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}
