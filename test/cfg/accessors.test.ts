/**
 * The xlu_cfg_get_* accessors: return kinds (absent / wrong / range), C
 * strtol semantics, and libxlu's exact warning texts (checked against
 * libxlu 4.20), including dont_warn.
 */
import { describe, expect, it } from 'vitest';
import {
  INT_MAX,
  LONG_MAX,
  cfgStrerror,
  xluCfgGetBoundedLong,
  xluCfgGetBoundedLongBigint,
  xluCfgGetDefbool,
  xluCfgGetList,
  xluCfgGetListAsStringList,
  xluCfgGetListitem,
  xluCfgGetListitem2,
  xluCfgGetLong,
  xluCfgGetLongBigint,
  xluCfgGetString,
  xluCfgReplaceString,
  xluCfgValueGetList,
  xluCfgValueGetString,
  xluCfgValueType,
} from '../../lib/cfg/config';
import { parse } from './helpers';

function cfgOf(text: string) {
  const p = parse(text);
  expect(p.report).toBe('');
  expect(p.ok).toBe(true);
  return p;
}

describe('absent keys', () => {
  it('every accessor says ESRCH, silently', () => {
    const p = cfgOf('a = 1\n');
    expect(xluCfgGetString(p.cfg, 'nope')).toEqual({ ok: false, errno: 'ESRCH' });
    expect(xluCfgGetLong(p.cfg, 'nope')).toEqual({ ok: false, errno: 'ESRCH' });
    expect(xluCfgGetBoundedLong(p.cfg, 'nope', 0, 10)).toEqual({ ok: false, errno: 'ESRCH' });
    expect(xluCfgGetDefbool(p.cfg, 'nope')).toEqual({ ok: false, errno: 'ESRCH' });
    expect(xluCfgGetList(p.cfg, 'nope')).toEqual({ ok: false, errno: 'ESRCH' });
    expect(xluCfgGetListAsStringList(p.cfg, 'nope')).toEqual({ ok: false, errno: 'ESRCH' });
    expect(p.since()).toBe('');
  });
});

describe('trap 3: numbers are C strtol(text, &end, 0)', () => {
  const p = cfgOf(
    [
      'dec = 1024',
      'oct = 010',
      'hex = 0x1f',
      'qhex = "0x400"',
      'qneg = "-1"',
      'qplus = "+7"',
      'lead = " 12"',
      'nl = "\\n12"',
      'big = 9223372036854775807',
      'huge = 99999999999999999999',
      'nhuge = "-99999999999999999999"',
      'eight = 08',
      'sci = 1e3',
      'trail = "12 "',
      'empty = ""',
      'word = "yes"',
      'halfhex = 0x',
      '',
    ].join('\n'),
  );
  const long = (k: string) => xluCfgGetLongBigint(p.cfg, k);
  it('accepts decimal, octal, hex, signs and leading whitespace', () => {
    expect(long('dec')).toEqual({ ok: true, value: 1024n });
    expect(long('oct')).toEqual({ ok: true, value: 8n });
    expect(long('hex')).toEqual({ ok: true, value: 31n });
    expect(long('qhex')).toEqual({ ok: true, value: 1024n });
    expect(long('qneg')).toEqual({ ok: true, value: -1n });
    expect(long('qplus')).toEqual({ ok: true, value: 7n });
    expect(long('lead')).toEqual({ ok: true, value: 12n });
    expect(long('nl')).toEqual({ ok: true, value: 12n });
    expect(long('big')).toEqual({ ok: true, value: LONG_MAX });
    expect(xluCfgGetLong(p.cfg, 'dec')).toEqual({ ok: true, value: 1024 });
    expect(p.since()).toBe('');
  });
  it('overflow is ERANGE with strerror', () => {
    const before = p.since().length;
    expect(long('huge')).toEqual({ ok: false, errno: 'ERANGE' });
    expect(long('nhuge')).toEqual({ ok: false, errno: 'ERANGE' });
    expect(p.since().slice(before)).toBe(
      "g.cfg:10: warning: parameter `huge' could not be parsed as a number: Numerical result out of range\n" +
        "g.cfg:11: warning: parameter `nhuge' could not be parsed as a number: Numerical result out of range\n",
    );
  });
  it('junk, trailing blanks and empty strings are not numbers', () => {
    for (const k of ['eight', 'sci', 'trail', 'empty', 'word', 'halfhex']) {
      const before = p.since().length;
      expect(long(k)).toEqual({ ok: false, errno: 'EINVAL' });
      const line = p.cfg.find(k)!.lineno;
      expect(p.since().slice(before)).toBe(`g.cfg:${line}: warning: parameter \`${k}' is not a valid number\n`);
    }
  });
});

describe('bounded longs', () => {
  const p = cfgOf('a = 5\nb = 200\nc = "-6"\n');
  it('checks both bounds with libxlu\'s quoting', () => {
    expect(xluCfgGetBoundedLong(p.cfg, 'a', -5, 100)).toEqual({ ok: true, value: 5 });
    expect(xluCfgGetBoundedLong(p.cfg, 'b', -5, 100)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xluCfgGetBoundedLong(p.cfg, 'c', -5, 100)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(p.since()).toBe(
      "g.cfg:2: warning: value `200' is greater than maximum bound '100'\n" + "g.cfg:3: warning: value `-6' is smaller than minimum bound '-5'\n",
    );
  });
  it('dont_warn silences them (xl.conf max_grant_frames)', () => {
    const before = p.since().length;
    expect(xluCfgGetBoundedLong(p.cfg, 'b', 0, INT_MAX, true)).toEqual({ ok: true, value: 200 });
    expect(xluCfgGetBoundedLong(p.cfg, 'c', 0, INT_MAX, true)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xluCfgGetBoundedLongBigint(p.cfg, 'a', 6n, 7n, true)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(p.since().length).toBe(before);
  });
});

describe('trap 5: += refuses every numeric read', () => {
  it('with a previous value', () => {
    const p = cfgOf('memory = 5\nmemory += 12\n');
    expect(xluCfgGetString(p.cfg, 'memory')).toEqual({ ok: true, value: '512' });
    expect(xluCfgGetLong(p.cfg, 'memory')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(p.since()).toBe("g.cfg:2: warning: can't use += with numbers for parameter `memory'\n");
  });
  it('and without one', () => {
    const p = cfgOf('vcpus += 2\n');
    expect(xluCfgGetDefbool(p.cfg, 'vcpus')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(p.since()).toBe("g.cfg:1: warning: can't use += with numbers for parameter `vcpus'\n");
  });
  it('a list is refused before the += check', () => {
    const p = cfgOf('l += [ 1 ]\n');
    expect(xluCfgGetLong(p.cfg, 'l')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(p.since()).toBe("g.cfg:1: warning: parameter `l' is a list but should be a single value\n");
  });
});

describe('trap 4: shape mismatches are warnings', () => {
  const p = cfgOf('vif = \'bridge=br0\'\ndisk = [ "a" ]\nlst = [\n  "x"\n]\n');
  it('a string where a list belongs', () => {
    expect(xluCfgGetList(p.cfg, 'vif')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(p.since()).toBe("g.cfg:1: warning: parameter `vif' is a single value but should be a list\n");
  });
  it('a list where a single value belongs, at the line of [', () => {
    const before = p.since().length;
    expect(xluCfgGetString(p.cfg, 'disk')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xluCfgReplaceString(p.cfg, 'lst')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xluCfgGetDefbool(p.cfg, 'lst')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(p.since().slice(before)).toBe(
      "g.cfg:2: warning: parameter `disk' is a list but should be a single value\n" +
        "g.cfg:3: warning: parameter `lst' is a list but should be a single value\n" +
        "g.cfg:3: warning: parameter `lst' is a list but should be a single value\n",
    );
  });
  it('dont_warn probes stay silent (dual-form keys)', () => {
    const before = p.since().length;
    expect(xluCfgGetList(p.cfg, 'vif', true)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xluCfgGetString(p.cfg, 'disk', true)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xluCfgGetLong(p.cfg, 'vif', true)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(p.since().length).toBe(before);
  });
});

describe('booleans are numbers', () => {
  it('non-zero is true, "yes" is not a number', () => {
    const p = cfgOf('a = 0\nb = 1\nc = 0x10\nd = "yes"\n');
    expect(xluCfgGetDefbool(p.cfg, 'a')).toEqual({ ok: true, value: false });
    expect(xluCfgGetDefbool(p.cfg, 'b')).toEqual({ ok: true, value: true });
    expect(xluCfgGetDefbool(p.cfg, 'c')).toEqual({ ok: true, value: true });
    expect(xluCfgGetDefbool(p.cfg, 'd')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(p.since()).toBe("g.cfg:4: warning: parameter `d' is not a valid number\n");
  });
});

describe('lists and their items', () => {
  const p = cfgOf('c = [ "a", 1, [ "n", [] ], ]\nd = [\n  [ "x" ],\n  "y" ]\ne = [\n]\n');
  it('get_list gives the items; listitem gives strings only, silently', () => {
    const c = xluCfgGetList(p.cfg, 'c');
    if (!c.ok) throw new Error('list expected');
    expect(c.value.values.length).toBe(3);
    expect(xluCfgGetListitem(c.value, 0)).toBe('a');
    expect(xluCfgGetListitem(c.value, 1)).toBe('1');
    expect(xluCfgGetListitem(c.value, 2)).toBeNull();
    expect(xluCfgGetListitem(c.value, 3)).toBeNull();
    expect(xluCfgGetListitem(c.value, -1)).toBeNull();
    expect(xluCfgValueType(xluCfgGetListitem2(c.value, 2)!)).toBe('list');
    expect(xluCfgGetListitem2(c.value, 3)).toBeNull();
    expect(p.since()).toBe('');
  });
  it('as a string list, nested lists become null', () => {
    expect(xluCfgGetListAsStringList(p.cfg, 'c')).toEqual({ ok: true, value: ['a', '1', null] });
  });
  it('value_get_* warn with column 0, at the value\'s own line', () => {
    const d = xluCfgGetList(p.cfg, 'd');
    if (!d.ok) throw new Error('list expected');
    const before = p.since().length;
    expect(xluCfgValueGetString(p.cfg, d.value.values[0])).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xluCfgValueGetList(p.cfg, d.value.values[1])).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xluCfgValueGetString(p.cfg, d.value.values[1])).toEqual({ ok: true, value: 'y' });
    const inner = xluCfgValueGetList(p.cfg, d.value.values[0]);
    expect(inner.ok && inner.value.values.length).toBe(1);
    expect(xluCfgValueGetString(p.cfg, d.value.values[0], true)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(p.since().slice(before)).toBe('g.cfg:3:0: warning: value is not a string\n' + 'g.cfg:4:0: warning: value is not a list\n');
  });
  it('an empty list split over lines has length 0', () => {
    const e = xluCfgGetList(p.cfg, 'e');
    expect(e.ok && e.value.values.length).toBe(0);
  });
});

describe('strerror', () => {
  it('has glibc\'s words', () => {
    expect(cfgStrerror('EINVAL')).toBe('Invalid argument');
    expect(cfgStrerror('ERANGE')).toBe('Numerical result out of range');
  });
});
