import { describe, expect, it } from 'vitest';
import { expectComplete, expectMissing, expectReset, learner, ok, startLab } from './learner';

describe('lab guest-types', () => {
  it('a learner runs PV, PVH and HVM guests, inspects them and answers in xenstore', () => {
    const l = learner('guest-types');
    startLab(l, 'guest-types', 3);
    expectMissing(l, 'Step 1 of 3: Run the three guests', "there is no domain 'pv-guest' on host lab-guest-types", "there is no domain 'hvm-guest' on host lab-guest-types");

    ok(l, 'xl create pv.cfg && xl create pvh.cfg && xl create hvm.cfg');
    expectMissing(l, 'Step 2 of 3: What is emulated', 'nothing is written at /lab/emulation/lapic-only yet');

    expect(ok(l, 'xlsim inspect pvh-guest emulation').stdout).toContain('emulation_flags:   0x1\n');
    expect(ok(l, 'xlsim inspect hvm-guest emulation').stdout).toContain('emulation_flags:   0x1ff\n');
    ok(l, 'xenstore-write /lab/emulation/lapic-only pv-guest /lab/emulation/qemu hvm-guest /lab/emulation/hvm-flags 511');
    expectMissing(l, 'Step 2 of 3: What is emulated', "/lab/emulation/lapic-only holds 'pv-guest', which is not the right answer yet");
    ok(l, 'xenstore-write /lab/emulation/lapic-only pvh-guest');
    expectMissing(l, 'Step 3 of 3: Memory maps', 'nothing is written at /lab/memmap/mmio-hole yet');

    const map = ok(l, 'xlsim inspect hvm-guest memmap').stdout;
    expect(map).toContain('0x00000000f0000000-0x00000000fbffffff');
    expect(map).toContain('0x00000000fee00000-0x00000000fee00fff');
    expect(ok(l, 'xlsim inspect pv-guest memmap').stdout).toContain('XENMEM_memory_map: ENOSYS');
    ok(l, 'xenstore-write /lab/memmap/mmio-hole 0xF0000000 /lab/memmap/lapic 0xfee00000 /lab/memmap/pv-e820 enosys');
    expectComplete(l, 'guest-types', 3);

    expectReset(l, 'guest-types', 'Step 1 of 3: Run the three guests', "there is no domain 'pvh-guest' on host lab-guest-types");
    expect(l.sh('xenstore-read /lab/emulation/qemu').code).not.toBe(0);
  });
});
