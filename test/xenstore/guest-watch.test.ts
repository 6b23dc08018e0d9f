/**
 * A guest's PV drivers watch control/shutdown and control/sysrq, whoever
 * writes them: `xenstore-write` from dom0 reaches the guest as libxl's own
 * writes do. The driver clears the node (acknowledges) and acts; a paused
 * guest acts once it runs again.
 */
import { describe, expect, it } from 'vitest';
import { runTool } from '../helpers/cli';
import { HEADER, PV_CFG, manualHost, type Host } from '../lifecycle/transcript';

function xs(h: Host, tool: string, ...args: string[]) {
  return runTool(tool, args, { env: { XLSIM_HOME: h.home }, cwd: h.home });
}

function table(out: string): string {
  return out.replace(/ +\d+\.\d\n/g, ' T\n');
}

const WAITING = (domid: number) => `Waiting for domain pv1 (domid ${domid}) to die [pid 4321]\n`;

describe('xenstore-write to a guest control node', () => {
  it('control/shutdown poweroff: the guest acknowledges and powers off; xl destroys it', () => {
    const h = manualHost();
    expect(h.xl('create', '-q', h.cfg('pv1', PV_CFG)).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(xs(h, 'xenstore-write', '/local/domain/1/control/shutdown', 'poweroff')).toEqual({ stdout: '', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '200ms');
    expect(xs(h, 'xenstore-read', '/local/domain/1/control/shutdown')).toEqual({ stdout: '\n', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '5s');
    expect(h.log('pv1')).toBe(
      WAITING(1) + 'Domain 1 has shut down, reason code 0 0x0\nAction for shutdown reason code 0 is destroy\nDomain 1 needs to be cleaned up: destroying the domain\nDone. Exiting now\n',
    );
    expect(h.xl('list', 'pv1').code).toBe(1);
  });

  it('control/sysrq c: the guest panics (crash)', () => {
    const h = manualHost();
    expect(h.xl('create', '-q', h.cfg('pv1', PV_CFG)).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(xs(h, 'xenstore-write', '/local/domain/1/control/sysrq', 'c')).toEqual({ stdout: '', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '1s');
    expect(h.log('pv1')).toMatch(new RegExp(`^${WAITING(1).replace(/[()[\]]/g, '\\$&')}Domain 1 has shut down, reason code 3 0x3\n`));
  });

  it('a paused guest leaves the request in the node until it is unpaused', () => {
    const h = manualHost();
    expect(h.xl('create', '-q', h.cfg('pv1', PV_CFG)).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('pause', 'pv1').code).toBe(0);
    expect(xs(h, 'xenstore-write', '/local/domain/1/control/shutdown', 'reboot').code).toBe(0);
    h.xlsim('clock', 'advance', '10s');
    expect(xs(h, 'xenstore-read', '/local/domain/1/control/shutdown').stdout).toBe('reboot\n');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     --p--- T\n`);
    expect(h.xl('unpause', 'pv1').code).toBe(0);
    h.xlsim('clock', 'advance', '200ms');
    expect(xs(h, 'xenstore-read', '/local/domain/1/control/shutdown').stdout).toBe('\n');
    h.xlsim('clock', 'advance', '5s');
    expect(h.xl('domid', 'pv1')).toEqual({ stdout: '2\n', stderr: '', code: 0 });
  });

  it('other nodes wake nobody', () => {
    const h = manualHost();
    expect(h.xl('create', '-q', h.cfg('pv1', PV_CFG)).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(xs(h, 'xenstore-write', '/local/domain/1/control/shutdownx', 'poweroff').code).toBe(0);
    h.xlsim('clock', 'advance', '5s');
    expect(h.log('pv1')).toBe(WAITING(1));
  });
});
