/**
 * xlsim lab around the lessons: no lab yet, unknown names, resuming, the
 * host a learner's environment points at, hints running out, labs that are
 * broken or whose setup fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runTool, tmpHome } from '../helpers/cli';
import { learner, ok } from './learner';

describe('xlsim lab', () => {
  it('needs a started lab for status, hint, check and reset', () => {
    const l = learner('first-guest');
    for (const c of ['status', 'hint', 'check']) {
      expect(l.lab(c)).toEqual({ stdout: '', stderr: 'xlsim: no lab started (xlsim lab list shows the labs; xlsim lab start NAME starts one)\n', code: 1 });
    }
    expect(l.lab('reset')).toEqual({ stdout: '', stderr: 'xlsim: no lab started (xlsim lab start NAME starts one)\n', code: 1 });
    const r = l.lab('start', 'nosuch');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("xlsim: no lab 'nosuch' (labs: altp2m, first-guest, guest-types, lifecycle, memory, migration)\n");
  });

  it('lists the labs in order with the progress of each', () => {
    const l = learner('first-guest');
    const before = l.lab('list');
    expect(before.code).toBe(0);
    expect(before.stdout.split('\n').slice(0, 3)).toEqual([
      '  NAME             STEPS  PROGRESS     TITLE',
      '  first-guest          3  not started  Your first guest: create, console, shutdown',
      '  lifecycle            5  not started  Lifecycle: pause, reboot, crash, and the on_* actions',
    ]);
    l.lab('start', 'first-guest');
    ok(l, 'xl create first-guest.cfg');
    expect(l.lab('check').code).toBe(1);
    expect(l.lab('list').stdout).toContain('* first-guest          3  step 2/3     Your first guest');
  });

  it('start makes the lab host current; starting again resumes where the learner was', () => {
    const l = learner('first-guest');
    const r = l.lab('start', 'first-guest');
    expect(r.stdout).toContain('Host: lab-first-guest (profile default, clock manual), the current host\n');
    expect(ok(l, 'xlsim host list').stdout).toContain('* lab-first-guest');
    ok(l, 'xl create first-guest.cfg');
    expect(l.lab('check').code).toBe(1);
    ok(l, 'xlsim host use default');
    const again = l.lab('start', 'first-guest');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Lab first-guest: Your first guest: create, console, shutdown (resumed; xlsim lab reset starts it over)\n');
    expect(again.stdout).toContain('Step 2 of 3: Log in on the console\n');
    // the guest is still there, and the host current again
    expect(ok(l, 'xl list first-guest').stdout).toContain('first-guest');
    ok(l, 'xlsim host remove --force lab-first-guest');
    expect(l.lab('check')).toEqual({ stdout: '', stderr: "xlsim: host 'lab-first-guest' of lab first-guest is gone; xlsim lab reset sets the lab up again\n", code: 1 });
    expect(l.lab('reset').code).toBe(0);
    expect(l.lab('check').code).toBe(1);
  });

  it('says what to type when XLSIM_HOST points elsewhere', () => {
    const l = learner('first-guest');
    const r = l.sh('XLSIM_HOST=mine xlsim lab start first-guest');
    expect(r.stdout).toContain('Note: XLSIM_HOST=mine is set and wins over the current host; type: export XLSIM_HOST=lab-first-guest\n');
  });

  it('never takes over a host it did not create', () => {
    const l = learner('first-guest');
    ok(l, 'xlsim host create lab-first-guest');
    expect(l.lab('start', 'first-guest')).toEqual({
      stdout: '',
      stderr: "xlsim: host 'lab-first-guest' exists but no lab started it; remove it first (xlsim host remove --force lab-first-guest)\n",
      code: 1,
    });
  });

  it('hint gives the next hint, then keeps the last', () => {
    const l = learner('first-guest');
    l.lab('start', 'first-guest');
    expect(l.lab('hint').stdout).toBe(`Hint 1 of 2 for step 1 (Create the guest):\n  xl create takes the config file: xl create ${l.dir}/first-guest.cfg\n`);
    const second = "Hint 2 of 2 for step 1 (Create the guest):\n  xl list shows every domain; the new one is 'first-guest', next to Domain-0.\n";
    expect(l.lab('hint').stdout).toBe(second);
    expect(l.lab('hint').stdout).toBe(`${second}(that was the last hint for this step)\n`);
  });
});

describe('labs an instructor got wrong', () => {
  function configs(lab: string): Record<string, string> {
    const dir = tmpHome('xlsim-labcfg-');
    fs.cpSync(path.join(ROOT, 'configs', 'hosts'), path.join(dir, 'hosts'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'configs', 'xl.conf'), path.join(dir, 'xl.conf'));
    fs.mkdirSync(path.join(dir, 'labs', 'broken'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'labs', 'broken', 'lab.ini'), lab);
    return { XLSIM_CONFIG_DIR: dir, XLSIM_HOME: tmpHome('xlsim-lab-') };
  }

  it('an invalid lab is listed as such and refused with its problems', () => {
    const env = configs('[lab]\ntitle = B\n[host.a]\nname = lab-b\n[step.one]\ntitle = One\nhint[] = h\ncheck[] = domain g is happy\n');
    const list = runTool('xlsim', ['lab', 'list'], { env });
    expect(list).toEqual({ code: 1, stderr: '', stdout: '  NAME             STEPS  PROGRESS     TITLE\n  broken               -  -            (invalid: xlsim lab start shows why)\n' });
    const r = runTool('xlsim', ['lab', 'start', 'broken'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `xlsim: lab ${env.XLSIM_CONFIG_DIR}/labs/broken/lab.ini is invalid:\n  [step.one] check 'domain g is happy': expected: domain NAME is [not] running|paused|shutdown|crashed|booted|logged-in|pv|pvh|hvm\n`,
    );
  });

  it('a failing setup command stops the start with what it printed', () => {
    const env = configs('[lab]\ntitle = B\n[host.a]\nname = lab-b\nsetup[] = xl create nothere.cfg\n[step.one]\ntitle = One\nhint[] = h\ncheck[] = domain g exists\n');
    const r = runTool('xlsim', ['lab', 'start', 'broken'], { env });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Failed to read config file: nothere.cfg: No such file or directory\nxlsim: lab broken: setup command failed on host lab-b: xl create nothere.cfg\n',
    });
    // nothing is left half set up: the host is gone, and a new start fails the same way
    expect(runTool('xlsim', ['host', 'list'], { env }).stdout).not.toContain('lab-b');
    expect(runTool('xlsim', ['lab', 'start', 'broken'], { env }).stderr).toBe(r.stderr);
  });
});

describe('completion', () => {
  it('completes lab names after lab start and lab reset', () => {
    const env = { XLSIM_HOME: tmpHome('xlsim-lab-') };
    const names = ['altp2m', 'first-guest', 'guest-types', 'lifecycle', 'memory', 'migration'];
    for (const sub of ['start', 'reset']) {
      const r = runTool('xlsim', ['--get-yargs-completions', 'xlsim', 'lab', sub, ''], { env });
      expect(r.stdout.split('\n').filter((w) => w !== '' && !w.startsWith('-'))).toEqual(names);
    }
    expect(runTool('xlsim', ['--get-yargs-completions', 'xlsim', 'lab', ''], { env }).stdout).toBe('list\nstart\nstatus\nhint\ncheck\nreset\n');
  });
});
