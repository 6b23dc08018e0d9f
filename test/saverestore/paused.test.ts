/**
 * xl save of a guest the toolstack holds paused. libxl asks a PV or PVH
 * guest (and an HVM guest with PV drivers) through control/shutdown and
 * waits 60 s for the acknowledgement; a paused guest cannot give it, so
 * the request is withdrawn, libxc finds the domain not suspended, the save
 * fails and xl's resume fails too (the guest was never suspended). The
 * guest stays paused and intact, and runs on once unpaused. An HVM guest
 * without PV drivers is suspended by Xen itself, paused or not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool, tmpHome } from '../helpers/cli';
import { startXl } from '../migrate/hosts';
import { clockNow, controlShutdown, HEADER, HVM_CFG, PV_CFG, PVH_CFG, manualHost } from '../lifecycle/transcript';

function table(out: string): string {
  return out.replace(/ +\d+\.\d\n/g, ' T\n');
}


function optlen(file: string): number {
  return fs.readFileSync(file).readUInt32LE(44);
}

/** What xl save prints when the guest never answers (main_save, libxl, libxc). */
function unanswered(file: string, domid: number, kind: 'PV' | 'HVM'): string {
  return (
    `Saving to ${file} new xl format (info 0x3/0x0/${optlen(file)})\n` +
    `xc: info: Saving domain ${domid}, type x86 ${kind}\n` +
    `libxl: error: libxl_dom_suspend.c:262:domain_suspend_common_pvcontrol_suspending: Domain ${domid}:guest didn't acknowledge suspend, cancelling request\n` +
    'xc: error: Domain has not been suspended: shutdown 0, reason 255: Internal error\n' +
    'xc: error: Save failed (0 = Success): Internal error\n' +
    `libxl: error: libxl_stream_write.c:347:libxl__xc_domain_save_done: Domain ${domid}:saving domain: domain did not respond to suspend request: Success\n` +
    'Failed to save domain, resuming domain\n' +
    `xc: error: Dom ${domid} not suspended: (shutdown 0, reason 255): Internal error\n` +
    `libxl: error: libxl_dom_suspend.c:596:domain_resume_done: Domain ${domid}:xc_domain_resume failed: Invalid argument\n`
  );
}

describe('xl save of a paused PV guest', () => {
  const h = manualHost();
  const file = path.join(h.home, 'pv1.chk');
  it('fails after 60 s; the request is withdrawn and the guest stays paused', () => {
    expect(h.xl('create', '-q', h.cfg('pv1', PV_CFG)).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('pause', 'pv1')).toEqual({ stdout: '', stderr: '', code: 0 });
    const s = h.xl('save', 'pv1', file);
    expect(s).toEqual({ stdout: '', stderr: unanswered(file, 1, 'PV'), code: 1 });
    expect(clockNow(h)).toBe('63.000000000');
    expect(controlShutdown(h, 1)).toBe('\n');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     --p--- T\n`);
    // the monitor saw no shutdown
    expect(h.log('pv1')).toBe('Waiting for domain pv1 (domid 1) to die [pid 4321]\n');
    // the file holds the xl header and libxl's stream up to the suspend: no restorable image
    expect(h.xl('restore', file).code).not.toBe(0);
  });
  it('unpaused, it runs on untouched and then saves as usual', () => {
    expect(h.xl('unpause', 'pv1')).toEqual({ stdout: '', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '5s');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     -b---- T\n`);
    expect(h.log('pv1')).toBe('Waiting for domain pv1 (domid 1) to die [pid 4321]\n');
    const s = h.xl('save', 'pv1', file);
    expect(s.code).toBe(0);
    expect(s.stderr).toMatch(/xc: progress: End of stream: 0\/0    0%\n$/);
    expect(h.xl('list', 'pv1').code).toBe(1);
    expect(h.xl('restore', file).code).toBe(0);
    // domid 2 went to the refused restore of the first file
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          3   512     2     -b---- T\n`);
  });
});

describe('xl save of a paused PVH guest and of a paused HVM guest', () => {
  const h = manualHost();
  it('PVH: the same failure, the guest intact', () => {
    expect(h.xl('create', '-q', '-p', h.cfg('pvh1', PVH_CFG)).code).toBe(0);
    const file = path.join(h.home, 'pvh1.chk');
    expect(h.xl('save', '-c', 'pvh1', file)).toEqual({ stdout: '', stderr: unanswered(file, 1, 'HVM'), code: 1 });
    expect(clockNow(h)).toBe('60.000000000');
    expect(table(h.xl('list', 'pvh1').stdout)).toBe(`${HEADER}pvh1                                         1   256     1     --p--- T\n`);
  });
  it('HVM with PV drivers: asked through control/shutdown, so it fails the same way', () => {
    expect(h.xl('create', '-q', h.cfg('hvm1', HVM_CFG)).code).toBe(0);
    // the OS boots (8 s) and brings its PV drivers up
    h.xlsim('clock', 'advance', '10s');
    expect(h.xl('pause', 'hvm1').code).toBe(0);
    const file = path.join(h.home, 'hvm1.chk');
    expect(h.xl('save', 'hvm1', file)).toEqual({ stdout: '', stderr: unanswered(file, 2, 'HVM'), code: 1 });
    expect(clockNow(h)).toBe('130.000000000');
    expect(table(h.xl('list', 'hvm1').stdout)).toBe(`${HEADER}hvm1                                         2  1024     2     --p--- T\n`);
  });
  it('HVM without PV drivers: Xen suspends it although paused, and the save succeeds at once', () => {
    expect(h.xlsim('guest', 'hvm1', 'pv-drivers', 'off').code).toBe(0);
    const file = path.join(h.home, 'hvm1.chk');
    const s = h.xl('save', 'hvm1', file);
    expect(s.code).toBe(0);
    expect(s.stderr).toMatch(/^Saving to .*\nxc: info: Saving domain 2, type x86 HVM\nxc: progress: Frames: /);
    expect(clockNow(h)).toBe('130.000000000');
    expect(h.xl('list', 'hvm1').code).toBe(1);
  });
});

describe('xl save of a paused guest unpaused while libxl waits (real clock)', () => {
  it('the guest answers late, and the save goes on and completes', async () => {
    const home = tmpHome('xlsim-save-late-');
    const env = { XLSIM_HOME: home, XLSIM_HOST: 'r' };
    const run = (tool: string, ...args: string[]) => runTool(tool, args, { env, cwd: home });
    expect(run('xlsim', 'host', 'create', 'r', '--clock', 'real', '--seed', '1').code).toBe(0);
    const cfg = path.join(home, 'pv1.cfg');
    fs.writeFileSync(cfg, PV_CFG);
    expect(run('xl', 'create', '-q', cfg).code).toBe(0);
    expect(run('xl', 'pause', 'pv1').code).toBe(0);
    const file = path.join(home, 'pv1.chk');
    const save = startXl(home, 'r', ['save', 'pv1', file]);
    await save.waitFor('xc: info: Saving domain 1, type x86 PV\n');
    expect(run('xl', 'unpause', 'pv1')).toEqual({ stdout: '', stderr: '', code: 0 });
    const r = await save.done;
    expect(r.stderr).toMatch(/^Saving to .* new xl format \(info 0x3\/0x0\/\d+\)\nxc: info: Saving domain 1, type x86 PV\nxc: progress: Frames: 7168\/131072    5%\n/);
    expect(r.stderr).toMatch(/xc: progress: Frames: 131072\/131072  100%\nxc: progress: End of stream: 0\/0    0%\n$/);
    expect(r.code).toBe(0);
    expect(run('xl', 'list', 'pv1').code).toBe(1);
    expect(run('xl', 'restore', file).code).toBe(0);
    expect(run('xl', 'list', 'pv1').stdout).toMatch(/^pv1\s+2\s+512\s+2\s+/m);
  }, 20_000);
});

describe('xl save of a hung guest', () => {
  it('its kernel answers no watch: the same failure after 60 s, and the guest spins on', () => {
    const h = manualHost();
    expect(h.xl('create', '-q', h.cfg('pv1', PV_CFG)).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xlsim('guest', 'pv1', 'hang').code).toBe(0);
    h.xlsim('clock', 'advance', '1s');
    const file = path.join(h.home, 'pv1.chk');
    expect(h.xl('save', 'pv1', file)).toEqual({ stdout: '', stderr: unanswered(file, 1, 'PV'), code: 1 });
    expect(clockNow(h)).toBe('64.000000000');
    expect(controlShutdown(h, 1)).toBe('\n');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     r----- T\n`);
  });
});
