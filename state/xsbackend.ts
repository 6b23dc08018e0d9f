/**
 * The xenstore's nodes in SQLite: one row per node. A lookup is one
 * indexed query by path, a listing one range over (parent, id) — the tree
 * is never loaded whole, so a host with a thousand domains answers as fast
 * as one with two.
 */
import type { XsBackend, XsNodeData } from '../lib/xenstore/backend';
import { baseName, parentPath } from '../lib/xenstore/path';
import { formatPerms, parsePermList, type XsPerm } from '../lib/xenstore/perms';
import type { HostDb } from './db';

interface Row {
  value: Buffer;
  perms: string;
}

/**
 * A node as read: its perms are parsed only when asked for (a privileged
 * caller, dom0 and so every xl command, never asks), and the value is the
 * Buffer SQLite returned (a Uint8Array already).
 */
class StoredNode implements XsNodeData {
  private parsed: XsPerm[] | undefined;
  constructor(
    readonly value: Uint8Array,
    private readonly rawPerms: string,
  ) {}

  get perms(): XsPerm[] {
    return (this.parsed ??= parsePermList(this.rawPerms));
  }
}

export class SqliteXsBackend implements XsBackend {
  constructor(private readonly h: HostDb) {}

  get(path: string): XsNodeData | undefined {
    const r = this.h.stmt('SELECT value, perms FROM xs_nodes WHERE path = ?').get(path) as Row | undefined;
    return r && new StoredNode(r.value, r.perms);
  }

  getText(path: string): string | undefined {
    // a node called "name" is found in the small index of those (migration
    // 2), which holds its value; SQLite's planner, knowing path unique,
    // would take the path index and then the table, hence INDEXED BY
    const sql = path.endsWith('/name')
      ? "SELECT CAST(value AS TEXT) FROM xs_nodes INDEXED BY xs_nodes_names WHERE path = ? AND name = 'name'"
      : 'SELECT CAST(value AS TEXT) FROM xs_nodes WHERE path = ?';
    const t = this.h.stmt(sql).pluck().get(path) as string | undefined;
    // TextDecoder (the store's decoding of bytes) drops a byte-order mark
    return t !== undefined && t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
  }

  exists(path: string): boolean {
    return this.h.stmt('SELECT 1 FROM xs_nodes WHERE path = ?').get(path) !== undefined;
  }

  children(path: string): string[] {
    return this.h
      .stmt('SELECT name FROM xs_nodes WHERE parent = ? ORDER BY id')
      .pluck()
      .all(path) as string[];
  }

  create(path: string, value: Uint8Array, perms: readonly XsPerm[]): void {
    this.h.stmt('INSERT INTO xs_nodes (path, parent, name, value, perms) VALUES (?, ?, ?, ?, ?)').run(path, parentPath(path), baseName(path), Buffer.from(value), formatPerms(perms));
  }

  setValue(path: string, value: Uint8Array): void {
    this.h.stmt('UPDATE xs_nodes SET value = ? WHERE path = ?').run(Buffer.from(value), path);
  }

  setPerms(path: string, perms: readonly XsPerm[]): void {
    this.h.stmt('UPDATE xs_nodes SET perms = ? WHERE path = ?').run(formatPerms(perms), path);
  }

  removeTree(path: string): number {
    if (path === '/') return 0;
    // Descendants are exactly the paths in [path + "/", path + "0"): '0' follows '/'.
    const r = this.h.stmt('DELETE FROM xs_nodes WHERE path = ? OR (path >= ? AND path < ?)').run(path, `${path}/`, `${path}0`);
    return r.changes;
  }
}
