/**
 * Waiting out libxl's suspend of a guest (libxl_dom_suspend.c's callbacks,
 * stepped by lib/libxl/suspend.ts) from a command: `xl suspend`, and a save
 * or migration whose guest has to answer the request first.
 */
import type { LibxlRc } from '../../lib/libxl/errors';
import { suspendPoll, type SuspendStep } from '../../lib/libxl/suspend';
import type { XlContext } from './context';
import { waitFor } from './wait';

export interface SuspendOutcome {
  rc: LibxlRc;
  /** dsps->guest_responded: the guest acknowledged (or Xen suspended it) */
  responded: boolean;
}

export async function waitSuspended(ctx: XlContext, first: SuspendStep): Promise<SuspendOutcome> {
  let step = first;
  let responded = false;
  while (!step.done) {
    const w = step.wait;
    if (w.phase === 'suspend') responded = true;
    step = await waitFor<SuspendStep>(ctx, (lx) => {
      const s = suspendPoll(lx, w);
      // a new phase starts a new wait
      return s.done || s.wait.phase !== w.phase ? { done: true, value: s } : { done: false, deadlineNs: w.deadline };
    });
  }
  return { rc: step.rc, responded: !step.unanswered && (responded || step.rc === 0) };
}
