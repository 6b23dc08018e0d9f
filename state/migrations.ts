/**
 * Numbered schema migrations. The database's `user_version` is the number
 * of the last one applied; a program never opens a database whose version
 * is higher than the last entry here (it was written by a newer xlsim).
 * Append only: never edit a migration that has shipped.
 */

export interface Migration {
  version: number;
  what: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    what: 'host records, domains, xenstore, event queue, event log, consoles',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      -- host-level records (clock, rng, profile, and the hypervisor's own), JSON
      CREATE TABLE records (key TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID;
      -- one opaque JSON record per domain, owned by the hypervisor model
      CREATE TABLE domains (domid INTEGER PRIMARY KEY, data TEXT NOT NULL);
      -- xenstore: id orders siblings by creation, as xenstored's child lists do
      CREATE TABLE xs_nodes (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        parent TEXT,
        name TEXT NOT NULL,
        value BLOB NOT NULL,
        perms TEXT NOT NULL
      );
      CREATE INDEX xs_nodes_parent ON xs_nodes (parent, id);
      -- pending events; seq never reused so the order of equal times is stable
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        domid INTEGER,
        payload TEXT NOT NULL
      );
      CREATE INDEX events_due ON events (at, seq);
      CREATE INDEX events_domid ON events (domid);
      -- what happened, for xlsim events
      CREATE TABLE event_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        domid INTEGER,
        kind TEXT NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX event_log_domid ON event_log (domid, id);
      -- console rings and other per-domain byte buffers, by name
      CREATE TABLE buffers (
        domid INTEGER NOT NULL,
        name TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (domid, name)
      ) WITHOUT ROWID;
      INSERT INTO xs_nodes (path, parent, name, value, perms) VALUES
        ('/', NULL, '', x'', 'n0'),
        ('/tool', '/', 'tool', x'', 'n0'),
        ('/tool/xenstored', '/tool', 'xenstored', x'', 'n0'),
        ('@releaseDomain', NULL, '@releaseDomain', x'', 'n0'),
        ('@introduceDomain', NULL, '@introduceDomain', x'', 'n0');
    `,
  },
  {
    version: 2,
    what: "an index of the xenstore nodes called 'name', with their values",
    // libxl reads /local/domain/<id>/name for every domain in most commands
    // (libxl_domid_to_name, libxl_name_to_domid): from the path index and
    // the table that is two scattered pages a domain, from this partial
    // covering index a few pages for a thousand domains (state/xsbackend.ts)
    sql: `
      CREATE INDEX xs_nodes_names ON xs_nodes (path, value) WHERE name = 'name';
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
