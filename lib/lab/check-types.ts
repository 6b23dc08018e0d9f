/**
 * What every lab check shares: its shape, its outcome, and the small
 * vocabulary of comparisons and numbers lab.ini writes.
 */
import type { HostProbe } from './probe';

export interface Outcome {
  ok: boolean;
  /** what is still missing (failed), or what was found (passed) */
  detail: string;
}

/** How a check names hosts in what it says: alias -> host name. */
export type HostNames = (alias: string) => string;

export interface Check {
  /** the line as written in lab.ini */
  text: string;
  /** the host it looks at ('' = the lab's first) */
  host: string;
  /** other host aliases it names (migrated to ALIAS2) */
  refs: string[];
  run(p: HostProbe, names: HostNames): Outcome;
}

/** The parsed tail of a check line, before it learns its host. */
export type CheckBody = Omit<Check, 'text' | 'host'>;

export const OPS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type Op = (typeof OPS)[number];

export function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

export function isOp(s: string | undefined): s is Op {
  return (OPS as readonly string[]).includes(s ?? '');
}

/** A number as lab.ini may write it: decimal or 0x hex. */
export function parseNumber(s: string | undefined): number | undefined {
  if (s === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(s)) return undefined;
  return Number(s);
}
