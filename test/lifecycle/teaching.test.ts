/**
 * The teaching transcript of the reference (xl-commands.md §11), step by
 * step on a manual-clock host (CPU times masked: they are illustrative
 * there), plus magic SysRq reaching the guest.
 */
import { describe, expect, it } from 'vitest';
import { HEADER, manualHost } from './transcript';

function table(out: string): string {
  return out.replace(/ +\d+\.\d\n/g, ' T\n');
}

const WEB1 = `name = "web1"
kernel = "/boot/vmlinuz-6.1"
memory = 512
vcpus = 2
vif = [ 'bridge=xenbr0' ]
`;

describe('teaching transcript', () => {
  const h = manualHost();
  const cfg = h.cfg('web1', WEB1);
  const dom0 = 'Domain-0                                     0  2048     2     r----- T\n';
  it('runs as the reference shows', () => {
    expect(table(h.xl('list').stdout)).toBe(HEADER + dom0);
    expect(h.xl('create', cfg)).toEqual({ stdout: '', stderr: `Parsing config from ${cfg}\n`, code: 0 });
    h.xlsim('clock', 'advance', '5s');
    expect(table(h.xl('list').stdout)).toBe(HEADER + dom0 + 'web1                                         1   512     2     -b---- T\n');
    expect(h.xl('domid', 'web1')).toEqual({ stdout: '1\n', stderr: '', code: 0 });
    expect(h.xl('pause', 'web1')).toEqual({ stdout: '', stderr: '', code: 0 });
    // the reference shows --p---; an idle guest paused keeps VPF_blocked in the model (Xen does not clear it)
    expect(table(h.xl('list', 'web1').stdout)).toBe(HEADER + 'web1                                         1   512     2     --p--- T\n');
    expect(h.xl('unpause', 'web1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('mem-set', 'web1', '256')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('vcpu-set', 'web1', '1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('shutdown', '-w', 'web1')).toEqual({
      stdout: '',
      stderr: 'Shutting down domain 1\nWaiting for 1 domains\nDomain 1 has been shut down, reason code 0\n',
      code: 0,
    });
    expect(h.xl('list', 'web1')).toEqual({ stdout: '', stderr: 'web1 is an invalid domain identifier (rc=-6)\n', code: 1 });
    expect(h.xlsim('check').code).toBe(0);
  });
  it('xl sysrq o: the guest powers itself off; its monitor cleans up', () => {
    expect(h.xl('create', cfg).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('sysrq', 'web1', 'o')).toEqual({ stdout: '', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '1s');
    expect(table(h.xl('list').stdout)).toBe(HEADER + dom0);
    expect(h.log('web1')).toBe(
      'Waiting for domain web1 (domid 2) to die [pid 4322]\n' +
        'Domain 2 has shut down, reason code 0 0x0\n' +
        'Action for shutdown reason code 0 is destroy\n' +
        'Domain 2 needs to be cleaned up: destroying the domain\n' +
        'Done. Exiting now\n',
    );
  });
});
