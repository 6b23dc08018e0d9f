/**
 * The sending host's record of every save and live migration it made:
 * what each pre-copy round sent, what the guest dirtied meanwhile, the
 * log-dirty faults it cost, and the totals (`xlsim report migration`).
 * Real Xen keeps these counters only for the duration of the save
 * (precopy_stats, the CLEAN's fault and dirty counts); xlsim keeps them so
 * a lesson can look back at a migration.
 *
 * Records: namespace `transfers`, key = the transfer's id (decimal, rising
 * from 1 per host).
 */
import type { LibxlCtx } from './ctx';
import type { SaveStats } from './save';

const NS = 'transfers';

export interface TransferRound {
  iteration: number;
  /** false for the stop-and-copy pass (guest suspended) */
  live: boolean;
  sent: number;
  /** pages the guest dirtied while this round was on the wire */
  dirtied: number;
  faults: number;
  ns: number;
}

export type TransferOutcome = 'completed' | 'failed';

export interface TransferRecord {
  id: number;
  kind: 'migrate' | 'save';
  domid: number;
  name: string;
  /** migrate: the host that received it; save: the file written */
  to: string;
  /** simulated ns on this host when the transfer started */
  at: number;
  live: boolean;
  mode: SaveStats['mode'];
  pages: number;
  linkBytesPerSec: number;
  rounds: TransferRound[];
  /** everything on the wire: xl header and libxl stream */
  bytes: number;
  durationNs: number;
  downtimeNs: number;
  converged: boolean;
  outcome: TransferOutcome;
  /** altp2m at the start (absent in records of older xlsim) */
  altp2m?: SaveStats['altp2m'];
}

export interface TransferSubject {
  kind: TransferRecord['kind'];
  domid: number;
  name: string;
  to: string;
  at: number;
  live: boolean;
  headerBytes: number;
  outcome: TransferOutcome;
}

/**
 * The rounds as the report shows them: a live round that sent nothing (the
 * policy's last look, when the previous CLEAN found fewer than 50 pages)
 * is not a round on the wire and is left out.
 */
export function transferRounds(st: SaveStats): TransferRound[] {
  return st.rounds
    .filter((r) => !(r.live && r.sent === 0))
    .map((r) => ({ iteration: r.iteration, live: r.live, sent: r.sent, dirtied: r.dirty, faults: r.faults, ns: Math.round(r.durationNs) }));
}

export function listTransfers(lx: LibxlCtx): TransferRecord[] {
  return lx.records
    .list<TransferRecord>(NS)
    .map((e) => e.value)
    .sort((a, b) => a.id - b.id);
}

/** Stores the record of a finished (or failed) transfer; returns its id. */
export function recordTransfer(lx: LibxlCtx, s: TransferSubject, st: SaveStats): number {
  const id = listTransfers(lx).reduce((m, t) => Math.max(m, t.id), 0) + 1;
  const rec: TransferRecord = {
    id,
    kind: s.kind,
    domid: s.domid,
    name: s.name,
    to: s.to,
    at: s.at,
    live: s.live,
    mode: st.mode,
    pages: st.pages,
    linkBytesPerSec: st.linkBytesPerSec,
    rounds: transferRounds(st),
    bytes: s.headerBytes + st.streamBytes,
    durationNs: Math.round(st.totalNs),
    downtimeNs: Math.round(st.downtimeNs),
    converged: st.converged,
    outcome: s.outcome,
    altp2m: st.altp2m,
  };
  lx.records.put(NS, String(id), rec);
  return id;
}
