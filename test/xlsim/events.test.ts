/** `xlsim events`: the host event log, filtered, as JSON, and followed while another command acts. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { BIN } from '../helpers/cli';
import { dbBytes, emptyLab, res, type Lab } from './fixture';

let lab: Lab;
const HEADER = '         TIME(s)  DOM   KIND                   WHAT\n';
const BOOT = '     0.000000000  d0    host.boot              Xen 4.20.0-xlsim booted, dom0 with 2048 MiB\n';

beforeAll(() => {
  lab = emptyLab();
  expect(lab.xlsim('clock', 'advance', '1m30s').code).toBe(0);
  expect(lab.xlsim('clock', 'mode', 'manual')).toEqual(res('Clock mode is already manual\n'));
  expect(lab.xlsim('clock', 'advance', '500ms').code).toBe(0);
});

describe('xlsim events', () => {
  test('the whole log, in order, in simulated time', () => {
    expect(lab.xlsim('events')).toEqual(
      res(
        HEADER +
          BOOT +
          '    90.000000000  -     clock.advance          clock advanced by 1m30s from 0.000000000 s, 0 events run\n' +
          '    90.500000000  -     clock.advance          clock advanced by 500ms from 90.000000000 s, 0 events run\n',
      ),
    );
  });

  test('--limit and --domain', () => {
    expect(lab.xlsim('events', '--limit', '1')).toEqual(res(HEADER + '    90.500000000  -     clock.advance          clock advanced by 500ms from 90.000000000 s, 0 events run\n'));
    expect(lab.xlsim('events', '--domain', '0')).toEqual(res(HEADER + BOOT));
    expect(lab.xlsim('events', '-d', 'Domain-0')).toEqual(res(HEADER + BOOT));
    // a domain id that is gone (or never was) may still be asked about
    expect(lab.xlsim('events', '--domain', '7')).toEqual(res(HEADER));
  });

  test('--json', () => {
    expect(JSON.parse(lab.xlsim('events', '--json', '-n', '2').stdout)).toEqual([
      { id: 2, at_ns: 90e9, time: '90.000000000', domid: null, kind: 'clock.advance', text: 'clock advanced by 1m30s from 0.000000000 s, 0 events run' },
      { id: 3, at_ns: 90.5e9, time: '90.500000000', domid: null, kind: 'clock.advance', text: 'clock advanced by 500ms from 90.000000000 s, 0 events run' },
    ]);
    expect(JSON.parse(lab.xlsim('events', '--json', '-d', '0').stdout)).toEqual([
      { id: 1, at_ns: 0, time: '0.000000000', domid: 0, kind: 'host.boot', text: 'Xen 4.20.0-xlsim booted, dom0 with 2048 MiB' },
    ]);
  });

  test('bad input', () => {
    const before = dbBytes(lab);
    expect(lab.xlsim('events', '--domain', 'ghost')).toEqual(res('', "xlsim: no such domain 'ghost'\n", 1));
    expect(lab.xlsim('events', '--limit', '0')).toEqual(res('', "xlsim: --limit '0' is not a positive integer\n", 1));
    expect(lab.xlsim('events', '--limit', 'many')).toEqual(res('', "xlsim: --limit 'many' is not a positive integer\n", 1));
    expect(dbBytes(lab).equals(before)).toBe(true);
  });
});

describe('xlsim events --pending: the queue the clock will run', () => {
  test('empty on a host without guests; a guest brings its events, in due order', () => {
    expect(lab.xlsim('events', '--pending')).toEqual(res('          DUE(s)  DOM   KIND                   PAYLOAD\n'));
    expect(lab.xlsim('events', '--pending', '--json')).toEqual(res('[]\n'));
    const other = emptyLab();
    fs.writeFileSync(path.join(other.home, 'g.cfg'), 'name = "g"\nkernel = "/boot/vmlinuz"\nmemory = 128\n');
    expect(other.xl('create', 'g.cfg').code).toBe(0);
    const q = JSON.parse(other.xlsim('events', '--pending', '--json', '--domain', 'g').stdout) as { seq: number; at_ns: number; time: string; in_ns: number; domid: number; kind: string }[];
    expect(q.length).toBeGreaterThan(0);
    expect(q.map((e) => e.kind)).toContain('guest.booted');
    for (const e of q) {
      expect(e.domid).toBe(1);
      // that host's clock is still at 0
      expect(e.in_ns).toBe(e.at_ns);
    }
    expect([...q].sort((a, b) => a.at_ns - b.at_ns || a.seq - b.seq)).toEqual(q);
    const all = JSON.parse(other.xlsim('events', '--pending', '--json').stdout) as { time: string; kind: string; payload: unknown }[];
    const text = other.xlsim('events', '--pending').stdout.split('\n');
    expect(text[0]).toBe('          DUE(s)  DOM   KIND                   PAYLOAD');
    expect(text.slice(1, -1)).toEqual(all.map((e) => `${e.time.padStart(16)}  d1    ${e.kind.padEnd(22)} ${e.payload === null ? '' : JSON.stringify(e.payload)}`));
    expect(other.xlsim('events', '--pending', '--follow')).toEqual(res('', 'xlsim: --pending lists the queue once; it cannot be followed\n', 1));
    expect(other.xlsim('events', '--pending', '-d', 'nope')).toEqual(res('', "xlsim: no such domain 'nope'\n", 1));
  });
});

describe('xlsim events --follow', () => {
  function follow(args: string[]): { out: () => string; stop: () => Promise<number | null> } {
    const child = spawn(process.execPath, [path.join(BIN, 'xlsim.cjs'), 'events', '--follow', ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', ...lab.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const done = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return {
      out: () => out,
      stop: () => {
        child.kill('SIGINT');
        return done;
      },
    };
  }

  async function until(get: () => string, want: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!get().includes(want) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(get()).toContain(want);
  }

  test('prints what another command logs, and ends cleanly on Ctrl-C', async () => {
    const f = follow([]);
    await until(f.out, BOOT);
    expect(lab.xlsim('clock', 'advance', '2s').code).toBe(0);
    const line = '    92.500000000  -     clock.advance          clock advanced by 2s from 90.500000000 s, 0 events run\n';
    await until(f.out, line);
    expect(await f.stop()).toBe(0);
    expect(f.out().startsWith(HEADER + BOOT)).toBe(true);
    expect(f.out().endsWith(line)).toBe(true);
  });

  test('--json: one object per line; --domain filters the followed entries', async () => {
    const f = follow(['--json', '--domain', '0']);
    await until(f.out, '"kind":"host.boot"');
    expect(lab.xlsim('clock', 'advance', '1s').code).toBe(0);
    // give the follower a few polls to (wrongly) print the clock entry
    await new Promise((r) => setTimeout(r, 1000));
    expect(await f.stop()).toBe(0);
    expect(f.out()).toBe(JSON.stringify({ id: 1, at_ns: 0, time: '0.000000000', domid: 0, kind: 'host.boot', text: 'Xen 4.20.0-xlsim booted, dom0 with 2048 MiB' }) + '\n');
  });
});
