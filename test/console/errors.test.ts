/**
 * Bad input to the console and guest-facing commands: each gets xl's (or
 * xenconsole's, or xlsim's) message on stderr, a non-zero exit, and the
 * host is left as it was.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lab, XLSIM, type Lab } from './helpers';

let l: Lab;
let listBefore: string;

beforeAll(() => {
  l = lab();
  expect(l.xl(['create', 'configs/pv-guest.cfg']).code).toBe(0);
  expect(l.sh(`${XLSIM} clock advance 30s`).code).toBe(0);
  listBefore = l.xl(['list']).stdout;
});

function unchanged(): void {
  expect(l.xl(['list']).stdout).toBe(listBefore);
}

describe('xl console refuses', () => {
  it('an unknown domain name', () => {
    expect(l.xl(['console', 'nosuch'])).toEqual({ stdout: '', stderr: 'nosuch is an invalid domain identifier (rc=-6)\n', code: 1 });
    unchanged();
  });

  it('a numeric domid that does not exist (primary console: libxl cannot tell the type)', () => {
    expect(l.xl(['console', '42'])).toEqual({
      stdout: '',
      stderr: 'libxl: error: libxl_dom.c:37:libxl__domain_type: Domain 42:unable to get dominfo: No such process\nUnable to attach console\n',
      code: 1,
    });
  });

  it('Domain-0', () => {
    expect(l.xl(['console', '0'])).toEqual({ stdout: '', stderr: "Can't specify Domain-0\n", code: 22 });
    expect(l.xl(['console', 'Domain-0'])).toEqual({ stdout: '', stderr: "Can't specify Domain-0\n", code: 22 });
  });

  it('a bad escape character', () => {
    // a lone '^' is a plain character, as xenconsole reads it
    for (const e of ['ab', '^ab', '^^^', '']) {
      expect(l.xl(['console', '-e', e, 'pv-guest'])).toEqual({ stdout: '', stderr: 'Invalid escape argument\n', code: 22 });
    }
    unchanged();
  });

  it('a bad console type', () => {
    expect(l.xl(['console', '-t', 'vga', 'pv-guest'])).toEqual({ stdout: '', stderr: 'console type supported are: pv, serial, vuart\n', code: 1 });
  });

  it('missing operand and unknown options, as SWITCH_FOREACH_OPT does', () => {
    const r = l.xl(['console']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("'xl console' requires at least 1 argument.\n\n");
    expect(l.xl(['console', '-x', 'pv-guest']).code).toBe(2);
  });

  it('a console whose tty never appears: xenconsole gives up after 5 s', () => {
    const t0 = Date.now();
    expect(l.xl(['console', '-t', 'vuart', 'pv-guest'])).toEqual({
      stdout: '',
      stderr: 'xenconsole: Could not read tty from store: No such file or directory\n',
      code: 2,
    });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(5000);
    unchanged();
  }, 15_000);
});

describe('consoles of domains that are going or gone', () => {
  it('a destroyed domain: numeric id fails like any missing domain, the name is unknown', () => {
    const m = lab();
    expect(m.xl(['create', 'configs/pv-guest.cfg']).code).toBe(0);
    expect(m.xl(['destroy', 'pv-guest']).code).toBe(0);
    expect(m.xl(['console', 'pv-guest'])).toEqual({ stdout: '', stderr: 'pv-guest is an invalid domain identifier (rc=-6)\n', code: 1 });
    expect(m.xl(['console', '1']).stderr).toContain('Unable to attach console\n');
  });

  it('a shut-down domain kept by on_poweroff=preserve: attach works and shows nothing new', () => {
    const m = lab();
    expect(m.xl(['create', 'configs/pv-guest.cfg', 'on_poweroff="preserve"']).code).toBe(0);
    expect(m.sh(`${XLSIM} clock advance 30s`).code).toBe(0);
    expect(m.sh(`${XLSIM} guest pv-guest poweroff`).code).toBe(0);
    const r = m.xl(['console', 'pv-guest']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // what it printed before it stopped is still there, nothing after
    expect(r.stdout.endsWith('pv-guest login: ')).toBe(true);
  });
});

describe('xlsim guest refuses', () => {
  it('a stopped domain', () => {
    const m = lab();
    expect(m.xl(['create', 'configs/pv-guest.cfg', 'on_poweroff="preserve"']).code).toBe(0);
    expect(m.sh(`${XLSIM} guest pv-guest poweroff`).code).toBe(0);
    const before = m.xl(['list']).stdout;
    for (const act of ['crash', 'type root', 'workload --dirty-rate 100 --wss 64M']) {
      expect(m.sh(`${XLSIM} guest pv-guest ${act}`)).toEqual({ stdout: '', stderr: 'xlsim: pv-guest (domid 1) is not running\n', code: 1 });
    }
    expect(m.xl(['list']).stdout).toBe(before);
  });

  it('unknown domains and dom0', () => {
    expect(l.sh(`${XLSIM} guest nosuch crash`)).toEqual({ stdout: '', stderr: "xlsim: no such domain 'nosuch'\n", code: 1 });
    expect(l.sh(`${XLSIM} guest 0 crash`)).toEqual({ stdout: '', stderr: 'xlsim: dom0 is the toolstack domain; act on a guest\n', code: 1 });
    unchanged();
  });

  it('bad rates, sizes and durations', () => {
    const cases: [string, string][] = [
      ['workload --dirty-rate fast --wss 64M', "xlsim: invalid dirty rate 'fast' (expected pages a second, or a rate such as 64MiB/s)\n"],
      ['workload --dirty-rate -5 --wss 64M', "xlsim: invalid dirty rate '-5' (expected pages a second, or a rate such as 64MiB/s)\n"],
      ['workload --dirty-rate 100 --wss lots', "xlsim: invalid size 'lots' (expected e.g. 512M, 16G, or a number of MiB)\n"],
      ['workload --dirty-rate 100', 'xlsim: workload needs --wss (the memory it writes over)\n'],
      ['workload --wss 64M', 'xlsim: workload needs --dirty-rate (0 stops it)\n'],
      ['workload --dirty-rate 100 --wss 64M --for soon', "xlsim: invalid duration 'soon' (expected e.g. 500ms, 2s, 1m30s, 1h, or a number of seconds)\n"],
      ['workload --dirty-rate 100 --wss 64M --for 0s', "xlsim: duration '0s' must be positive\n"],
      ['type', 'xlsim: type needs the text to type\n'],
      ['pv-drivers maybe', "xlsim: pv-drivers needs 'on' or 'off'\n"],
    ];
    for (const [args, msg] of cases) {
      const r = l.sh(`${XLSIM} guest pv-guest ${args}`);
      expect(r.code, args).toBe(1);
      expect(r.stdout, args).toBe('');
      expect(r.stderr, args).toBe(msg);
    }
    unchanged();
  });
});
