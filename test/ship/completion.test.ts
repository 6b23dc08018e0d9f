/**
 * Shell completion. Debian's bash completion for xl lists subcommands by
 * parsing `xl help` (drop 4 header lines, keep lines starting with one space
 * then a non-space, first field). A function following that rule must see
 * the 96 commands of the table. Our own `xl completion bash` adds domain
 * names (from `xl list`), *.cfg files and options; both are driven through
 * real bash with COMP_WORDS/COMP_CWORD as readline would set them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CMD_TABLE } from '../../cmd/xl/commands';
import { ROOT, runTool, tmpHome, xl } from '../helpers/cli';

const NAMES = CMD_TABLE.map((c) => c.name);

const top = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-compl-'));
const binDir = path.join(top, 'bin');
const work = path.join(top, 'work');
const home = tmpHome('xlsim-compl-home-');
const env = {
  PATH: `${binDir}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
  HOME: top,
  TZ: 'UTC',
  XLSIM_HOME: home,
};

function bash(script: string): { stdout: string; stderr: string; code: number | null } {
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { cwd: work, env, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** COMPREPLY, sorted, for the words typed so far (the last one is being completed). */
function ours(...words: string[]): string[] {
  const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = bash(`source ${path.join(top, 'xl.bash')}
COMP_WORDS=(${quoted}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_xlsim_xl 2>/dev/null
printf '%s\\n' "\${COMPREPLY[@]}"`);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '').sort();
}

beforeAll(() => {
  fs.mkdirSync(binDir);
  fs.mkdirSync(work);
  fs.mkdirSync(path.join(work, 'guests'));
  for (const f of ['web.cfg', 'db.cfg', 'notes.txt', 'guests/inner.cfg']) fs.writeFileSync(path.join(work, f), '');
  // `xl` on PATH, as after npm install -g
  fs.symlinkSync(path.join(ROOT, 'bin', 'xl.cjs'), path.join(binDir, 'xl'));
  const r = xl(['completion', 'bash']);
  expect(r.code).toBe(0);
  fs.writeFileSync(path.join(top, 'xl.bash'), r.stdout);
  expect(runTool('xlsim', ['host', 'create', 'default', '--clock', 'manual', '--seed', '1'], { env: { XLSIM_HOME: home } }).code).toBe(0);
  fs.writeFileSync(path.join(home, 'web01.cfg'), 'name = "web01"\nkernel = "/boot/vmlinuz"\nmemory = 128\n');
  const c = xl(['create', path.join(home, 'web01.cfg')], { env: { XLSIM_HOME: home } });
  expect(c.code).toBe(0);
});

describe('Debian-style completion (parses `xl help`)', () => {
  // written from Debian's rule; the subcommand list is all it completes
  const DEBIAN_STYLE = `_debian_style_xl() {
	local IFS=$'\\n' cur=\${COMP_WORDS[COMP_CWORD]} cmds
	COMPREPLY=()
	(( COMP_CWORD == 1 )) || return 0
	cmds=$(xl help 2>/dev/null | sed '1,4d' | awk '/^ [^ ]/ {print $1}')
	COMPREPLY=( $(compgen -W "$cmds" -- "$cur") )
}
complete -F _debian_style_xl -o default xl`;

  function debian(...words: string[]): string[] {
    const r = bash(`${DEBIAN_STYLE}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_debian_style_xl
printf '%s\\n' "\${COMPREPLY[@]}"`);
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter((l) => l !== '');
  }

  it('sees exactly the 96 commands of the table, in table order', () => {
    const all = debian('xl', '');
    expect(all).toHaveLength(96);
    expect(all).toEqual(NAMES);
    expect(all).not.toContain('completion');
    expect(all).not.toContain('help');
  });

  it('filters by the typed prefix', () => {
    expect(debian('xl', 'vcpu-')).toEqual(['vcpu-list', 'vcpu-pin', 'vcpu-set']);
    expect(debian('xl', 'sched-credit')).toEqual(['sched-credit', 'sched-credit2']);
    expect(debian('xl', 'destroy', '')).toEqual([]);
  });
});

describe('xl completion bash', () => {
  it('is not in the command table and leaves `xl help` as xl prints it', () => {
    expect(NAMES).not.toContain('completion');
    expect(xl(['help']).stdout).not.toContain('completion');
    // a prefix is looked up in the table, where it is not
    expect(xl(['compl', 'bash'])).toEqual({ stdout: '', stderr: 'command not implemented\n', code: 1 });
    const usage = 'Usage: xl completion bash|zsh\n\nPrint a shell completion script for xl (an xlsim addition; real xl has none).\n';
    expect(xl(['completion'])).toEqual({ stdout: '', stderr: usage, code: 2 });
    expect(xl(['completion', 'fish'])).toEqual({ stdout: '', stderr: usage, code: 2 });
  });

  it('parses in bash and registers itself for xl', () => {
    expect(bash(`source ${path.join(top, 'xl.bash')}; complete -p xl`)).toEqual({
      stdout: 'complete -F _xlsim_xl xl\n',
      stderr: '',
      code: 0,
    });
  });

  it('completes subcommands and global options', () => {
    expect(ours('xl', '')).toEqual([...NAMES].sort());
    expect(ours('xl', 'des')).toEqual(['destroy']);
    expect(ours('xl', '-v', 'cre')).toEqual(['create']);
    expect(ours('xl', '-')).toEqual(['-N', '-T', '-f', '-t', '-v']);
  });

  it('completes domain names from `xl list` where the usage says <Domain>', () => {
    expect(ours('xl', 'destroy', '')).toEqual(['Domain-0', 'web01']);
    expect(ours('xl', 'pause', 'w')).toEqual(['web01']);
    expect(ours('xl', 'list', '')).toEqual(['Domain-0', 'web01']);
    // an unambiguous prefix of the command, as xl accepts it
    expect(ours('xl', 'dest', '')).toEqual(['Domain-0', 'web01']);
    // the option that takes a domain
    expect(ours('xl', 'sched-credit', '-d', '')).toEqual(['Domain-0', 'web01']);
    // vcpu-list takes any number of domains
    expect(ours('xl', 'vcpu-list', 'web01', '')).toEqual(['Domain-0', 'web01']);
    // the second argument of mem-set is a size, not a domain
    expect(ours('xl', 'mem-set', 'web01', '')).toEqual([]);
  });

  it('completes config files where the usage says <ConfigFile>', () => {
    expect(ours('xl', 'create', '')).toEqual(['db.cfg', 'guests', 'web.cfg']);
    expect(ours('xl', 'create', 'guests/')).toEqual(['guests/inner.cfg']);
    expect(ours('xl', 'create', '-p', 'w')).toEqual(['web.cfg']);
    // -f FILE hides its value from the positional count
    expect(ours('xl', 'create', '-f', 'x', 'd')).toEqual(['db.cfg']);
    expect(ours('xl', 'config-update', 'web01', '')).toEqual(['db.cfg', 'guests', 'web.cfg']);
    // save <Domain> <CheckpointFile> [<ConfigFile>]
    expect(ours('xl', 'save', 'web01', 'n')).toEqual(['notes.txt']);
    expect(ours('xl', 'save', 'web01', 'ck', '')).toEqual(['db.cfg', 'guests', 'web.cfg']);
  });

  it("completes each command's options from its help text", () => {
    expect(ours('xl', 'list', '-')).toEqual(['--context', '--cpupool', '--long', '--numa', '--verbose', '-Z', '-c', '-h', '-l', '-n', '-v']);
    expect(ours('xl', 'shutdown', '--')).toEqual(['--all', '--wait']);
    expect(ours('xl', 'create', '--vnc')).toEqual(['--vncviewer', '--vncviewer-autopass']);
    expect(ours('xl', 'console', '-')).toEqual(['-e', '-h', '-n', '-t']);
  });
});

function have(cmd: string, arg: string): boolean {
  const r = spawnSync(cmd, [arg], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
}
const noZsh = !have('zsh', '--version');
const noTmux = !have('tmux', '-V');
if (noZsh) console.warn('test/ship/completion.test.ts: zsh is not installed; the zsh script is only checked for its text');
else if (noTmux) console.warn('test/ship/completion.test.ts: tmux is not installed; zsh completion is not driven interactively');

/** Waits until the tmux pane shows `want` (a completion is asynchronous to us). */
function waitPane(server: string, want: RegExp): string {
  const deadline = Date.now() + 15_000;
  let screen = '';
  while (Date.now() < deadline) {
    screen = spawnSync('tmux', ['-L', server, 'capture-pane', '-p', '-t', 'z'], { encoding: 'utf8' }).stdout;
    if (want.test(screen)) return screen;
    spawnSync('sleep', ['0.1']);
  }
  return screen;
}

describe('xl completion zsh', () => {
  it('wraps the bash function in zsh’s bashcompinit', () => {
    const r = xl(['completion', 'zsh']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('#compdef xl\n')).toBe(true);
    expect(r.stdout).toContain('bashcompinit');
    expect(r.stdout).toContain(fs.readFileSync(path.join(top, 'xl.bash'), 'utf8'));
  });

  it.skipIf(noZsh)('loads in zsh and registers the function for xl', () => {
    fs.writeFileSync(path.join(top, 'xl.zsh'), xl(['completion', 'zsh']).stdout);
    const r = spawnSync('zsh', ['-f', '-c', `source ${path.join(top, 'xl.zsh')} && print -r -- $_comps[xl]`], {
      cwd: work,
      env,
      encoding: 'utf8',
    });
    expect({ stdout: r.stdout, code: r.status }).toEqual({ stdout: '_bash_complete -F _xlsim_xl\n', code: 0 });
  });

  it.skipIf(noZsh || noTmux)('completes in an interactive zsh (driven through tmux)', () => {
    const server = `xlsim-compl-${process.pid}`;
    const tmux = (...a: string[]) => spawnSync('tmux', ['-L', server, ...a], { encoding: 'utf8' });
    const shellEnv = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    try {
      expect(tmux('new-session', '-d', '-s', 'z', '-x', '160', '-y', '30', '-c', work, 'env', '-i', ...shellEnv, 'zsh', '-f').status).toBe(0);
      tmux('send-keys', '-t', 'z', `source ${path.join(top, 'xl.zsh')}; print loaded`, 'Enter');
      expect(waitPane(server, /^loaded$/m)).toMatch(/^loaded$/m);
      tmux('send-keys', '-t', 'z', 'xl dest', 'Tab');
      expect(waitPane(server, /xl destroy\s*$/m)).toMatch(/xl destroy\s*$/m);
      tmux('send-keys', '-t', 'z', 'C-u', 'xl destroy w', 'Tab');
      expect(waitPane(server, /xl destroy web01\s*$/m)).toMatch(/xl destroy web01\s*$/m);
      tmux('send-keys', '-t', 'z', 'C-u', 'xl create w', 'Tab');
      expect(waitPane(server, /xl create web\.cfg\s*$/m)).toMatch(/xl create web\.cfg\s*$/m);
    } finally {
      tmux('kill-server');
    }
  });
});
