import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runTool, tmpHome, xl } from '../helpers/cli';

// xenconsoled with guest logging on ([console] log = true in the profile)
describe('guest console logs', () => {
  it('a guest\'s console output also lands in log/console/guest-<name>.log', () => {
    const home = tmpHome();
    const env = { XLSIM_HOME: home, XLSIM_HOST: 'logged' };
    const profile = path.join(home, 'logged.ini');
    fs.writeFileSync(profile, fs.readFileSync(path.join(ROOT, 'configs', 'hosts', 'default.ini'), 'utf8').replace(/^log = false$/m, 'log = true'));
    expect(runTool('xlsim', ['host', 'create', 'logged', '--profile', profile, '--clock', 'manual', '--seed', '1'], { env }).code).toBe(0);
    const cfg = path.join(home, 'g1.cfg');
    fs.writeFileSync(cfg, 'name="g1"\nkernel="/boot/vmlinuz"\nmemory=512\n');
    expect(xl(['create', '-q', cfg], { env }).code).toBe(0);
    const log = path.join(home, 'hosts', 'logged', 'log', 'console', 'guest-g1.log');
    expect(runTool('xlsim', ['clock', 'advance', '10s'], { env }).code).toBe(0);
    const text = fs.readFileSync(log, 'utf8');
    expect(text).toContain('Booting paravirtualized kernel on Xen');
    expect(text.trimEnd().endsWith('g1 login:')).toBe(true);
    // the default profile keeps logging off
    const home2 = tmpHome();
    const env2 = { XLSIM_HOME: home2 };
    expect(xl(['create', '-q', cfg], { env: env2 }).code).toBe(0);
    expect(fs.existsSync(path.join(home2, 'hosts', 'default', 'log', 'console'))).toBe(false);
  });
});
