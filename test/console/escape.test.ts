import { describe, expect, it } from 'vitest';
import { parseEscape } from '../../cmd/xl/console';

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
