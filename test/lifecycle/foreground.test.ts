/**
 * `xl create -F`: the monitor runs in the foreground, its lines on stderr,
 * and xl returns only when the domain is gone.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { PV_CFG, manualHost } from './transcript';

describe('xl create -F', () => {
  it('blocks until the guest powers off, printing the monitor lines', async () => {
    const h = manualHost();
    const cfg = h.cfg('pv1', PV_CFG);
    const bundle = process.env.LIFECYCLE_BUNDLE;
    const argv = bundle
      ? ['-e', `require(${JSON.stringify(bundle)}).run('xl', process.argv.slice(1))`, 'create', '-F', cfg]
      : [path.join(BIN, 'xl.cjs'), 'create', '-F', cfg];
    const child = spawn(process.execPath, argv, {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', XLSIM_HOME: h.home, XLSIM_CONFIG_DIR: path.join(BIN, '..', 'configs') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 128)));
    // wait until the guest exists and has booted (the waiter moves the manual clock)
    for (let i = 0; i < 100 && !err.includes('Waiting for domain'); i++) await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 100 && h.xl('list', 'pv1').stdout.indexOf('-b----') < 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(h.xlsim('guest', 'pv1', 'poweroff').code).toBe(0);
    const code = await exited;
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toBe(
      `Parsing config from ${cfg}\n` +
        'Waiting for domain pv1 (domid 1) to die [pid 4321]\n' +
        'Domain 1 has shut down, reason code 0 0x0\n' +
        'Action for shutdown reason code 0 is destroy\n' +
        'Domain 1 needs to be cleaned up: destroying the domain\n' +
        'Done. Exiting now\n',
    );
    expect(h.log('pv1')).toBe('');
    expect(h.xlsim('check').code).toBe(0);
  });
});
