import { describe, expect, it } from 'vitest';
import { sprintf } from '../../lib/util/printf';

describe('sprintf (glibc semantics)', () => {
  it('formats the xl list row', () => {
    expect(sprintf('%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f', 'Domain-0', 0, 4096, 4, 'r', '-', '-', '-', '-', '-', 812.62)).toBe(
      'Domain-0                                     0  4096     4     r-----     812.6',
    );
  });
  it('rounds exact ties to even like glibc', () => {
    expect(sprintf('%.1f', 0.25)).toBe('0.2');
    expect(sprintf('%.1f', 0.75)).toBe('0.8');
    expect(sprintf('%.1f', 1.25)).toBe('1.2');
    expect(sprintf('%.1f', 0.35)).toBe('0.3'); // 0.35 is below the tie in binary
    expect(sprintf('%8.1f', 0)).toBe('     0.0');
  });
  it('handles flags, hex, chars and NULL strings', () => {
    expect(sprintf('%08x', 255)).toBe('000000ff');
    expect(sprintf('%#x', 0x1d)).toBe('0x1d');
    expect(sprintf('%#x', 0)).toBe('0');
    expect(sprintf('%u', -1)).toBe('4294967295');
    expect(sprintf('%lu', -1)).toBe('18446744073709551615');
    expect(sprintf('%3d%%', 5)).toBe('  5%');
    expect(sprintf('%s', null)).toBe('(null)');
    expect(sprintf('%.*s', 3, 'abcdef')).toBe('abc');
    expect(sprintf('%-5s|', 'ab')).toBe('ab   |');
    expect(sprintf('%+d % d', 3, 4)).toBe('+3  4');
    expect(sprintf('%d.%03d', 2394, 454)).toBe('2394.454');
    expect(sprintf('%c', 0x41)).toBe('A');
  });

  it('leaves what is no conversion as text, as glibc prints it', () => {
    expect(sprintf('%y %d', 5)).toBe('%y 5');
    expect(sprintf('100%')).toBe('100%');
    expect(sprintf('%%d %5.1f%%', 2.25)).toBe('%d   2.2%');
    expect(sprintf('%-%|%05%')).toBe('%|%');
    expect(sprintf('%.*f|%*d|%lld|%hhx', 2, 3.14159, 4, 7, 123456789012, 255)).toBe('3.14|   7|123456789012|ff');
  });
});
