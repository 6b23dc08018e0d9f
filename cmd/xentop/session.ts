/**
 * What xentop's two modes share: the settings main() parsed, how a run
 * ends, and one statistics sample per screen (its own short transaction).
 */
import type { Io } from '../io';
import { sampleHost, type StatsSample } from '../../lib/libxl/stats';
import type { TopOptions } from './render';

/** How a run ended: an exit status, or the signal that ended it. */
export type XentopResult = { code: number } | { signal: number };

export interface XentopSettings extends TopOptions {
  /** seconds, C's unsigned int */
  delay: number;
  /** false once -i was given */
  loop: boolean;
  /** C's unsigned int; 0 with -i means "wrap round", i.e. practically forever */
  iterations: number;
}

/** xentop's fail(): the message for stderr, exit status 1. */
export class XentopFail extends Error {}

/** One sample, or xentop's fail() message. */
export function sample(io: Io): StatsSample & { node: NonNullable<StatsSample['node']> } {
  const s = sampleHost(io.env);
  if (!s.node) throw new XentopFail('Failed to retrieve statistics from libxenstat\n');
  return { ...s, node: s.node };
}

/** Sleeps `sec` seconds in short steps, waking early once `stop()` says so (sleep() ends on a signal). */
export async function sleepSec(sec: number, stop: () => boolean): Promise<void> {
  const until = Date.now() + sec * 1000;
  // even sleep(0) lets a signal in
  await new Promise((r) => setImmediate(r));
  while (!stop()) {
    const left = until - Date.now();
    if (left <= 0) return;
    await new Promise((r) => setTimeout(r, Math.min(left, 200)));
  }
}
