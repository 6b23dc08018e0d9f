/** cpuid= policies (xl-cfg.md §3.11): the libxl and xend forms and their error reports. */
import { describe, expect, it } from 'vitest';
import { cpuidParseConfig, cpuidParseConfigXend, newCpuidPolicy, parseCpuidList, parseCpuidString } from '../../lib/cfg/cpuid';
import { collectingSink } from '../../lib/cfg/report';

const X = (n: number): string => 'x'.repeat(n);

describe('cpuid, libxl form', () => {
  it('the man page example equals its xend spelling', () => {
    const a = newCpuidPolicy();
    const sink = collectingSink();
    parseCpuidString(sink, a, 'host,tm=0,sse3=0');
    expect(sink.text()).toBe('');
    const b = newCpuidPolicy();
    parseCpuidList(sink, b, ['1:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0,edx=xx0xxxxxxxxxxxxxxxxxxxxxxxxxxxxx']);
    expect(sink.text()).toBe('');
    expect(a).toEqual({ cpuid: [{ leaf: 1, edx: `xx0${X(29)}`, ecx: `${X(31)}0` }], msr: [] });
    expect(b).toEqual(a);
  });
  it('multi-bit fields, subleaves, k/s values', () => {
    const p = newCpuidPolicy();
    expect(cpuidParseConfig(p, 'maxleaf=0xd')).toBe(0);
    expect(cpuidParseConfig(p, 'procpkg=k')).toBe(0);
    expect(cpuidParseConfig(p, 'avx2=s')).toBe(0);
    expect(p.cpuid).toEqual([
      { leaf: 0, eax: '00000000000000000000000000001101' },
      { leaf: 4, subleaf: 0, eax: `kkkkkk${X(26)}` },
      { leaf: 7, subleaf: 0, ebx: `${X(26)}s${X(5)}` },
    ]);
  });
  it('family and model spill into the extended fields', () => {
    const p = newCpuidPolicy();
    expect(cpuidParseConfig(p, 'family=6')).toBe(0);
    expect(p.cpuid[0]!.eax).toBe(`xxxx00000000xxxxxxxx0110${X(8)}`);
    expect(cpuidParseConfig(p, 'family=0x17')).toBe(0);
    // 0x17 - 15 = 8 → extended family 0001000 after the original bit 7 (0)
    expect(p.cpuid[0]!.eax).toBe(`xxxx00001000xxxxxxxx1111${X(8)}`);
    expect(cpuidParseConfig(p, 'model=0x5e')).toBe(0);
    expect(p.cpuid[0]!.eax).toBe(`xxxx000010000101xxxx11111110${X(4)}`);
  });
  it('MSR features (arch-caps word)', () => {
    const p = newCpuidPolicy();
    expect(cpuidParseConfig(p, 'rdcl-no=1')).toBe(0);
    expect(p.msr).toEqual([{ index: 0x10a, policy: `${X(63)}1` }]);
    expect(cpuidParseConfig(p, 'rdcl-no=10')).toBe(3);
  });
  it('errors', () => {
    const p = newCpuidPolicy();
    expect(cpuidParseConfig(p, 'tm')).toBe(1);
    expect(cpuidParseConfig(p, 'bogus=1')).toBe(2);
    expect(cpuidParseConfig(p, 'tm=q')).toBe(3);
    // the entry was created before the value was rejected
    expect(p.cpuid).toEqual([{ leaf: 1 }]);
    const sink = collectingSink();
    parseCpuidString(sink, newCpuidPolicy(), 'host, tm=0,foo,bar=1,tm=z');
    expect(sink.text()).toBe(
      'while parsing CPUID flag: " tm=0":\n  error #2: unknown CPUID flag name\n' +
        'while parsing CPUID flag: "foo":\n  error #1: missing "=" in key=value\n' +
        'while parsing CPUID flag: "bar=1":\n  error #2: unknown CPUID flag name\n' +
        'while parsing CPUID flag: "tm=z":\n  error #3: illegal CPUID value (must be: [0|1|x|k|s])\n',
    );
    const s2 = collectingSink();
    parseCpuidString(s2, newCpuidPolicy(), 'tm=0');
    expect(s2.text()).toBe('while parsing CPUID string: "tm=0":\n  error: first word must be "host"\n');
  });
});

describe('cpuid, xend form', () => {
  it('subleaf and several registers', () => {
    const p = newCpuidPolicy();
    expect(cpuidParseConfigXend(p, `7,0:ebx=${X(31)}0, \necx=${X(32)}`)).toBe(0);
    expect(p.cpuid).toEqual([{ leaf: 7, subleaf: 0, ebx: `${X(31)}0`, ecx: X(32) }]);
  });
  it.each([
    ['x:eax=' + X(32), 1],
    ['1,:eax=' + X(32), 2],
    ['1;eax=' + X(32), 3],
    ['1:eex=' + X(32), 4],
    ['1:eax' + X(32), 4],
    ['1:eax=xx', 5],
  ])('%s → error %d', (s, e) => {
    expect(cpuidParseConfigXend(newCpuidPolicy(), s)).toBe(e);
  });
  it('reports and goes on', () => {
    const sink = collectingSink();
    const p = newCpuidPolicy();
    parseCpuidList(sink, p, ['1:eax=xx', `2:eax=${X(32)}`]);
    expect(sink.text()).toBe('while parsing CPUID line: "1:eax=xx":\n  error #5: policy string must be exactly 32 characters long\n');
    expect(p.cpuid).toEqual([{ leaf: 1 }, { leaf: 2, eax: X(32) }]);
  });
});
