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
import { nullXtl } from '../../lib/util/xtl';
import { withHost } from '../../state/session';
import { fail, registerXlsimCommands, runHandler, type XlsimCtx } from './registry';

installHostHooks();

const ACTIONS = ['poweroff', 'reboot', 'crash', 'watchdog', 'halt', 'hang', 'pv-drivers', 'workload', 'type'] as const;
const PAGE = 4096;

export interface GuestArgs {
  dom: string;
  action: string;
  arg?: string;
  dirtyRate?: string;
  wss?: string;
  for?: string;
  enter: boolean;
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
  ratePages: number;
  wssPages: number;
  forNs?: number;
}

function checkWorkload(a: GuestArgs): Checked | string {
  // `workload idle`: the guest stops writing memory
  if (a.arg === 'idle') return a.dirtyRate === undefined && a.wss === undefined ? { ratePages: 0, wssPages: 0 } : "workload idle takes no --dirty-rate or --wss";
  if (a.arg !== undefined) return `unknown workload '${a.arg}' (expected idle, or --dirty-rate and --wss)`;
  if (a.dirtyRate === undefined) return 'workload needs --dirty-rate (0 stops it)';
  const r = parseDirtyRate(a.dirtyRate);
  if (!r.ok) return r.error;
  let wssPages = 0;
  if (a.wss !== undefined) {
    const w = parseSize(a.wss, 'm');
    if (!w.ok) return w.error;
    wssPages = Math.floor(w.value / PAGE);
  }
  let forNs: number | undefined;
  if (a.for !== undefined) {
    const d = parseDuration(a.for);
    if (!d.ok) return d.error;
    if (d.value <= 0) return `duration '${a.for}' must be positive`;
    forNs = d.value;
  }
  if (r.pages > 0 && a.wss === undefined) return 'workload needs --wss (the memory it writes over)';
  if (r.pages > 0 && wssPages === 0) return `working set '${a.wss}' is smaller than a page`;
  return { ratePages: r.pages, wssPages, forNs };
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
  let wl: Checked | undefined;
  if (action === 'workload') {
    const c = checkWorkload(a);
    if (typeof c === 'string') return fail(ctx, c);
    wl = c;
  }
  const r = await withHost(ctx.io.env, (s) =>
    ctxInSession(s, nullXtl, (lx): { err?: string; out?: string } => {
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
        glue.startWorkload(domid, wl.ratePages, wl.wssPages, wl.forNs);
        return { out: wl.ratePages ? `${name} (domid ${domid}): workload ${wl.ratePages} pages/s over ${wl.wssPages} pages\n` : `${name} (domid ${domid}): workload stopped\n` };
      }
      if (action === 'type') {
        const tty = glue.os(domid)?.consoles.gettys[0] ?? 'pv';
        glue.consoleInput(domid, tty, typedText(arg!, a.enter));
        return { out: '' };
      }
      if (!glue.act(domid, action as GuestAction)) return { err: `${name} (domid ${domid}) is not running` };
      return { out: `${name} (domid ${domid}): ${action}\n` };
    }),
  );
  if (r.err) return fail(ctx, r.err);
  ctx.io.stdout.write(r.out ?? '');
  return 0;
}

registerXlsimCommands((y, ctx) =>
  y.command(
    'guest <domain> <action> [arg]',
    'Act inside a guest: poweroff, reboot, crash, watchdog, halt, hang, pv-drivers on|off, workload [idle], type TEXT',
    (b) =>
      b
        .positional('domain', { type: 'string', demandOption: true, describe: 'domain name or id' })
        .positional('action', { type: 'string', demandOption: true, choices: ACTIONS })
        .positional('arg', { type: 'string', describe: 'on|off for pv-drivers, the text for type, idle for workload' })
        .option('dirty-rate', { type: 'string', describe: 'workload: page writes a second, or a rate such as 64MiB/s (0 stops)' })
        .option('wss', { type: 'string', describe: 'workload: the memory it writes over (512M, 1G)' })
        .option('for', { type: 'string', describe: 'workload: stop after this long (30s, 2m)' })
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
        }),
      ),
  ),
);
