/**
 * Running a lab's checks against its hosts: each host is opened once, in
 * one transaction, and its checks read the state through the library
 * layers (libxl's ctx, the hypervisor's records, the event log).
 */
import type { Outcome } from '../../lib/lab/checks';
import type { HostProbe } from '../../lib/lab/probe';
import type { LabDef, LabStep } from '../../lib/lab/types';
import { ctxInSession } from '../../lib/libxl/compose';
import { nullXtl } from '../../lib/util/xtl';
import { decodeDomainRecord, type StoredDomain } from '../../lib/xen/record';
import { withHost, type EventLogEntry, type Env } from '../../state/session';

export interface CheckResult {
  text: string;
  outcome: Outcome;
}

/** The name of the lab host behind an alias ('' = the first). */
export function hostOf(def: LabDef, alias: string): string {
  const h = alias === '' ? def.hosts[0] : def.hosts.find((x) => x.alias === alias);
  return h?.name ?? alias;
}

/** Runs the checks of one step; each host is read in its own transaction. */
export async function runStep(env: Env, def: LabDef, step: LabStep): Promise<CheckResult[]> {
  const results = new Map<number, CheckResult>();
  const names = (alias: string) => hostOf(def, alias);
  const byHost = new Map<string, number[]>();
  step.checks.forEach((c, i) => byHost.set(names(c.host), [...(byHost.get(names(c.host)) ?? []), i]));
  for (const [host, idx] of byHost) {
    await withHost(
      env,
      (s) =>
        ctxInSession(s, nullXtl, (lx) => {
          let log: EventLogEntry[] | undefined;
          const probe: HostProbe = {
            host,
            lx,
            domainRecord: (domid) => {
              const raw = s.getDomainRecord<StoredDomain>(domid);
              return raw && decodeDomainRecord(raw);
            },
            eventLog: () => (log ??= s.eventLog()),
          };
          for (const i of idx) {
            const c = step.checks[i]!;
            results.set(i, { text: c.text, outcome: c.run(probe, names) });
          }
        }),
      { host, createDefault: false },
    );
  }
  return step.checks.map((_, i) => results.get(i)!);
}
