/**
 * `xlsim completion`: yargs' bash script, driven through real bash as
 * readline would call it; commands and options come from yargs, domain and
 * host names from the current host.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { ROOT, tmpHome } from '../helpers/cli';
import { guestLab, type Lab } from './fixture';

let lab: Lab;
let top: string;

beforeAll(() => {
  lab = guestLab();
  top = tmpHome('xlsim-compl-');
  fs.mkdirSync(path.join(top, 'bin'));
  fs.symlinkSync(path.join(ROOT, 'bin', 'xlsim.cjs'), path.join(top, 'bin', 'xlsim'));
  const r = lab.xlsim('completion');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('complete -o bashdefault -o default -F _xlsim_yargs_completions xlsim\n');
  fs.writeFileSync(path.join(top, 'xlsim.bash'), r.stdout);
});

function complete(...words: string[]): string[] {
  const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync(
    'bash',
    [
      '--norc',
      '--noprofile',
      '-c',
      `source ${path.join(top, 'xlsim.bash')}
COMP_WORDS=(${quoted}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_xlsim_yargs_completions
printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { env: { ...lab.env, PATH: `${path.join(top, 'bin')}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: top }, encoding: 'utf8', cwd: top },
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

test('commands and subcommands', () => {
  const top = complete('xlsim', '');
  for (const c of ['completion', 'host', 'clock', 'guest', 'events', 'inspect', 'check', 'wizard']) expect(top).toContain(c);
  expect(top.filter((w) => w.startsWith('-'))).toEqual([]);
  expect(complete('xlsim', 'in')).toEqual(['inspect']);
  expect(complete('xlsim', 'host', '')).toEqual(['create', 'list', 'show', 'use', 'remove']);
});

test('domain names where a domain is expected, then the views', () => {
  expect(complete('xlsim', 'inspect', '')).toEqual(['Domain-0', 'web', 'app', 'old', '--host', '--help', '--json', '--svg']);
  expect(complete('xlsim', 'inspect', 'a')).toEqual(['app']);
  expect(complete('xlsim', 'inspect', 'web', 'm')).toEqual(['memmap']);
  expect(complete('xlsim', 'guest', 'o')).toEqual(['old']);
});

test('host names for host show/use/remove, options for the rest', () => {
  expect(complete('xlsim', 'host', 'use', '')).toEqual(['lab', '--host', '--help']);
  expect(complete('xlsim', 'host', 'show', '--m')).toEqual(['--memory']);
  expect(complete('xlsim', 'events', '--fo')).toEqual(['--follow']);
});
