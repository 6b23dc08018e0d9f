import { describe, expect, it } from 'vitest';
import { expectComplete, expectMissing, expectReset, learner, ok, startLab } from './learner';

describe('lab memory', () => {
  it('a learner balloons a guest, raises its maximum, watches dom0 autoballoon and runs out of memory', () => {
    const l = learner('memory');
    startLab(l, 'memory', 4);
    expectMissing(l, 'Step 1 of 4: Balloon a guest', "there is no domain 'small' on host lab-memory");

    ok(l, 'xl create small.cfg');
    expectMissing(l, 'Step 1 of 4: Balloon a guest', 'the memory target (memory/target) of \'small\' is 256 MiB; wanted = 384 MiB');
    ok(l, 'xl mem-set small 384 && xlsim clock advance 2s');
    expectMissing(l, 'Step 2 of 4: Go past the maximum', "the maximum memory (memory/static-max) of 'small' is 512 MiB; wanted >= 1024 MiB");

    const refused = l.sh('xl mem-set small 768');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('memory_dynamic_max must be less than or equal to memory_static_max');
    ok(l, 'xl mem-max small 1024 && xl mem-set small 768 && xlsim clock advance 2s');
    expectMissing(l, 'Step 3 of 4: Make dom0 give memory back', "there is no domain 'big' on host lab-memory");

    ok(l, 'xl create big.cfg && xlsim clock advance 2s');
    expectMissing(l, 'Step 4 of 4: Run out of memory', "there is no domain 'huge' on host lab-memory");
    const oom = l.sh('xl create huge.cfg');
    expect(oom.code).not.toBe(0);
    expect(oom.stderr).toContain('failed to free memory for the domain');
    ok(l, 'xl mem-set big 256 && xlsim clock advance 2s && xl create huge.cfg');
    expectComplete(l, 'memory', 4);

    expectReset(l, 'memory', 'Step 1 of 4: Balloon a guest', "there is no domain 'small' on host lab-memory");
  });
});
