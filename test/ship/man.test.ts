/**
 * Man pages: man/xl.1 and man/xlsim.1 are generated (scripts/gen-man.mjs)
 * and committed; regenerating must give the same bytes, so a change to the
 * command table or to xlsim's help that forgets `npm run man` fails here.
 * The pages must also be clean roff (groff's own warnings, when groff is
 * installed) and render the command table's text.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CMD_TABLE } from '../../cmd/xl/commands';
import { ROOT } from '../helpers/cli';

const XL1 = path.join(ROOT, 'man', 'xl.1');
const XLSIM1 = path.join(ROOT, 'man', 'xlsim.1');
const groff = spawnSync('groff', ['--version'], { encoding: 'utf8' });
const noGroff = groff.error !== undefined || groff.status !== 0;
if (noGroff) console.warn('test/ship/man.test.ts: groff is not installed; the pages are not rendered');

function render(file: string): { stdout: string; stderr: string } {
  const r = spawnSync('groff', ['-man', '-Tascii', '-P', '-c', '-ww', '-rLL=200n', file], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  return { stdout: r.stdout.replace(/.\x08/g, ''), stderr: r.stderr };
}

describe('man pages', () => {
  it('regenerating them gives the committed bytes', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'gen-man.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect({ stderr: r.stderr, code: r.status }).toEqual({ stderr: '', code: 0 });
  });

  it('xl.1 has a section for each of the 96 commands, in table order', () => {
    const sections = fs
      .readFileSync(XL1, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('.SS '))
      .map((l) => l.slice(4).replace(/\\-/g, '-'));
    expect(sections).toHaveLength(96);
    expect(sections).toEqual(CMD_TABLE.map((c) => c.name));
  });

  it.skipIf(noGroff)('both are warning-free roff', () => {
    expect(render(XL1).stderr).toBe('');
    expect(render(XLSIM1).stderr).toBe('');
  });

  it.skipIf(noGroff)('xl.1 renders the usage, description and options of the table', () => {
    const text = render(XL1).stdout;
    expect(text).toContain('xl create <ConfigFile> [options] [vars]');
    expect(text).toContain('Create a domain from config file <filename>');
    expect(text).toContain('-f FILE, --defconfig=FILE');
    expect(text).toContain('-l, --long              Output all VM details');
    // every description's first line appears
    for (const c of CMD_TABLE) expect(text).toContain(c.desc.split('\n')[0]!.replace(/\s+/g, ' ').slice(0, 40));
  });

  it.skipIf(noGroff)('xlsim.1 renders the commands xlsim --help lists', () => {
    const text = render(XLSIM1).stdout;
    expect(text).toMatch(/^ {7}xlsim <command> \[options\]$/m);
    expect(text).toContain('xlsim host');
    expect(text).toContain('xlsim clock');
  });
});
