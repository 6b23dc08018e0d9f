import { describe, expect, test } from 'vitest';
import { formatDuration, parseDuration, parseRate, parseSize } from '../../lib/sim/duration';

const ok = <T>(v: T) => ({ ok: true, value: v });

describe('parseDuration', () => {
  test.each([
    ['500ms', 500e6],
    ['2s', 2e9],
    ['1m30s', 90e9],
    ['1h', 3600e9],
    ['60', 60e9],
    ['1.5', 1.5e9],
    ['1.5s', 1.5e9],
    ['250us', 250e3],
    ['10ns', 10],
    ['2d', 172800e9],
    ['1h5m', 3900e9],
    ['5min', 300e9],
    [' 3s ', 3e9],
    ['0', 0],
  ])('%s', (text, ns) => {
    expect(parseDuration(text)).toEqual(ok(ns));
  });

  test.each(['', 'abc', '-1s', '1x', '1m30', 's', '1 s', '1e3', '2s!'])('rejects %j', (text) => {
    expect(parseDuration(text)).toEqual({
      ok: false,
      error: `invalid duration '${text}' (expected e.g. 500ms, 2s, 1m30s, 1h, or a number of seconds)`,
    });
  });

  test('too large', () => {
    expect(parseDuration('999999999d')).toEqual({ ok: false, error: "duration '999999999d' is too large" });
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [10, '10ns'],
    [250e3, '250us'],
    [500e6, '500ms'],
    [2e9, '2s'],
    [90e9, '1m30s'],
    [3600e9, '1h00m00s'],
    [3723.5e9, '1h02m03.5s'],
  ])('%d', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });
});

describe('parseSize', () => {
  test.each([
    ['16G', 16 * 2 ** 30],
    ['512M', 512 * 2 ** 20],
    ['512MiB', 512 * 2 ** 20],
    ['2048', 2048 * 2 ** 20],
    ['1T', 2 ** 40],
    ['64k', 65536],
  ])('%s', (t, v) => expect(parseSize(t)).toEqual(ok(v)));
  test('bad', () => expect(parseSize('lots')).toEqual({ ok: false, error: "invalid size 'lots' (expected e.g. 512M, 16G, or a number of MiB)" }));
});

describe('parseRate', () => {
  test.each([
    ['1Gbit', 125e6],
    ['10gbit/s', 1.25e9],
    ['100Mbit', 12.5e6],
    ['125MB/s', 125e6],
    ['64MiB/s', 64 * 2 ** 20],
    ['1000', 125e6],
    ['100Mbps', 12.5e6],
  ])('%s', (t, v) => expect(parseRate(t)).toEqual(ok(v)));
  test('bad', () => expect(parseRate('fast')).toEqual({ ok: false, error: "invalid rate 'fast' (expected e.g. 1Gbit, 100Mbit, 125MB/s)" }));
});
