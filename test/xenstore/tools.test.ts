/**
 * The xenstore-* clones against xenstore_client.c's observable behaviour:
 * exact stdout, stderr and exit status. Trees are built under /t so the
 * tests do not depend on what the host's boot writes elsewhere.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { runTool, tmpHome } from '../helpers/cli';

let env: Record<string, string>;
const run = (tool: string, ...args: string[]) => runTool(tool, args, { env });

beforeEach(() => {
  env = { XLSIM_HOME: tmpHome(), XLSIM_CLOCK: 'manual' };
});

function res(stdout: string, stderr = '', code = 0) {
  return { stdout, stderr, code };
}

describe('xenstore-write / xenstore-read', () => {
  test('write pairs, read several keys, -p prefix', () => {
    expect(run('xenstore-write', '/t/a', 'one', '/t/b', 'two')).toEqual(res(''));
    expect(run('xenstore-read', '/t/a', '/t/b')).toEqual(res('one\ntwo\n'));
    expect(run('xenstore-read', '-p', '/t/a', '/t/b')).toEqual(res('/t/a: one\n/t/b: two\n'));
    expect(run('xenstore-read', '/t')).toEqual(res('\n'));
  });

  test('a missing key: message, status 1, earlier values still printed', () => {
    run('xenstore-write', '/t/a', 'one');
    expect(run('xenstore-read', '/t/nope')).toEqual(res('', 'xenstore-read: couldn\'t read path /t/nope\n', 1));
    expect(run('xenstore-read', '/t/a', '/t/nope', '/t/a')).toEqual(res('one\n', "xenstore-read: couldn't read path /t/nope\n", 1));
  });

  test('escapes: write unsanitises, read sanitises; -R is raw both ways', () => {
    expect(run('xenstore-write', '/t/e', 'tab\\there\\nnl\\\\bs\\001\\x7f')).toEqual(res(''));
    expect(run('xenstore-read', '/t/e')).toEqual(res('tab\\there\\nnl\\\\bs\\001\\x7f\n'));
    expect(run('xenstore-write', '-R', '/t/r', 'a\\tb')).toEqual(res(''));
    expect(run('xenstore-read', '/t/r')).toEqual(res('a\\\\tb\n'));
    expect(run('xenstore-read', '-R', '/t/r')).toEqual(res('a\\tb'));
  });

  test('relative paths are under /local/domain/0', () => {
    run('xenstore-write', 'mykey', 'v');
    expect(run('xenstore-read', '/local/domain/0/mykey')).toEqual(res('v\n'));
    expect(run('xenstore-read', 'mykey')).toEqual(res('v\n'));
  });

  test('invalid paths', () => {
    expect(run('xenstore-write', '/t/bad path', 'v')).toEqual(res('', 'xenstore-write: could not write path /t/bad path\n', 1));
    expect(run('xenstore-read', '/t/')).toEqual(res('', "xenstore-read: couldn't read path /t/\n", 1));
  });

  test('a failed write aborts the whole command', () => {
    expect(run('xenstore-write', '/t/x', '1', '/t/bad path', '2')).toEqual(res('', 'xenstore-write: could not write path /t/bad path\n', 1));
    expect(run('xenstore-read', '/t/x')).toEqual(res('', "xenstore-read: couldn't read path /t/x\n", 1));
  });

  test('usage errors exit 1 with the C usage lines', () => {
    expect(run('xenstore-read')).toEqual(res('', 'xenstore-read: Usage: xenstore-read [-h] [-p] [-R] key [...]\n', 1));
    expect(run('xenstore-read', '-h')).toEqual(res('', 'xenstore-read: Usage: xenstore-read [-h] [-p] [-R] key [...]\n', 1));
    expect(run('xenstore-write', '/t/a')).toEqual(res('', 'xenstore-write: Usage: xenstore-write [-h] [-R] key value [...]\n', 1));
    expect(run('xenstore-write')).toEqual(res('', 'xenstore-write: Usage: xenstore-write [-h] [-R] key value [...]\n', 1));
    expect(run('xenstore-write', '-p', '/t/a', 'v')).toEqual(res('', 'xenstore-write: Usage: xenstore-write [-h] [-R] key value [...]\n', 1));
    expect(run('xenstore-rm')).toEqual(res('', 'xenstore-rm: Usage: xenstore-rm [-h] [-t] key [...]\n', 1));
    expect(run('xenstore-list', '--help')).toEqual(res('', 'xenstore-list: Usage: xenstore-list [-h] [-p] key [...]\n', 1));
    expect(run('xenstore-ls', '-t')).toEqual(res('', 'xenstore-ls: Usage: xenstore-ls [-h] [-f] [-p] [path]\n', 1));
  });

  test("getopt's complaints are printed and the option skipped", () => {
    run('xenstore-write', '/t/a', 'one');
    expect(run('xenstore-read', '-x', '/t/a', '--bogus')).toEqual(
      res('one\n', "xenstore-read: invalid option -- 'x'\nxenstore-read: unrecognized option '--bogus'\n"),
    );
    expect(run('xenstore-read', '--r', '/t/a')).toEqual(res('one\n', "xenstore-read: option '--r' is ambiguous; possibilities: '--recurse' '--raw'\n"));
    expect(run('xenstore-read', '--prefix=1', '/t/a')).toEqual(res('one\n', "xenstore-read: option '--prefix' doesn't allow an argument\n"));
    expect(run('xenstore-read', '--pre', '-s', '/t/a')).toEqual(res('/t/a: one\n'));
  });
});

describe('xenstore-list', () => {
  test('children in creation order; -p prefixes the path', () => {
    run('xenstore-write', '/t/zz', '1', '/t/aa', '2', '/t/mm/x', '3');
    expect(run('xenstore-list', '/t')).toEqual(res('zz\naa\nmm\n'));
    expect(run('xenstore-list', '-p', '/t', '/t/mm')).toEqual(res('/t/zz\n/t/aa\n/t/mm\n/t/mm/x\n'));
    expect(run('xenstore-list', '/t/zz')).toEqual(res(''));
  });
  test('missing path', () => {
    expect(run('xenstore-list', '/nope')).toEqual(res('', 'xenstore-list: could not list path /nope\n', 1));
  });
});

describe('xenstore-rm', () => {
  test('removes subtrees; a missing leaf under an existing parent is fine', () => {
    run('xenstore-write', '/t/a/b/c', '1', '/t/keep', '2');
    expect(run('xenstore-rm', '/t/a', '/t/nothing')).toEqual(res(''));
    expect(run('xenstore-list', '/t')).toEqual(res('keep\n'));
  });
  test('missing parent, and the root', () => {
    expect(run('xenstore-rm', '/nope/deeper')).toEqual(res('', 'xenstore-rm: could not remove path /nope/deeper\n', 1));
    expect(run('xenstore-rm', '/')).toEqual(res('', 'xenstore-rm: could not remove path /\n', 1));
  });
  test('-t removes emptied, valueless parents up the path', () => {
    run('xenstore-write', '/t/x/y/z', 'leaf', '/t/x/v', 'sibling', '/t/p/q', 'only');
    expect(run('xenstore-rm', '-t', '/t/x/y/z')).toEqual(res(''));
    expect(run('xenstore-list', '/t/x')).toEqual(res('v\n'));
    expect(run('xenstore-rm', '-t', '/t/p/q')).toEqual(res(''));
    expect(run('xenstore-list', '/t')).toEqual(res('x\n'));
  });
  test('a failure aborts every removal of the command', () => {
    run('xenstore-write', '/t/a', '1');
    expect(run('xenstore-rm', '/t/a', '/nope/x')).toEqual(res('', 'xenstore-rm: could not remove path /nope/x\n', 1));
    expect(run('xenstore-read', '/t/a')).toEqual(res('1\n'));
  });
});

describe('xenstore-ls', () => {
  function build() {
    expect(run('xenstore-write', '/t/name', 'guest', '/t/dev/vif/0/mac', '00:16:3e:00:00:01', '/t/empty', '', '/t/esc', 'a\\tb')).toEqual(res(''));
  }

  test('indented tree with quoted values', () => {
    build();
    expect(run('xenstore-ls', '/t')).toEqual(res('name = "guest"\ndev = ""\n vif = ""\n  0 = ""\n   mac = "00:16:3e:00:00:01"\nempty = ""\nesc = "a\\tb"\n'));
  });

  test('-f: full paths', () => {
    build();
    expect(run('xenstore-ls', '-f', '/t/dev')).toEqual(res('/t/dev/vif = ""\n/t/dev/vif/0 = ""\n/t/dev/vif/0/mac = "00:16:3e:00:00:01"\n'));
  });

  test('-p: permissions after a dotted fill to column 60', () => {
    build();
    const out = run('xenstore-ls', '-p', '/t/dev').stdout.split('\n');
    expect(out[0]).toBe('vif = "" . . . . . . . . . . . . . . . . . . . . . . . . . .  (n0)');
    expect(out[1]).toBe(' 0 = ""  . . . . . . . . . . . . . . . . . . . . . . . . . .  (n0)');
    expect(out[2]).toBe('  mac = "00:16:3e:00:00:01"  . . . . . . . . . . . . . . . .  (n0)');
    expect(run('xenstore-ls', '-f', '-p', '/t/name')).toEqual(res(''));
    expect(run('xenstore-ls', '-f', '-p', '/t')).toMatchObject({ stdout: expect.stringContaining('/t/name = "guest"   (n0)\n') });
  });

  test('long values are cut at 80 columns with \\...', () => {
    const v = 'x'.repeat(100);
    run('xenstore-write', '/t/long', v, '/t/d/long', v);
    expect(run('xenstore-ls', '/t')).toEqual(res(`long = "${'x'.repeat(68)}\\..."\nd = ""\n long = "${'x'.repeat(67)}\\..."\n`));
    expect(run('xenstore-ls', '-f', '/t/d')).toEqual(res(`/t/d/long = "${v}"\n`));
  });

  test('default path is /', () => {
    const r = run('xenstore-ls');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('tool = ""\n xenstored = ""\n')).toBe(true);
  });

  test('a missing path: err(3) message, status 1', () => {
    expect(run('xenstore-ls', '/nope')).toEqual(res('', 'xenstore-ls: xs_directory (/nope): No such file or directory\n', 1));
    expect(run('xenstore-ls', '/t/')).toEqual(res('', 'xenstore-ls: xs_directory (/t/): Invalid argument\n', 1));
  });
});

describe('host errors reach the user as one line', () => {
  test('a damaged database', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    fs.mkdirSync(path.join(env.XLSIM_HOME!, 'hosts'), { recursive: true });
    const db = path.join(env.XLSIM_HOME!, 'hosts', 'default.db');
    fs.writeFileSync(db, 'this is not a database'.repeat(50));
    expect(run('xenstore-read', '/t')).toEqual(res('', `xlsim: host 'default': ${db} is corrupted (file is not a database); refusing to use it\n`, 1));
  });
});
