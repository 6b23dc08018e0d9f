/**
 * xlsim events [--domain D] [--follow]: the host's event log — what
 * happened when, in simulated time. Following polls in short transactions
 * (never holding the host's lock between polls), so xl commands run in
 * another terminal while the log scrolls.
 */
import { ctxInSession } from '../../lib/libxl/compose';
import { formatSeconds } from '../../lib/sim/timefmt';
import { sprintf } from '../../lib/util/printf';
import { nullXtl } from '../../lib/util/xtl';
import type { SimEvent } from '../../lib/sim/events';
import { openHost, withHost, type EventLogEntry, type Session } from '../../state/session';
import { findDomain, noSuchDomain, printJson } from './out';
import { fail, registerXlsimCommands, runHandler, type XlsimCtx } from './registry';

interface EventsArgs {
  domain?: string;
  follow: boolean;
  pending: boolean;
  json: boolean;
  limit?: string;
}

const POLL_MS = 250;

function entryText(e: EventLogEntry): string {
  return sprintf('%16s  %-5s %-22s %s\n', formatSeconds(e.at), e.domid === null ? '-' : `d${e.domid}`, e.kind, e.text);
}

function entryJson(e: EventLogEntry): Record<string, unknown> {
  return { id: e.id, at_ns: e.at, time: formatSeconds(e.at), domid: e.domid, kind: e.kind, text: e.text };
}

/** A name must name a live domain; a number may name one long gone (its entries stay). */
function domidOf(s: Session, dom: string): number | undefined {
  if (/^\d+$/.test(dom) && Number.isSafeInteger(Number(dom))) return Number(dom);
  return ctxInSession(s, nullXtl, (lx) => findDomain(lx, dom)?.domid);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function pendingText(e: SimEvent): string {
  const payload = e.payload === null || e.payload === undefined ? '' : JSON.stringify(e.payload);
  return sprintf('%16s  %-5s %-22s %s\n', formatSeconds(e.at), e.domid === null ? '-' : `d${e.domid}`, e.kind, payload);
}

/** What the clock will run next, in order: the future half of the log. */
async function pending(ctx: XlsimCtx, a: EventsArgs): Promise<number> {
  if (a.follow) return fail(ctx, '--pending lists the queue once; it cannot be followed');
  const r = await withHost(ctx.io.env, (s) => {
    const domid = a.domain === undefined ? undefined : domidOf(s, a.domain);
    if (a.domain !== undefined && domid === undefined) return undefined;
    return { now: s.clock.now(), queue: s.events.pending(domid !== undefined ? { domid } : undefined) };
  });
  if (!r) return fail(ctx, noSuchDomain(a.domain ?? ''));
  if (a.json) {
    printJson(
      ctx,
      r.queue.map((e) => ({ seq: e.seq, at_ns: e.at, time: formatSeconds(e.at), in_ns: e.at - r.now, domid: e.domid, kind: e.kind, payload: e.payload ?? null })),
    );
    return 0;
  }
  ctx.io.stdout.write(sprintf('%16s  %-5s %-22s %s\n', 'DUE(s)', 'DOM', 'KIND', 'PAYLOAD'));
  for (const e of r.queue) ctx.io.stdout.write(pendingText(e));
  return 0;
}

async function events(ctx: XlsimCtx, a: EventsArgs): Promise<number> {
  if (a.pending) return pending(ctx, a);
  const limit = a.limit === undefined ? undefined : /^\d+$/.test(a.limit) && Number(a.limit) > 0 && Number.isSafeInteger(Number(a.limit)) ? Number(a.limit) : null;
  if (limit === null) return fail(ctx, `--limit '${a.limit}' is not a positive integer`);
  const first = await withHost(ctx.io.env, (s) => {
    const domid = a.domain === undefined ? undefined : domidOf(s, a.domain);
    if (a.domain !== undefined && domid === undefined) return undefined;
    return { domid, entries: s.eventLog({ ...(domid !== undefined ? { domid } : {}), ...(limit !== undefined ? { limit } : {}) }) };
  });
  if (!first) return fail(ctx, noSuchDomain(a.domain ?? ''));
  const out = ctx.io.stdout;
  if (!a.follow) {
    if (a.json) printJson(ctx, first.entries.map(entryJson));
    else {
      out.write(sprintf('%16s  %-5s %-22s %s\n', 'TIME(s)', 'DOM', 'KIND', 'WHAT'));
      for (const e of first.entries) out.write(entryText(e));
    }
    return 0;
  }
  // Following: one JSON object per line with --json, so a script reads it as it comes.
  const emit = (e: EventLogEntry) => out.write(a.json ? `${JSON.stringify(entryJson(e))}\n` : entryText(e));
  if (!a.json) out.write(sprintf('%16s  %-5s %-22s %s\n', 'TIME(s)', 'DOM', 'KIND', 'WHAT'));
  first.entries.forEach(emit);
  let last = first.entries.length ? first.entries[first.entries.length - 1]!.id : 0;
  if (!first.entries.length) {
    last = await withHost(ctx.io.env, (s) => {
      const all = s.eventLog({ limit: 1 });
      return all.length ? all[0]!.id : 0;
    });
  }
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const h = openHost(ctx.io.env);
  try {
    while (!stop) {
      const fresh = h.txnSync((s) => s.eventLog({ afterId: last, ...(first.domid !== undefined ? { domid: first.domid } : {}) }));
      for (const e of fresh) {
        emit(e);
        last = e.id;
      }
      await sleep(POLL_MS);
    }
  } finally {
    h.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}

registerXlsimCommands((y, ctx) =>
  y.command(
    'events',
    "Show the host's event log (what happened when, in simulated time)",
    (c) =>
      c
        .option('domain', { type: 'string', alias: 'd', describe: 'only entries about this domain (name or id)' })
        .option('follow', { type: 'boolean', alias: 'f', default: false, describe: 'keep printing new entries until interrupted' })
        .option('pending', { type: 'boolean', default: false, describe: 'list the queued events instead: what the clock will run, and when' })
        .option('limit', { type: 'string', alias: 'n', describe: 'only the last N entries' })
        .option('json', { type: 'boolean', default: false, describe: 'print JSON (one object per line with --follow)' }),
    (a) =>
      runHandler(ctx, () =>
        events(ctx, {
          ...(a.domain !== undefined ? { domain: String(a.domain) } : {}),
          follow: a.follow === true,
          pending: a.pending === true,
          json: a.json === true,
          ...(a.limit !== undefined ? { limit: String(a.limit) } : {}),
        }),
      ),
  ),
);
