/** CPULIST (xl-cfg.md §3.9) and the bitmap text of print_bitmap (xl-commands.md §3.34). */
import { describe, expect, it } from 'vitest';
import { bitmapText, CpuMap, parseCpurange, type HostTopology } from '../../lib/cfg/cpulist';
import { collectingSink } from '../../lib/cfg/report';

// the man page's topology: node n = CPUs 4n..4n+3, 4 nodes
const MAN: HostTopology = { nrCpus: 16, cpusOfNode: [0, 1, 2, 3].map((n) => [4 * n, 4 * n + 1, 4 * n + 2, 4 * n + 3]) };

function cpus(s: string, topo: HostTopology = MAN): { rc: number; set: number[]; err: string; text: string } {
  const sink = collectingSink();
  const map = CpuMap.forHost(topo);
  const rc = parseCpurange(sink, topo, s, map);
  return { rc, set: map.toList().filter((c) => c < topo.nrCpus), err: sink.text(), text: bitmapText(map, topo.nrCpus) };
}

describe('CPULIST', () => {
  it.each([
    ['all', 'all'],
    ['0-3,5,^1', '0,2-3,5'],
    ['nodes:0-3,^node:2', '0-7,12-15'],
    ['1,node:1,^6', '1,4-5,7'],
    ['all,^node:1', '0-3,8-15'],
    ['2', '2'],
    ['3-8,^5', '3-4,6-8'],
    ['^0', 'none'],
    ['', 'none'],
    [',,', 'none'],
    ['nodes:all', 'all'],
    ['all,^nodes:0,all', 'all'],
    [' 3', '3'],
    ['+3', '3'],
    ['0-15', 'all'],
    ['1-15', '1-15'],
  ])('%j → %s', (s, text) => {
    expect(cpus(s)).toMatchObject({ rc: 0, err: '', text });
  });
  it('errors', () => {
    expect(cpus('^all')).toMatchObject({ rc: -6, err: 'Can\'t combine "^" and "all".\n' });
    expect(cpus('^nodes:all')).toMatchObject({ rc: -6, err: 'Can\'t combine "^" and "all".\n' });
    expect(cpus('foo')).toMatchObject({ rc: 1, err: 'Invalid pcpu range: foo.\n' });
    expect(cpus('3-1')).toMatchObject({ rc: 1, err: 'Invalid pcpu range: 3-1.\n' });
    expect(cpus('3 ')).toMatchObject({ rc: 1, err: 'Invalid pcpu range: 3 .\n' });
    // the message shows the term after ^ and node: are stripped
    expect(cpus('^node:x')).toMatchObject({ rc: 1, err: 'Invalid pcpu range: x.\n' });
    expect(cpus('18446744073709551615')).toMatchObject({ rc: 1 });
    // an error stops the terms that follow
    expect(cpus('1,foo,2')).toMatchObject({ rc: 1, set: [1] });
  });
  it('ids past the host are ignored; huge ranges end quickly', () => {
    expect(cpus('100')).toMatchObject({ rc: 0, text: 'none' });
    expect(cpus('node:9')).toMatchObject({ rc: 0, text: 'none' });
    expect(cpus('0-18446744073709551614')).toMatchObject({ rc: 0, text: 'all' });
    // ids are C ints: 2^32 is cpu 0 again
    expect(cpus('4294967296')).toMatchObject({ rc: 0, text: '0' });
    expect(cpus('nodes:4294967297')).toMatchObject({ rc: 0, text: '4-7' });
  });
});

describe('bitmap text', () => {
  const m = (bits: number[], n: number): string => {
    const map = new CpuMap(n);
    for (const b of bits) map.set(b);
    return bitmapText(map, n);
  };
  it.each([
    [[], 8, 'none'],
    [[0, 1, 2, 3, 4, 5, 6, 7], 8, 'all'],
    [[0, 1, 2, 3, 6, 8, 9], 12, '0-3,6,8-9'],
    [[1, 2, 3, 4, 5, 6, 7], 8, '1-7'],
    [[0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15], 16, '0-5,7-15'],
    [[7], 8, '7'],
    [[0], 1, 'all'],
  ])('%j over %d', (bits, n, text) => {
    expect(m(bits, n)).toBe(text);
  });
});
