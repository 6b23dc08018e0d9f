/**
 * `xl console`: twin of main_console in tools/xl/xl_console.c, with the
 * xenconsole client it execs (tools/console/client/main.c) folded in:
 * option checks, the per-domain lock, the wait for the tty node, raw mode,
 * the escape character, and the copy loop between the terminal and the
 * guest's console — over short host transactions, so the host stays free
 * for other commands while someone watches a console.
 *
 * Deviation, on purpose: real xenconsole ignores stdin unless both stdin
 * and stdout are terminals. Here piped input is typed into the guest, and
 * once it is used up the client leaves as soon as the guest has nothing
 * left to do, so `echo poweroff | xl console d` works in scripts.
 */
import { Exit } from '../io';
import { openHost } from '../../state/session';
import { ctxInSession } from '../../lib/libxl/compose';
import { consoleDrain, consoleLock, consoleUnlock, resolveConsole, type ConsoleType } from '../../lib/libxl/console';
import { GuestGlue } from '../../lib/libxl/guest_glue';
import { libxlLog, where } from '../../lib/libxl/log';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import type { XlContext } from './context';
import { findDomain } from './find_domain';
import { switchForeachOpt } from './opts';
import { withLibxl } from './libxl_session';

/** Ctrl-] */
const DEFAULT_ESCAPE = 0x1d;
const POLL_MS = 50;
const TTY_WAIT_MS = 5000;
const EINVAL = 22;

export interface ConsoleRequest {
  domid: number;
  type: ConsoleType | undefined;
  num: number;
  escape: number;
}

/** xenconsole's --escape: "^X" is a control character, one plain char is itself. */
export function parseEscape(arg: string): number | undefined {
  const b = Buffer.from(arg, 'latin1');
  if (b.length === 2 && b[0] === 0x5e) return b[1]! & 0x1f;
  if (b.length === 1) return b[0]!;
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function mainConsole(ctx: XlContext, argv: string[]): Promise<number> {
  const p = switchForeachOpt(ctx, argv.slice(1), 'n:t:e:', null, 'console', 1);
  let type: ConsoleType | undefined;
  let num = 0;
  let escapeArg: string | undefined;
  for (const o of p.opts) {
    if (o.opt === 't') {
      if (o.arg === 'pv' || o.arg === 'serial' || o.arg === 'vuart') type = o.arg;
      else {
        ctx.io.stderr.write('console type supported are: pv, serial, vuart\n');
        return 1;
      }
    } else if (o.opt === 'n') {
      const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(o.arg ?? '');
      num = m ? Number(m[1]) : 0;
    } else if (o.opt === 'e') escapeArg = o.arg;
  }
  const domid = withLibxl(ctx, (lx) => {
    const id = findDomain(ctx, lx, p.args[0]!);
    // libxl_primary_console_exec needs the domain's type first
    if (type === undefined && !lx.hv.getdomaininfo(id).ok) {
      libxlLog(lx.xtl, 'error', where('libxl_dom.c', 37, 'libxl__domain_type'), id, 'unable to get dominfo', 'No such process');
      ctx.io.stderr.write('Unable to attach console\n');
      throw new Exit(1);
    }
    return id;
  });
  return consoleClient(ctx, { domid, type, num, escape: DEFAULT_ESCAPE }, escapeArg);
}

/** The xenconsole half: also what `xl create -c` runs once the domain exists. */
export async function consoleClient(ctx: XlContext, req: ConsoleRequest, escapeArg?: string): Promise<number> {
  let escape = req.escape;
  if (escapeArg !== undefined) {
    const e = parseEscape(escapeArg);
    if (e === undefined) {
      ctx.io.stderr.write('Invalid escape argument\n');
      return EINVAL;
    }
    escape = e;
  }
  if (req.domid === 0) {
    ctx.io.stderr.write("Can't specify Domain-0\n");
    return EINVAL;
  }
  const h = openHost(ctx.io.env);
  const txn = <T>(fn: (lx: LibxlCtx) => T): T => h.txnSync((s) => ctxInSession(s, ctx.logger, fn));
  let locked = false;
  try {
    const pid = process.pid;
    const where = txn((lx) => {
      const c = resolveConsole(lx, req.domid, req.type, req.num);
      if (!consoleLock(lx, req.domid, pid, alive)) return undefined;
      return c;
    });
    if (!where) {
      ctx.io.stderr.write(`xenconsole: Could not lock /var/lock/xenconsole.${req.domid}: Resource temporarily unavailable\n`);
      return 11;
    }
    locked = true;
    // xenconsoled may not have written the tty yet: wait up to 5 s for it
    const t0 = Date.now();
    for (;;) {
      const tty = txn((lx) => lx.xs.tryRead(where.path));
      if (tty) break;
      if (Date.now() - t0 >= TTY_WAIT_MS) {
        ctx.io.stderr.write('xenconsole: Could not read tty from store: No such file or directory\n');
        return 2;
      }
      await sleep(100);
    }
    // A manual clock moves only when told: the watcher of a console moves it
    // to the next thing due, so a boot or a shutdown plays out in order.
    let manual = true;
    const advanceManual = () =>
      manual &&
      h.txnSync((s) => {
        manual = s.clock.mode === 'manual';
        const next = manual ? s.events.next() : undefined;
        if (!next) return false;
        s.clock.advanceTo(Math.max(next.at, s.clock.now()));
        return true;
      });
    return await copyLoop(ctx, req.domid, where.type, where.num, where.path, escape, txn, advanceManual);
  } finally {
    if (locked) {
      try {
        txn((lx) => consoleUnlock(lx, req.domid, process.pid));
      } catch {
        // the host may be gone (xlsim host rm): nothing left to unlock
      }
    }
    h.close();
  }
}

type Txn = <T>(fn: (lx: LibxlCtx) => T) => T;

/**
 * The guest's text as the bytes its terminal sends: one char per byte as
 * the guest handles them (echoed keystrokes stay the bytes typed), and
 * UTF-8 for what the OS writes beyond that (GRUB's arrows).
 */
export function ttyBytes(text: string): Buffer {
  if (!/[^\x00-\xff]/.test(text)) return Buffer.from(text, 'latin1');
  const parts: Buffer[] = [];
  let run = '';
  for (const ch of text) {
    if (ch.codePointAt(0)! <= 0xff) run += ch;
    else {
      if (run) parts.push(Buffer.from(run, 'latin1'));
      run = '';
      parts.push(Buffer.from(ch, 'utf8'));
    }
  }
  if (run) parts.push(Buffer.from(run, 'latin1'));
  return Buffer.concat(parts);
}

async function copyLoop(
  ctx: XlContext,
  domid: number,
  type: ConsoleType,
  num: number,
  path: string,
  escape: number,
  txn: Txn,
  advanceManual: () => boolean,
): Promise<number> {
  const stdin = ctx.io.stdin;
  const interactive = stdin.isTTY === true && ctx.io.stdout.isTTY;
  const input: Buffer[] = [];
  let eof = false;
  let detach = false;
  let signalled: number | undefined;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onData = (b: Buffer) => {
    // the escape character counts only as a read of its own
    if (interactive && b.length === 1 && b[0] === escape) detach = true;
    else input.push(b);
    poke();
  };
  const onEnd = () => {
    eof = true;
    poke();
  };
  const onSig = (code: number) => () => {
    signalled = code;
    poke();
  };
  const onInt = onSig(130);
  const onTerm = onSig(0);
  if (interactive) stdin.setRawMode(true);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  stdin.on('data', onData);
  stdin.on('end', onEnd);
  stdin.on('error', onEnd);
  stdin.resume();
  try {
    const tty = type === 'serial' ? 'serial' : 'pv';
    for (;;) {
      const typed = input.length ? Buffer.concat(input.splice(0)).toString('latin1') : '';
      const r = txn((lx) => {
        const glue = new GuestGlue(() => lx);
        const d = lx.hv.getdomaininfo(domid);
        // xenconsoled drops the pty when the domain dies: the client leaves quietly
        if (!d.ok || d.value.dying || lx.xs.tryRead(path) === undefined) return { gone: true, out: '', quiet: true };
        if (typed && type !== 'vuart') glue.consoleInput(domid, tty, typed);
        const out = consoleDrain(lx, domid, type, num);
        const quiet = glue.osQuiet(domid);
        return { gone: false, out, quiet };
      });
      if (r.out) ctx.io.stdout.write(ttyBytes(r.out));
      if (r.gone || detach || signalled !== undefined) return signalled ?? 0;
      if (!interactive && eof && r.quiet && input.length === 0) return 0;
      // on a manual clock the client is what moves time while a guest is busy
      const advanced = advanceManual();
      if (!advanced) {
        await new Promise<void>((res) => {
          wake = res;
          setTimeout(poke, POLL_MS);
        });
      }
    }
  } finally {
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    stdin.off('error', onEnd);
    stdin.pause();
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    if (interactive) stdin.setRawMode(false);
  }
}

/** `xl create -c`: xenconsole on the primary console of the new domain. */
export async function autoconnectConsole(ctx: XlContext, domid: number): Promise<number> {
  return consoleClient(ctx, { domid, type: undefined, num: 0, escape: DEFAULT_ESCAPE });
}
