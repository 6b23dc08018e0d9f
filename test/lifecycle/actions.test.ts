/**
 * The monitor's on_* actions (xl_vmcontrol.c handle_domain_death): what
 * each does to the domain, the lines it writes to xl-<name>.log, the 2 s
 * restart delay with a new domid, core files under the host's dump dir.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADER, PVH_CFG, PV_CFG, manualHost } from './transcript';

function table(out: string): string {
  return out.replace(/ +\d+\.\d\n/g, ' T\n');
}

describe('reboot of a monitored guest', () => {
  const h = manualHost();
  const cfg = h.cfg('pv1', PV_CFG);
  it('is destroyed, then re-created 2 s later under a new domid', () => {
    expect(h.xl('create', cfg).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('reboot', 'pv1')).toEqual({ stdout: '', stderr: 'Rebooting domain 1\n', code: 0 });
    // the guest's shutdown scripts run for 3 s
    h.xlsim('clock', 'advance', '3500ms');
    expect(table(h.xl('list').stdout)).toBe(`${HEADER}Domain-0                                     0  2048     2     r----- T\n`);
    h.xlsim('clock', 'advance', '2s');
    expect(table(h.xl('list').stdout)).toBe(
      `${HEADER}Domain-0                                     0  2048     2     r----- T\npv1                                          2   512     2     r----- T\n`,
    );
    expect(h.log('pv1')).toBe(
      'Waiting for domain pv1 (domid 1) to die [pid 4321]\n' +
        'Domain 1 has shut down, reason code 1 0x1\n' +
        'Action for shutdown reason code 1 is restart\n' +
        'Domain 1 needs to be cleaned up: destroying the domain\n' +
        'Done. Rebooting now\n' +
        'Waiting for domain pv1 (domid 2) to die [pid 4321]\n',
    );
    expect(h.xlsim('check').code).toBe(0);
  });
  it('a guest created with -e is not restarted: it stays shut down', () => {
    const cfg2 = h.cfg('pv2', PV_CFG.replace('"pv1"', '"pv2"'));
    expect(h.xl('create', '-e', cfg2).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xlsim('guest', 'pv2', 'reboot')).toEqual({ stdout: 'pv2 (domid 3): reboot\n', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '5s');
    expect(table(h.xl('list', 'pv2').stdout)).toBe(`${HEADER}pv2                                          3   512     2     ---sr- T\n`);
    expect(h.log('pv2')).toBe('');
    expect(h.xl('destroy', 'pv2')).toEqual({ stdout: '', stderr: '', code: 0 });
  });
});

describe('a renamed guest that reboots', () => {
  it('comes back under its new name (the stored config carries the live name)', () => {
    const h = manualHost();
    const cfg = h.cfg('pv1', PV_CFG);
    expect(h.xl('create', cfg).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('rename', 'pv1', 'web').code).toBe(0);
    expect(h.xlsim('guest', 'web', 'reboot')).toEqual({ stdout: 'web (domid 1): reboot\n', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '2s');
    expect(table(h.xl('list', 'web').stdout)).toBe(`${HEADER}web                                          2   512     2     r----- T\n`);
    expect(h.log('pv1')).toBe(
      'Waiting for domain pv1 (domid 1) to die [pid 4321]\n' +
        'Domain 1 has shut down, reason code 1 0x1\n' +
        'Action for shutdown reason code 1 is restart\n' +
        'Domain 1 needs to be cleaned up: destroying the domain\n' +
        'Done. Rebooting now\n' +
        'Waiting for domain web (domid 2) to die [pid 4321]\n',
    );
  });
});

const RESTARTED = (name: string, old: number, action: string, extra: string, next: number): string =>
  `Waiting for domain ${name} (domid ${old}) to die [pid 4321]\n` +
  `Domain ${old} has shut down, reason code 3 0x3\n` +
  `Action for shutdown reason code 3 is ${action}\n` +
  extra +
  'Done. Rebooting now\n' +
  `Waiting for domain ${name} (domid ${next}) to die [pid 4321]\n`;

describe('on_crash actions', () => {
  const cases: Array<{ action: string; expectLog: (dump: string) => string; expectList: string }> = [
    {
      action: 'destroy',
      expectLog: () =>
        'Waiting for domain c (domid 1) to die [pid 4321]\nDomain 1 has shut down, reason code 3 0x3\nAction for shutdown reason code 3 is destroy\n' +
        'Domain 1 needs to be cleaned up: destroying the domain\nDone. Exiting now\n',
      expectList: '',
    },
    {
      action: 'restart',
      expectLog: () => RESTARTED('c', 1, 'restart', 'Domain 1 needs to be cleaned up: destroying the domain\n', 2),
      expectList: 'c                                            2   256     1     r----- T\n',
    },
    {
      action: 'rename-restart',
      expectLog: () => RESTARTED('c', 1, 'rename-restart', 'Preserving domain 1 c with suffix-20260101T0000Z\n', 2),
      expectList:
        'c-20260101T0000Z                             1   256     1     ---sc- T\nc                                            2   256     1     r----- T\n',
    },
    {
      action: 'preserve',
      expectLog: () =>
        'Waiting for domain c (domid 1) to die [pid 4321]\nDomain 1 has shut down, reason code 3 0x3\nAction for shutdown reason code 3 is preserve\nDone. Exiting now\n',
      expectList: 'c                                            1   256     1     ---sc- T\n',
    },
    {
      action: 'coredump-destroy',
      expectLog: (dump) =>
        'Waiting for domain c (domid 1) to die [pid 4321]\nDomain 1 has shut down, reason code 3 0x3\nAction for shutdown reason code 3 is coredump-destroy\n' +
        `dumping core to ${dump}\nDomain 1 needs to be cleaned up: destroying the domain\nDone. Exiting now\n`,
      expectList: '',
    },
    {
      action: 'coredump-restart',
      expectLog: (dump) => RESTARTED('c', 1, 'coredump-restart', `dumping core to ${dump}\nDomain 1 needs to be cleaned up: destroying the domain\n`, 2),
      expectList: 'c                                            2   256     1     r----- T\n',
    },
    {
      action: 'soft-reset',
      expectLog: () => RESTARTED('c', 1, 'soft-reset', '', 1),
      expectList: 'c                                            1   256     1     r----- T\n',
    },
  ];
  for (const c of cases) {
    it(`on_crash="${c.action}"`, () => {
      const h = manualHost();
      const cfg = h.cfg('c', PVH_CFG.replace('"pvh1"', '"c"') + `on_crash = "${c.action}"\n`);
      expect(h.xl('create', cfg).code).toBe(0);
      h.xlsim('clock', 'advance', '3s');
      expect(h.xlsim('guest', 'c', 'crash')).toEqual({ stdout: 'c (domid 1): crash\n', stderr: '', code: 0 });
      h.xlsim('clock', 'advance', '2500ms');
      const dump = path.join(h.dir, 'dump', 'c');
      expect(h.log('c')).toBe(c.expectLog(dump));
      const list = h.xl('list');
      expect(table(list.stdout)).toBe(`${HEADER}Domain-0                                     0  2048     2     r----- T\n${c.expectList}`);
      if (c.action.startsWith('coredump')) {
        expect(fs.readFileSync(dump).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      } else {
        expect(fs.existsSync(dump)).toBe(false);
      }
      expect(h.xlsim('check')).toEqual({ stdout: 'xlsim check: host is consistent\n', stderr: '', code: 0 });
    });
  }
});
