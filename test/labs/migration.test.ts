import { describe, expect, it } from 'vitest';
import { expectComplete, expectMissing, expectReset, learner, ok, startLab } from './learner';

describe('lab migration', () => {
  it('a learner migrates a quiet guest (converges) and a busy one (iteration cap) and compares downtime', () => {
    const l = learner('migration');
    startLab(l, 'migration', 3);
    expectMissing(l, 'Step 1 of 3: Migrate a quiet guest', "there is no domain 'quiet' on host lab-migrate-b", "'quiet' still exists (domid 1)", "'quiet' has not been live-migrated from lab-migrate-a to lab-migrate-b yet");

    const m = ok(l, 'xl migrate quiet lab-migrate-b');
    expect(m.stderr).toContain('Migration successful.');
    expectMissing(l, 'Step 2 of 3: Migrate a busy guest', "there is no domain 'busy' on host lab-migrate-b");

    // migrated without its workload, busy converges too: the check says so
    ok(l, 'xl migrate busy lab-migrate-b && XLSIM_HOST=lab-migrate-b xl migrate busy lab-migrate-a');
    expectMissing(l, 'Step 2 of 3: Migrate a busy guest', "'busy' went to lab-migrate-b, but its pre-copy converged");

    ok(l, 'xlsim guest busy workload --dirty-rate 200MiB/s --wss 256MiB && xl migrate busy lab-migrate-b');
    expectMissing(l, 'Step 3 of 3: Compare the downtime', 'nothing is written at /lab/migration/longer-downtime yet');

    const ev = ok(l, 'xlsim events').stdout;
    expect(ev).toMatch(/live migration to lab-migrate-b: 5 live iteration\(s\)/);
    ok(l, 'xenstore-write /lab/migration/longer-downtime busy /lab/migration/busy-rounds 5');
    expectComplete(l, 'migration', 3);

    expectReset(l, 'migration', 'Step 1 of 3: Migrate a quiet guest', "there is no domain 'quiet' on host lab-migrate-b");
    expect(l.sh('XLSIM_HOST=lab-migrate-b xl list').stdout).not.toContain('busy');
  });
});
