/**
 * xlsim guest <domain> <action>: what the guest OS does on its own, as an
 * instructor staging a lesson would make it — power off or reboot from
 * inside, panic (crash), let its watchdog fire, halt — each through
 * SCHEDOP_shutdown, so the domain's on_* action follows as on a real host;
 * `pv-drivers on|off`, whether its OS has PV drivers (an HVM guest without
 * them cannot be shut down gracefully by `xl shutdown`); `workload`, a
 * process writing memory at a given rate (what live migration has to chase);
 * and `type`, keystrokes on its console without attaching to it.
 *
 * Importing this file also wires the simulated guests and xl's monitors
 * into the host's event queue for every xlsim command.
 */
import { ctxInSession, installHostHooks } from '../../lib/libxl/compose';
import { domidToName, nameToDomid } from '../../lib/libxl/domain';
import { GuestGlue } from '../../lib/libxl/guest_glue';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import type { GuestAction } from '../../lib/guest/guest';
import { parseDuration, parseRate, parseSize } from '../../lib/sim/duration';
import { IDLE_IO, getIoRates, type IoRates } from '../../lib/libxl/iostats';
import { nullXtl } from '../../lib/util/xtl';
import { withHost } from '../../state/session';
import { fail, registerXlsimCommands, runHandler, type XlsimCtx } from './registry';

installHostHooks();

const ACTIONS = ['poweroff', 'reboot', 'crash', 'watchdog', 'halt', 'hang', 'pv-drivers', 'workload', 'type', 'exec'] as const;
const PAGE = 4096;

/** The I/O options of `workload`, each a rate (bytes a second of the guest running). */
const IO_OPTS = ['net-rate', 'net-tx', 'net-rx', 'io-rate', 'io-read', 'io-write'] as const;
type IoOpt = (typeof IO_OPTS)[number];

export interface GuestArgs {
  dom: string;
  action: string;
  arg?: string;
  dirtyRate?: string;
  wss?: string;
  for?: string;
  enter: boolean;
  io?: Partial<Record<IoOpt, string>>;
}

function resolve(lx: LibxlCtx, dom: string): number | undefined {
  if (/^\d+$/.test(dom)) return lx.hv.getdomaininfo(Number(dom)).ok ? Number(dom) : undefined;
  const r = nameToDomid(lx, dom);
  return r.rc ? undefined : r.domid;
}

/** A dirty rate: pages a second as a bare number, or a byte rate (64MiB/s, 100MB/s, 1Gbit). */
export function parseDirtyRate(text: string): { ok: true; pages: number } | { ok: false; error: string } {
  if (/^\s*\d+\s*$/.test(text)) return { ok: true, pages: Number(text) };
  const r = parseRate(text);
  if (!r.ok) return { ok: false, error: `invalid dirty rate '${text}' (expected pages a second, or a rate such as 64MiB/s)` };
  return { ok: true, pages: Math.round(r.value / PAGE) };
}

interface Checked {
  mem?: { ratePages: number; wssPages: number };
  /** the I/O rates asked for; the others keep their current value */
  io?: Partial<IoRates>;
  forNs?: number;
}

function checkIo(a: GuestArgs): Partial<IoRates> | string | undefined {
  const given = IO_OPTS.filter((k) => a.io?.[k] !== undefined);
  if (given.length === 0) return undefined;
  const out: Partial<IoRates> = {};
  const set: Record<IoOpt, Array<keyof IoRates>> = {
    'net-rate': ['netTx', 'netRx'],
    'net-tx': ['netTx'],
    'net-rx': ['netRx'],
    'io-rate': ['read', 'write'],
    'io-read': ['read'],
    'io-write': ['write'],
  };
  for (const k of given) {
    const r = parseRate(a.io![k]!);
    if (!r.ok) return `--${k}: ${r.error}`;
    for (const f of set[k]) out[f] = r.value;
  }
  return out;
}

function checkWorkload(a: GuestArgs): Checked | string {
  const io = checkIo(a);
  if (typeof io === 'string') return io;
  // `workload idle`: the guest stops writing memory and moving data
  if (a.arg === 'idle') {
    if (a.dirtyRate !== undefined || a.wss !== undefined) return 'workload idle takes no --dirty-rate or --wss';
    return io === undefined ? { mem: { ratePages: 0, wssPages: 0 }, io: { ...IDLE_IO } } : 'workload idle takes no I/O rates';
  }
  if (a.arg !== undefined) return `unknown workload '${a.arg}' (expected idle, --dirty-rate and --wss, or I/O rates)`;
  if (a.dirtyRate === undefined && io === undefined) return 'workload needs --dirty-rate (0 stops it)';
  if (a.dirtyRate === undefined) {
    if (a.wss !== undefined) return 'workload --wss goes with --dirty-rate';
    const forNs = checkFor(a);
    return typeof forNs === 'string' ? forNs : { io, forNs };
  }
  const r = parseDirtyRate(a.dirtyRate);
  if (!r.ok) return r.error;
  let wssPages = 0;
  if (a.wss !== undefined) {
    const w = parseSize(a.wss, 'm');
    if (!w.ok) return w.error;
    wssPages = Math.floor(w.value / PAGE);
  }
  const forNs = checkFor(a);
  if (typeof forNs === 'string') return forNs;
  if (r.pages > 0 && a.wss === undefined) return 'workload needs --wss (the memory it writes over)';
  if (r.pages > 0 && wssPages === 0) return `working set '${a.wss}' is smaller than a page`;
  return { mem: { ratePages: r.pages, wssPages }, io, forNs };
}

function checkFor(a: GuestArgs): number | undefined | string {
  if (a.for === undefined) return undefined;
  const d = parseDuration(a.for);
  if (!d.ok) return d.error;
  if (d.value <= 0) return `duration '${a.for}' must be positive`;
  return d.value;
}

/** a byte rate in the unit it was most likely given in */
function rateText(bps: number): string {
  if (bps === 0) return '0';
  for (const [div, unit] of [[2 ** 30, 'GiB'], [1e9, 'GB'], [2 ** 20, 'MiB'], [1e6, 'MB'], [1024, 'KiB'], [1e3, 'kB']] as const) {
    if (bps % div === 0) return `${bps / div}${unit}/s`;
  }
  return `${bps}B/s`;
}

function workloadSummary(w: Checked, io: IoRates | undefined): string {
  const parts: string[] = [];
  if (w.mem && w.mem.ratePages === 0 && io && !(io.netTx || io.netRx || io.read || io.write)) return 'workload stopped';
  if (w.mem) parts.push(w.mem.ratePages ? `workload ${w.mem.ratePages} pages/s over ${w.mem.wssPages} pages` : 'workload stopped');
  if (io) {
    const busy = io.netTx || io.netRx || io.read || io.write;
    parts.push(busy ? `net tx ${rateText(io.netTx)} rx ${rateText(io.netRx)}, disk read ${rateText(io.read)} write ${rateText(io.write)}` : 'I/O stopped');
  }
  return parts.join('; ');
}

/** "root\n" as typed: C-style escapes in the argument, Enter at the end unless --no-enter. */
export function typedText(arg: string, enter: boolean): string {
  const t = arg.replace(/\\(n|r|t|e|\\|x([0-9a-fA-F]{2}))/g, (_, c: string, hex?: string) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : c === 'n' ? '\r' : c === 'r' ? '\r' : c === 't' ? '\t' : c === 'e' ? '\x1b' : '\\',
  );
  return enter ? t + '\r' : t;
}

async function act(ctx: XlsimCtx, a: GuestArgs): Promise<number> {
  const { dom, action, arg } = a;
  if (!(ACTIONS as readonly string[]).includes(action)) return fail(ctx, `unknown guest action '${action}' (expected ${ACTIONS.join(', ')})`);
  if (action === 'pv-drivers' && arg !== 'on' && arg !== 'off') return fail(ctx, "pv-drivers needs 'on' or 'off'");
  if (action === 'type' && (arg === undefined || arg === '')) return fail(ctx, 'type needs the text to type');
  if (action === 'exec' && (arg === undefined || arg.trim() === '')) return fail(ctx, "exec needs a command line (quote it: exec 'ip addr')");
  let wl: Checked | undefined;
  if (action === 'workload') {
    const c = checkWorkload(a);
    if (typeof c === 'string') return fail(ctx, c);
    wl = c;
  }
  const r = await withHost(ctx.io.env, (s) =>
    ctxInSession(s, nullXtl, (lx): { err?: string; out?: string; raw?: boolean; code?: number } => {
      const domid = resolve(lx, dom);
      if (domid === undefined) return { err: `no such domain '${dom}'` };
      if (domid === 0) return { err: 'dom0 is the toolstack domain; act on a guest' };
      const glue = new GuestGlue(() => lx);
      const g = glue.guest(domid);
      if (!g) return { err: `domain ${domid} has no simulated guest OS` };
      const name = domidToName(lx, domid) ?? String(domid);
      if (action === 'pv-drivers') {
        glue.setPvDrivers(domid, arg === 'on');
        return { out: `${name} (domid ${domid}): PV drivers ${arg}\n` };
      }
      const d = lx.hv.getdomaininfo(domid);
      const stopped = g.phase === 'stopped' || (d.ok && (d.value.shutdown || d.value.dying));
      if (stopped) return { err: `${name} (domid ${domid}) is not running` };
      if (action === 'workload' && wl) {
        if (wl.forNs !== undefined && !glue.os(domid)) return { err: `${name} (domid ${domid}) has no guest OS to time the workload` };
        const io = wl.io ? { ...getIoRates(lx, domid), ...wl.io } : undefined;
        glue.startWorkload(domid, { mem: wl.mem, io }, wl.forNs);
        return { out: `${name} (domid ${domid}): ${workloadSummary(wl, io)}\n` };
      }
      if (action === 'exec') {
        if (d.ok && d.value.paused) return { err: `${name} (domid ${domid}) is paused` };
        const r = glue.exec(domid, arg!);
        if (!r) return { err: `${name} (domid ${domid}) has no guest OS to run commands` };
        // non-interactive bash: the complaint on stderr, status 127
        const nf = r.ok ? /^-bash: (.*): command not found\n$/.exec(r.out) : null;
        if (nf) return { err: `bash: line 1: ${nf[1]}: command not found`, raw: true, code: 127 };
        if (r.ok) return { out: r.out };
        if (r.why === 'booting') return { err: `${name} (domid ${domid}) is still booting` };
        if (r.why === 'down') return { err: `${name} (domid ${domid}) is not running` };
        return { err: `'${arg!.trim().split(/\s+/)[0]}' runs until interrupted: give it a time limit, or run it on the console` };
      }
      if (action === 'type') {
        const tty = glue.os(domid)?.consoles.gettys[0] ?? 'pv';
        glue.consoleInput(domid, tty, typedText(arg!, a.enter));
        return { out: '' };
      }
      if (d.ok && d.value.paused && action !== 'watchdog') {
        // Refused, not deferred: a paused guest's vCPUs do not run, so its OS
        // decides nothing; only work already under way and outside input
        // (watches, ACPI buttons) wait for the unpause. The watchdog is Xen's
        // own timer and fires whether the vCPUs run or not.
        return { err: `${name} (domid ${domid}) is paused: its vCPUs do not run, so it cannot ${action} by itself (unpause it first)` };
      }
      if (!glue.act(domid, action as GuestAction)) return { err: `${name} (domid ${domid}) is not running` };
      return { out: `${name} (domid ${domid}): ${action}\n` };
    }),
  );
  if (r.err && r.raw) {
    ctx.io.stderr.write(r.err + '\n');
    return r.code ?? 1;
  }
  if (r.err) return fail(ctx, r.err);
  ctx.io.stdout.write(r.out ?? '');
  return 0;
}

registerXlsimCommands((y, ctx) =>
  y.command(
    'guest <domain> <action> [arg]',
    'Act inside a guest: poweroff, reboot, crash, watchdog, halt, hang, pv-drivers on|off, workload [idle], type TEXT, exec COMMAND',
    (b) =>
      b
        .positional('domain', { type: 'string', demandOption: true, describe: 'domain name or id' })
        .positional('action', { type: 'string', demandOption: true, choices: ACTIONS })
        .positional('arg', { type: 'string', describe: 'on|off for pv-drivers, the text for type, the command line for exec, idle for workload' })
        .option('dirty-rate', { type: 'string', describe: 'workload: page writes a second, or a rate such as 64MiB/s (0 stops)' })
        .option('wss', { type: 'string', describe: 'workload: the memory it writes over (512M, 1G)' })
        .option('for', { type: 'string', describe: 'workload: stop after this long (30s, 2m)' })
        .option('net-rate', { type: 'string', describe: 'workload: network traffic each way (10MB/s, 100Mbit; 0 stops)' })
        .option('net-tx', { type: 'string', describe: 'workload: what the guest sends (xentop counts it as NETRX)' })
        .option('net-rx', { type: 'string', describe: 'workload: what the guest receives (xentop counts it as NETTX)' })
        .option('io-rate', { type: 'string', describe: 'workload: disk reads and writes each (20MB/s; 0 stops)' })
        .option('io-read', { type: 'string', describe: 'workload: disk reads on the root disk' })
        .option('io-write', { type: 'string', describe: 'workload: disk writes on the root disk' })
        .option('enter', { type: 'boolean', default: true, describe: 'type: press Enter after the text (--no-enter)' }),
    (v) =>
      runHandler(ctx, () =>
        act(ctx, {
          dom: String(v.domain),
          action: String(v.action),
          arg: v.arg === undefined ? undefined : String(v.arg),
          dirtyRate: v['dirty-rate'] === undefined ? undefined : String(v['dirty-rate']),
          wss: v.wss === undefined ? undefined : String(v.wss),
          for: v.for === undefined ? undefined : String(v.for),
          enter: v.enter !== false,
          io: Object.fromEntries(IO_OPTS.filter((k) => v[k] !== undefined).map((k) => [k, String(v[k])])),
        }),
      ),
  ),
);
