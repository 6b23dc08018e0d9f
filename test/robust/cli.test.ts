/**
 * Random command lines against a host with guests: in-process through the
 * multi-call entry (hundreds of them: any xl command, any options, domain
 * names, numbers and junk), and a handful of bad inputs through the real
 * binaries. Whatever the line, a command ends with a status (no exception,
 * no stack trace, no "internal error", no hang); a usage error changes
 * nothing; a bad value is refused in one line and leaves the database as it
 * was, row for row.
 */
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CMD_TABLE } from '../../cmd/xl/commands';
import { runTool as spawnTool } from '../helpers/cli';
import { dumpDb } from '../state/fixtures/dump';
import { inprocHome, tmpDir, type InprocHome } from './inproc';
import { expectClean } from './model';

const CFG = 'kernel = "/boot/vmlinuz"\nmemory = 64\nmaxmem = 128\nmaxvcpus = 4\n';

/**
 * Commands that wait for something no random line provides (a console, a
 * terminal, a migration stream on stdin, another host) or run as daemons.
 */
const WAITERS = new Set(['console', 'top', 'vncviewer', 'migrate', 'migrate-receive', 'remus', 'devd']);
/** options that attach a console, stay in the foreground until death, or wait for one */
const WAITING_OPTS = new Set(['-c', '-F', '-w', '-a', '--wait', '--all', '-']);

const COMMANDS = CMD_TABLE.map((c) => c.name).filter((n) => !WAITERS.has(n));

const TOKENS = [
  'g', 'p', '0', '1', '2', '7', '99', '-1', '4294967296', 'Domain-0', 'nosuch', 'Pool-0', 'pool1', 'all', '0-3', '^1', 'node:0', '3-1',
  '-d', '-p', '-q', '-l', '-v', '-n', '-e', '-f', '-x', '-h', '-N', '-s', '-t', '-w', '-c', '-F', '--long', '--bogus', '--dryrun', '-D',
  '64', '128m', '1G', '12x', 'memory=32', 'name="n"', 'vcpus=9', 'g.cfg', 'missing.cfg', 'out.save', 'phy:/dev/vg/x,xvdb,w', 'xvdb', 'bridge=xenbr0',
  'rate=10Mb/s', 'mac=00:16:3e:00:00:01', '51712', 'weight=5', 'cap=0', 'credit2', '-w', '300', 'power', 'sleep', 'nmi', 'h', 'b', 'gnttab_max_frames=64',
  '', ' ', 'é', '\u0000', '\n', 'x'.repeat(300), '%s%n', '$(touch pwned)', '../../etc/passwd',
];

const FILES = new Set(['g.cfg', 'missing.cfg', 'out.save']);

const argvArb = fc
  .tuple(fc.constantFrom(...COMMANDS), fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 })), { maxLength: 5 }))
  .map(([cmd, rest]) => [cmd, ...rest.filter((t) => !WAITING_OPTS.has(t))]);

/** a host with a running guest g and a paused guest p */
async function guestsHome(): Promise<InprocHome> {
  const h = await inprocHome(['a']);
  const cfg = h.file('g.cfg', CFG);
  for (const args of [['create', '-q', cfg, 'name="g"'], ['create', '-q', '-p', cfg, 'name="p"']]) {
    const r = await h.run('xl', args);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  await h.run('xlsim', ['clock', 'advance', '30s']);
  return h;
}

let template: string;

beforeAll(async () => {
  template = (await guestsHome()).home;
});

/**
 * A restore refused after its domain was made has used a domid, as on Xen:
 * the hypervisor's next id and libxl's recently-used list (the reuse
 * embargo) move on. Nothing else may.
 */
function withoutDomidUse(dump: string): string {
  return dump
    .split('\n')
    .filter((l) => !/^\{"key":"(libxl\.domid-history[#/]|xen\.host")|^\{"name":"events","seq"/.test(l))
    .join('\n');
}

function clonedTemplate(): string {
  const home = tmpDir();
  fs.cpSync(template, home, { recursive: true });
  return home;
}

function hostDb(home: string): string {
  return path.join(home, 'hosts', 'a.db');
}

/**
 * The database once a read-only command has run: every command first
 * brings the host's lazy accounting (vCPU time) up to the clock, which is
 * no change a command made.
 */
async function settledDump(readOnly: () => Promise<unknown>, home: string): Promise<string> {
  await readOnly();
  const d = dumpDb(hostDb(home));
  await readOnly();
  expect(dumpDb(hostDb(home)), 'xl list changes nothing').toBe(d);
  return d;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms (a hang)`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

describe('random xl command lines, in-process', () => {
  it('end with a status and words, never an exception; usage errors change nothing', async () => {
    const codes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(argvArb, async (argv) => {
        const home = tmpDir();
        fs.cpSync(template, home, { recursive: true });
        try {
          const h = await inprocHome([], home);
          const before = await settledDump(() => h.run('xl', ['list'], 'a'), home);
          // in-process runs do not chdir: files are named inside the home
          const line = argv.map((t) => (FILES.has(t) ? path.join(home, t) : t));
          const what = `xl ${JSON.stringify(line)}`;
          const r = await withTimeout(h.run('xl', line, 'a'), 20_000, what);
          codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
          expectClean(r, what);
          // a failure always says something (xl's help() for usage errors goes to stdout)
          if (r.code !== 0) expect(r.stderr + r.stdout, what).not.toBe('');
          if (r.code === 2) expect(dumpDb(hostDb(home)), what).toBe(before);
          const check = await h.run('xlsim', ['check'], 'a');
          expect(check.stdout, `${what}\n${check.stdout}`).toBe('xlsim check: host is consistent\n');
        } finally {
          fs.rmSync(home, { recursive: true, force: true });
        }
      }),
      { numRuns: 250, seed: 88 },
    );
    // the lines reached the commands, not only their option parsers
    expect(codes.get(0) ?? 0).toBeGreaterThan(25);
    expect(codes.get(1) ?? 0).toBeGreaterThan(25);
    expect(codes.get(2) ?? 0).toBeGreaterThan(15);
  }, 300_000);
});

const XS_TOKENS = ['/', '/local/domain/1', '/local/domain/1/name', '/tool', '/tool/x', 'data/x', '//x', '/a/', '@releaseDomain', '/local/domain/0/backend', '-s', '-w', '-p', '-r', '-f', 'v', '', 'x'.repeat(3000), 'é'];
const XLSIM_LINES: string[][] = [
  ['clock'], ['clock', 'advance'], ['clock', 'mode'], ['guest'], ['guest', 'g'], ['inspect'], ['inspect', 'g'], ['events'], ['check'], ['altp2m'], ['altp2m', 'g'], ['completion'],
];
const XLSIM_TOKENS = ['g', 'p', '1', '5s', '1h', '-1s', 'real', 'manual', 'crash', 'poweroff', 'hang', 'pv-drivers', 'off', 'workload', 'idle', '--dirty-rate', '10MiB/s', '--wss',
  '64M', 'memmap', 'paging', 'vcpus', 'xenstore', 'on', 'create-view', 'switch', '--json', '--host', 'nosuch', '--help', 'x'.repeat(200), '%n'];

const otherArb = fc.oneof(
  fc.tuple(fc.constantFrom('xenstore-read', 'xenstore-write', 'xenstore-rm', 'xenstore-list', 'xenstore-ls'), fc.array(fc.oneof(fc.constantFrom(...XS_TOKENS), fc.string({ maxLength: 8 })), { maxLength: 4 }))
    .map(([tool, args]) => ({ tool, args })),
  fc.tuple(fc.constantFrom(...XLSIM_LINES), fc.array(fc.oneof(fc.constantFrom(...XLSIM_TOKENS), fc.string({ maxLength: 6 })), { maxLength: 4 }))
    .map(([head, rest]) => ({ tool: 'xlsim', args: [...head, ...rest] })),
);

describe('random xenstore-* and xlsim command lines, in-process', () => {
  it('end with a status and words, never an exception, and leave a consistent host', async () => {
    await fc.assert(
      fc.asyncProperty(otherArb, async ({ tool, args }) => {
        const home = clonedTemplate();
        try {
          const h = await inprocHome([], home);
          const what = `${tool} ${JSON.stringify(args)}`;
          const r = await withTimeout(h.run(tool, args, 'a'), 20_000, what);
          expectClean(r, what);
          if (r.code !== 0) expect(r.stderr + r.stdout, what).not.toBe('');
          // (dom0 may write and remove anything in xenstore: a consistent store is then the user's affair)
          if (tool === 'xenstore-write' || tool === 'xenstore-rm') return;
          const check = await h.run('xlsim', ['check'], 'a');
          expect(check.stdout, `${what}\n${check.stdout}`).toBe('xlsim check: host is consistent\n');
        } finally {
          fs.rmSync(home, { recursive: true, force: true });
        }
      }),
      { numRuns: 150, seed: 99 },
    );
  }, 300_000);
});

/** Bad values for commands that take one, and the single line each is refused with. */
const printable = fc.string({ unit: fc.constantFrom(...'abcxyzQ0123456789:._+%'.split('')), minLength: 1, maxLength: 8 });
const BAD: fc.Arbitrary<{ tool: string; args: string[]; err: RegExp }> = fc.oneof(
  printable.map((s) => ({ tool: 'xl', args: ['mem-set', 'g', `1${s}qq`], err: /^invalid memory size: 1\S+qq\n$/ })),
  printable.map((s) => ({ tool: 'xl', args: ['mem-max', 'g', `9${s}zz`], err: /^invalid memory size: 9\S+zz\n$/ })),
  printable.map((s) => ({ tool: 'xl', args: ['vcpu-pin', 'g', '0', `x${s}`], err: /^Invalid pcpu range: x\S+\.\n$/ })),
  printable.map((s) => ({ tool: 'xl', args: ['cpupool-cpu-add', 'Pool-0', `x${s}`], err: /^Invalid pcpu range: x\S+\.\n$/ })),
  printable.map((s) => ({ tool: 'xl', args: ['pause', `nosuch${s}`], err: /^nosuch\S+ is an invalid domain identifier \(rc=-6\)\n$/ })),
  printable.map((s) => ({ tool: 'xl', args: ['network-attach', 'g', `rate=${s}parsecs`], err: /^command line: config parsing error in vif: invalid rate in `\S+'\n$/ })),
  printable.map((s) => ({ tool: 'xlsim', args: ['clock', 'advance', `5${s}parsecs`], err: /^xlsim: invalid duration '5\S+parsecs' \(expected e\.g\. 500ms, 2s, 1m30s, 1h, or a number of seconds\)\n$/ })),
  printable.map((s) => ({ tool: 'xenstore-read', args: [`/local//${s}`], err: /^xenstore-read: couldn't read path \/local\/\/\S+\n$/ })),
  printable.map((s) => ({ tool: 'xenstore-write', args: [`/tool/${s}*`, 'v'], err: /^xenstore-write: could not write path \/tool\/\S+\n$/ })),
);

describe('bad values through the real binaries', () => {
  it('exit non-zero with one line on stderr, nothing on stdout, and the database untouched', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(BAD, async (bad) => {
        const home = tmpDir();
        fs.cpSync(template, home, { recursive: true });
        try {
          const env = { XLSIM_HOME: home, XLSIM_HOST: 'a' };
          const before = await settledDump(async () => spawnTool('xl', ['list'], { env, cwd: home }), home);
          const r = spawnTool(bad.tool, bad.args, { env, cwd: home });
          const what = `${bad.tool} ${JSON.stringify(bad.args)}`;
          expect(r.code, `${what}\n${r.stderr}`).not.toBe(0);
          expect(r.stdout, what).toBe('');
          expect(r.stderr, what).toMatch(bad.err);
          expect(dumpDb(hostDb(home)), what).toBe(before);
          seen.add(`${bad.tool} ${bad.args[0]}`);
        } finally {
          fs.rmSync(home, { recursive: true, force: true });
        }
      }),
      { numRuns: 12, seed: 5 },
    );
    expect(seen.size).toBeGreaterThanOrEqual(5);
  }, 120_000);
});

describe('mutated save files through xl restore, in-process', () => {
  it('a damaged image is refused in words and leaves the host as it was; one that still reads restores a consistent guest', async () => {
    const h = await inprocHome([], clonedTemplate());
    const image = `${h.home}/g.save`;
    expect((await h.run('xl', ['save', 'g', image], 'a')).code).toBe(0);
    const good = fs.readFileSync(image);
    const base = h.home;
    const outcomes = new Map<string, number>();
    // flips, overwrites and truncations anywhere, weighted to the headers and the JSON config
    const offset = fc.oneof(fc.nat({ max: 600 }), fc.nat({ max: good.length - 1 }));
    const mutation = fc.oneof(
      fc.tuple(offset, fc.integer({ min: 1, max: 255 })).map(([at, x]) => (b: Buffer) => void (b[at % b.length] ^= x)),
      fc.tuple(offset, fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([at, bytes]) => (b: Buffer) => void b.set(bytes.subarray(0, Math.max(0, b.length - (at % b.length))), at % b.length)),
      offset.map((at) => (b: Buffer) => b.subarray(0, at % b.length)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (muts) => {
        const home = tmpDir();
        fs.cpSync(base, home, { recursive: true });
        try {
          const hh = await inprocHome([], home);
          let bytes: Buffer = Buffer.from(good);
          for (const m of muts) bytes = m(bytes) ?? bytes;
          const file = `${home}/bad.save`;
          fs.writeFileSync(file, bytes);
          const before = await settledDump(() => hh.run('xl', ['list'], 'a'), home);
          const r = await withTimeout(hh.run('xl', ['restore', '-p', file], 'a'), 20_000, 'xl restore');
          expectClean(r, r.stderr);
          const check = await hh.run('xlsim', ['check'], 'a');
          expect(check.stdout, r.stderr).toBe('xlsim check: host is consistent\n');
          if (r.code === 0) {
            outcomes.set('restored', (outcomes.get('restored') ?? 0) + 1);
            return;
          }
          outcomes.set('refused', (outcomes.get('refused') ?? 0) + 1);
          expect(r.stderr, 'a refusal says why').not.toBe('');
          await hh.run('xl', ['list'], 'a');
          expect(withoutDomidUse(dumpDb(hostDb(home))), `refused, yet the host changed:\n${r.stderr}`).toBe(withoutDomidUse(before));
        } finally {
          fs.rmSync(home, { recursive: true, force: true });
        }
      }),
      { numRuns: 100, seed: 11 },
    );
    expect(outcomes.get('refused') ?? 0).toBeGreaterThan(30);
  }, 300_000);
});
