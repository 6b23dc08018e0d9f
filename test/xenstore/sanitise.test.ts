import { describe, expect, test } from 'vitest';
import { sanitise, unsanitise } from '../../cmd/xenstore/sanitise';

const b = (...x: number[]) => Uint8Array.from(x);

describe('sanitise (xenstore_client.c)', () => {
  test('printable ASCII as is, except backslash', () => {
    expect(sanitise(Buffer.from('Domain-0 "quoted" ~'))).toBe('Domain-0 "quoted" ~');
    expect(sanitise(Buffer.from('a\\b'))).toBe('a\\\\b');
  });
  test('named escapes, octal below 8, hex otherwise', () => {
    expect(sanitise(b(9, 10, 13))).toBe('\\t\\n\\r');
    expect(sanitise(b(0, 1, 7))).toBe('\\000\\001\\007');
    expect(sanitise(b(8, 0x1f, 0x7f, 0x80, 0xff))).toBe('\\x08\\x1f\\x7f\\x80\\xff');
  });
});

describe('unsanitise', () => {
  test('inverse of sanitise', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(Array.from(unsanitise(sanitise(all)))).toEqual(Array.from(all));
  });
  test("the C code's edges", () => {
    expect(Array.from(unsanitise('\\q'))).toEqual([0x71]);
    expect(Array.from(unsanitise('\\xZ'))).toEqual([0x78, 0x5a]);
    expect(Array.from(unsanitise('\\x4142'))).toEqual([0x41, 0x34, 0x32]);
    expect(Array.from(unsanitise('\\1234'))).toEqual([0o123, 0x34]);
    expect(Array.from(unsanitise('\\777'))).toEqual([0xff]);
    expect(Array.from(unsanitise('ab\\'))).toEqual([0x61, 0x62, 0]);
  });
});
