/**
 * `xlsim shell` runs each command exactly as its separate binary would: a
 * script of varied commands (successes, usage errors, unknown commands,
 * help, Exit thrown deep inside, missing xenstore keys, clock moves) is run
 * once command by command as separate processes and once through
 * `xlsim shell < script`, on two byte-identical manual-clock hosts (one
 * created with a fixed seed, the other a copy of it), and each command's
 * stdout, stderr and status must be the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitWords } from '../../cmd/xlsim/shell-words';
import { prepareBundle, separate, shell, shellEnv, tmpDir } from './run';

const SCRIPT = [
  'xl list',
  'xl list -l',
  'xl create guest.cfg',
  'xl create -p "guest two.cfg"',
  'xl list',
  'xl list -l guest',
  'xl list --long guest-two',
  'xl domid guest',
  'xl domid nosuch',
  'xl domname 1',
  'xl pause guest',
  'xl list guest',
  'xl unpause guest',
  'xl unpause guest-two',
  'xl pause nosuch',
  'xl list --bogus',
  'xl list -q',
  'xl bogus',
  'xl li',
  'xl',
  'xl help',
  'xl help list',
  'xl list -h',
  'xl -Z list',
  'xl create',
  'xl create missing.cfg',
  "xl create 'bad.cfg'",
  'xl mem-set guest 512',
  'xl mem-set guest lots',
  'xl vcpu-list',
  'xl vcpu-set guest 1',
  'xl sched-credit',
  'xl info',
  'xl uptime',
  'xenstore-read /local/domain/0/name',
  'xenstore-read /no/such/key',
  'xenstore-write /test/msg "hello world"',
  'xenstore-read /test/msg',
  'xenstore-list /local/domain',
  'xenstore-ls /test',
  'xenstore-rm /test/msg',
  'xenstore-read /test/msg',
  'xenstore-read',
  'xlsim clock',
  'xlsim clock advance 10s',
  'xlsim clock advance soon',
  'xlsim nosuchcommand',
  'xlsim --help',
  'xlsim clock --help',
  'xlsim events',
  'xl shutdown guest',
  'xlsim clock advance 5s',
  'xl list',
  'xl destroy guest-two',
  'xl destroy guest-two',
  'xl list -v',
  'xl dmesg -c',
  // hosts replaced under a shell that keeps connections open between commands
  'xlsim host create lab2 --seed 3',
  'xlsim host use lab2',
  'xl list',
  'xl create guest.cfg',
  'xl list',
  'xlsim host remove lab2',
  'xlsim host remove --force lab2',
  'xl list',
  'xlsim host create lab2 --seed 4',
  'xl list',
  'xl create "guest two.cfg"',
  'xl list -v',
  'xlsim --host default clock',
  'xlsim host use default',
  'xlsim host list',
  'xl list',
];

const GUEST = 'type = "pv"\nname = "guest"\nmemory = 256\nvcpus = 2\nkernel = "/boot/vmlinuz"\nextra = "console=hvc0"\n';

let work: string;
let homeA: string;
let homeB: string;

/** A fresh host in `home`: created once, then copied, so both start byte-identical. */
function cloneHome(from: string): string {
  const to = tmpDir('xlsim-shell-eq-b-');
  fs.cpSync(from, to, { recursive: true });
  return to;
}

beforeAll(async () => {
  await prepareBundle();
  work = tmpDir('xlsim-shell-eq-work-');
  fs.writeFileSync(path.join(work, 'guest.cfg'), GUEST);
  fs.writeFileSync(path.join(work, 'guest two.cfg'), GUEST.replace('"guest"', '"guest-two"').replace('memory = 256', 'memory = 128'));
  fs.writeFileSync(path.join(work, 'bad.cfg'), 'name = "broken\nmemory = \n');
  homeA = tmpDir('xlsim-shell-eq-a-');
  const c = separate('xlsim', ['host', 'create', 'default', '--clock', 'manual', '--seed', '42'], shellEnv(homeA), work);
  expect(c).toMatchObject({ code: 0 });
  homeB = cloneHome(homeA);
});

function argvOf(line: string): string[] {
  const r = splitWords(line, 0);
  if (!r.ok) throw new Error(`bad test line ${line}`);
  return r.words.map((w) => w.text);
}

describe('xlsim shell < script', () => {
  it('gives every command the stdout, stderr and status of its separate binary', () => {
    // Both runs see the same XLSIM_HOME path (paths can appear in output):
    // after the separate run, A's home is replaced by B, the untouched copy.
    const expected = SCRIPT.map((line) => {
      const [tool, ...args] = argvOf(line);
      return { line, ...separate(tool!, args, shellEnv(homeA), work) };
    });
    fs.rmSync(homeA, { recursive: true, force: true });
    fs.renameSync(homeB, homeA);
    const script = SCRIPT.map((l) => `${l}\necho "@@ $?"\necho @@ >&2\n`).join('');
    const r = shell(script, shellEnv(homeA), work);
    const outs = r.stdout.split(/^@@ (\d+)\n/m);
    const errs = r.stderr.split(/^@@\n/m);
    const got = SCRIPT.map((line, i) => ({ line, stdout: outs[2 * i] ?? '<missing>', stderr: errs[i] ?? '<missing>', code: Number(outs[2 * i + 1]) }));
    // one command at a time, so a difference names its line
    for (let i = 0; i < SCRIPT.length; i++) expect(got[i], SCRIPT[i]).toEqual(expected[i]);
    expect(outs[2 * SCRIPT.length]).toBe('');
    expect(errs[SCRIPT.length]).toBe('');
    // the shell's own status is the last line's (an echo here)
    expect(r.code).toBe(0);
    // the script covered successes and each kind of failure
    const codes = new Set(expected.map((e) => e.code));
    expect([...codes].sort()).toEqual(expect.arrayContaining([0, 1, 2]));
    expect(expected.filter((e) => e.stderr !== '').length).toBeGreaterThan(10);
  });
});
