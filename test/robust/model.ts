/**
 * A reference model of two simulated hosts for model-based testing: what
 * `xl list` must show (names, pause state, memory, vCPUs) and which devices
 * each guest has, after any sequence of lifecycle, device, save/restore,
 * migration and clock commands. The model is deliberately simpler than the
 * simulator: while a guest is on its way down (a shutdown or reboot
 * request it has not acted on yet) or ballooning, the model only bounds
 * what may be seen; once the guest has run long enough it must be exact.
 */
import { expect } from 'vitest';
import type { RunResult } from '../helpers/cli';

export const HOSTS = ['a', 'b'] as const;
export type HostName = (typeof HOSTS)[number];
export const NAMES = ['g0', 'g1', 'g2', 'g3', 'g4'] as const;

/** simulated seconds a running guest needs at most to boot and act on a request */
export const SETTLE_S = 60;

export interface MDom {
  /** the guest's uuid, as an identity: copies restored from one save file share it */
  uuid: number;
  name: string;
  host: HostName;
  maxMem: number;
  /** what xl list may show for the memory, in MiB: [lo, hi] */
  memLo: number;
  memHi: number;
  target: number;
  vcpus: number;
  /**
   * a vcpu-set made while paused: the guest brings the vCPUs up or down
   * only once it runs (xl unpause); after a save or migration of the paused
   * guest either count may be seen
   */
  vcpusHeld?: number;
  maxVcpus: number;
  /** toolstack pause references (xl pause nests) */
  pauses: number;
  /** a shutdown or reboot request, and how long the guest ran since */
  pending?: { kind: 'shutdown' | 'reboot'; ranS: number };
  /** a balloon target the guest has not reached yet, and how long it ran since */
  balloonRanS?: number;
  disks: string[];
  nics: number[];
}

export interface Model {
  doms: MDom[];
  saved: { file: string; dom: MDom }[];
  nextFile: number;
  nextUuid: number;
}

/** How the commands reach the tools (in-process, or spawned binaries). */
export interface Real {
  run(tool: string, args: string[], host: HostName): Promise<RunResult>;
  home: string;
  cfg: string;
  /** the -s transport of `xl migrate` that reaches the other simulated host */
  migrateVia: string;
}

export function newModel(): Model {
  return { doms: [], saved: [], nextFile: 0, nextUuid: 0 };
}

export const on = (m: Model, host: HostName) => m.doms.filter((d) => d.host === host);
export const stable = (d: MDom) => d.pending === undefined;
export const find = (m: Model, host: HostName, name: string) => m.doms.find((d) => d.host === host && d.name === name);
export const other = (h: HostName): HostName => (h === 'a' ? 'b' : 'a');
/** a guest by that name is on its way down: whether the name is free is up to timing */
export const undecided = (m: Model, host: HostName, name: string) => find(m, host, name)?.pending !== undefined;

export function remove(m: Model, d: MDom): void {
  m.doms.splice(m.doms.indexOf(d), 1);
}

/** the guest ran for `s` seconds: requests it was acting on complete */
function elapse(m: Model, s: number): void {
  for (const d of [...m.doms]) {
    if (d.pauses > 0) continue;
    if (d.balloonRanS !== undefined) {
      d.balloonRanS += s;
      if (d.balloonRanS >= SETTLE_S) {
        d.memLo = d.memHi = d.target;
        delete d.balloonRanS;
      }
    }
    if (!d.pending) continue;
    d.pending.ranS += s;
    if (d.pending.ranS < SETTLE_S) continue;
    if (d.pending.kind === 'shutdown') remove(m, d);
    else {
      // xl's monitor builds it again from its stored configuration
      delete d.pending;
      d.pauses = 0;
    }
  }
}

/** No stack trace, no internal error: whatever a command says is a message. */
export function expectClean(r: RunResult, what: string): void {
  expect(r.stderr, what).not.toMatch(/internal error|\n\s+at .+:\d+:\d+\)?\n|TypeError|ReferenceError|RangeError/);
  expect(r.stdout, what).not.toMatch(/internal error|\n\s+at .+:\d+:\d+\)?\n/);
}

interface Row {
  name: string;
  mem: number;
  vcpus: number;
  state: string;
}

function rows(stdout: string): Row[] {
  const lines = stdout.split('\n').filter((l) => l !== '');
  return lines.slice(1).map((l) => {
    const m = /^(\S+)\s+\d+\s+(\d+)\s+(\d+)\s+([-rbpscd]{6})\s+\d+\.\d$/.exec(l);
    if (!m) throw new Error(`not an xl list row: ${JSON.stringify(l)}`);
    return { name: m[1]!, mem: Number(m[2]), vcpus: Number(m[3]), state: m[4]! };
  });
}

/** `xlsim check` on every host, and `xl list` against the model. */
export async function compare(m: Model, r: Real, after: string, hosts: readonly HostName[] = HOSTS): Promise<void> {
  for (const host of hosts) {
    const check = await r.run('xlsim', ['check'], host);
    expect(check, `${after}: xlsim check on ${host}`).toEqual({ stdout: 'xlsim check: host is consistent\n', stderr: '', code: 0 });
    const list = await r.run('xl', ['list'], host);
    expect(list.code, `${after}: xl list on ${host}`).toBe(0);
    const seen = rows(list.stdout).filter((x) => x.name !== 'Domain-0');
    for (const row of seen) {
      const d = find(m, host, row.name);
      expect(d, `${after}: ${host} lists ${row.name}, the model has no such guest\n${list.stdout}`).toBeDefined();
      if (!d || !stable(d)) continue;
      const what = `${after}: ${host}/${row.name}\n${list.stdout}`;
      expect(row.state.includes('p'), what).toBe(d.pauses > 0);
      if (d.vcpusHeld === undefined) expect(row.vcpus, what).toBe(d.vcpus);
      else expect([d.vcpus, d.vcpusHeld], what).toContain(row.vcpus);
      expect(row.mem, what).toBeGreaterThanOrEqual(d.memLo);
      expect(row.mem, what).toBeLessThanOrEqual(d.memHi);
    }
    for (const d of on(m, host)) {
      if (stable(d)) expect(seen.map((x) => x.name), `${after}: ${host} should list ${d.name}\n${list.stdout}`).toContain(d.name);
    }
  }
}

/** elapse() for the guests of one host (each host has its own clock) */
export function settle(m: Model, host: HostName, s: number): void {
  const mine = m.doms.filter((d) => d.host === host);
  const sub: Model = { ...m, doms: mine };
  elapse(sub, s);
  m.doms = [...m.doms.filter((d) => d.host !== host), ...sub.doms];
}
