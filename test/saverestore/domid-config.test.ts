// xl save -D / migrate -D keep the domid (libxl__domain_make takes the id the
// config names, or fails), xl restore with a config file replacing the saved
// one, xl save with an override config, the duplicate-name failure printing
// xl's clean-up lines once, and the monitor seeing the suspend.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADER, manualHost, PV_CFG } from '../lifecycle/transcript';
import { destroyGoneLines } from '../helpers/libxl-lines';
import { twoHosts } from '../migrate/hosts';

const OTHER_CFG = 'name = "other"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 128\n';

function loading(file: string, optlen: string, from: string): string {
  return `Loading new save file ${file} (new xl fmt info 0x3/0x0/${optlen})\n` + ' Savefile contains xl domain config in JSON format\n' + `Parsing config from ${from}\n`;
}

const RESTORED_PV = 'xc: info: Found x86 PV domain from Xen 4.20\nxc: info: Restoring domain\nxc: info: Restore successful\n';

function optlenOf(stderr: string): string {
  return /info 0x3\/0x0\/(\d+)/.exec(stderr)?.[1] ?? '?';
}

describe('xl save -D and restore keep the domid', () => {
  it('refused while the domid is in its 60 s embargo, kept once it has passed', () => {
    const h = manualHost();
    expect(h.xl('create', h.cfg('pv1', PV_CFG)).code).toBe(0);
    h.xlsim('clock', 'advance', '5s');
    const file = path.join(h.home, 'pv1.chk');
    expect(h.xl('save', '-D', 'pv1', file).code).toBe(0);
    // domid 2 goes to another domain: a restore without -D would get 3
    expect(h.xl('create', h.cfg('other', OTHER_CFG)).code).toBe(0);
    const early = h.xl('restore', file);
    const optlen = optlenOf(early.stderr);
    expect(early.stderr).toBe(
      loading(file, optlen, '<saved>') +
        'libxl: error: libxl_create.c:741:libxl__domain_make: Domain 1:domain id recently used\n' +
        'libxl: error: libxl_create.c:1309:initiate_domain_create: Domain 1:cannot make domain: -3\n' +
        destroyGoneLines(1),
    );
    expect(early.code).toBe(1);
    expect(h.xl('list').stdout).toMatch(/\nDomain-0 .*\nother +2 .*\n$/);
    h.xlsim('clock', 'advance', '61s');
    const r = h.xl('restore', file);
    expect(r.stderr).toBe(loading(file, optlen, '<saved>') + RESTORED_PV + 'xc: info: XenStore: mfn 0x120001, dom 0, evt 1\nxc: info: Console: mfn 0x120000, dom 0, evt 2\n');
    expect(r.code).toBe(0);
    expect(h.xl('domid', 'pv1').stdout).toBe('1\n');
    expect(h.xlsim('check').code).toBe(0);
  });

  it('without -D the restored domain gets a new domid', () => {
    const h = manualHost();
    expect(h.xl('create', h.cfg('pv1', PV_CFG)).code).toBe(0);
    const file = path.join(h.home, 'pv1.chk');
    expect(h.xl('save', 'pv1', file).code).toBe(0);
    h.xlsim('clock', 'advance', '61s');
    expect(h.xl('restore', file).code).toBe(0);
    expect(h.xl('domid', 'pv1').stdout).toBe('2\n');
  });

  it('migrate -D: the guest keeps its domid on the target, or the target refuses a domid in use', () => {
    const t = twoHosts();
    const a = t.on('a');
    const b = t.on('b');
    for (const n of ['a1', 'a2', 'a3']) expect(a.xl('create', t.cfg(n, OTHER_CFG.replace('other', n))).code).toBe(0);
    expect(b.xl('create', t.cfg('x', OTHER_CFG.replace('other', 'x'))).code).toBe(0);
    const m = a.xl('migrate', '-D', 'a1', 'b');
    expect(m.stderr).toContain(
      'Parsing config from <saved>\n' +
        'xc: info: Saving domain 1, type x86 PV\n' +
        'libxl: error: libxl_create.c:700:libxl__domain_make: Domain 1:domain creation fail: File exists\n' +
        'libxl: error: libxl_create.c:1309:initiate_domain_create: cannot make domain: -3\n' +
        'migration target: Domain creation failed (code -3).\n',
    );
    expect(m.stderr).toMatch(/Migration failed, (resuming|failed to suspend) at sender\.\n$/);
    expect(m.code).toBe(1);
    expect(a.xl('domid', 'a1').stdout).toBe('1\n');
    // b would hand out 2 next; -D keeps 3
    expect(a.xl('migrate', '-D', 'a3', 'b').code).toBe(0);
    expect(b.xl('domid', 'a3').stdout).toBe('3\n');
  });
});

describe('xl restore and xl save with a config file', () => {
  it('restore <ConfigFile> <CheckpointFile> makes the domain from the file, ignoring the saved config', () => {
    const h = manualHost();
    expect(h.xl('create', h.cfg('pv1', PV_CFG)).code).toBe(0);
    const file = path.join(h.home, 'pv1.chk');
    expect(h.xl('save', '-c', 'pv1', file).code).toBe(0);
    const cfg = h.cfg('copy', PV_CFG.replace('"pv1"', '"copy"'));
    const r = h.xl('restore', cfg, file);
    expect(r.stderr).toBe(loading(file, optlenOf(r.stderr), cfg) + RESTORED_PV + 'xc: info: XenStore: mfn 0x120001, dom 0, evt 1\nxc: info: Console: mfn 0x120000, dom 0, evt 2\n');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
    expect(h.xl('list').stdout).toMatch(new RegExp(`^${HEADER.replace(/[()]/g, '\\$&')}Domain-0 .*\\npv1 +1 +512 .*\\ncopy +2 +512 `));
    const missing = h.xl('restore', 'nope.cfg', file);
    expect(missing).toEqual({ stdout: '', stderr: loading(file, optlenOf(r.stderr), '').split('Parsing')[0] + 'Failed to read config file: nope.cfg: No such file or directory\n', code: 1 });
  });

  it('restore of a domain whose name is running: xl cleans up once', () => {
    const h = manualHost();
    expect(h.xl('create', h.cfg('pv1', PV_CFG)).code).toBe(0);
    const file = path.join(h.home, 'pv1.chk');
    expect(h.xl('save', '-c', 'pv1', file).code).toBe(0);
    const r = h.xl('restore', file);
    expect(r.stderr).toBe(
      loading(file, optlenOf(r.stderr), '<saved>') +
        'libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 2:Domain with name "pv1" already exists.\n' +
        'libxl: error: libxl_create.c:1309:initiate_domain_create: Domain 2:cannot make domain: -6\n' +
        destroyGoneLines(2),
    );
    expect(r.code).toBe(1);
    expect(h.xl('list').stdout).toMatch(/\nDomain-0 .*\npv1 +1 .*\n$/);
  });

  it('save <Domain> <CheckpointFile> <ConfigFile> stores that config instead of the running one', () => {
    const h = manualHost();
    expect(h.xl('create', h.cfg('pv1', PV_CFG)).code).toBe(0);
    const file = path.join(h.home, 'pv1.chk');
    const s = h.xl('save', 'pv1', file, h.cfg('renamed', PV_CFG.replace('"pv1"', '"renamed"')));
    expect(s.code).toBe(0);
    expect(h.xl('restore', file).code).toBe(0);
    expect(h.xl('list').stdout).toMatch(/\nrenamed +2 +512 /);
    const bad = h.xl('save', 'renamed', file, 'nope.cfg');
    expect(bad).toEqual({ stdout: '', stderr: 'unable to read overridden config file\n', code: 1 });
  });
});

describe("xl's monitor sees the guest suspend for a save", () => {
  it('logs the suspend, keeps waiting, then sees the domain destroyed', () => {
    const h = manualHost();
    expect(h.xl('create', h.cfg('pv1', PV_CFG)).code).toBe(0);
    expect(h.xl('save', 'pv1', path.join(h.home, 'pv1.chk')).code).toBe(0);
    expect(h.log('pv1')).toBe(
      'Waiting for domain pv1 (domid 1) to die [pid 4321]\n' +
        'Domain 1 has shut down, reason code 2 0x2\n' +
        'Domain has suspended.\n' +
        'Continue waiting for domain 1\n' +
        'Domain 1 has been destroyed.\n',
    );
  });
});
