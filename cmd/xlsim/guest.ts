/**
 * xlsim guest <domain> <action>: what the guest OS does on its own, as an
 * instructor staging a lesson would make it — power off or reboot from
 * inside, panic (crash), let its watchdog fire, halt — each through
 * SCHEDOP_shutdown, so the domain's on_* action follows as on a real host;
 * and `pv-drivers on|off`, whether its OS has PV drivers (an HVM guest
 * without them cannot be shut down gracefully by `xl shutdown`).
 *
 * Importing this file also wires the simulated guests and xl's monitors
 * into the host's event queue for every xlsim command.
 */
import { ctxInSession, installHostHooks } from '../../lib/libxl/compose';
import { domidToName, nameToDomid } from '../../lib/libxl/domain';
import { GuestGlue } from '../../lib/libxl/guest_glue';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import type { GuestAction } from '../../lib/guest/guest';
import { nullXtl } from '../../lib/util/xtl';
import { withHost } from '../../state/session';
import { fail, registerXlsimCommands, runHandler, type XlsimCtx } from './registry';

installHostHooks();

const ACTIONS = ['poweroff', 'reboot', 'crash', 'watchdog', 'halt', 'pv-drivers'] as const;

function resolve(lx: LibxlCtx, dom: string): number | undefined {
  if (/^\d+$/.test(dom)) return lx.hv.getdomaininfo(Number(dom)).ok ? Number(dom) : undefined;
  const r = nameToDomid(lx, dom);
  return r.rc ? undefined : r.domid;
}

async function act(ctx: XlsimCtx, dom: string, action: string, arg: string | undefined): Promise<number> {
  if (!(ACTIONS as readonly string[]).includes(action)) return fail(ctx, `unknown guest action '${action}' (expected ${ACTIONS.join(', ')})`);
  if (action === 'pv-drivers' && arg !== 'on' && arg !== 'off') return fail(ctx, "pv-drivers needs 'on' or 'off'");
  const r = await withHost(ctx.io.env, (s) =>
    ctxInSession(s, nullXtl, (lx): { err?: string; out?: string } => {
      const domid = resolve(lx, dom);
      if (domid === undefined) return { err: `no such domain '${dom}'` };
      if (domid === 0) return { err: 'dom0 is the toolstack domain; act on a guest' };
      const glue = new GuestGlue(() => lx);
      if (!glue.guest(domid)) return { err: `domain ${domid} has no simulated guest OS` };
      const name = domidToName(lx, domid) ?? String(domid);
      if (action === 'pv-drivers') {
        glue.setPvDrivers(domid, arg === 'on');
        return { out: `${name} (domid ${domid}): PV drivers ${arg}\n` };
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
    'Act inside a guest: poweroff, reboot, crash, watchdog, halt, pv-drivers on|off',
    (a) =>
      a
        .positional('domain', { type: 'string', demandOption: true, describe: 'domain name or id' })
        .positional('action', { type: 'string', demandOption: true, choices: ACTIONS })
        .positional('arg', { type: 'string' }),
    (a) => runHandler(ctx, () => act(ctx, String(a.domain), String(a.action), a.arg === undefined ? undefined : String(a.arg))),
  ),
);
