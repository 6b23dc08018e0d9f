/**
 * `xlsim guest D <action>` stages what a guest OS does on its own. A guest
 * the toolstack holds paused does nothing on its own (its vCPUs do not
 * run), so poweroff, reboot, crash, halt and hang are refused and change
 * nothing; the watchdog is Xen's timer and fires on a paused domain too.
 */
import { describe, expect, it } from 'vitest';
import { HEADER, PV_CFG, manualHost } from '../lifecycle/transcript';

function table(out: string): string {
  return out.replace(/ +\d+\.\d\n/g, ' T\n');
}

describe('guest actions on a paused guest', () => {
  const h = manualHost();
  const WAITING = 'Waiting for domain pv1 (domid 1) to die [pid 4321]\n';
  it('are refused with exit 1, and the guest stays as it was', () => {
    expect(h.xl('create', '-q', h.cfg('pv1', PV_CFG)).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('pause', 'pv1').code).toBe(0);
    for (const action of ['poweroff', 'reboot', 'crash', 'halt', 'hang']) {
      expect(h.xlsim('guest', 'pv1', action)).toEqual({
        stdout: '',
        stderr: `xlsim: pv1 (domid 1) is paused: its vCPUs do not run, so it cannot ${action} by itself (unpause it first)\n`,
        code: 1,
      });
    }
    h.xlsim('clock', 'advance', '10s');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     --p--- T\n`);
    expect(h.log('pv1')).toBe(WAITING);
  });
  it('once unpaused the guest runs normally and can crash', () => {
    expect(h.xl('unpause', 'pv1').code).toBe(0);
    h.xlsim('clock', 'advance', '1s');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     -b---- T\n`);
    expect(h.xlsim('guest', 'pv1', 'crash')).toEqual({ stdout: 'pv1 (domid 1): crash\n', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '1s');
    expect(h.log('pv1')).toMatch(/^Waiting for domain pv1 \(domid 1\) to die \[pid 4321\]\nDomain 1 has shut down, reason code 3 0x3\n/);
  });
  it('the watchdog still fires on a paused guest', () => {
    expect(h.xl('create', '-q', h.cfg('pv2', PV_CFG.replace('"pv1"', '"pv2"'))).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('pause', 'pv2').code).toBe(0);
    expect(h.xlsim('guest', 'pv2', 'watchdog')).toEqual({ stdout: 'pv2 (domid 2): watchdog\n', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '1s');
    expect(h.log('pv2')).toMatch(/Domain \d+ has shut down, reason code 4 0x4\n/);
  });
});
