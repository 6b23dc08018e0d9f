/**
 * Lab files as data: every shipped lab parses and names only hosts it
 * declares; malformed labs and check lines are refused with a message per
 * problem; the texts follow the ini escaping rule.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labNames, loadLab } from '../../lib/lab/catalog';
import { parseCheck, sameAnswer } from '../../lib/lab/checks';
import { fillText, parseLab } from '../../lib/lab/parse';
import { ROOT } from '../helpers/cli';

const env = { XLSIM_CONFIG_DIR: path.join(ROOT, 'configs') };
const SHIPPED = ['altp2m', 'first-guest', 'guest-types', 'lifecycle', 'memory', 'migration'];

describe('shipped labs', () => {
  it('all load', () => {
    expect(labNames(env)).toEqual(SHIPPED);
    for (const n of SHIPPED) {
      const r = loadLab(env, n);
      expect(r.ok ? '' : r.error).toBe('');
    }
  });
  it('escape ; and # in their values (ini would cut the text there)', () => {
    for (const n of SHIPPED) {
      const text = fs.readFileSync(path.join(ROOT, 'configs', 'labs', n, 'lab.ini'), 'utf8');
      text.split('\n').forEach((line, i) => {
        if (/^\s*[;#]/.test(line) || !line.includes('=')) return;
        const value = line.slice(line.indexOf('=') + 1).trim();
        if (value.startsWith('"') && value.endsWith('"')) return;
        expect(/(^|[^\\])[;#]/.test(value), `${n}/lab.ini:${i + 1}: ${line}`).toBe(false);
      });
    }
  });
  it('each have hosts of their own', () => {
    const hosts = SHIPPED.flatMap((n) => {
      const r = loadLab(env, n);
      return r.ok ? r.value.def.hosts.map((h) => h.name) : [];
    });
    expect(new Set(hosts).size).toBe(hosts.length);
  });
  it('copy their guest configs, never lab.ini', () => {
    const r = loadLab(env, 'memory');
    expect(r.ok && r.value.files).toEqual(['big.cfg', 'huge.cfg', 'small.cfg']);
  });
});

const GOOD = `[lab]
title = T
[host.a]
name = lab-a
[host.b]
name = lab-b
clock = real
seed = 9
setup[] = xl create g.cfg
[step.one]
title = One
goal[] = Do it on {host.b} from {dir} ({host})
hint[] = h1
check[] = on b: domain g exists
check[] = domain g migrated to b capped
`;

describe('parseLab', () => {
  it('reads hosts, steps and checks in file order', () => {
    const r = parseLab(GOOD, 'x');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.value;
    expect(d.hosts.map((h) => [h.alias, h.name, h.profile, h.clock, h.seed, h.setup])).toEqual([
      ['a', 'lab-a', 'default', 'manual', undefined, []],
      ['b', 'lab-b', 'default', 'real', 9, ['xl create g.cfg']],
    ]);
    expect(d.steps.map((s) => [s.id, s.checks.map((c) => [c.host, c.refs])])).toEqual([['one', [['b', []], ['', ['b']]]]]);
    expect(fillText(d.steps[0]!.goal[0]!, d, '/w')).toBe('Do it on lab-b from /w (lab-a)');
  });
  it('reports every problem, naming section and key', () => {
    const bad = `[lab]
order = soon
[host.a]
name = mine
clock = fast
[step.one]
title = One
check[] = domain g migrated to c
check[] = on z: domain g exists
check[] = domain g is sleepy
[step.Two]
title = Two
hint[] = h
check[] = host g up
`;
    const r = parseLab(bad, 'x');
    expect(r.ok ? '' : r.error).toBe(
      [
        "[host.a] name: 'mine' must be a valid host name starting with 'lab-'",
        "[host.a] clock: 'fast' is not real or manual",
        "[step.one] check 'domain g migrated to c': no [host.c] in this lab",
        "[step.one] check 'on z: domain g exists': no [host.z] in this lab",
        "[step.one] check 'domain g is sleepy': expected: domain NAME is [not] running|paused|shutdown|crashed|booted|logged-in|pv|pvh|hvm",
        '[step.one] hint[]: a step needs at least one hint',
        "[step.Two] check 'host g up': unknown check subject 'host' (domain, xenstore or altp2m)",
        "[step.Two]: a step id is lower-case letters, digits and '-', starting with a letter",
        '[lab] title: missing',
        "[lab] order: 'soon' is not a non-negative integer",
      ].join('\n'),
    );
  });
  it('needs a host and a step', () => {
    const r = parseLab('[lab]\ntitle = T\n', 'x');
    expect(r.ok ? '' : r.error).toBe('[host.NAME]: a lab needs at least one host\n[step.ID]: a lab needs at least one step');
  });
});

describe('check lines', () => {
  it('refuse what they cannot check', () => {
    const err = (l: string) => {
      const r = parseCheck(l);
      return r.ok ? '' : r.error;
    };
    expect(err('domain g memory ~ 5')).toBe("check 'domain g memory ~ 5': expected: domain NAME memory OP NUMBER");
    expect(err('domain g handled crash by explode')).toContain('expected: domain NAME handled poweroff|reboot|suspend|crash|watchdog|soft_reset by destroy|');
    expect(err('xenstore lab/x = 1')).toBe("check 'xenstore lab/x = 1': expected: xenstore PATH = VALUE");
    expect(err('altp2m g has view default')).toBe("check 'altp2m g has view default': 'default' is not a mem_access name");
    expect(err('altp2m g flies')).toContain("unknown altp2m check 'flies'");
    expect(err('domain g exists now')).toBe("check 'domain g exists now': nothing may follow 'exists'");
  });
  it('compare answers without case, blanks or number base', () => {
    expect(sameAnswer(' PVH-guest ', 'pvh-guest')).toBe(true);
    expect(sameAnswer('0XF0000000', '4026531840')).toBe(true);
    expect(sameAnswer('511', '0x1ff')).toBe(true);
    expect(sameAnswer('0x1fe', '0x1ff')).toBe(false);
    expect(sameAnswer('hvm', 'hvm-guest')).toBe(false);
  });
});
