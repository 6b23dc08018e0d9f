/**
 * Reusing a host's database connection across the commands of one process
 * (`xlsim shell`), opt-in. A separate `xl list` opens the database, checks
 * its identity and schema, prepares its statements and closes it again;
 * for a script of a thousand commands that is half the work. Each command
 * still runs its own BEGIN IMMEDIATE ... COMMIT, and SQLite shows every
 * transaction what other processes committed, so reuse changes no output.
 *
 * A cached connection is reused only if the file is still the one it was
 * opened on (same device and inode): `xlsim host rm` / `host create`
 * replace the file, and the next command then opens the new one. Off by
 * default: one-command processes gain nothing and keep their simple
 * open/close lifetime.
 */
import fs from 'node:fs';
import { HostDb, openHostDb } from './db';

/** A cached connection: close() hands it back instead of closing it. */
class CachedHostDb extends HostDb {
  inUse = true;

  constructor(
    from: HostDb,
    readonly dev: number,
    readonly ino: number,
  ) {
    super(from.db, from.hostName, from.file);
  }

  override close(): void {
    if (cache.get(this.file) !== this) {
      super.close();
      return;
    }
    // a process that ended mid-transaction would have had it rolled back
    if (this.db.open && this.db.inTransaction) {
      try {
        this.db.exec('ROLLBACK');
      } catch {
        // already rolled back by SQLite
      }
    }
    this.inUse = false;
  }

  reallyClose(): void {
    super.close();
  }
}

let enabled = false;
const cache = new Map<string, CachedHostDb>();

function identity(file: string): { dev: number; ino: number } | undefined {
  try {
    const st = fs.statSync(file);
    return { dev: st.dev, ino: st.ino };
  } catch {
    return undefined;
  }
}

/** Keep connections open between commands from now on (the shell calls this once). */
export function enableConnectionCache(): void {
  enabled = true;
}

/**
 * Close every idle cached connection. The shell calls this before a
 * command that may remove or replace host files (xlsim's own), so no
 * connection to a replaced file outlives it.
 */
export function flushConnectionCache(): void {
  for (const [file, h] of cache) {
    if (h.inUse) continue;
    cache.delete(file);
    h.reallyClose();
  }
}

/** Stop caching and close what is cached. */
export function disableConnectionCache(): void {
  enabled = false;
  flushConnectionCache();
}

/**
 * openHostDb, or the cached connection to the same file when caching is on.
 * The result is closed with its close() as always. A second open of a host
 * already in use (one command holding two handles) gets its own connection.
 */
export function acquireHostDb(hostName: string, file: string): HostDb {
  if (!enabled) return openHostDb(hostName, file);
  const cached = cache.get(file);
  const id = identity(file);
  if (cached && !cached.inUse) {
    if (id && id.dev === cached.dev && id.ino === cached.ino && cached.db.open && cached.hostName === hostName) {
      cached.inUse = true;
      return cached;
    }
    cache.delete(file);
    cached.reallyClose();
  } else if (cached) {
    return openHostDb(hostName, file);
  }
  const h = openHostDb(hostName, file);
  const opened = identity(file);
  if (!opened) return h;
  const c = new CachedHostDb(h, opened.dev, opened.ino);
  cache.set(file, c);
  return c;
}
