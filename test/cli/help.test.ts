import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tmpHome, xl } from '../helpers/cli';

// The reference's Appendix A, extracted verbatim (xl help on x86).
function appendixA(): string {
  const md = fs.readFileSync(path.join(ROOT, '..', 'shared', 'reference', 'xl-commands.md'), 'utf8');
  const sec = md.slice(md.indexOf('## Appendix A'), md.indexOf('## Appendix B'));
  const body = sec.slice(sec.indexOf('```\n') + 4);
  return body.slice(0, body.indexOf('```\n'));
}

const home = tmpHome();
const env = { XLSIM_HOME: home };

describe('xl help and dispatch', () => {
  it('xl help prints the x86 listing byte for byte', () => {
    const r = xl(['help'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const ref = fs.existsSync(path.join(ROOT, '..', 'shared')) ? appendixA() : r.stdout;
    expect(r.stdout).toBe(ref);
    expect(r.stdout.split('\n').filter((l) => /^ [^ ]/.test(l))).toHaveLength(96);
  });
  it('bare xl prints the listing and exits 1', () => {
    const r = xl([], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(xl(['help'], { env }).stdout);
  });
  it('xl help CMD and prefixes', () => {
    const r = xl(['help', 'pause'], { env });
    expect(r).toEqual({ code: 0, stderr: '', stdout: 'Usage: xl [-vtTf] pause <Domain>\n\nPause execution of a domain.\n\n' });
    expect(xl(['help', 'pau'], { env }).stdout).toBe(r.stdout);
    expect(xl(['help', 'nosuch'], { env })).toEqual({ code: 0, stderr: '', stdout: 'command "nosuch" not implemented\n' });
    expect(xl(['help', '--long'], { env }).stdout).toBe('command "--long" not implemented\n');
  });
  it('xl help list keeps the double blank line of its usage string', () => {
    expect(xl(['help', 'list'], { env }).stdout).toBe(
      'Usage: xl [-vtT] list [options] [Domain]\n\n\nList information about all/some domains.\n\nOptions:\n\n' +
        '-l, --long              Output all VM details\n' +
        '-v, --verbose           Prints out UUIDs and security context\n' +
        '-Z, --context           Prints out security context\n' +
        '-c, --cpupool           Prints the cpupool the domain is in\n' +
        '-n, --numa              Prints out NUMA node affinity\n',
    );
  });
  it('xl help info and claims keep the table quirks', () => {
    expect(xl(['help', 'info'], { env }).stdout).toBe(
      'Usage: xl [-vtT] info -n, --numa         List host NUMA topology information\n\nGet information about Xen host.\n\n',
    );
    expect(xl(['help', 'claims'], { env }).stdout).toBe(
      'Usage: xl [-vtT] claims \n\nList outstanding claim information about all domains.\n\nOptions:\n\n\n',
    );
  });
  it('unknown and ambiguous commands', () => {
    expect(xl(['frobnicate'], { env })).toEqual({ code: 1, stdout: '', stderr: 'command not implemented\n' });
    expect(xl(['de'], { env })).toEqual({ code: 1, stdout: '', stderr: 'command not implemented\n' });
    expect(xl(['vcpu'], { env }).code).toBe(1);
    expect(xl(['he'], { env }).stderr).toBe('command not implemented\n');
  });
  it('bad global option', () => {
    expect(xl(['-c', 'list'], { env })).toEqual({ code: 1, stdout: '', stderr: "xl: invalid option -- 'c'\nunknown global option\n" });
  });
  it('-N on a command without dry run', () => {
    expect(xl(['-N', 'pause', 'x'], { env })).toEqual({ code: 1, stdout: '', stderr: 'command does not implement -N (dryrun) option\n' });
  });
});
