import { describe, expect, it } from 'vitest';
import { expectComplete, expectMissing, expectReset, learner, ok, startLab } from './learner';

describe('lab lifecycle', () => {
  it('a learner pauses, reboots and crashes a guest, then preserves and destroys another', () => {
    const l = learner('lifecycle');
    startLab(l, 'lifecycle', 5);
    // the setup created phoenix and let it boot
    expect(ok(l, 'xl list phoenix').stdout).toContain('-b----');
    expectMissing(l, 'Step 1 of 5: Pause the guest', "'phoenix' (domid 1, state -b----) is not paused yet");

    ok(l, 'xl pause phoenix');
    expectMissing(l, 'Step 2 of 5: Reboot it', "xl's monitor has not seen 'phoenix' shut down yet", "'phoenix' (domid 1, state --p---) is not running yet");
    ok(l, 'xl unpause phoenix && xl reboot phoenix && xlsim clock advance 10s');
    expectMissing(l, 'Step 3 of 5: Crash it', "no crash of 'phoenix' handled by restart yet (the last: a reboot handled by restart)");

    ok(l, 'xlsim guest phoenix crash && xlsim clock advance 10s');
    expectMissing(l, 'Step 4 of 5: Keep a crashed guest for a post-mortem', "xl's monitor has not seen 'keeper' shut down yet");
    ok(l, 'xl create keeper.cfg && xlsim guest keeper crash');
    expect(ok(l, 'xl list keeper').stdout).toContain('---sc-');
    expectMissing(l, 'Step 5 of 5: Clean up', "'keeper' still exists (domid 4)");

    ok(l, 'xl destroy keeper');
    expectComplete(l, 'lifecycle', 5);

    expectReset(l, 'lifecycle', 'Step 1 of 5: Pause the guest', "'phoenix' (domid 1, state -b----) is not paused yet");
    expect(ok(l, 'xl list').stdout).not.toContain('keeper');
  });
});
