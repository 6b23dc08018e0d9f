import { describe, expect, it } from 'vitest';
import { expectComplete, expectMissing, expectReset, learner, ok, startLab } from './learner';

describe('lab altp2m', () => {
  it('a learner activates altp2m, builds an rx view, switches the guest, locks a page and catches a write', () => {
    const l = learner('altp2m');
    startLab(l, 'altp2m', 5);
    expectMissing(l, 'Step 1 of 5: Turn altp2m on', "altp2m is not active on 'watched' (mode external)");

    ok(l, 'xlsim altp2m watched on');
    expectMissing(l, 'Step 2 of 5: Create a read-only view', "'watched' has no view with default access rx (views: only 0)");
    expect(ok(l, 'xlsim altp2m watched create-view --default-access rwx').stdout).toBe('altp2m view created with id 1\n');
    expectMissing(l, 'Step 2 of 5: Create a read-only view', "'watched' has no view with default access rx (views: 1:rwx)");
    expect(ok(l, 'xlsim altp2m watched create-view --default-access rx').stdout).toBe('altp2m view created with id 2\n');
    expectMissing(l, 'Step 3 of 5: Switch the guest into it', "not every vCPU of 'watched' runs in a view with default access rx: vCPU 0 in view 0, vCPU 1 in view 0");

    ok(l, 'xlsim altp2m watched switch 2');
    expectMissing(l, 'Step 4 of 5: Lock one page completely', "gfn 0x2000 of 'watched' is not n in any view yet");
    ok(l, 'xlsim altp2m watched set-access 2 0x2000 n');
    expectMissing(l, 'Step 5 of 5: Catch the guest writing', "'watched' raised 0 mem_access event(s); wanted >= 1");

    expect(ok(l, 'xlsim altp2m watched touch 0x1000 w').stdout).toContain('violates rx: mem_access event 1 queued');
    expect(ok(l, 'xlsim altp2m watched listen').stdout).toContain('PAGE ACCESS: -w- for GFN 1000');
    expectComplete(l, 'altp2m', 5);

    expectReset(l, 'altp2m', 'Step 1 of 5: Turn altp2m on', "altp2m is not active on 'watched' (mode external)");
  });
});
