/**
 * Guest-facing xl commands on a manual clock: the guest's reaction shows on
 * its console (SysRq keys, the ACPI power button, xl shutdown), and the
 * shutdown reaches the domain's on_* action through the hypervisor.
 */
import { describe, expect, it } from 'vitest';
import { lab, XLSIM } from './helpers';

function booted(cfg: string, extra: string[] = []) {
  const l = lab();
  expect(l.xl(['create', cfg, ...extra]).code).toBe(0);
  expect(l.sh(`${XLSIM} clock advance 30s`).code).toBe(0);
  // read what the boot printed, so each test sees only its own output
  expect(l.xl(['console', cfg.includes('hvm') ? 'hvm-guest' : 'pv-guest']).code).toBe(0);
  return l;
}

describe('xl sysrq', () => {
  it('the guest kernel answers a key on its console', () => {
    const l = booted('configs/hvm-guest.cfg');
    expect(l.xl(['sysrq', 'hvm-guest', 'h'])).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(l.sh(`${XLSIM} clock advance 1s`).code).toBe(0);
    const out = l.xl(['console', 'hvm-guest']).stdout;
    expect(out).toMatch(/^\[ +\d+\.\d{6}\] sysrq: HELP : loglevel\(0-9\) reboot\(b\) crash\(c\) /);
  });

  it('c crashes the kernel: SCHEDOP_shutdown(crash), and on_crash="restart" brings a new domain', () => {
    const l = booted('configs/pv-guest.cfg', ['extra="console=hvc0"']);
    expect(l.xl(['domid', 'pv-guest']).stdout).toBe('1\n');
    expect(l.xl(['sysrq', 'pv-guest', 'c']).code).toBe(0);
    const out = l.xl(['console', 'pv-guest']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('sysrq: Trigger a crash\r\n');
    expect(out.stdout).toContain('Kernel panic - not syncing: sysrq triggered crash\r\n');
    // xl's monitor restarts it a moment later under a new domid
    expect(l.sh(`${XLSIM} clock advance 5s`).code).toBe(0);
    expect(l.xl(['domid', 'pv-guest']).stdout).toBe('2\n');
    expect(l.xl(['console', 'pv-guest']).stdout).toMatch(/^\[    0\.000000\] Linux version /);
  });

  it('refuses anything but one character', () => {
    const l = lab();
    expect(l.xl(['create', 'configs/pv-guest.cfg']).code).toBe(0);
    const r = l.xl(['sysrq', 'pv-guest', 'hh']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Invalid sysrq.\n\n');
  });
});

describe('xl trigger / button-press / shutdown', () => {
  it('trigger power on HVM: the OS shuts down through ACPI; its messages reach the serial console', () => {
    const l = booted('configs/hvm-guest.cfg');
    expect(l.xl(['trigger', 'hvm-guest', 'power'])).toEqual({ stdout: '', stderr: '', code: 0 });
    const out = l.xl(['console', 'hvm-guest']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/systemd-shutdown\[1\]: Powering off\.\r\n\[ +\d+\.\d{6}\] reboot: Power down\r\n$/);
    expect(l.xl(['list', 'hvm-guest']).code).toBe(1);
  });

  it('trigger on a PV guest: the hypervisor refuses, xl still exits 0', () => {
    const l = booted('configs/pv-guest.cfg');
    const r = l.xl(['trigger', 'pv-guest', 'power']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^libxl: error: libxl_domain\.c:\d+:libxl_send_trigger: Domain 1:Send trigger 'power' failed: Invalid argument\n$/);
    expect(l.xl(['trigger', 'pv-guest', 'bogus'])).toEqual({ stdout: '', stderr: 'Invalid trigger "bogus"\n', code: 1 });
  });

  it('button-press warns first, refuses unknown buttons, and presses power like trigger', () => {
    const l = booted('configs/hvm-guest.cfg');
    const warn = 'WARNING: "button-press" is deprecated. Please use "trigger"\n';
    expect(l.xl(['button-press', 'hvm-guest', 'reset'])).toEqual({ stdout: '', stderr: warn + 'reset is an invalid button identifier\n', code: 1 });
    expect(l.xl(['button-press', '-h']).stderr).toBe(warn);
    expect(l.xl(['button-press', 'hvm-guest', 'power'])).toEqual({ stdout: '', stderr: warn, code: 0 });
    expect(l.xl(['console', 'hvm-guest']).stdout).toMatch(/reboot: Power down\r\n$/);
  });

  it('xl shutdown: the guest acknowledges, prints its shutdown on the console, then powers off', () => {
    const l = booted('configs/pv-guest.cfg', ['extra="console=hvc0"']);
    expect(l.xl(['shutdown', 'pv-guest']).code).toBe(0);
    const out = l.xl(['console', 'pv-guest']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/reboot: Power down\r\n$/);
    expect(l.xl(['list', 'pv-guest']).code).toBe(1);
  });
});

describe('xl vncviewer / channel-list / console -t pv on HVM', () => {
  it('vncviewer without a VNC server to reach fails as libxl does', () => {
    const l = booted('configs/pv-guest.cfg');
    expect(l.xl(['vncviewer', 'pv-guest'])).toEqual({
      stdout: '',
      stderr: 'libxl: error: libxl_console.c:215:libxl_vncviewer_exec: Domain 1:Cannot get vnc-port\n',
      code: 1,
    });
  });

  it('channel-list prints the header (a trailing column of spaces) and no rows without channels', () => {
    const l = booted('configs/pv-guest.cfg');
    expect(l.xl(['channel-list', 'pv-guest'])).toEqual({
      stdout: 'Idx BE state evt-ch ring-ref connection                               \n',
      stderr: '',
      code: 0,
    });
  });

  it('an HVM guest also has hvc0 with a getty once its PV drivers are up', () => {
    const l = booted('configs/hvm-guest.cfg');
    const out = l.xl(['console', '-t', 'pv', 'hvm-guest']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Debian GNU/Linux 12 hvm-guest hvc0\r\n\r\nhvm-guest login: ');
  });

  it('serial without a tty node falls back to the PV console, as xenconsole does', () => {
    const l = booted('configs/hvm-guest.cfg');
    expect(l.xl(['console', '-t', 'pv', 'hvm-guest']).code).toBe(0); // drain hvc0's boot
    expect(l.sh(`${XLSIM} guest hvm-guest type root`).code).toBe(0); // on hvc0, its first getty
    // with the serial tty present the default console is ttyS0: nothing new there
    expect(l.xl(['console', 'hvm-guest'])).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(l.sh(`${process.execPath} bin/xenstore-rm.cjs /local/domain/1/serial/0/tty`).code).toBe(0);
    // without it, the same command lands on hvc0 and sees the login
    const r = l.xl(['console', 'hvm-guest']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^root\r\nLinux hvm-guest /);
    expect(l.xl(['console', '-t', 'serial', 'hvm-guest'])).toEqual({ stdout: '', stderr: '', code: 0 });
  });
});
