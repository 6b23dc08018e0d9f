/**
 * What the checks read from a host's event log: names behind domids
 * (including a migrated-in NAME--incoming), the monitor's decisions, and
 * whether each live migration converged or hit the iteration cap.
 */
import { describe, expect, it } from 'vitest';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import { handledShutdowns, migrationsFrom, type HostProbe } from '../../lib/lab/probe';
import type { EventLogEntry } from '../../state/session-types';

function probe(lines: Array<[number | null, string, string]>): HostProbe {
  // no live domains: every name comes from the log
  const lx = { hv: { getdomaininfolist: () => ({ ok: true, value: [] }) } } as unknown as LibxlCtx;
  const log: EventLogEntry[] = lines.map(([domid, kind, text], i) => ({ id: i + 1, at: i, domid, kind, text }));
  return { host: 'h', lx, domainRecord: () => undefined, eventLog: () => log };
}

const summary = (to: string, sent: string) => `live migration to ${to}: 9 live iteration(s), pages sent ${sent}, downtime 12.5 ms, total 99.0 ms (hap log-dirty)`;

describe('event-log facts', () => {
  it('tells a converged pre-copy from one stopped by the cap', () => {
    const p = probe([
      [1, 'xl.monitor', 'Waiting for domain a (domid 1) to die [pid 1]'],
      [2, 'xl.monitor', 'Waiting for domain b--incoming (domid 2) to die [pid 2]'],
      [3, 'xl.monitor', 'Waiting for domain c (domid 3) to die [pid 3]'],
      [1, 'migrate', summary('t', '100+0+0')],
      [2, 'migrate', summary('t', '100+90+80+70+60+55')],
      // the fifth live round found fewer than 50: it stopped there because it converged
      [3, 'migrate', summary('u', '100+90+80+70+49+0')],
      [4, 'migrate', summary('t', '100+0+0')],
    ]);
    expect(migrationsFrom(p).map((m) => [m.name, m.to, m.converged, m.rounds.length, m.downtimeMs])).toEqual([
      ['a', 't', true, 3, 12.5],
      ['b', 't', false, 6, 12.5],
      ['c', 'u', true, 6, 12.5],
      [undefined, 't', true, 3, 12.5],
    ]);
  });

  it('reads the monitor: reason names and actions per domain name', () => {
    const p = probe([
      [5, 'xl.monitor', 'Waiting for domain g (domid 5) to die [pid 1]'],
      [5, 'xl.monitor', 'Domain 5 has shut down, reason code 1 0x1'],
      [5, 'xl.monitor', 'Action for shutdown reason code 1 is restart'],
      [6, 'xl.monitor', 'Waiting for domain g (domid 6) to die [pid 1]'],
      [6, 'xl.monitor', 'Action for shutdown reason code 3 is coredump-destroy'],
      [null, 'xl.monitor', 'Action for shutdown reason code 0 is destroy'],
    ]);
    expect(handledShutdowns(p)).toEqual([
      { domid: 5, name: 'g', reason: 'reboot', action: 'restart' },
      { domid: 6, name: 'g', reason: 'crash', action: 'coredump-destroy' },
    ]);
  });
});
