/**
 * xenstore-read, -write, -rm, -list, -ls: twins of
 * tools/xs-clients/xenstore_client.c, run as dom0 on the current host.
 *
 * Output discipline follows the C tool: read and list collect their output
 * and write it after the (implicit) transaction ends — also after a failed
 * key, so earlier values still appear; ls prints as it walks. A failing
 * write or rm aborts the transaction, so nothing of the command persists.
 */
import { ctxInSession, installHostHooks } from '../../lib/libxl/compose';
import { controlNodeWritten } from '../../lib/libxl/pvcontrol';
import { nullXtl } from '../../lib/util/xtl';
import { isHostError, withHost, type Session } from '../../state/session';
import { XsError } from '../../lib/xenstore/errno';
import { formatPerm } from '../../lib/xenstore/perms';
import type { XenStore } from '../../lib/xenstore/store';
import { Exit, type Io } from '../io';
import { xsGetopt, type XsLongOpt } from './getopt';
import { sanitise, unsanitise } from './sanitise';

type Mode = 'read' | 'write' | 'rm' | 'list' | 'ls';

const LONG_OPTS: readonly XsLongOpt[] = [
  { name: 'help', hasArg: false, val: 'h' },
  { name: 'flat', hasArg: false, val: 'f' },
  { name: 'prefix', hasArg: false, val: 'p' },
  { name: 'tidy', hasArg: false, val: 't' },
  { name: 'upto', hasArg: false, val: 'u' },
  { name: 'recurse', hasArg: false, val: 'r' },
  { name: 'number', hasArg: true, val: 'n' },
  { name: 'raw', hasArg: false, val: 'R' },
];

const USAGE: Record<Mode, string> = {
  read: '[-h] [-p] [-R] key [...]',
  write: '[-h] [-R] key value [...]',
  rm: '[-h] [-t] key [...]',
  list: '[-h] [-p] key [...]',
  ls: '[-h] [-f] [-p] [path]',
};

interface Flags {
  prefix: boolean;
  tidy: boolean;
  raw: boolean;
  flat: boolean;
}

/** errx(3): "<prog>: <text>" on stderr, exit status. */
function errx(io: Io, prog: string, code: number, text: string): never {
  io.stderr.write(`${prog}: ${text}\n`);
  throw new Exit(code);
}

function usage(io: Io, prog: string, mode: Mode): never {
  errx(io, prog, 1, `Usage: ${prog} ${USAGE[mode]}`);
}

export async function xenstoreMain(name: string, io: Io, args: string[]): Promise<number> {
  // A first use creates the default host: it must boot with dom0 in it.
  installHostHooks();
  const mode = name.replace(/^xenstore-/, '');
  if (!['read', 'write', 'rm', 'list', 'ls'].includes(mode)) errx(io, name, 1, `unknown mode ${mode}\n`);
  const m = mode as Mode;
  const flags: Flags = { prefix: false, tidy: false, raw: false, flat: false };
  const parsed = xsGetopt(name, args, 'hfspturn:R', LONG_OPTS);
  for (const ev of parsed.events) {
    if ('complaint' in ev) {
      io.stderr.write(ev.complaint);
      continue;
    }
    switch (ev.opt) {
      case 'h':
        usage(io, name, m);
      case 'f':
        if (m !== 'ls') usage(io, name, m);
        flags.flat = true;
        break;
      case 'p':
        if (m !== 'read' && m !== 'list' && m !== 'ls') usage(io, name, m);
        flags.prefix = true;
        break;
      case 't':
        if (m !== 'rm') usage(io, name, m);
        flags.tidy = true;
        break;
      case 'u':
      case 'r':
      case 'n':
        // chmod and watch options: no such mode among these tools.
        usage(io, name, m);
      case 'R':
        if (m !== 'read' && m !== 'write') usage(io, name, m);
        flags.raw = true;
        break;
      default:
        // '-s' is in the option string but does nothing.
        break;
    }
  }
  const ops = parsed.operands;
  if (m === 'write' && ops.length % 2 === 1) usage(io, name, m);
  if (m !== 'ls' && ops.length === 0) usage(io, name, m);

  // read and list print after the transaction, as the C tool's output buffer does.
  const chunks: Buffer[] = [];
  const emit = (x: string | Uint8Array) => chunks.push(typeof x === 'string' ? Buffer.from(x, 'latin1') : Buffer.from(x));
  let status: number;
  try {
    status = await withHost(io.env, (s: Session) => {
      const xs = s.xs;
      let ret = 0;
      switch (m) {
        case 'read':
          ret = doRead(io, name, xs, ops, flags, emit);
          break;
        case 'list':
          ret = doList(io, name, xs, ops, flags, emit);
          break;
        case 'write':
          ret = doWrite(io, name, xs, ops, flags, (path) => ctxInSession(s, nullXtl, (lx) => controlNodeWritten(lx, path)));
          break;
        case 'rm':
          ret = doRm(io, name, xs, ops, flags);
          break;
        case 'ls':
          doLs(io, name, xs, ops.length ? ops : ['/'], flags);
          break;
      }
      // A failed write or rm aborts the xenstore transaction.
      if (ret !== 0 && (m === 'write' || m === 'rm')) s.discard();
      return ret;
    });
  } catch (e) {
    if (isHostError(e)) {
      io.stderr.write(`${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
  if (chunks.length) io.stdout.write(Buffer.concat(chunks));
  return status;
}

function warnx(io: Io, prog: string, text: string): void {
  io.stderr.write(`${prog}: ${text}\n`);
}

function doRead(io: Io, prog: string, xs: XenStore, keys: string[], f: Flags, emit: (s: string | Uint8Array) => void): number {
  for (const k of keys) {
    const v = xs.readBytes(k);
    if (v instanceof XsError) {
      warnx(io, prog, `couldn't read path ${k}`);
      return 1;
    }
    if (f.prefix) emit(`${latin1(k)}: `);
    if (f.raw) emit(v);
    else emit(`${sanitise(v)}\n`);
  }
  return 0;
}

/** Paths are ASCII when valid; an invalid one is echoed byte for byte. */
function latin1(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

function doList(io: Io, prog: string, xs: XenStore, keys: string[], f: Flags, emit: (s: string) => void): number {
  for (const k of keys) {
    const names = xs.directory(k);
    if (names instanceof XsError) {
      warnx(io, prog, `could not list path ${k}`);
      return 1;
    }
    for (const n of names) emit(`${f.prefix ? `${latin1(k)}/` : ''}${n}\n`);
  }
  return 0;
}

/** `written`: the guests' watches on what was written fire (control/shutdown, control/sysrq) */
function doWrite(io: Io, prog: string, xs: XenStore, ops: string[], f: Flags, written: (path: string) => void): number {
  for (let i = 0; i < ops.length; i += 2) {
    const path = ops[i]!;
    const spec = ops[i + 1]!;
    const val = f.raw ? Buffer.from(spec, 'utf8') : unsanitise(spec);
    if (xs.write(path, val)) {
      warnx(io, prog, `could not write path ${path}`);
      return 1;
    }
    written(path);
  }
  return 0;
}

function doRm(io: Io, prog: string, xs: XenStore, keys: string[], f: Flags): number {
  for (const k of keys) {
    let path = k;
    for (;;) {
      if (xs.rm(path)) {
        warnx(io, prog, `could not remove path ${path}`);
        return 1;
      }
      if (!f.tidy) break;
      // -t: climb while the parent is an empty, childless node.
      const slash = path.lastIndexOf('/');
      if (slash < 0) break;
      path = path.slice(0, slash);
      const v = xs.readBytes(path);
      if (v instanceof XsError || v.length !== 0) break;
      const children = xs.directory(path);
      if (children instanceof XsError || children.length !== 0) break;
    }
  }
  return 0;
}

const TAG_LEN = ' = "..."'.length;

/** printf's "%.*s": a negative precision means no limit. */
function prec(s: string, p: number): string {
  return p < 0 ? s : s.slice(0, p);
}

function doLs(io: Io, prog: string, xs: XenStore, paths: string[], f: Flags): void {
  // The C tool sizes lines to the terminal (ws_col - 2) when stdout is one,
  // even with -f; otherwise 80 columns, unlimited with -f.
  let maxWidth = f.flat ? Math.floor(0x7fffffff / 2) : 80;
  const desiredWidth = f.flat ? 0 : 60;
  if (io.stdout.isTTY) maxWidth = (process.stdout.columns ?? 80) - 2;
  // stdio's buffering: by line on a terminal, else in 64 KiB blocks (so with
  // 2>&1 an error lands before the listing that preceded it, as in C).
  let pending: string[] = [];
  let pendingLen = 0;
  const flush = () => {
    if (pendingLen) io.stdout.write(Buffer.from(pending.join(''), 'latin1'));
    pending = [];
    pendingLen = 0;
  };
  const w = (s: string) => {
    pending.push(s);
    pendingLen += s.length;
    if (pendingLen >= 65536 || io.stdout.isTTY) flush();
  };

  const walk = (path: string, depth: number): void => {
    const names = xs.directory(path);
    if (names instanceof XsError) {
      if (depth > 0 && names.errno === 'ENOENT') return;
      // err(3): the message, then strerror(errno).
      io.stderr.write(`${prog}: xs_directory (${latin1(path)}): ${names.message}\n`);
      throw new Exit(1);
    }
    for (const n of names) {
      const full = path.endsWith('/') ? `${path}${n}` : `${path}/${n}`;
      let linewid = 0;
      let line = '';
      if (f.flat) {
        line += latin1(full);
      } else {
        line += ' '.repeat(depth);
        linewid = depth;
        const shown = prec(n, maxWidth - TAG_LEN - linewid);
        line += shown;
        linewid += shown.length;
      }
      const val = xs.readBytes(full);
      if (val instanceof XsError) {
        line += ':\n';
      } else {
        const text = sanitise(val);
        if (maxWidth < linewid + val.length + TAG_LEN) {
          line += ` = "${prec(text, maxWidth - TAG_LEN - linewid)}\\..."`;
        } else {
          const part = ` = "${text}"`;
          line += part;
          linewid += part.length;
          if (f.prefix) {
            line += ' ';
            for (linewid++; linewid < Math.min(desiredWidth, maxWidth); linewid++) line += linewid & 1 ? '.' : ' ';
          }
        }
      }
      if (f.prefix) {
        const perms = xs.getPerms(full);
        if (perms instanceof XsError) {
          w(line);
          line = '';
          io.stderr.write(`${prog}: \ncould not access permissions for ${n}: ${perms.message}\n`);
        } else {
          line += `  (${perms.map(formatPerm).join(',')})`;
        }
      }
      w(`${line}\n`);
      walk(full, depth + 1);
    }
  };
  try {
    for (const p of paths) walk(p, 0);
  } finally {
    flush();
  }
}
