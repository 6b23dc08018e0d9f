/**
 * Graceful requests to a guest the toolstack holds paused. libxl only
 * writes control/shutdown and waits 60 s for the guest to clear it; a
 * paused guest cannot, so xl fails with rc=-9 and the request stays in
 * the node — the guest acts on it as soon as it is unpaused. ACPI buttons
 * (-F) and balloon targets wait for the unpause the same way.
 */
import { describe, expect, it } from 'vitest';
import { runTool } from '../helpers/cli';
import { clockNow, controlShutdown, HEADER, HVM_CFG, PVH_CFG, PV_CFG, manualHost } from './transcript';

function table(out: string): string {
  return out.replace(/ +\d+\.\d\n/g, ' T\n');
}

const TIMEOUT = "libxl: error: libxl_domain.c:852:pvcontrol_cb: guest didn't acknowledge control request: -9\n";


describe('xl reboot of a paused PV guest', () => {
  const h = manualHost();
  const cfg = h.cfg('pv1', PV_CFG);
  it('times out after 60 s with rc=-9; the guest stays paused and the request stays written', () => {
    expect(h.xl('create', '-q', cfg).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('pause', 'pv1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('reboot', 'pv1')).toEqual({ stdout: '', stderr: `Rebooting domain 1\n${TIMEOUT}reboot failed (rc=-9)\n`, code: 1 });
    expect(clockNow(h)).toBe('63.000000000');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     --p--- T\n`);
    expect(controlShutdown(h, 1)).toBe('reboot\n');
    // however long it stays paused, nothing happens
    h.xlsim('clock', 'advance', '1m');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     --p--- T\n`);
    expect(h.log('pv1')).toBe('Waiting for domain pv1 (domid 1) to die [pid 4321]\n');
  });
  it('the unpause succeeds, and the guest then acknowledges and reboots into a new domid', () => {
    expect(h.xl('unpause', 'pv1')).toEqual({ stdout: '', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '200ms');
    expect(controlShutdown(h, 1)).toBe('\n');
    h.xlsim('clock', 'advance', '5s');
    expect(h.log('pv1')).toBe(
      'Waiting for domain pv1 (domid 1) to die [pid 4321]\n' +
        'Domain 1 has shut down, reason code 1 0x1\n' +
        'Action for shutdown reason code 1 is restart\n' +
        'Domain 1 needs to be cleaned up: destroying the domain\n' +
        'Done. Rebooting now\n' +
        'Waiting for domain pv1 (domid 2) to die [pid 4321]\n',
    );
    expect(h.xl('domid', 'pv1')).toEqual({ stdout: '2\n', stderr: '', code: 0 });
    // the new domain runs: a further unpause is the usual EINVAL
    expect(h.xl('unpause', 'pv1')).toEqual({
      stdout: '',
      stderr: 'libxl: error: libxl_domain.c:686:domain_unpause_done: Domain 2:Unpausing domain: Invalid argument\n',
      code: 0,
    });
    expect(h.xlsim('check').code).toBe(0);
  });
});

describe('xl shutdown -w of a paused PVH guest', () => {
  const h = manualHost();
  const cfg = h.cfg('pvh1', PVH_CFG);
  it('fails before it would wait; two pauses need two unpauses before the guest powers off', () => {
    expect(h.xl('create', '-q', cfg).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('pause', 'pvh1').code).toBe(0);
    expect(h.xl('pause', 'pvh1').code).toBe(0);
    expect(h.xl('shutdown', '-w', 'pvh1')).toEqual({ stdout: '', stderr: `Shutting down domain 1\n${TIMEOUT}shutdown failed (rc=-9)\n`, code: 1 });
    expect(h.xl('unpause', 'pvh1').code).toBe(0);
    h.xlsim('clock', 'advance', '10s');
    expect(table(h.xl('list', 'pvh1').stdout)).toBe(`${HEADER}pvh1                                         1   256     1     --p--- T\n`);
    expect(controlShutdown(h, 1)).toBe('poweroff\n');
    expect(h.xl('unpause', 'pvh1').code).toBe(0);
    h.xlsim('clock', 'advance', '4s');
    expect(h.xl('list', 'pvh1')).toEqual({ stdout: '', stderr: 'pvh1 is an invalid domain identifier (rc=-6)\n', code: 1 });
    expect(h.log('pvh1')).toContain('Domain 1 has shut down, reason code 0 0x0\nAction for shutdown reason code 0 is destroy\n');
  });
});

describe('a guest paused halfway through its shutdown', () => {
  const h = manualHost();
  const cfg = h.cfg('pv1', PV_CFG);
  it('finishes the rest of it only once unpaused', () => {
    expect(h.xl('create', '-q', cfg).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    // acknowledged at once; the OS needs another 3 s to go down
    expect(h.xl('shutdown', 'pv1')).toEqual({ stdout: '', stderr: 'Shutting down domain 1\n', code: 0 });
    h.xlsim('clock', 'advance', '1s');
    expect(h.xl('pause', 'pv1').code).toBe(0);
    h.xlsim('clock', 'advance', '30s');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     --p--- T\n`);
    expect(h.xl('unpause', 'pv1').code).toBe(0);
    h.xlsim('clock', 'advance', '1s');
    expect(h.xl('list', 'pv1').code).toBe(0);
    h.xlsim('clock', 'advance', '2s');
    expect(h.xl('list', 'pv1').code).toBe(1);
    expect(h.xlsim('check').code).toBe(0);
  });
});

describe('HVM guests, paused', () => {
  const h = manualHost();
  const cfg = h.cfg('hvm1', HVM_CFG);
  it('with PV drivers: reboot times out like PV', () => {
    expect(h.xl('create', '-q', cfg).code).toBe(0);
    h.xlsim('clock', 'advance', '9s');
    expect(h.xl('pause', 'hvm1').code).toBe(0);
    expect(h.xl('reboot', 'hvm1')).toEqual({ stdout: '', stderr: `Rebooting domain 1\n${TIMEOUT}reboot failed (rc=-9)\n`, code: 1 });
    expect(controlShutdown(h, 1)).toBe('reboot\n');
  });
  it('without PV drivers: no control interface, paused or not', () => {
    expect(h.xlsim('guest', 'hvm1', 'pv-drivers', 'off').code).toBe(0);
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
  it('-F presses the power button at once; the paused OS reacts after the unpause', () => {
    expect(h.xl('shutdown', '-F', 'hvm1')).toEqual({
      stdout: '',
      stderr: 'Shutting down domain 1\nPV control interface not available: sending ACPI power button event.\n',
      code: 0,
    });
    h.xlsim('clock', 'advance', '30s');
    expect(table(h.xl('list', 'hvm1').stdout)).toBe(`${HEADER}hvm1                                         1  1024     2     --p--- T\n`);
    expect(h.xl('unpause', 'hvm1').code).toBe(0);
    h.xlsim('clock', 'advance', '3500ms');
    expect(h.xl('list', 'hvm1').code).toBe(0);
    h.xlsim('clock', 'advance', '1s');
    expect(h.xl('list', 'hvm1').code).toBe(1);
    expect(h.log('hvm1')).toContain('Domain 1 has shut down, reason code 0 0x0\n');
  });
});

describe('reboot -F of an HVM guest without PV drivers', () => {
  const h = manualHost();
  const cfg = h.cfg('hvm1', HVM_CFG);
  it('fails: x86 Xen implements no reset trigger (ENOSYS), so rc=-3 and the guest runs on', () => {
    expect(h.xl('create', '-q', '-p', cfg).code).toBe(0);
    expect(h.xlsim('guest', 'hvm1', 'pv-drivers', 'off').code).toBe(0);
    expect(h.xl('unpause', 'hvm1').code).toBe(0);
    h.xlsim('clock', 'advance', '9s');
    expect(h.xl('reboot', '-F', 'hvm1')).toEqual({
      stdout: '',
      stderr:
        'Rebooting domain 1\n' +
        'PV control interface not available: sending ACPI reset button event.\n' +
        "libxl: error: libxl_domain.c:2200:libxl_send_trigger: Domain 1:Send trigger 'reset' failed: Function not implemented\n" +
        'reboot failed (rc=-3)\n',
      code: 1,
    });
    h.xlsim('clock', 'advance', '10s');
    expect(table(h.xl('list', 'hvm1').stdout)).toBe(`${HEADER}hvm1                                         1  1024     2     -b---- T\n`);
    expect(h.log('hvm1')).toBe('Waiting for domain hvm1 (domid 1) to die [pid 4321]\n');
  });
});

describe('a balloon target set while paused', () => {
  const h = manualHost();
  const cfg = h.cfg('pv1', PV_CFG);
  it('is reached only after the unpause', () => {
    expect(h.xl('create', '-q', cfg).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('pause', 'pv1').code).toBe(0);
    expect(h.xl('mem-set', 'pv1', '256')).toEqual({ stdout: '', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '5s');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     --p--- T\n`);
    expect(h.xl('unpause', 'pv1').code).toBe(0);
    h.xlsim('clock', 'advance', '2s');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   256     2     -b---- T\n`);
  });
});

describe('vcpu-set on a paused guest', () => {
  const h = manualHost();
  const cfg = h.cfg('pv1', PV_CFG);
  it('the new availability is written at once; the guest brings its vCPUs in line after the unpause', () => {
    expect(h.xl('create', '-q', cfg).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('pause', 'pv1').code).toBe(0);
    expect(h.xl('vcpu-set', 'pv1', '1')).toEqual({ stdout: '', stderr: '', code: 0 });
    const avail = runTool('xenstore-read', ['/local/domain/1/cpu/1/availability'], { env: { XLSIM_HOME: h.home }, cwd: h.home });
    expect(avail.stdout).toBe('offline\n');
    h.xlsim('clock', 'advance', '5s');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     --p--- T\n`);
    expect(h.xl('unpause', 'pv1').code).toBe(0);
    h.xlsim('clock', 'advance', '1s');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     1     -b---- T\n`);
  });
});
