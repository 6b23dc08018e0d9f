/**
 * What a lab check may look at on one host, read-only: the toolstack's view
 * (libxl ctx: domains, stored configs, xenstore, libxl's records), the
 * hypervisor's own domain records (as `xlsim inspect` reads them) and the
 * host's event log (where xl's monitors and `xl migrate` leave their lines).
 *
 * The facts derived from the event log live here too: which domid carried
 * which name, how each shutdown was handled, what each live migration did.
 * They parse lines other layers write, so they follow those texts exactly.
 */
import type { EventLogEntry } from '../../state/session-types';
import type { LibxlCtx } from '../libxl/ctx';
import { domidToName, listDomain, nameToDomid } from '../libxl/domain';
import type { Dominfo } from '../libxl/dominfo';
import type { XenDomainData } from '../xen/types';

export interface HostProbe {
  /** the host's name under XLSIM_HOME */
  readonly host: string;
  readonly lx: LibxlCtx;
  domainRecord(domid: number): XenDomainData | undefined;
  eventLog(): EventLogEntry[];
}

export interface LiveDomain {
  domid: number;
  info: Dominfo;
}

/** The live domain called `name` (Domain-0 included), as xl would find it. */
export function liveDomain(p: HostProbe, name: string): LiveDomain | undefined {
  const r = nameToDomid(p.lx, name);
  if (r.rc) return undefined;
  const info = listDomain(p.lx).find((d) => d.domid === r.domid);
  return info ? { domid: r.domid, info } : undefined;
}

/** The name a domid had, from the domain itself or from its monitor's "Waiting for domain" line. */
export function namesByDomid(p: HostProbe): Map<number, string> {
  const names = new Map<number, string>();
  for (const e of p.eventLog()) {
    const m = /^Waiting for domain (.+) \(domid (\d+)\) to die/.exec(e.text);
    // a migrated-in domain is watched while still called NAME--incoming (xl renames it once it runs)
    if (e.kind === 'xl.monitor' && m) names.set(Number(m[2]), m[1]!.replace(/--incoming$/, ''));
  }
  for (const d of listDomain(p.lx)) {
    const n = domidToName(p.lx, d.domid);
    if (n !== undefined) names.set(d.domid, n);
  }
  return names;
}

/** SHUTDOWN_* codes as `xl` and the config keys (on_<reason>) name them. */
export const SHUTDOWN_REASONS = ['poweroff', 'reboot', 'suspend', 'crash', 'watchdog', 'soft_reset'] as const;

export interface HandledShutdown {
  domid: number;
  name: string | undefined;
  reason: string;
  /** as the monitor prints it: destroy, restart, preserve, rename-restart, ... */
  action: string;
}

/** Every shutdown a monitor acted on, oldest first. */
export function handledShutdowns(p: HostProbe): HandledShutdown[] {
  const names = namesByDomid(p);
  const out: HandledShutdown[] = [];
  for (const e of p.eventLog()) {
    const m = /^Action for shutdown reason code (\d+) is (\S+)$/.exec(e.text);
    if (e.kind !== 'xl.monitor' || !m || e.domid === null) continue;
    const code = Number(m[1]);
    out.push({ domid: e.domid, name: names.get(e.domid), reason: SHUTDOWN_REASONS[code] ?? `code ${code}`, action: m[2]! });
  }
  return out;
}

/** xg_sr_save.c's pre-copy limits: stop below this many dirty pages ... */
export const CONVERGED_BELOW_PAGES = 50;
/** ... or after this many live iterations */
export const MAX_LIVE_ITERATIONS = 5;

export interface MigrationFact {
  domid: number;
  name: string | undefined;
  /** the target host as given to `xl migrate` */
  to: string;
  /** pages sent per round, the last being the final pass with the guest suspended */
  rounds: number[];
  downtimeMs: number;
  /** stopped because few pages were left dirty, not because of the iteration cap */
  converged: boolean;
}

/**
 * The live migrations that left this host, from the summary `xl migrate`
 * logs on the sender ("live migration to B: N live iteration(s), pages sent
 * a+b+...+final, downtime X ms, ...").
 */
export function migrationsFrom(p: HostProbe): MigrationFact[] {
  const names = namesByDomid(p);
  const out: MigrationFact[] = [];
  for (const e of p.eventLog()) {
    const m = /^live migration to (\S+): \d+ live iteration\(s\), pages sent ([\d+]+), downtime ([\d.]+) ms/.exec(e.text);
    if (e.kind !== 'migrate' || !m || e.domid === null) continue;
    const rounds = m[2]!.split('+').map(Number);
    const live = rounds.slice(0, -1);
    // a live round after the first that found fewer dirty pages than the threshold ends the loop early
    const converged = live.length < MAX_LIVE_ITERATIONS || live.slice(1).some((n) => n < CONVERGED_BELOW_PAGES);
    out.push({ domid: e.domid, name: names.get(e.domid), to: m[1]!, rounds, downtimeMs: Number(m[3]), converged });
  }
  return out;
}
