/**
 * `xl console` without a terminal stays scriptable: output streams to the
 * pipe, piped input is typed into the guest, and the client leaves once the
 * input is used up and the guest has nothing left to do — or quietly when
 * the domain goes away.
 */
import { describe, expect, it } from 'vitest';
import { lab, XL, XLSIM } from './helpers';

describe('piped xl console', () => {
  it('logs in, runs a command, and `echo poweroff | xl console` ends the domain through on_poweroff', () => {
    const l = lab();
    expect(l.xl(['create', 'configs/pv-guest.cfg']).code).toBe(0);
    const boot = l.xl(['console', 'pv-guest']);
    expect(boot).toEqual({ stdout: '\r\nDebian GNU/Linux 12 pv-guest hvc0\r\n\r\npv-guest login: ', stderr: '', code: 0 });

    const login = l.sh(`printf 'root\\nfree -m\\n' | ${XL} console pv-guest`);
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(/^root\r\nLinux pv-guest 6\.1\.0-28-amd64 /);
    expect(login.stdout).toContain('root@pv-guest:~# free -m\r\n               total        used        free      shared  buff/cache   available\r\nMem:  ');
    expect(login.stdout.endsWith('root@pv-guest:~# ')).toBe(true);

    const off = l.sh(`echo poweroff | ${XL} console pv-guest; echo "status $?"`);
    expect(off.stderr).toBe('');
    expect(off.stdout).toMatch(/^poweroff\r\n(.|\r\n)*reboot: Power down\r\nstatus 0\n$/);
    // on_poweroff="destroy": the monitor cleaned up after the guest's SCHEDOP_shutdown
    const list = l.xl(['list']);
    expect(list.stdout).not.toContain('pv-guest');
    expect(l.xl(['list', 'pv-guest']).code).toBe(1);
  });

  it('keeps output produced while nobody was attached and delivers it once', () => {
    const l = lab();
    expect(l.xl(['create', 'configs/pvh-guest.cfg']).code).toBe(0);
    // the guest boots with nobody watching
    expect(l.sh(`${XLSIM} clock advance 30s`).code).toBe(0);
    const first = l.xl(['console', 'pvh-guest']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^\[    0\.000000\] Linux version /);
    expect(first.stdout.endsWith('pvh-guest login: ')).toBe(true);
    // consumed: a second attach has nothing new to show
    expect(l.xl(['console', 'pvh-guest'])).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('xlsim guest type: keystrokes on the console without attaching', () => {
    const l = lab();
    expect(l.xl(['create', 'configs/pv-guest.cfg']).code).toBe(0);
    expect(l.sh(`${XLSIM} clock advance 30s`).code).toBe(0);
    expect(l.sh(`${XLSIM} guest pv-guest type root && ${XLSIM} guest pv-guest type 'uname -r'`)).toEqual({ stdout: '', stderr: '', code: 0 });
    const out = l.xl(['console', 'pv-guest']);
    expect(out.stdout).toContain('root@pv-guest:~# uname -r\r\n6.1.0-28-amd64\r\nroot@pv-guest:~# ');
  });

  it('a restored guest does not boot again: its getty is waiting, uptime carried over', () => {
    const l = lab();
    expect(l.xl(['create', 'configs/pv-guest.cfg']).code).toBe(0);
    expect(l.sh(`${XLSIM} clock advance 30s`).code).toBe(0);
    expect(l.xl(['console', 'pv-guest']).code).toBe(0);
    const chk = `${l.home}/pv.chk`;
    expect(l.xl(['save', 'pv-guest', chk]).code).toBe(0);
    expect(l.xl(['restore', chk]).code).toBe(0);
    const r = l.sh(`printf 'root\\ncat /proc/uptime\\n' | ${XL} console pv-guest`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^root\r\nLinux pv-guest /);
    expect(r.stdout).not.toContain('Debian GNU/Linux 12 pv-guest hvc0');
    const up = /cat \/proc\/uptime\r\n(\d+)\.\d+ /.exec(r.stdout);
    expect(up).not.toBeNull();
    expect(Number(up![1])).toBeGreaterThanOrEqual(25);
  });

  it('a paused guest reads nothing: keys wait in the ring until it runs again', () => {
    const l = lab();
    expect(l.xl(['create', 'configs/pv-guest.cfg']).code).toBe(0);
    expect(l.sh(`${XLSIM} clock advance 30s`).code).toBe(0);
    expect(l.xl(['console', 'pv-guest']).code).toBe(0);
    expect(l.xl(['pause', 'pv-guest']).code).toBe(0);
    expect(l.sh(`printf 'root\\n' | ${XL} console pv-guest`)).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(l.xl(['unpause', 'pv-guest']).code).toBe(0);
    expect(l.xl(['console', 'pv-guest']).stdout).toMatch(/^root\r\nLinux pv-guest (.|\r\n)*root@pv-guest:~# $/);
  });
});
