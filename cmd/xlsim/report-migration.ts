/**
 * How `xlsim report migration` shows one recorded save or migration: the
 * pre-copy rounds as a table, the totals, and a bar per live round of the
 * pages the guest dirtied while that round was on the wire — the picture of
 * whether pre-copy was catching up with the guest or not.
 */
import type { TransferRecord, TransferRound } from '../../lib/libxl/transfers';
import { SPP_MAX_ITERATIONS, SPP_TARGET_DIRTY_COUNT } from '../../lib/libxl/save';
import { formatSeconds } from '../../lib/sim/timefmt';
import { sprintf } from '../../lib/util/printf';

const BAR_WIDTH = 40;
const PAGE = 4096;

function phase(r: TransferRound): string {
  return r.live ? 'live' : 'suspended';
}

function size(bytes: number): string {
  return bytes >= 2 ** 30 ? sprintf('%.1f GiB', bytes / 2 ** 30) : sprintf('%.1f MiB', bytes / 2 ** 20);
}

function linkText(bps: number): string {
  const bits = bps * 8;
  if (bits >= 1e9 && bits % 1e8 === 0) return sprintf('%g Gbit/s', bits / 1e9);
  return sprintf('%g Mbit/s', bits / 1e6);
}

function precopyText(t: TransferRecord): string {
  if (!t.live) return 'none (the guest was suspended for the whole pass)';
  const live = t.rounds.filter((r) => r.live).length;
  const final = t.rounds.find((r) => !r.live)?.sent ?? 0;
  if (t.converged) return sprintf('converged after %d live round(s) (fewer than %d pages dirty)', live, SPP_TARGET_DIRTY_COUNT);
  return sprintf('hit the %d-iteration cap (%d pages still dirty at suspend)', SPP_MAX_ITERATIONS, final);
}

function title(t: TransferRecord, host: string): string {
  const what = t.kind === 'migrate' ? `Migration ${t.id}` : `Save ${t.id}`;
  const dir = t.kind === 'migrate' ? `from ${host} to ${t.to}` : `on ${host} to ${t.to}`;
  return `${what} of ${t.name} (domid ${t.domid}) ${dir}: ${t.outcome}\n`;
}

/** ASCII bars, scaled to the largest; a non-zero count always shows. */
export function dirtyBars(rounds: readonly TransferRound[]): string {
  const live = rounds.filter((r) => r.live);
  const max = Math.max(1, ...live.map((r) => r.dirtied));
  let out = '';
  for (const r of live) {
    const n = r.dirtied === 0 ? 0 : Math.max(1, Math.round((r.dirtied * BAR_WIDTH) / max));
    out += sprintf('  round %d |%-*s %d\n', r.iteration, BAR_WIDTH, '#'.repeat(n), r.dirtied);
  }
  return out;
}

/** What crossed of altp2m: as in Xen, the mode (HVM_PARAM_ALTP2M) and never the views. */
function altp2mText(a: NonNullable<TransferRecord['altp2m']>): string {
  const lost = a.views === 0 ? 'no alternate views to lose' : `${a.views} alternate view${a.views === 1 ? '' : 's'} not carried (the stream has no altp2m views; the agent must recreate them)`;
  return `mode ${a.mode} carried; ${lost}`;
}

export function transferText(t: TransferRecord, host: string): string {
  let out = title(t, host);
  out += sprintf('  started at %s s, %s log-dirty, %d pages (%s), link %s\n\n', formatSeconds(t.at), t.mode, t.pages, size(t.pages * PAGE), linkText(t.linkBytesPerSec));
  out += sprintf('%5s  %-9s  %10s  %10s  %8s  %10s\n', 'ROUND', 'PHASE', 'PAGES SENT', 'DIRTIED', 'FAULTS', 'SECONDS');
  for (const r of t.rounds) {
    const dirtied = r.live ? String(r.dirtied) : '-';
    const faults = r.live ? String(r.faults) : '-';
    out += sprintf('%5d  %-9s  %10d  %10s  %8s  %10.6f\n', r.iteration, phase(r), r.sent, dirtied, faults, r.ns / 1e9);
  }
  out += '\n';
  out += sprintf('%-13s%d bytes (%s)\n', 'Transferred', t.bytes, size(t.bytes));
  out += sprintf('%-13s%.6f s (simulated)\n', 'Duration', t.durationNs / 1e9);
  out += sprintf('%-13s%.1f ms\n', 'Downtime', t.downtimeNs / 1e6);
  out += sprintf('%-13s%s\n', 'Pre-copy', precopyText(t));
  out += t.kind === 'migrate' ? sprintf('%-13shost %s\n', 'Received by', t.to) : sprintf('%-13s%s\n', 'Written to', t.to);
  if (t.altp2m && t.altp2m.mode !== 'disabled') out += sprintf('%-13s%s\n', 'altp2m', altp2mText(t.altp2m));
  if (t.live) out += '\nPages dirtied while each live round was sent\n' + dirtyBars(t.rounds);
  return out;
}

export function transferJson(t: TransferRecord, host: string): Record<string, unknown> {
  return {
    id: t.id,
    kind: t.kind,
    domain: { name: t.name, domid: t.domid },
    from: host,
    to: t.to,
    outcome: t.outcome,
    at_ns: t.at,
    live: t.live,
    paging: t.mode,
    pages: t.pages,
    link_bytes_per_sec: t.linkBytesPerSec,
    rounds: t.rounds.map((r) => ({ round: r.iteration, phase: phase(r), sent: r.sent, dirtied: r.live ? r.dirtied : null, faults: r.live ? r.faults : null, ns: r.ns })),
    totals: {
      bytes: t.bytes,
      duration_ns: t.durationNs,
      downtime_ns: t.downtimeNs,
      live_rounds: t.rounds.filter((r) => r.live).length,
      converged: t.live ? t.converged : null,
    },
    altp2m: t.altp2m ? { mode: t.altp2m.mode, views_lost: t.altp2m.views } : null,
  };
}
