/**
 * Node permissions (docs/misc/xenstore.txt). A node carries a list; the
 * first entry names the owner — who always has full access — and its flag
 * is what every other domain gets; later entries grant individual domains
 * r (read), w (write), b (both) or n (none). Written as "n0", "r5", ...
 */

export type XsPermFlag = 'n' | 'r' | 'w' | 'b';

export interface XsPerm {
  id: number;
  perm: XsPermFlag;
}

/** What a caller may do with a node. */
export interface XsAccess {
  read: boolean;
  write: boolean;
  /** may change permissions (the owner, or a privileged domain) */
  owner: boolean;
}

const PERM_RE = /^([nrwb])(\d+)$/;

export function parsePerm(s: string): XsPerm | undefined {
  const m = PERM_RE.exec(s);
  if (!m) return undefined;
  const id = Number(m[2]);
  if (id > 0xffff) return undefined;
  return { id, perm: m[1] as XsPermFlag };
}

/** Accepts ["n0", "r5"] or [{id, perm}] (or a mix). */
export function normalizePerms(perms: ReadonlyArray<XsPerm | string>): XsPerm[] | undefined {
  const out: XsPerm[] = [];
  for (const p of perms) {
    const q = typeof p === 'string' ? parsePerm(p) : p;
    if (!q || !Number.isInteger(q.id) || q.id < 0 || q.id > 0xffff || !'nrwb'.includes(q.perm)) return undefined;
    out.push({ id: q.id, perm: q.perm });
  }
  return out.length ? out : undefined;
}

export function formatPerm(p: XsPerm): string {
  return `${p.perm}${p.id}`;
}

/** "n0,r5": the storage form. */
export function formatPerms(ps: readonly XsPerm[]): string {
  return ps.map(formatPerm).join(',');
}

export function parsePermList(s: string): XsPerm[] {
  return normalizePerms(s.split(',')) ?? [{ id: 0, perm: 'n' }];
}

function flagAccess(f: XsPermFlag): { read: boolean; write: boolean } {
  return { read: f === 'r' || f === 'b', write: f === 'w' || f === 'b' };
}

/**
 * xenstored's perm_for_conn: privileged callers and the owner get
 * everything; otherwise the first later entry naming the caller decides,
 * else the owner entry's flag (the default for everyone).
 */
export const FULL_ACCESS: XsAccess = Object.freeze({ read: true, write: true, owner: true });

export function accessFor(perms: readonly XsPerm[], caller: number, privileged: boolean): XsAccess {
  if (privileged || perms[0]?.id === caller) return FULL_ACCESS;
  for (let i = 1; i < perms.length; i++) {
    if (perms[i]!.id === caller) return { ...flagAccess(perms[i]!.perm), owner: false };
  }
  return { ...flagAccess(perms[0]?.perm ?? 'n'), owner: false };
}
