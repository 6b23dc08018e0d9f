/**
 * Storage under the store. state/ implements it over SQLite (one row per
 * node, indexed by path and by parent), lib/xenstore/memory.ts in memory for
 * tests. The store never loads the whole tree: every operation names paths.
 *
 * Children are listed in creation order, as C xenstored keeps them (it
 * appends a new child's name to the parent's child list and removes it on
 * delete), so `xenstore-ls` shows nodes in the order libxl wrote them.
 */
import type { XsPerm } from './perms';

export interface XsNodeData {
  value: Uint8Array;
  perms: XsPerm[];
}

export interface XsBackend {
  get(path: string): XsNodeData | undefined;
  /**
   * The node's value decoded as UTF-8 text (as TextDecoder does: bad bytes
   * become U+FFFD, a leading byte-order mark is dropped), or undefined if
   * there is no such node. Optional: where a backend has it, a privileged
   * read takes this path, which spares making the bytes first (SQLite
   * decodes the value itself: `xl list` reads a thousand names).
   */
  getText?(path: string): string | undefined;
  exists(path: string): boolean;
  /** names of the children, in creation order */
  children(path: string): string[];
  /** Adds a node whose parent exists; it becomes the parent's last child. */
  create(path: string, value: Uint8Array, perms: readonly XsPerm[]): void;
  setValue(path: string, value: Uint8Array): void;
  setPerms(path: string, perms: readonly XsPerm[]): void;
  /** Removes the node and all its descendants; returns how many nodes went. */
  removeTree(path: string): number;
}
