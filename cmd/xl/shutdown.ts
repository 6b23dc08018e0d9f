/**
 * `xl shutdown`, `xl reboot`: twins of main_shutdown_or_reboot,
 * shutdown_domain, reboot_domain and wait_for_domain_deaths in
 * tools/xl/xl_vmcontrol.c. The PV control request is acknowledged by the
 * guest within 60 s or the command fails; -w then waits for shutdown (or
 * death), -ww for death.
 */
import type { LongOption } from '../../lib/util/getopt';
import { ERROR_NOPARAVIRT } from '../../lib/libxl/errors';
import { lastShutdown } from '../../lib/libxl/guest_glue';
import { listDomain } from '../../lib/libxl/domain';
import {
  PVCONTROL_TIMEOUT_NS, pvcontrolAcked, pvcontrolRequest, pvcontrolTimedOut, sendTrigger,
} from '../../lib/libxl/pvcontrol';
import { Exit } from '../io';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';
import { waitFor } from './wait';

const LONGOPTS: LongOption[] = [
  { name: 'all', hasArg: 0, val: 'a' },
  { name: 'wait', hasArg: 0, val: 'w' },
];

interface Target {
  domid: number;
  /** a request is out and the guest must acknowledge it */
  pending: boolean;
  deadline: number;
  /** the simulated time the wait for death starts (shutdowns before it do not count) */
  since: number;
}

export async function mainShutdownOrReboot(ctx: XlContext, argv: string[], reboot: boolean): Promise<number> {
  const what = reboot ? 'reboot' : 'shutdown';
  const p = switchForeachOpt(ctx, argv.slice(1), 'awF', LONGOPTS, what, 0);
  let all = false;
  let waitForIt = 0;
  let fallback = false;
  for (const { opt } of p.opts) {
    if (opt === 'a') all = true;
    else if (opt === 'w') waitForIt++;
    else if (opt === 'F') fallback = true;
  }
  if (p.args.length === 0 && !all) {
    ctx.io.stderr.write('You must specify -a or a domain id.\n\n');
    return 1;
  }

  const ids = withLibxl(ctx, (lx) =>
    all
      ? listDomain(lx)
          .filter((d) => d.domid !== 0 && !d.never_stop)
          .map((d) => d.domid)
      : [findDomain(ctx, lx, p.args[0]!)],
  );
  const targets: Target[] = [];
  for (const domid of ids) {
    // shutdown_domain / reboot_domain: the request and its acknowledgement
    const t = withLibxl(ctx, (lx): Target => {
      ctx.io.stderr.write(reboot ? `Rebooting domain ${domid}\n` : `Shutting down domain ${domid}\n`);
      let rc = pvcontrolRequest(lx, domid, reboot ? 'reboot' : 'poweroff');
      const pending = rc === 0;
      if (rc === ERROR_NOPARAVIRT) {
        if (fallback) {
          ctx.io.stderr.write(
            reboot
              ? 'PV control interface not available: sending ACPI reset button event.\n'
              : 'PV control interface not available: sending ACPI power button event.\n',
          );
          rc = sendTrigger(lx, domid, reboot ? 'reset' : 'power', 0);
        } else {
          ctx.io.stderr.write(
            reboot
              ? 'PV control interface not available: external graceful reboot not possible.\n'
              : 'PV control interface not available: external graceful shutdown not possible.\n',
          );
          ctx.io.stderr.write(reboot ? 'Use "-F" to fallback to ACPI reset event.\n' : 'Use "-F" to fallback to ACPI power event.\n');
        }
      }
      if (rc) {
        ctx.io.stderr.write(`${what} failed (rc=${rc})\n`);
        throw new Exit(1);
      }
      return { domid, pending, deadline: lx.now() + PVCONTROL_TIMEOUT_NS, since: lx.now() };
    });
    if (t.pending) {
      const rc = await waitFor<number>(ctx, (lx) => {
        if (pvcontrolAcked(lx, t.domid)) return { done: true, value: 0 };
        if (lx.now() >= t.deadline) return { done: true, value: pvcontrolTimedOut(lx, t.domid) };
        return { done: false, deadlineNs: t.deadline };
      });
      if (rc) {
        ctx.io.stderr.write(`${what} failed (rc=${rc})\n`);
        return 1;
      }
    }
    targets.push(t);
  }
  if (!waitForIt) return 0;
  return waitForDomainDeaths(ctx, targets, waitForIt === 1);
}

/** wait_for_domain_deaths: LOG lines on stderr as the events come */
async function waitForDomainDeaths(ctx: XlContext, targets: Target[], shutdownOrDeath: boolean): Promise<number> {
  ctx.io.stderr.write(`Waiting for ${targets.length} domains\n`);
  const state = targets.map((t) => ({ ...t, shutdownReported: false, finished: false }));
  return waitFor<number>(ctx, (lx) => {
    for (const t of state) {
      if (t.finished) continue;
      const info = lx.hv.getdomaininfo(t.domid);
      const seen = lastShutdown(lx, t.domid);
      const shutdownNow = info.ok && info.value.shutdown;
      if (!t.shutdownReported && (shutdownNow || (seen && seen.at >= t.since))) {
        const reason = shutdownNow && info.ok ? info.value.shutdownCode : seen!.reason;
        ctx.io.stderr.write(`Domain ${t.domid} has been shut down, reason code ${reason}\n`);
        t.shutdownReported = true;
        if (shutdownOrDeath) {
          t.finished = true;
          continue;
        }
        ctx.io.stderr.write(`Domain ${t.domid} continue waiting for death\n`);
      }
      if (!info.ok || info.value.dying) {
        ctx.io.stderr.write(`Domain ${t.domid} has been destroyed\n`);
        t.finished = true;
      }
    }
    return state.every((t) => t.finished) ? { done: true, value: 0 } : { done: false };
  });
}

export function mainShutdown(ctx: XlContext, argv: string[]): Promise<number> {
  return mainShutdownOrReboot(ctx, argv, false);
}

export function mainReboot(ctx: XlContext, argv: string[]): Promise<number> {
  return mainShutdownOrReboot(ctx, argv, true);
}
