/**
 * HVM guests and the PV control interface: no graceful shutdown before the
 * OS has loaded its PV drivers, none at all for an OS without them unless
 * -F falls back to the ACPI buttons; memory = target + paging pool.
 */
import { describe, expect, it } from 'vitest';
import { HEADER, HVM_CFG, manualHost } from './transcript';

function table(out: string): string {
  return out.replace(/ +\d+\.\d\n/g, ' T\n');
}

describe('HVM guest with PV drivers', () => {
  const h = manualHost();
  const cfg = h.cfg('hvm1', HVM_CFG);
  it('takes memory plus its paging pool (4 KiB x (256 per vCPU + 1 per MiB))', () => {
    const before = Number(h.xl('info', 'free_memory').stdout);
    expect(h.xl('create', cfg)).toEqual({ stdout: '', stderr: `Parsing config from ${cfg}\n`, code: 0 });
    expect(Number(h.xl('info', 'free_memory').stdout)).toBe(before - 1024 - 6);
  });
  it('cannot be shut down gracefully while its OS is still booting', () => {
    expect(h.xl('shutdown', 'hvm1')).toEqual({
      stdout: '',
      stderr:
        'Shutting down domain 1\n' +
        'PV control interface not available: external graceful shutdown not possible.\n' +
        'Use "-F" to fallback to ACPI power event.\n' +
        'shutdown failed (rc=-10)\n',
      code: 1,
    });
  });
  it('shuts down with -w once booted', () => {
    h.xlsim('clock', 'advance', '9s');
    expect(h.xl('shutdown', '-w', 'hvm1')).toEqual({
      stdout: '',
      stderr: 'Shutting down domain 1\nWaiting for 1 domains\nDomain 1 has been shut down, reason code 0\n',
      code: 0,
    });
    expect(table(h.xl('list').stdout)).toBe(`${HEADER}Domain-0                                     0  2048     2     r----- T\n`);
    expect(h.xlsim('check').code).toBe(0);
  });
});

describe('HVM guest without PV drivers', () => {
  const h = manualHost();
  const cfg = h.cfg('hvm1', HVM_CFG);
  it('is set up paused, drivers removed, then started and booted', () => {
    expect(h.xl('create', '-p', cfg).code).toBe(0);
    expect(table(h.xl('list', 'hvm1').stdout)).toBe(`${HEADER}hvm1                                         1  1024     2     --p--- T\n`);
    expect(h.xlsim('guest', 'hvm1', 'pv-drivers', 'off')).toEqual({ stdout: 'hvm1 (domid 1): PV drivers off\n', stderr: '', code: 0 });
    expect(h.xl('unpause', 'hvm1').code).toBe(0);
    h.xlsim('clock', 'advance', '9s');
    expect(table(h.xl('list', 'hvm1').stdout)).toBe(`${HEADER}hvm1                                         1  1024     2     -b---- T\n`);
  });
  it('shutdown without -F fails with rc=-10', () => {
    expect(h.xl('shutdown', 'hvm1')).toEqual({
      stdout: '',
      stderr:
        'Shutting down domain 1\n' +
        'PV control interface not available: external graceful shutdown not possible.\n' +
        'Use "-F" to fallback to ACPI power event.\n' +
        'shutdown failed (rc=-10)\n',
      code: 1,
    });
    expect(h.xl('reboot', 'hvm1')).toEqual({
      stdout: '',
      stderr:
        'Rebooting domain 1\n' +
        'PV control interface not available: external graceful reboot not possible.\n' +
        'Use "-F" to fallback to ACPI reset event.\n' +
        'reboot failed (rc=-10)\n',
      code: 1,
    });
  });
  it('shutdown -F presses the ACPI power button; the OS powers off a little later', () => {
    expect(h.xl('shutdown', '-F', 'hvm1')).toEqual({
      stdout: '',
      stderr: 'Shutting down domain 1\nPV control interface not available: sending ACPI power button event.\n',
      code: 0,
    });
    expect(table(h.xl('list', 'hvm1').stdout)).toBe(`${HEADER}hvm1                                         1  1024     2     -b---- T\n`);
    h.xlsim('clock', 'advance', '5s');
    expect(h.xl('list', 'hvm1').code).toBe(1);
    expect(h.log('hvm1')).toBe(
      'Waiting for domain hvm1 (domid 1) to die [pid 4321]\n' +
        'Domain 1 has shut down, reason code 0 0x0\n' +
        'Action for shutdown reason code 0 is destroy\n' +
        'Domain 1 needs to be cleaned up: destroying the domain\n' +
        'Done. Exiting now\n',
    );
    expect(h.xlsim('check').code).toBe(0);
  });
});
