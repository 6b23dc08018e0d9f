/**
 * The xenstore as a domain sees it: xenstored's request semantics (read,
 * write, mkdir, rm, directory, get/set permissions) over a storage backend,
 * answered for one caller. Dom0 (the toolstack and the xenstore-* tools) is
 * privileged; a guest reading through its shell gets a view made with
 * `as(domid)` and is held to the node permissions.
 *
 * Transactions are implicit: every host command is one SQLite transaction,
 * so a sequence of writes is atomic as libxl's xs transactions are.
 * Failures come back as XsError values (C's NULL/false plus errno).
 */
import type { XsBackend, XsNodeData } from './backend';
import { XsError, type XsErrno } from './errno';
import { XENSTORE_PAYLOAD_MAX, canonicalize, joinPath, parentPath } from './path';
import { FULL_ACCESS, accessFor, normalizePerms, type XsAccess, type XsPerm } from './perms';

/** Per-domain limits of C xenstored (tools/xenstored/domain.c defaults). */
export const XS_QUOTA_NODE_SIZE = 2048;
export const XS_QUOTA_PERMS = 5;

const enc = new TextEncoder();
const dec = new TextDecoder();

export type XsValue = string | Uint8Array;

function bytes(v: XsValue): Uint8Array {
  return typeof v === 'string' ? enc.encode(v) : v;
}

export class XenStore {
  constructor(
    private readonly backend: XsBackend,
    /** the calling domain */
    readonly caller = 0,
    /** dom0 and other control domains: no permission checks */
    readonly privileged = caller === 0,
  ) {}

  /** The same store as `domid` sees it (unprivileged unless told). */
  as(domid: number, privileged = false): XenStore {
    return new XenStore(this.backend, domid, privileged);
  }

  // ---- request helpers -------------------------------------------------

  private canon(p: string, allowSpecial = false): string | XsError {
    if (Buffer.byteLength(p) + 1 > XENSTORE_PAYLOAD_MAX) return new XsError('E2BIG', p);
    return canonicalize(p, this.caller, this.privileged, allowSpecial) ?? new XsError('EINVAL', p);
  }

  private access(perms: readonly XsPerm[]): XsAccess {
    return accessFor(perms, this.caller, this.privileged);
  }

  /** A privileged caller may do anything, whatever the node's perms: they are not even read. */
  private nodeAccess(n: XsNodeData): XsAccess {
    return this.privileged ? FULL_ACCESS : accessFor(n.perms, this.caller, false);
  }

  /**
   * errno_from_parents: a missing node is ENOENT only to a caller allowed
   * (`want`) on its nearest existing ancestor; otherwise EACCES, so guests
   * learn nothing about trees they cannot see.
   */
  private missing(path: string, want: (a: XsAccess) => boolean): XsError {
    let p = path;
    while (p !== '/') {
      p = parentPath(p);
      const n = this.backend.get(p);
      if (n) return new XsError(want(this.nodeAccess(n)) ? 'ENOENT' : 'EACCES', path);
    }
    return new XsError('EACCES', path);
  }

  private nearestAncestor(path: string): { path: string; perms: XsPerm[] } | undefined {
    let p = path;
    while (p !== '/') {
      p = parentPath(p);
      const n = this.backend.get(p);
      if (n) return { path: p, perms: n.perms };
    }
    return undefined;
  }

  /** construct_node: create the missing chain, each inheriting its parent's perms. */
  private createChain(path: string, value: Uint8Array): XsError | undefined {
    const anc = this.nearestAncestor(path);
    if (!anc) return new XsError('EACCES', path);
    if (!this.access(anc.perms).write) return new XsError('EACCES', path);
    const inherited: XsPerm[] = anc.perms.map((p) => ({ ...p }));
    if (!this.privileged) inherited[0] = { id: this.caller, perm: inherited[0]!.perm };
    const rest = path.slice(anc.path === '/' ? 1 : anc.path.length + 1).split('/');
    let cur = anc.path;
    for (let i = 0; i < rest.length; i++) {
      cur = joinPath(cur, rest[i]!);
      this.backend.create(cur, i === rest.length - 1 ? value : new Uint8Array(0), inherited);
    }
    return undefined;
  }

  // ---- the requests ----------------------------------------------------

  readBytes(path: string): Uint8Array | XsError {
    const p = this.canon(path);
    if (p instanceof XsError) return p;
    const n = this.backend.get(p);
    if (!n) return this.missing(p, (a) => a.read);
    if (!this.nodeAccess(n).read) return new XsError('EACCES', p);
    return n.value;
  }

  read(path: string): string | XsError {
    if (this.privileged && this.backend.getText) {
      // no permission to check: the text straight from the backend
      const p = this.canon(path);
      if (p instanceof XsError) return p;
      const t = this.backend.getText(p);
      if (t !== undefined) return t;
    }
    const v = this.readBytes(path);
    return v instanceof XsError ? v : dec.decode(v);
  }

  /** read() or undefined on any error: the common "is it set?" question. */
  tryRead(path: string): string | undefined {
    const v = this.read(path);
    return v instanceof XsError ? undefined : v;
  }

  write(path: string, value: XsValue): XsError | undefined {
    const v = bytes(value);
    if (Buffer.byteLength(path) + 1 + v.length > XENSTORE_PAYLOAD_MAX) return new XsError('E2BIG', path);
    const p = this.canon(path);
    if (p instanceof XsError) return p;
    if (!this.privileged && v.length > XS_QUOTA_NODE_SIZE) return new XsError('ENOSPC', p);
    const n = this.backend.get(p);
    if (n) {
      if (!this.nodeAccess(n).write) return new XsError('EACCES', p);
      this.backend.setValue(p, v);
      return undefined;
    }
    return this.createChain(p, v);
  }

  /** Creates an empty node (and its parents); an existing node is fine. */
  mkdir(path: string): XsError | undefined {
    const p = this.canon(path);
    if (p instanceof XsError) return p;
    const n = this.backend.get(p);
    if (n) return this.nodeAccess(n).write ? undefined : new XsError('EACCES', p);
    return this.createChain(p, new Uint8Array(0));
  }

  /**
   * Removes a node and everything below it. Removing a node that does not
   * exist succeeds when its parent exists (xenstored's do_rm).
   */
  rm(path: string): XsError | undefined {
    const p = this.canon(path);
    if (p instanceof XsError) return p;
    const n = this.backend.get(p);
    if (!n) {
      const e = this.missing(p, (a) => a.write);
      if (e.errno === 'ENOENT' && this.backend.exists(parentPath(p))) return undefined;
      return e;
    }
    if (!this.nodeAccess(n).write) return new XsError('EACCES', p);
    if (p === '/') return new XsError('EINVAL', p);
    this.backend.removeTree(p);
    return undefined;
  }

  directory(path: string): string[] | XsError {
    const p = this.canon(path);
    if (p instanceof XsError) return p;
    const n = this.backend.get(p);
    if (!n) return this.missing(p, (a) => a.read);
    if (!this.nodeAccess(n).read) return new XsError('EACCES', p);
    return this.backend.children(p);
  }

  getPerms(path: string): XsPerm[] | XsError {
    const p = this.canon(path, true);
    if (p instanceof XsError) return p;
    const n = this.backend.get(p);
    if (!n) return this.missing(p, (a) => a.read);
    if (!this.nodeAccess(n).read) return new XsError('EACCES', p);
    return n.perms.map((x) => ({ ...x }));
  }

  setPerms(path: string, perms: ReadonlyArray<XsPerm | string>): XsError | undefined {
    const ps = normalizePerms(perms);
    if (!ps) return new XsError('EINVAL', path);
    if (!this.privileged && ps.length > XS_QUOTA_PERMS) return new XsError('ENOSPC', path);
    const p = this.canon(path, true);
    if (p instanceof XsError) return p;
    const n = this.backend.get(p);
    if (!n) return this.missing(p, (a) => a.write || a.owner);
    const a = this.nodeAccess(n);
    if (!a.write || !a.owner) return new XsError('EACCES', p);
    if (!this.privileged && ps[0]!.id !== n.perms[0]!.id) return new XsError('EPERM', p);
    this.backend.setPerms(p, ps);
    return undefined;
  }

  exists(path: string): boolean {
    return !(this.readBytes(path) instanceof XsError);
  }

  // ---- toolstack conveniences (libxl__xs_* helpers) ----------------------

  /** Writes a value and sets the node's permissions (libxl's writev_perms). */
  writePerms(path: string, value: XsValue, perms: ReadonlyArray<XsPerm | string>): XsError | undefined {
    return this.write(path, value) ?? this.setPerms(path, perms);
  }

  /** Creates a directory node with the given permissions. */
  mkdirPerms(path: string, perms: ReadonlyArray<XsPerm | string>): XsError | undefined {
    return this.mkdir(path) ?? this.setPerms(path, perms);
  }

  /**
   * Writes `dir/key = value` for each entry, in order; with `perms`, each
   * written node gets them. Stops at the first failure.
   */
  writeAll(dir: string, entries: Record<string, XsValue> | ReadonlyArray<readonly [string, XsValue]>, perms?: ReadonlyArray<XsPerm | string>): XsError | undefined {
    const list = Array.isArray(entries) ? (entries as ReadonlyArray<readonly [string, XsValue]>) : Object.entries(entries as Record<string, XsValue>);
    for (const [k, v] of list) {
      const p = joinPath(dir, k);
      const e = perms ? this.writePerms(p, v, perms) : this.write(p, v);
      if (e) return e;
    }
    return undefined;
  }
}

export type { XsErrno };
