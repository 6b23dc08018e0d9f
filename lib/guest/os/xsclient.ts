/**
 * The xenstore tools as run inside the guest (Debian's xen-utils package,
 * talking to /dev/xen/xenbus): same messages as tools/xs-clients, but every
 * access is checked with the guest's own permissions (a domain reads its
 * home /local/domain/<N>, not dom0's nodes). Relative paths are relative to
 * the domain's home, as xenstored resolves them for the connection.
 */
import type { XsErrno } from '../../xenstore/errno';
import { XS_STRERROR } from '../../xenstore/errno';

export type XsReadResult = { value: string } | { errno: XsErrno };
export type XsListResult = { names: string[] } | { errno: XsErrno };

export interface GuestXs {
  /** read with the guest's permissions; `path` is absolute */
  read(path: string): XsReadResult;
  /** directory listing with the guest's permissions; `path` is absolute */
  list(path: string): XsListResult;
}

export interface ToolResult {
  stdout: string;
  stderr: string;
  status: number;
}

function abs(domid: number, p: string): string {
  return p.startsWith('/') ? p : `/local/domain/${domid}/${p}`;
}

/** sanitise_value(): printable ASCII as is, the rest escaped */
function sanitise(v: string): string {
  let s = '';
  for (const ch of v) {
    const c = ch.charCodeAt(0);
    if (c >= 0x20 && c <= 0x7e && ch !== '\\') s += ch;
    else if (ch === '\t') s += '\\t';
    else if (ch === '\n') s += '\\n';
    else if (ch === '\r') s += '\\r';
    else if (ch === '\\') s += '\\\\';
    else s += '\\' + c.toString(8).padStart(3, '0');
  }
  return s;
}

export function xenstoreRead(xs: GuestXs, domid: number, args: string[]): ToolResult {
  let prefix = false;
  const paths: string[] = [];
  for (const a of args) {
    if (a === '-p') prefix = true;
    else if (a === '-R' || a === '-s') continue;
    else paths.push(a);
  }
  if (paths.length === 0) return { stdout: '', stderr: 'Usage: xenstore-read [-h] [-p] [-R] key [...]\n', status: 1 };
  let out = '';
  for (const p of paths) {
    const r = xs.read(abs(domid, p));
    if ('errno' in r) return { stdout: out, stderr: `xenstore-read: couldn't read path ${p}\n`, status: 1 };
    out += (prefix ? `${p}: ` : '') + sanitise(r.value) + '\n';
  }
  return { stdout: out, stderr: '', status: 0 };
}

export function xenstoreList(xs: GuestXs, domid: number, args: string[]): ToolResult {
  let prefix = false;
  const paths: string[] = [];
  for (const a of args) {
    if (a === '-p') prefix = true;
    else if (a === '-s') continue;
    else paths.push(a);
  }
  if (paths.length === 0) return { stdout: '', stderr: 'Usage: xenstore-list [-h] [-p] key [...]\n', status: 1 };
  let out = '';
  for (const p of paths) {
    const r = xs.list(abs(domid, p));
    if ('errno' in r) return { stdout: out, stderr: `xenstore-list: could not list path ${p}\n`, status: 1 };
    for (const n of r.names) out += (prefix ? `${p}/` : '') + n + '\n';
  }
  return { stdout: out, stderr: '', status: 0 };
}

/** xenstore-ls on a terminal 80 columns wide (max_width = cols - 2). */
export function xenstoreLs(xs: GuestXs, domid: number, args: string[], cols = 80): ToolResult {
  let full = false;
  let path = '/';
  for (const a of args) {
    if (a === '-f') full = true;
    else if (a === '-s') continue;
    else path = a;
  }
  const maxWidth = full ? Number.MAX_SAFE_INTEGER : cols - 2;
  const TAG_LEN = ' = "..."'.length;
  let out = '';
  const walk = (p: string, depth: number): string | null => {
    const l = xs.list(p);
    if ('errno' in l) {
      if (depth > 0 && l.errno === 'ENOENT') return null;
      return `xenstore-ls: xs_directory (${p}): ${XS_STRERROR[l.errno]}\n`;
    }
    for (const name of l.names) {
      const np = p + (p.endsWith('/') ? '' : '/') + name;
      let line: string;
      if (full) line = np;
      else line = ' '.repeat(depth) + name.slice(0, Math.max(0, maxWidth - TAG_LEN - depth));
      const v = xs.read(np);
      if ('errno' in v) line += ':';
      else {
        const sv = sanitise(v.value);
        if (maxWidth < line.length + v.value.length + TAG_LEN) line += ` = "${sv.slice(0, Math.max(0, maxWidth - TAG_LEN - line.length))}\\..."`;
        else line += ` = "${sv}"`;
      }
      out += line + '\n';
      const err = walk(np, depth + 1);
      if (err) return err;
    }
    return null;
  };
  const err = walk(abs(domid, path), 0);
  return err ? { stdout: out, stderr: err, status: 1 } : { stdout: out, stderr: '', status: 0 };
}
