/**
 * Crash consistency of every state-changing command: each runs as a real
 * xl process SIGKILLed at points inside it (state/testkill.ts: just before
 * its first COMMIT, just after it, and at seeded random SQL statements).
 * After every kill the host must pass `xlsim check`, and the database (and
 * the log files) must equal, row for row, the host before the command or
 * the host after an uninterrupted run: the command happened completely or
 * not at all. The commands that are several steps by design (restore,
 * shutdown, reboot) must leave a consistent host at every kill.
 * The references run in-process; only the killed runs are processes.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { dumpDb } from '../state/fixtures/dump';
import { CHECK_OK, inprocHome, tmpDir, type InprocHome } from './inproc';

const CFG =
  'kernel = "/boot/vmlinuz"\nmemory = 64\nmaxmem = 256\nmaxvcpus = 4\n' +
  'disk = [ "phy:/dev/vg/g,xvda,w", "phy:/dev/vg/g2,xvdb,w" ]\nvif = [ "bridge=xenbr0" ]\n';

interface Snapshot {
  db: string;
  logs: string;
}

function snapshot(home: string): Snapshot {
  const db = dumpDb(path.join(home, 'hosts', 'a.db'))
    .split('\n')
    // a uuid drawn before a create is rolled back is no trace of it
    .filter((l) => !l.startsWith('{"key":"host.rng"'))
    .join('\n')
    .split(JSON.stringify(home).slice(1, -1))
    .join('$XLSIM_HOME');
  const dir = path.join(home, 'hosts', 'a', 'log');
  const logs = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  return { db, logs: logs.map((f) => `== ${f}\n${fs.readFileSync(path.join(dir, f), 'utf8')}`).join('\n') };
}

/** A copy of a whole XLSIM_HOME, its records pointing at the copy's files. */
function clone(from: string): string {
  const home = tmpDir('xlsim-crash-');
  fs.cpSync(from, home, { recursive: true });
  const db = new Database(path.join(home, 'hosts', 'a.db'), { fileMustExist: true });
  try {
    db.prepare('UPDATE records SET data = replace(data, ?, ?)').run(from, home);
  } finally {
    db.close();
  }
  return home;
}

function killedRun(home: string, tool: string, args: string[], point: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(BIN, `${tool}.cjs`), ...args], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, TZ: 'UTC', XLSIM_HOME: home, XLSIM_HOST: 'a', XLSIM_TEST_KILL_AT: point },
      stdio: 'ignore',
    });
    p.on('error', reject);
    p.on('close', (_code, signal) => resolve(signal));
  });
}

async function check(home: string): Promise<void> {
  const h = await inprocHome([], home);
  expect(await h.run('xlsim', ['check'], 'a')).toEqual(CHECK_OK);
}

/** seeded, so that a failure names the same statement next time */
function* statements(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    yield 1 + (x % 40);
  }
}

let base: InprocHome;
const homes: string[] = [];

beforeAll(async () => {
  base = await inprocHome(['a'], tmpDir('xlsim-crash-'));
  homes.push(base.home);
  const cfg = base.file('g.cfg', CFG);
  base.file('g-update.cfg', `${CFG}name = "g"\nmemory = 96\n`);
  const passthrough = base.file('q.cfg', 'kernel = "/boot/vmlinuz"\nmemory = 64\npassthrough = "enabled"\n');
  const hvm = base.file('h.cfg', 'type = "hvm"\nmemory = 128\ndisk = [ "file:/x.iso,hdc:cdrom,r" ]\n');
  const setup: [string, string[]][] = [
    ['xl', ['create', '-q', cfg, 'name="g"']],
    ['xl', ['create', '-q', '-p', cfg, 'name="p"']],
    ['xl', ['create', '-q', cfg, 'name="s"']],
    ['xl', ['create', '-q', hvm, 'name="h"']],
    ['xl', ['create', '-q', passthrough, 'name="q"']],
    ['xlsim', ['clock', 'advance', '30s']],
    ['xl', ['save', 's', path.join(base.home, 's.save')]],
    ['xl', ['cpupool-cpu-remove', 'Pool-0', '6']],
    ['xl', ['cpupool-cpu-remove', 'Pool-0', '7']],
    ['xl', ['cpupool-create', 'name="pool1"', 'cpus=["7"]']],
    ['xl', ['cpupool-create', 'name="pool2"', 'cpus=[]']],
    ['xenstore-write', ['/tool/robust', 'v']],
  ];
  for (const [tool, args] of setup) {
    const r = await base.run(tool, args);
    expect(r.code, `${tool} ${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
  await check(base.home);
});

afterAll(() => {
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
});

/**
 * One state-changing command. `@/` stands for the host's home (in-process
 * runs do not chdir: every file named must be absolute).
 */
type Case = [tool: string, args: string[]];

function inHome([tool, args]: Case, home: string): Case {
  return [tool, args.map((a) => a.replace(/^@\//, `${home}/`))];
}

const ATOMIC: Case[] = [
  ['xl', ['pause', 'g']],
  ['xl', ['unpause', 'p']],
  ['xl', ['rename', 'g', 'g2']],
  ['xl', ['mem-set', 'g', '100']],
  ['xl', ['mem-max', 'g', '200']],
  ['xl', ['vcpu-set', 'g', '2']],
  ['xl', ['sched-credit2', '-d', 'g', '-w', '512']],
  ['xl', ['cpupool-cpu-add', 'pool1', '6']],
  ['xl', ['cpupool-cpu-remove', 'Pool-0', '5']],
  ['xl', ['cpupool-migrate', 'g', 'pool1']],
  ['xl', ['cpupool-rename', 'pool1', 'pool3']],
  ['xl', ['cpupool-destroy', 'pool2']],
  ['xl', ['cpupool-create', 'name="pool4"', 'cpus=["6"]']],
  ['xl', ['block-attach', 'g', 'phy:/dev/vg/x,xvdc,w']],
  ['xl', ['block-detach', 'g', 'xvdb']],
  ['xl', ['network-attach', 'g', 'bridge=xenbr0']],
  ['xl', ['network-detach', 'g', '0']],
  ['xl', ['config-update', 'g', '@/g-update.cfg']],
  ['xl', ['sysrq', 'g', 'h']],
  ['xl', ['debug-keys', 'h']],
  ['xl', ['destroy', 'g']],
  ['xl', ['create', '@/g.cfg', 'name="c"']],
  ['xenstore-write', ['/tool/robust', 'w']],
  ['xenstore-rm', ['/tool/robust']],
  ['xl', ['vtpm-attach', 'g', 'backend=0']],
  ['xl', ['usbctrl-attach', 'g']],
  ['xl', ['usbdev-attach', 'g', 'hostbus=1', 'hostaddr=2']],
  ['xl', ['vdispl-attach', 'g', 'connectors=id0:800x600']],
  ['xl', ['cd-eject', 'h', 'hdc']],
  ['xl', ['trigger', 'h', 'power']],
  ['xl', ['pci-attach', 'q', '0000:04:00.0']],
  ['xl', ['sched-credit2', '-s', '-p', 'Pool-0', '-r', '2000']],
  ['xl', ['vkb-attach', 'q', 'backend-type=qemu']],
  ['xl', ['vsnd-attach', 'q', 'card,short-name=x']],
  // the image is written, then the domain goes, in one transaction
  ['xl', ['save', 'g', '@/g.save']],
];

/** several steps on purpose: a kill may fall between them, the host stays consistent */
const STEPPED: Case[] = [
  ['xl', ['restore', '@/s.save']],
  ['xl', ['shutdown', 'g']],
  ['xl', ['reboot', 'g']],
  ['xl', ['shutdown', '-w', 'g']],
];

const SLOW = 120_000;
const name = ([tool, args]: Case) => `${tool} ${args.join(' ')}`;

/** runs the command to its end in-process on a copy: the "after" state */
async function reference(c: Case): Promise<{ before: Snapshot; after: Snapshot }> {
  const home = clone(base.home);
  homes.push(home);
  const [tool, args] = inHome(c, home);
  const h = await inprocHome([], home);
  const r = await h.run(tool, args, 'a');
  expect(r.code, `${tool} ${args.join(' ')}: ${r.stderr}`).toBe(0);
  await check(home);
  const after = snapshot(home);
  const before = snapshot(base.home);
  expect(after.db, 'the command changes the host').not.toBe(before.db);
  return { before, after };
}

type Outcome = 'before' | 'after' | 'between' | 'finished';

async function killAt(c: Case, point: string, ref: { before: Snapshot; after: Snapshot }): Promise<Outcome> {
  const home = clone(base.home);
  const [tool, args] = inHome(c, home);
  try {
    const signal = await killedRun(home, tool, args, point);
    await check(home);
    const s = snapshot(home);
    if (signal === null) {
      // the point is past the command's end: it ran to completion
      expect(s.db, `${point}: an uninterrupted process ends where the in-process run did`).toBe(ref.after.db);
      return 'finished';
    }
    expect(signal).toBe('SIGKILL');
    if (s.db === ref.before.db && s.logs === ref.before.logs) return 'before';
    // xl writes its log lines once the database has committed
    if (s.db === ref.after.db) return 'after';
    return 'between';
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/**
 * Kills at the commit of each transaction the command runs (just before
 * and just after it) until one is past its end, then at two seeded
 * statements; returns "point=outcome" for each.
 */
async function sweep(c: Case, seed: number): Promise<string[]> {
  const ref = await reference(c);
  const got: string[] = [];
  for (let k = 1; k <= 6; k++) {
    const a = await killAt(c, `txn-commit:${k}`, ref);
    got.push(`txn-commit:${k}=${a}`);
    if (a === 'finished') break;
    got.push(`txn-committed:${k}=${await killAt(c, `txn-committed:${k}`, ref)}`);
  }
  const stmts = statements(seed);
  for (let i = 0; i < 2; i++) {
    const n = stmts.next().value as number;
    got.push(`stmt:${n}=${await killAt(c, `stmt:${n}`, ref)}`);
  }
  return got;
}

describe('SIGKILL inside every state-changing command', () => {
  it.each(ATOMIC.map((c, i) => [name(c), c, i] as const))('%s: before or after, never in between', async (_n, c, i) => {
    const got = await sweep(c, i + 1);
    for (const g of got) expect(g, got.join(' ')).toMatch(/=(before|after|finished)$/);
    expect(got[0], 'killed before its first commit: nothing happened').toBe('txn-commit:1=before');
    expect(got.some((g) => g.endsWith('=after')), got.join(' ')).toBe(true);
  }, SLOW);

  it.each(STEPPED.map((c, i) => [name(c), c, i] as const))('%s: a consistent host wherever it dies', async (_n, c, i) => {
    const got = await sweep(c, 100 + i);
    // (every kill above was followed by a passing xlsim check)
    expect(got[0], got.join(' ')).toBe('txn-commit:1=before');
    expect(got.filter((g) => g.endsWith('=between')).length, got.join(' ')).toBeGreaterThan(0);
  }, SLOW);
});
