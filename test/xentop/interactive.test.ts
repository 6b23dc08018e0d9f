/**
 * xentop without -b (curses mode) and `xl top`. Like ncurses, xentop needs a
 * terminal type; with one it draws to whatever stdout is and reads keys
 * from stdin, so a pipe can drive it.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { twoGuestHost, type TopHost } from './host';

const ENTER = '\x1b[?1049h\x1b[H\x1b[2J';
const LEAVE = '\x1b[?1049l';

/** The screens drawn (each starts at the home position), as plain text lines. */
function screens(out: string): string[][] {
  expect(out.startsWith(ENTER)).toBe(true);
  expect(out.endsWith(LEAVE)).toBe(true);
  return out
    .slice(ENTER.length, -LEAVE.length)
    .split('\x1b[H')
    .filter((s) => s !== '')
    .map((s) =>
      s
        .replace(/\x1b\[\d+;\d+H$/, '')
        .replace(/\x1b\[[0-9;]*m/g, '')
        .split('\r\n'),
    );
}

describe('xentop interactive', () => {
  let h: TopHost;
  beforeAll(() => {
    h = twoGuestHost();
  });

  it('without a terminal type it fails as initscr does', () => {
    expect(h.run('xentop', [], { env: { TERM: undefined } })).toEqual({
      stdout: '',
      stderr: 'Error opening terminal: unknown.\n',
      code: 1,
    });
  });

  it('draws the summary, the table and the key line; q quits', () => {
    const r = h.run('xentop', [], { env: { TERM: 'xterm', LINES: '8', COLUMNS: '170' }, input: 'q' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const s = screens(r.stdout);
    expect(s).toHaveLength(1);
    const lines = s[0]!.map((l) => l.trimEnd());
    expect(lines).toEqual([
      'xentop - 00:00:30   Xen 4.20.0-xlsim',
      '3 domains: 1 running, 2 blocked, 0 paused, 0 crashed, 0 dying, 0 shutdown',
      'Mem: 16749568k total, 3071732k used, 13677836k free    CPUs: 8 @ 3408MHz',
      '      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID',
      '  Domain-0 -----r          1    0.0    2097152   12.5    2097152      12.5     2    0        0        0    0        0        0        0          0          0    0',
      '        g1 --b---          4    0.0     524288    3.1     525312       3.1     2    1        0        1    1        0     1432       84      75112       1136   12',
      ' guest-two --b---          2    0.0     262144    1.6     263168       1.6     1    0        0        0    0        0        0        0          0          0   12',
      '  Delay  Networks  vBds  VCPUs  Repeat header  Sort order  Quit',
    ]);
    expect(lines.every((l) => l.length <= 170)).toBe(true);
  });

  it('a key redraws at once: n adds the network lines; rows stop above the key line', () => {
    const r = h.run('xentop', ['-i', '2'], { env: { TERM: 'xterm', LINES: '8', COLUMNS: '170' }, input: 'n' });
    expect(r.code).toBe(0);
    const s = screens(r.stdout);
    expect(s).toHaveLength(2);
    const second = s[1]!.map((l) => l.trimEnd());
    expect(second[5]).toMatch(/^        g1 --b---/);
    expect(second[6]).toBe('Net0 RX:     1180bytes        6pkts        0err        0drop  TX:      684bytes        2pkts        0err        0drop');
    expect(second[7]).toBe('  Delay  Networks  vBds  VCPUs  Repeat header  Sort order  Quit');
  });

  it('lines wider than the screen wrap, as curses does', () => {
    const r = h.run('xentop', [], { env: { TERM: 'xterm', LINES: '24', COLUMNS: '80' }, input: 'q' });
    const s = screens(r.stdout)[0]!;
    expect(s).toHaveLength(24);
    expect(s.every((l) => l.length === 80)).toBe(true);
    expect(s[3]).toBe('      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS');
    expect(s[4]).toBe(' NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SS');
    expect(s[5]!.trimEnd()).toBe('ID');
  });

  it('d prompts for the delay; Escape leaves the prompt, q then quits', () => {
    const r = h.run('xentop', [], { env: { TERM: 'xterm', LINES: '8', COLUMNS: '170' }, input: 'd7\x1bq' });
    expect(r.code).toBe(0);
    const s = screens(r.stdout).map((x) => x[7]!.trimEnd());
    // d, 7 and Esc each redraw at once; q quits without drawing
    expect(s).toEqual([
      '  Delay  Networks  vBds  VCPUs  Repeat header  Sort order  Quit',
      '  Delay(sec):',
      '  Delay(sec): 7',
      '  Delay  Networks  vBds  VCPUs  Repeat header  Sort order  Quit',
    ]);
  });
});

describe('xl top', () => {
  let h: TopHost;
  beforeAll(() => {
    h = twoGuestHost();
  });

  it('runs xentop and exits with system()’s status & 0xff: 0 even when xentop failed', () => {
    expect(h.run('xl', ['top'], { env: { TERM: undefined } })).toEqual({
      stdout: '',
      stderr: 'Error opening terminal: unknown.\n',
      code: 0,
    });
  });

  it('is xentop with no arguments: the curses screen, q quits', () => {
    const r = h.run('xl', ['top'], { env: { TERM: 'xterm', LINES: '8', COLUMNS: '170' }, input: 'q' });
    expect(r.code).toBe(0);
    const via = screens(r.stdout);
    const direct = screens(h.run('xentop', [], { env: { TERM: 'xterm', LINES: '8', COLUMNS: '170' }, input: 'q' }).stdout);
    expect(via).toEqual(direct);
  });

  it('takes no options', () => {
    const r = h.run('xl', ['top', '-x']);
    expect(r).toEqual({ stdout: '', stderr: "option `x' not supported.\n", code: 2 });
  });
});

describe('xentop on a terminal (tmux)', () => {
  const hasTmux = spawnSync('tmux', ['-V']).status === 0;

  function waitFor(session: string, want: RegExp, ms = 8000): string {
    const end = Date.now() + ms;
    let pane = '';
    while (Date.now() < end) {
      pane = spawnSync('tmux', ['capture-pane', '-t', session, '-p'], { encoding: 'utf8' }).stdout;
      if (want.test(pane)) return pane;
      spawnSync('sleep', ['0.1']);
    }
    throw new Error(`timed out waiting for ${want}; pane:\n${pane}`);
  }

  it.skipIf(!hasTmux)('redraws, takes keys in raw mode, restores the terminal on q and on ^C', () => {
    const h = twoGuestHost();
    const session = `xentop-test-${process.pid}`;
    const cmd =
      `env XLSIM_HOME=${h.home} XLSIM_HOST=lab TZ=UTC TERM=xterm node ${BIN}/xentop.cjs; echo EXIT=$?; ` +
      // the pause keeps that output on screen until the poll has seen it:
      // xl top's alternate screen would hide it at once
      `stty -a | grep -o -- ' -\\?icanon '; sleep 2; ` +
      `env XLSIM_HOME=${h.home} XLSIM_HOST=lab TZ=UTC TERM=xterm node ${BIN}/xl.cjs top; echo XLTOP=$?; sleep 30`;
    expect(spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '180', '-y', '20', cmd]).status).toBe(0);
    try {
      let pane = waitFor(session, /Quit/);
      expect(pane).toContain('xentop - 00:00:30   Xen 4.20.0-xlsim');
      expect(pane).not.toContain('VCPUs(sec)');
      spawnSync('tmux', ['send-keys', '-t', session, 'v']);
      pane = waitFor(session, /VCPUs\(sec\):   0:          2s  1:          2s/);
      spawnSync('tmux', ['send-keys', '-t', session, 'q']);
      pane = waitFor(session, /EXIT=0\n icanon/);
      // xl top: ^C in raw mode is the SIGINT it would be; system() reports signal 2
      waitFor(session, /Quit/);
      spawnSync('tmux', ['send-keys', '-t', session, 'C-c']);
      pane = waitFor(session, /XLTOP=\d+/);
      expect(pane).toMatch(/XLTOP=2\b/);
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
  }, 30_000);
});
