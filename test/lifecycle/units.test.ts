/**
 * The small pure pieces: print_bitmap, parse_mem_size_kb, the paging-pool
 * and need-memory formulas, vdev numbering.
 */
import { describe, expect, it } from 'vitest';
import { printBitmap } from '../../cmd/xl/bitmap';
import { parseMemSizeKb } from '../../cmd/xl/mem';
import { uptimeToString } from '../../cmd/xl/info';
import { needMemoryKb, requiredPagingMemoryKb } from '../../lib/libxl/setdefault';
import { vdevToDevid } from '../../lib/libxl/devices';
import { newDomainConfig } from '../../lib/libxl/types';

describe('print_bitmap', () => {
  it('none, all, runs', () => {
    expect(printBitmap([], 8)).toBe('none');
    expect(printBitmap([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('all');
    expect(printBitmap([0, 1, 2, 3, 6, 8, 9], 10)).toBe('0-3,6,8-9');
    expect(printBitmap([2, 3], 4)).toBe('2-3');
    expect(printBitmap([3], 4)).toBe('3');
    expect(printBitmap([0, 1], 4)).toBe('0-1');
    expect(printBitmap([1, 2, 3], 4)).toBe('1-3');
  });
});

describe('parse_mem_size_kb', () => {
  it('bare numbers are MiB; one suffix letter at most', () => {
    expect(parseMemSizeKb('256')).toBe(256 * 1024);
    expect(parseMemSizeKb('256m')).toBe(256 * 1024);
    expect(parseMemSizeKb('1G')).toBe(1024 * 1024);
    expect(parseMemSizeKb('1t')).toBe(1024 ** 3);
    expect(parseMemSizeKb('300k')).toBe(300);
    expect(parseMemSizeKb('4096b')).toBe(4);
    expect(parseMemSizeKb('-1')).toBe(-1024);
    expect(parseMemSizeKb('512MB')).toBe(-1);
    expect(parseMemSizeKb('1.5g')).toBe(-1);
    expect(parseMemSizeKb('abc')).toBe(-1);
    expect(parseMemSizeKb('x')).toBe(-1);
    expect(parseMemSizeKb('')).toBe(0);
  });
});

describe('uptime strings', () => {
  it('days, day, hours', () => {
    expect(uptimeToString(3 * 86400 + 2 * 3600 + 11 * 60 + 5, false)).toBe('3 days,  2:11:05');
    expect(uptimeToString(86400 + 3 * 3600 + 4 * 60 + 5, false)).toBe('1 day,  3:04:05');
    expect(uptimeToString(727, false)).toBe(' 0:12:07');
    expect(uptimeToString(727, true)).toBe(' 0:12');
  });
});

describe('libxl memory arithmetic', () => {
  it('paging pool: 4 KiB x (256 per vCPU + k per MiB)', () => {
    expect(requiredPagingMemoryKb(1024 * 1024, 2, 'hvm', true)).toBe(4 * (512 + 1024));
    expect(requiredPagingMemoryKb(1024 * 1024, 2, 'hvm', false)).toBe(4 * (512 + 2048));
    expect(requiredPagingMemoryKb(512 * 1024, 1, 'pv', false)).toBe(4 * (256 + 512));
  });
  it('need-memory rounds up to 2 MiB', () => {
    const d = newDomainConfig();
    d.c_info.type = 'pv';
    d.b_info.target_memkb = 512 * 1024;
    d.b_info.shadow_memkb = 4096;
    d.b_info.iommu_memkb = 0;
    expect(needMemoryKb(d)).toBe(518 * 1024);
  });
  it('vdev numbers', () => {
    expect(vdevToDevid('xvda')).toBe(51712);
    expect(vdevToDevid('xvdb1')).toBe(51729);
    expect(vdevToDevid('hda')).toBe(768);
    expect(vdevToDevid('hdc')).toBe(5632);
    expect(vdevToDevid('sda')).toBe(2048);
  });
});
