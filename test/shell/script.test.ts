/**
 * `xlsim shell` reading a script from stdin: the sh-like rules a script
 * author relies on (status of the last command, $?, exit N, --errexit and
 * set -e, syntax errors, unknown commands), and that it runs each command
 * as its line arrives, through a pipe.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareBundle, separate, shell, shellEnv, tmpDir } from './run';

let home: string;
let env: Record<string, string | undefined>;
let work: string;

const LIST_DOM0 =
  'Name                                        ID   Mem VCPUs\tState\tTime(s)\n' +
  'Domain-0                                     0  2048     2     r-----       0.0\n';

beforeAll(async () => {
  await prepareBundle();
  home = tmpDir('xlsim-shell-script-');
  env = shellEnv(home);
  work = tmpDir('xlsim-shell-script-work-');
  fs.writeFileSync(path.join(work, 'g.cfg'), 'type = "pv"\nname = "g"\nmemory = 128\nkernel = "/boot/vmlinuz"\n');
  expect(separate('xlsim', ['host', 'create', 'default', '--seed', '1'], env, work).code).toBe(0);
});

describe('xlsim shell < script', () => {
  it("ends with the last command's status and keeps $?", () => {
    expect(shell('xl list\n', env, work)).toEqual({ stdout: LIST_DOM0, stderr: '', code: 0 });
    expect(shell('xl domid nosuch\n', env, work)).toEqual({ stdout: '', stderr: "Can't get domid of domain name 'nosuch', maybe this domain does not exist.\n", code: 1 });
    expect(shell('xl list --nope\n\n# trailing comment\n', env, work).code).toBe(2);
    const r = shell('xl domid nosuch\necho "status $?"\necho $?\nxl list -q\necho $? >&2\n', env, work);
    expect(r.stdout).toBe('status 1\n0\n');
    expect(r.stderr).toBe("Can't get domid of domain name 'nosuch', maybe this domain does not exist.\noption `q' not supported.\n2\n");
    expect(r.code).toBe(0);
    expect(shell('', env, work)).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('exit and quit end the script', () => {
    expect(shell('exit 3\nxl list\n', env, work)).toEqual({ stdout: '', stderr: '', code: 3 });
    expect(shell('xl domid nosuch\nexit\nxl list\n', env, work).code).toBe(1);
    expect(shell('quit 300\n', env, work).code).toBe(300 & 0xff);
    expect(shell('exit now\necho after\n', env, work)).toEqual({ stdout: '', stderr: 'xlsim shell: line 1: exit: now: numeric argument required\n', code: 2 });
    expect(shell('exit 1 2\necho $?\n', env, work)).toEqual({ stdout: '1\n', stderr: 'xlsim shell: line 1: exit: too many arguments\n', code: 0 });
  });

  it('stops at the first failure with --errexit or set -e', () => {
    const script = 'echo one\nxl domid nosuch\necho two\n';
    expect(shell(script, env, work, ['--errexit']).stdout).toBe('one\n');
    expect(shell(script, env, work, ['--errexit']).code).toBe(1);
    expect(shell(script, env, work, ['-e']).code).toBe(1);
    expect(shell(script, env, work).stdout).toBe('one\ntwo\n');
    expect(shell(`set -e\n${script}`, env, work)).toMatchObject({ stdout: 'one\n', code: 1 });
    expect(shell(`set -e\nset +e\n${script}`, env, work)).toMatchObject({ stdout: 'one\ntwo\n', code: 0 });
    expect(shell('set -x\necho $?\n', env, work)).toEqual({ stdout: '2\n', stderr: 'xlsim shell: line 1: set: -x: only -e and +e are known\n', code: 0 });
  });

  it('reports unknown commands and unterminated lines as sh does (127, 2)', () => {
    expect(shell('xm list\necho $?\n', env, work)).toEqual({ stdout: '127\n', stderr: 'xlsim shell: line 1: xm: command not found (try help)\n', code: 0 });
    expect(shell('echo "two\nlines"\necho \\\n  joined\n', env, work)).toEqual({ stdout: 'two\nlines\njoined\n', stderr: '', code: 0 });
    expect(shell('echo ok\nxenstore-write /a "unterminated\nxl list\n', env, work)).toEqual({
      stdout: 'ok\n',
      stderr: 'xlsim shell: line 2: unexpected end of file (unterminated quoted string)\n',
      code: 2,
    });
    expect(shell('xlsim shell\n', env, work)).toEqual({ stdout: '', stderr: 'xlsim shell: line 1: xlsim shell cannot run inside xlsim shell\n', code: 1 });
  });

  it('leaves nothing behind from one command to the next (listeners, caches, warnings)', () => {
    const round = ['xentop -b -i 1', 'xlsim events', 'xl list', 'xl list -l', 'xenstore-ls /local/domain/0', 'xlsim clock', 'xl info', 'xl -h', 'xlsim --help', 'xl domid nosuch'];
    const one = shell(round.join('\n') + '\n', env, work);
    expect(one.stdout).toContain('Domain-0');
    // past Node's 10-listener warning threshold, in one process
    const many = shell(Array.from({ length: 15 }, () => round.join('\n')).join('\n') + '\n', env, work);
    expect(many).toEqual({ stdout: one.stdout.repeat(15), stderr: one.stderr.repeat(15), code: 1 });
  });

  it('lists what it runs with help', () => {
    const r = shell('help\n', env, work);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Tools:     xl xlsim xentop xenstore-ls xenstore-read xenstore-write xenstore-rm xenstore-list\n');
    expect(r.stdout).toContain('exit [N] | quit');
  });

  it('acts on the host given with --host', () => {
    expect(separate('xlsim', ['host', 'create', 'other', '--seed', '2'], env, work).code).toBe(0);
    expect(shell('xl create -q g.cfg\nxl list\n', env, work, [], ['--host', 'other']).stdout).toBe(
      LIST_DOM0 + 'g                                            1   128     1     r-----       0.0\n',
    );
    expect(shell('xl list\n', env, work).stdout).toBe(LIST_DOM0);
    expect(shell('xl list\n', env, work, [], ['--host', 'nope'])).toEqual({
      stdout: '',
      stderr: "xlsim: no such host 'nope' (create it with: xlsim host create nope)\n",
      code: 1,
    });
  });

  it('runs each command as its line arrives, and sees hosts replaced by other processes', async () => {
    const { BUNDLE } = await import('./run').then((m) => ({ BUNDLE: m.bundlePath() }));
    const child = spawn(process.execPath, [BUNDLE, 'shell'], { env, cwd: work, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const waitFor = async (text: string) => {
      const t0 = Date.now();
      while (!out.includes(text)) {
        if (Date.now() - t0 > 20_000) throw new Error(`no ${JSON.stringify(text)} in ${JSON.stringify(out)} / ${JSON.stringify(err)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    child.stdin.write('xl create -q g.cfg\necho created\n');
    await waitFor('created\n');
    child.stdin.write('xl list\necho listed\n');
    await waitFor('listed\n');
    expect(out).toBe('created\n' + LIST_DOM0 + 'g                                            1   128     1     r-----       0.0\nlisted\n');
    // meanwhile another process replaces the host: the shell must see the new one
    expect(separate('xlsim', ['host', 'remove', '--force', 'default'], env, work).code).toBe(0);
    expect(separate('xlsim', ['host', 'create', 'default', '--seed', '5'], env, work).code).toBe(0);
    out = '';
    child.stdin.write('xl list\necho again\n');
    await waitFor('again\n');
    expect(out).toBe(LIST_DOM0 + 'again\n');
    child.stdin.end('xl domid g\n');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(err).toBe("Can't get domid of domain name 'g', maybe this domain does not exist.\n");
    expect(code).toBe(1);
  });
});
