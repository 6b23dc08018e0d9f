import { describe, expect, it } from 'vitest';
import { getoptLong } from '../../lib/util/getopt';

const env = {};
describe('getopt_long (glibc semantics)', () => {
  it('permutes operands and options', () => {
    const r = getoptLong(['a', '-p', 'b', '-q'], 'pq', [], env);
    expect(r.operands).toEqual(['a', 'b']);
    expect(r.events.map((e) => (e.kind === 'opt' ? e.opt : '?'))).toEqual(['p', 'q']);
  });
  it('stops at the first operand with +', () => {
    const r = getoptLong(['-v', 'create', '-v'], '+vftTN', [], env);
    expect(r.operands).toEqual(['create', '-v']);
  });
  it('clusters and takes glued or separate arguments', () => {
    const r = getoptLong(['-vvN', '-sfoo', '-s', 'bar'], 'vNs:', [], env);
    expect(r.events).toEqual([
      { kind: 'opt', opt: 'v', arg: undefined },
      { kind: 'opt', opt: 'v', arg: undefined },
      { kind: 'opt', opt: 'N', arg: undefined },
      { kind: 'opt', opt: 's', arg: 'foo' },
      { kind: 'opt', opt: 's', arg: 'bar' },
    ]);
  });
  it('reports unknown and argument-less options with optopt', () => {
    expect(getoptLong(['-x'], 'ab', [], env).events).toEqual([{ kind: '?', optopt: 'x' }]);
    expect(getoptLong(['-s'], 's:', [], env).events).toEqual([{ kind: '?', optopt: 's' }]);
    expect(getoptLong(['--nope'], 'a', [{ name: 'all', hasArg: 0, val: 'a' }], env).events).toEqual([{ kind: '?', optopt: '' }]);
  });
  it('matches long option prefixes and --opt=value', () => {
    const longs = [
      { name: 'defconfig', hasArg: 1 as const, val: 'f' },
      { name: 'dryrun', hasArg: 0 as const, val: 'n' },
    ];
    const r = getoptLong(['--def=x.cfg', '--dry', '--defconfig', 'y'], 'f:n', longs, env);
    expect(r.events).toEqual([
      { kind: 'opt', opt: 'f', arg: 'x.cfg' },
      { kind: 'opt', opt: 'n', arg: undefined },
      { kind: 'opt', opt: 'f', arg: 'y' },
    ]);
  });
  it('ends options at -- and treats - as an operand', () => {
    const r = getoptLong(['-', '--', '-p'], 'p', [], env);
    expect(r.operands).toEqual(['-', '-p']);
    expect(r.events).toEqual([]);
  });
});
