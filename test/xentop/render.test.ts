/**
 * xentop's screen logic over hand-made statistics: CPU(%) between samples,
 * the state letters, "no limit", and the columns that widen for large
 * counters.
 */
import { describe, expect, it } from 'vitest';
import type { XenstatDomain, XenstatNode } from '../../lib/libxl/stats';
import { defaultTopOptions, newTopState, top, type Sink, type TopOptions } from '../../cmd/xentop/render';
import { atoi } from '../../cmd/xentop/getopt';

function dom(id: number, name: string, over: Partial<XenstatDomain> = {}): XenstatDomain {
  return {
    id, name, running: false, blocked: true, paused: false, shutdown: false, crashed: false, dying: false,
    cpuNs: 0, numVcpus: 1, vcpus: [{ online: true, ns: 0 }], curMem: 1 << 30, maxMem: (1 << 30) + (1 << 20),
    ssid: 0, networks: [], vbds: [], ...over,
  };
}

function node(wallMs: number, domains: XenstatDomain[]): XenstatNode {
  return { xenVersion: '4.20.0', cpuHz: 2e9, numCpus: 4, totMem: 8 * 2 ** 30, freeMem: 2 ** 30, domains, wallMs };
}

function render(o: Partial<TopOptions>, samples: Array<[XenstatNode, number]>): string[] {
  const st = newTopState();
  const opts = { ...defaultTopOptions(), batch: true, ...o };
  let text = '';
  const sink: Sink = { room: () => true, print: (t) => void (text += t) };
  for (const [n, us] of samples) {
    text = '';
    top(sink, opts, st, n, us);
  }
  return text.split('\n');
}

describe('xentop table', () => {
  it('CPU(%): CPU time used over the time between samples; 0.0 on the first', () => {
    const a = node(1000, [dom(1, 'busy', { cpuNs: 1e9 }), dom(2, 'half', { cpuNs: 0 })]);
    const b = node(3000, [dom(1, 'busy', { cpuNs: 5e9 }), dom(2, 'half', { cpuNs: 1e9 })]);
    expect(render({}, [[a, 0]]).slice(1, 3).map((l) => l.slice(29, 35))).toEqual(['   0.0', '   0.0']);
    // 4 s of CPU in 2 s is 200 %, as with two busy vCPUs
    expect(render({}, [[a, 0], [b, 2e6]]).slice(1, 3).map((l) => l.slice(29, 35))).toEqual([' 200.0', '  50.0']);
  });

  it('state letters in xentop order d s b c p r; no limit and n/a', () => {
    const lines = render({}, [[node(0, [
      dom(1, 'a', { crashed: true, blocked: false }),
      dom(2, 'b', { shutdown: true, blocked: false, dying: true }),
      dom(3, 'c', { paused: true, running: true, blocked: false, maxMem: null }),
    ]), 0]]);
    expect(lines.slice(1, 4).map((l) => l.slice(11, 17))).toEqual(['---c--', 'ds----', '----pr']);
    expect(lines[3]!.slice(54, 74)).toBe('  no limit       n/a');
  });

  it('NETTX(k) and VBD_RD widen for large counters, header too', () => {
    const big = dom(1, 'big', {
      networks: [{ id: 0, rbytes: 0, rpackets: 0, rerrs: 0, rdrop: 0, tbytes: 123456789 * 1024, tpackets: 1, terrs: 0, tdrop: 0 }],
      vbds: [{ backType: 1, dev: 51712, error: false, ooReqs: 0, rdReqs: 9999999999, wrReqs: 0, rdSects: 0, wrSects: 0 }],
    });
    const lines = render({}, [[node(0, [big, dom(2, 'small')]), 0]]);
    // xentop counts the digits of value+1 as log10(n)+1: 9999999999 gets 11 columns
    expect(lines[0]).toContain(' VCPUS NETS  NETTX(k) NETRX(k) VBDS   VBD_OO      VBD_RD   VBD_WR ');
    expect(lines[1]).toContain('    1 123456789        0    1        0  9999999999        0 ');
    expect(lines[2]).toContain('    0         0        0    0        0           0        0 ');
  });

  it('a VBD whose statistics cannot be read shows -', () => {
    const d = dom(1, 'x', { vbds: [{ backType: 1, dev: 51712, error: true, ooReqs: 0, rdReqs: 0, wrReqs: 0, rdSects: 0, wrSects: 0 }] });
    const lines = render({ showVbds: true }, [[node(0, [d]), 0]]);
    expect(lines[1]!.endsWith('   1        -        -        -          -          -    0')).toBe(true);
    expect(lines[2]).toBe('VBD BlkBack 51712 [ca: 0]  OO:        -   RD:        -   WR:        -   RSECT:          -   WSECT:          -');
  });
});

describe('atoi', () => {
  it('is C atoi', () => {
    expect(atoi('5')).toBe(5);
    expect(atoi('  7x')).toBe(7);
    expect(atoi('x')).toBe(0);
    expect(atoi('-1')).toBe(-1);
    expect(atoi('99999999999999999999')).toBe(-1);
  });
});
