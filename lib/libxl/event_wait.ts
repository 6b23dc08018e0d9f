/**
 * Waiting on the host, libxl_event_wait style: short transactions, never
 * holding the host lock while waiting. On a manual clock the waiter moves
 * simulated time itself to the next event (or its own deadline) — the only
 * way time could pass for it; on a real clock it sleeps until something is
 * due, or polls, since another process may act meanwhile.
 */
import { openHost, type Env } from '../../state/session';
import type { Xtl } from '../util/xtl';
import { ctxInSession } from './compose';
import type { LibxlCtx } from './ctx';

export type WaitStep<T> = { done: true; value: T } | { done: false; deadlineNs?: number };

const POLL_MS = 100;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Calls `check` in a fresh transaction until it reports done. A
 * `deadlineNs` lets a manual clock jump straight to a timeout when nothing
 * else is pending.
 */
export async function waitOnHost<T>(env: Env, xtl: Xtl, check: (lx: LibxlCtx) => WaitStep<T>): Promise<T> {
  const h = openHost(env);
  try {
    for (;;) {
      const r = h.txnSync((s) => {
        const step = ctxInSession(s, xtl, check);
        if (step.done) return { step, sleepMs: 0 };
        const next = s.events.next();
        const target = Math.min(next?.at ?? Infinity, step.deadlineNs ?? Infinity);
        if (s.clock.mode === 'manual') {
          if (target !== Infinity) {
            s.clock.advanceTo(Math.max(target, s.clock.now()));
            return { step, sleepMs: 0 };
          }
          return { step, sleepMs: POLL_MS };
        }
        const ms = target === Infinity ? POLL_MS : Math.max(1, Math.min(POLL_MS, (target - s.clock.now()) / 1e6));
        return { step, sleepMs: ms };
      });
      if (r.step.done) return r.step.value;
      if (r.sleepMs > 0) await sleep(r.sleepMs);
    }
  } finally {
    h.close();
  }
}
