/** `xlsim clock ...`: exact output, exit codes, bad input. */
import { beforeEach, describe, expect, test } from 'vitest';
import { runTool, tmpHome } from '../helpers/cli';

let env: Record<string, string>;
const xlsim = (...args: string[]) => runTool('xlsim', args, { env });
const res = (stdout: string, stderr = '', code = 0) => ({ stdout, stderr, code });

beforeEach(() => {
  env = { XLSIM_HOME: tmpHome() };
  expect(xlsim('host', 'create', 'lab', '--clock', 'manual')).toMatchObject({ code: 0 });
  env.XLSIM_HOST = 'lab';
});

function show(now: string, wall: string, mode = 'manual', events = '0 pending') {
  return `host:     lab\nmode:     ${mode}\nnow:      ${now} s since boot\nwall:     ${wall}\nevents:   ${events}\n`;
}

describe('xlsim clock', () => {
  test('show (also the default action)', () => {
    const r = xlsim('clock');
    expect(r.code).toBe(0);
    // the boot may have queued events; the clock lines are fixed
    expect(r.stdout.split('\n').slice(0, 4).join('\n') + '\n').toBe(show('0.000000000', '2026-01-01 00:00:00 UTC').split('\n').slice(0, 4).join('\n') + '\n');
    expect(xlsim('clock', 'show')).toEqual(r);
  });

  test('advance moves a manual clock, which then stays put', () => {
    expect(xlsim('clock', 'advance', '1m30s')).toEqual(res('Clock advanced by 1m30s: 0.000000000 -> 90.000000000 s since boot, 0 events run\n'));
    expect(xlsim('clock', 'advance', '500ms')).toEqual(res('Clock advanced by 500ms: 90.000000000 -> 90.500000000 s since boot, 0 events run\n'));
    expect(xlsim('clock', 'advance', '2')).toEqual(res('Clock advanced by 2s: 90.500000000 -> 92.500000000 s since boot, 0 events run\n'));
    const r = xlsim('clock', 'show');
    expect(r.stdout).toContain('now:      92.500000000 s since boot\nwall:     2026-01-01 00:01:32 UTC\n');
  });

  test('bad durations', () => {
    expect(xlsim('clock', 'advance', 'soon')).toEqual(res('', "xlsim: invalid duration 'soon' (expected e.g. 500ms, 2s, 1m30s, 1h, or a number of seconds)\n", 1));
    expect(xlsim('clock', 'advance', '1m30')).toEqual(res('', "xlsim: invalid duration '1m30' (expected e.g. 500ms, 2s, 1m30s, 1h, or a number of seconds)\n", 1));
    expect(xlsim('clock', 'show').stdout).toContain('now:      0.000000000 s since boot\n');
    const missing = xlsim('clock', 'advance');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Not enough non-option arguments: got 0, need at least 1');
  });

  test('mode switches keep the time', () => {
    xlsim('clock', 'advance', '10s');
    expect(xlsim('clock', 'mode', 'manual')).toEqual(res('Clock mode is already manual\n'));
    expect(xlsim('clock', 'mode', 'real')).toEqual(res('Clock mode: manual -> real\n'));
    const r = xlsim('clock', 'show');
    expect(r.stdout).toMatch(/^host: {5}lab\nmode: {5}real\nnow: {6}10\.\d{9} s since boot\n/);
    expect(xlsim('clock', 'mode', 'manual')).toEqual(res('Clock mode: real -> manual\n'));
    expect(xlsim('clock', 'mode', 'fast')).toEqual(res('', "xlsim: clock mode 'fast' is not real or manual\n", 1));
  });

  test('a missing host', () => {
    env.XLSIM_HOST = 'nope';
    expect(xlsim('clock')).toEqual(res('', "xlsim: no such host 'nope' (create it with: xlsim host create nope)\n", 1));
  });
});
