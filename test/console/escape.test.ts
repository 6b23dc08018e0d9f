import { describe, expect, it } from 'vitest';
import { parseEscape, ttyBytes } from '../../cmd/xl/console';

describe('xenconsole --escape', () => {
  it('reads ^X as a control character and one character as itself', () => {
    expect(parseEscape('^]')).toBe(0x1d);
    expect(parseEscape('^a')).toBe(0x01);
    expect(parseEscape('^A')).toBe(0x01);
    expect(parseEscape('^')).toBe(0x5e);
    expect(parseEscape('q')).toBe(0x71);
  });
  it('refuses anything else', () => {
    for (const e of ['', 'ab', '^ab', '^^^']) expect(parseEscape(e)).toBeUndefined();
  });
});

describe('console output bytes', () => {
  it('keeps bytes the guest echoes and sends UTF-8 for wider characters', () => {
    expect([...ttyBytes('a\xe9b')]).toEqual([0x61, 0xe9, 0x62]);
    expect(ttyBytes('Use the \u2191 and \u2193 keys').toString('utf8')).toBe('Use the \u2191 and \u2193 keys');
  });
});
