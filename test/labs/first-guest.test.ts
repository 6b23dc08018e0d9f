import { describe, expect, it } from 'vitest';
import { expectComplete, expectMissing, expectReset, learner, ok, startLab } from './learner';

describe('lab first-guest', () => {
  it('a learner creates the guest, logs in on its console and shuts it down', () => {
    const l = learner('first-guest');
    startLab(l, 'first-guest', 3);
    expectMissing(l, 'Step 1 of 3: Create the guest', "there is no domain 'first-guest' on host lab-first-guest");
    expect(l.lab('hint').stdout).toContain('Hint 2 of 2 for step 1');

    ok(l, 'xl create first-guest.cfg');
    expectMissing(l, 'Step 2 of 3: Log in on the console', "'first-guest' (domid 1, state r-----) is not logged-in yet");
    const con = ok(l, "printf 'root\\n' | xl console first-guest");
    expect(con.stdout).toContain('root@first-guest:~# ');
    expectMissing(l, 'Step 3 of 3: Shut it down', "'first-guest' still exists (domid 1)", "xl's monitor has not seen 'first-guest' shut down yet");

    ok(l, 'xl shutdown -w first-guest');
    expectComplete(l, 'first-guest', 3);

    expectReset(l, 'first-guest', 'Step 1 of 3: Create the guest', "there is no domain 'first-guest' on host lab-first-guest");
    expect(ok(l, 'xl list').stdout.split('\n').filter((x) => x !== '')).toHaveLength(2);
  });
});
