import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool, tmpHome, xl } from '../helpers/cli';

// xlsim guest D hang: the kernel spins, its xenbus watches stop answering
describe('a hung guest', () => {
  const home = tmpHome();
  const env = { XLSIM_HOME: home, XLSIM_HOST: 'm' };
  const xlsim = (...a: string[]) => runTool('xlsim', a, { env });
  const cfg = path.join(home, 'pv1.cfg');
  fs.writeFileSync(cfg, 'name="pv1"\nkernel="/boot/vmlinuz"\nmemory=512\nvcpus=2\n');
  const row = (r: { stdout: string }) => r.stdout.split('\n')[1]!.replace(/\s+\S+$/, '');

  it('spins, ignores the shutdown request, and is still destroyed by the toolstack', () => {
    expect(xlsim('host', 'create', 'm', '--clock', 'manual', '--seed', '1').code).toBe(0);
    expect(xl(['create', '-q', cfg], { env })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(xlsim('clock', 'advance', '5s').code).toBe(0);
    expect(row(xl(['list', 'pv1'], { env }))).toBe('pv1                                          1   512     2     -b----');
    expect(xlsim('guest', 'pv1', 'hang')).toEqual({ code: 0, stdout: 'pv1 (domid 1): hang\n', stderr: '' });
    expect(xlsim('clock', 'advance', '1s').code).toBe(0);
    // the vCPUs spin: running, no longer blocked
    expect(row(xl(['list', 'pv1'], { env }))).toBe('pv1                                          1   512     2     r-----');
    expect(xl(['shutdown', 'pv1'], { env })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Shutting down domain 1\n' +
        "libxl: error: libxl_domain.c:852:pvcontrol_cb: guest didn't acknowledge control request: -9\n" +
        'shutdown failed (rc=-9)\n',
    });
    expect(xl(['destroy', 'pv1'], { env })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(xlsim('check')).toEqual({ code: 0, stdout: 'xlsim check: host is consistent\n', stderr: '' });
    expect(xlsim('guest', 'pv1', 'hang')).toEqual({ code: 1, stdout: '', stderr: "xlsim: no such domain 'pv1'\n" });
  });
});

describe('workload from the lab console', () => {
  const home = tmpHome();
  const env = { XLSIM_HOME: home, XLSIM_HOST: 'w' };
  const xlsim = (...a: string[]) => runTool('xlsim', a, { env });
  const cfg = path.join(home, 'pv2.cfg');
  fs.writeFileSync(cfg, 'name="pv2"\nkernel="/boot/vmlinuz"\nmemory=512\n');

  it('starts with --dirty-rate/--wss and stops with idle; bad forms are refused', () => {
    expect(xlsim('host', 'create', 'w', '--clock', 'manual', '--seed', '1').code).toBe(0);
    expect(xl(['create', '-q', cfg], { env }).code).toBe(0);
    expect(xlsim('clock', 'advance', '5s').code).toBe(0);
    expect(xlsim('guest', 'pv2', 'workload', '--dirty-rate', '1000', '--wss', '64M')).toEqual({
      code: 0,
      stdout: 'pv2 (domid 1): workload 1000 pages/s over 16384 pages\n',
      stderr: '',
    });
    expect(xlsim('guest', 'pv2', 'workload', 'idle')).toEqual({ code: 0, stdout: 'pv2 (domid 1): workload stopped\n', stderr: '' });
    expect(xlsim('guest', 'pv2', 'workload', 'idle', '--wss', '1G')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'xlsim: workload idle takes no --dirty-rate or --wss\n',
    });
    expect(xlsim('guest', 'pv2', 'workload', 'busy')).toEqual({
      code: 1,
      stdout: '',
      stderr: "xlsim: unknown workload 'busy' (expected idle, --dirty-rate and --wss, or I/O rates)\n",
    });
  });
});

describe('xl create -V without a display', () => {
  it('creates the domain; the viewer child reports that there is no VNC port', () => {
    const home = tmpHome();
    const env = { XLSIM_HOME: home, XLSIM_HOST: 'v' };
    expect(runTool('xlsim', ['host', 'create', 'v', '--clock', 'manual', '--seed', '1'], { env }).code).toBe(0);
    expect(xl(['create', '-V', 'configs/hvm-guest.cfg'], { env })).toEqual({
      code: 0,
      stdout: '',
      stderr: 'Parsing config from configs/hvm-guest.cfg\nlibxl: error: libxl_console.c:215:libxl_vncviewer_exec: Domain 1:Cannot get vnc-port\n',
    });
    expect(xl(['domid', 'hvm-guest'], { env })).toEqual({ code: 0, stdout: '1\n', stderr: '' });
  });
});
