/**
 * xl.conf as the built `xl` sees it: read before any command runs, so a
 * broken file stops every command (run `node build.mjs` first).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpHome, xl } from '../helpers/cli';

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
});

function homeWith(xlConf: string): { env: Record<string, string>; conf: string } {
  const home = tmpHome();
  homes.push(home);
  const conf = path.join(home, 'hosts', 'default', 'xl.conf');
  fs.mkdirSync(path.dirname(conf), { recursive: true });
  fs.writeFileSync(conf, xlConf);
  return { env: { XLSIM_HOME: home }, conf };
}

describe('xl.conf at start-up', () => {
  it('a syntax error ends any command with the parser\'s message and exit 1', () => {
    const { env, conf } = homeWith('# global\nautoballoon = "off"\nlockfile = /var/lock/xl\n');
    expect(xl(['list'], { env })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `${conf}:3: config parsing error near \`/var/lock/xl': lexical error\n` +
        'Failed to parse config file: Invalid argument\n',
    });
  });
  it('Python-looking content gets the three warning lines', () => {
    const { env, conf } = homeWith('claim_mode = -1\n');
    const r = xl(['help'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${conf}:1: config parsing error near \`-1': lexical error\n` +
        'warning: Config file looks like it contains Python code.\n' +
        'warning:  Arbitrary Python is no longer supported.\n' +
        'warning:  See https://wiki.xen.org/wiki/PythonInXlConfig\n' +
        'Failed to parse config file: Invalid argument\n',
    );
  });
  it('a bad max_grant_frames ends xl silently with 1', () => {
    const { env } = homeWith('max_grant_frames = "lots"\n');
    expect(xl(['help'], { env })).toEqual({ code: 1, stdout: '', stderr: '' });
  });
  it('warnings do not stop the command', () => {
    const { env } = homeWith('autoballoon = "maybe"\nvifscript = "vif-nat"\n');
    const r = xl(['help', 'list'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('invalid autoballoon option' + 'the global config option vifscript is deprecated, please switch to vif.default.script\n');
  });
});
