// xl migrate / xl migrate-receive between two simulated hosts: the exact
// transcript with the receiver's lines interleaved as ssh shows them, the
// domain's identity on the target, the pre-copy loop's behaviour for idle
// and busy guests, and failures that leave both hosts consistent.
import { describe, expect, it } from 'vitest';
import { HVM_CFG, PV_CFG, PVH_CFG } from '../lifecycle/transcript';
import { advance, guestUptimeNs, memoryDigest, scribble } from './inproc';
import { BIG_CFG, gone, migrationOpening, receiverPid, startXl, twoHosts, XL_SHIM } from './hosts';

function transcript(domid: number, kind: string, optlen: string, store: string, cons: string): string {
  return (
    migrationOpening(domid, kind, optlen) +
    'xc: info: Restore successful\n' +
    `xc: info: XenStore: mfn ${store}, dom 0, evt 1\n` +
    `xc: info: Console: mfn ${cons}, dom 0, evt 2\n` +
    'migration target: Transfer complete, requesting permission to start domain.\n' +
    'migration sender: Target has acknowledged transfer.\n' +
    'migration sender: Giving target permission to start.\n' +
    'migration target: Got permission, starting domain.\n' +
    'migration target: Domain started successsfully.\n' +
    'migration sender: Target reports successful startup.\n' +
    'Migration successful.\n'
  );
}

/** `xl list -l` JSON of one domain, without what differs between hosts */
function configOf(r: { stdout: string }): { c_info: Record<string, unknown>; b_info: Record<string, unknown> } {
  const arr = JSON.parse(r.stdout) as Array<{ domid: number; config: { c_info: Record<string, unknown>; b_info: Record<string, unknown> } }>;
  expect(arr).toHaveLength(1);
  const c = arr[0]!.config;
  delete c.c_info.domid;
  return c;
}

function consistent(t: ReturnType<typeof twoHosts>): void {
  for (const h of ['a', 'b']) {
    const c = t.on(h).xlsim('check');
    expect(c.stderr + c.stdout).toBe('xlsim check: host is consistent\n');
    expect(c.code).toBe(0);
  }
}

function listed(t: ReturnType<typeof twoHosts>, host: string): string[] {
  return t.on(host).xl('list').stdout.split('\n').slice(1).filter(Boolean).map((l) => l.split(/\s+/)[0]!);
}

describe('xl migrate between simulated hosts', () => {
  for (const [name, text, kind, store, cons] of [
    ['pv1', PV_CFG, 'PV', '0x120001', '0x120000'],
    ['pvh1', PVH_CFG, 'HVM', '0xfeffc', '0xfefff'],
    ['hvm1', HVM_CFG, 'HVM', '0xfeffc', '0xfefff'],
  ] as const) {
    it(`moves an idle ${name} guest from a to b with xl's transcript`, () => {
      const t = twoHosts();
      const a = t.on('a');
      const b = t.on('b');
      // a domain on b first, so the migrated guest gets another domid there
      expect(b.xl('create', t.cfg('other', 'name = "other"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 128\n')).code).toBe(0);
      expect(a.xl('create', t.cfg(name, text)).code).toBe(0);
      advance(t.home, 'a', 100);
      scribble(t.home, 'a', name);
      const mem = memoryDigest(t.home, 'a', name);
      const up = guestUptimeNs(t.home, 'a', name);
      expect(up).toBeGreaterThan(60e9);
      const before = configOf(a.xl('list', '-l', name));
      const m = a.xl('migrate', name, 'b');
      const optlen = /info 0x3\/0x0\/(\d+)/.exec(m.stderr)?.[1] ?? '?';
      expect(m.stderr).toBe(transcript(1, kind, optlen, store, cons));
      expect(m.stdout).toBe('');
      expect(m.code).toBe(0);
      expect(listed(t, 'a')).toEqual(['Domain-0']);
      expect(listed(t, 'b')).toEqual(['Domain-0', 'other', name]);
      expect(b.xl('domid', name).stdout).toBe('2\n');
      const after = configOf(b.xl('list', '-l', name));
      expect(memoryDigest(t.home, 'b', name)).toEqual(mem);
      expect(after).toEqual(before);
      // the guest carries on: b's clock has not moved, the guest's uptime has not restarted
      expect(guestUptimeNs(t.home, 'b', name)).toBe(up);
      advance(t.home, 'b', 10);
      expect(guestUptimeNs(t.home, 'b', name)).toBe(up + 10e9);
      expect(b.xl('list', name).stdout).toMatch(new RegExp(`^${name}\\s+2\\s+\\d+\\s+\\d+\\s+-b----|^${name}\\s+2\\s+\\d+\\s+\\d+\\s+r-----`, 'm'));
      consistent(t);
    });
  }

  // libxl_retrieve_domain_configuration must add the target fudge (video RAM) back, or HVM guests shrink per hop
  it('an HVM guest keeps its memory size and contents across a migration', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('hvm1', HVM_CFG)).code).toBe(0);
    scribble(t.home, 'a', 'hvm1');
    const mem = memoryDigest(t.home, 'a', 'hvm1');
    const before = configOf(a.xl('list', '-l', 'hvm1'));
    expect(a.xl('migrate', 'hvm1', 'b').code).toBe(0);
    expect(configOf(t.on('b').xl('list', '-l', 'hvm1'))).toEqual(before);
    expect(memoryDigest(t.home, 'b', 'hvm1')).toEqual(mem);
  });

  it('passes -e -d -p in the rune and leaves the guest paused with -p', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    const m = a.xl('migrate', '-p', 'pv1', 'b');
    expect(m.code).toBe(0);
    expect(t.on('b').xl('list', 'pv1').stdout).toMatch(/^pv1\s+1\s+512\s+2\s+--p---/m);
    consistent(t);
  });

  it('a quiet guest converges after one live pass', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    expect(a.xl('migrate', 'pv1', 'b').code).toBe(0);
    // round 0 sends every page, the CLEAN after it finds nothing: suspend, empty final pass
    expect(a.xlsim('events').stdout).toMatch(/ d1 +migrate +live migration to b: 1 live iteration\(s\), pages sent 131072\+0\+0, downtime 40\.0 ms/);
    expect(listed(t, 'b')).toEqual(['Domain-0', 'pv1']);
    consistent(t);
  });

  for (const [name, text, pages, mode] of [
    ['pv1', PV_CFG, 131072, 'shadow'],
    ['pvh1', PVH_CFG, 65536, 'hap-pml'],
    ['hvm1', HVM_CFG, 262144, 'hap-pml'],
  ] as const) {
    it(`a busy ${name} guest hits the 5-iteration cap and still arrives whole`, () => {
      const t = twoHosts();
      const a = t.on('a');
      expect(a.xl('create', t.cfg(name, text)).code).toBe(0);
      expect(a.xlsim('guest', name, 'workload', '--dirty-rate', '64MiB/s', '--wss', '128M').code).toBe(0);
      const m = a.xl('migrate', name, 'b');
      // the receiver checked the final memory digest before "Restore successful"
      expect(m.stderr).toContain('xc: info: Restore successful\n');
      expect(m.stderr).toContain('Migration successful.\n');
      expect(m.code).toBe(0);
      const ev = a.xlsim('events').stdout;
      const r = new RegExp(`live migration to b: 5 live iteration\\(s\\), pages sent ${pages}(\\+\\d+){5}, downtime (\\d+\\.\\d) ms, total \\d+\\.\\d ms \\(${mode} log-dirty\\)`).exec(ev);
      expect(r, ev).not.toBeNull();
      // downtime: the final pass over the link plus the fixed suspend/resume cost
      expect(Number(r![2])).toBeGreaterThan(40);
      expect(listed(t, 'a')).toEqual(['Domain-0']);
      expect(listed(t, 'b')).toEqual(['Domain-0', name]);
      consistent(t);
    });
  }

  it('a transport that answers with something else than the banner', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    const ssh = `sh -c 'printf "%s" "this is not an xl migration receiver at all, I am afraid"; exit 0'`;
    const m = a.xl('migrate', '-s', ssh, 'pv1', 'b');
    expect(m.stderr).toBe(
      'migration receiver stream contained unexpected data instead of banner\n' + `(command run was: exec ${ssh} b xl migrate-receive )\n`,
    );
    expect(m.code).toBe(1);
    expect(a.xl('list', 'pv1').stdout).toMatch(/^pv1\s+1\s+512\s+2\s+r-----/m);
    consistent(t);
  });

  it('the handshake breaking after GO prints the final-handshake banner; the guest runs on the target only', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    // the replies are cut after the banner (54 bytes) and the ready message (34)
    const ssh = `sh -c 'XLSIM_HOST=$0 ${process.execPath} ${XL_SHIM} $2 | dd bs=1 count=88 status=none'`;
    const m = a.xl('migrate', '-s', ssh, 'pv1', 'b');
    expect(m.stderr).toContain(
      'migration sender: Giving target permission to start.\n',
    );
    expect(m.stderr).toContain(
      'libxl: error: libxl_utils.c:507:libxl_read_exactly: file/stream truncated reading success/failure report message from migration receiver stream\n' +
        '** Migration failed during final handshake **\n' +
        'Domain state is now undefined !\n' +
        'Please CHECK AT BOTH ENDS for running instances, before renaming and\n' +
        ' resuming at most one instance.  Two simultaneous instances of the domain\n' +
        ' would probably result in SEVERE DATA LOSS and it is now your\n' +
        ' responsibility to avoid that.  Sorry.\n',
    );
    expect(m.code).toBe(1);
    expect(listed(t, 'a')).toEqual(['Domain-0', 'pv1--migratedaway']);
    expect(a.xl('list', 'pv1--migratedaway').stdout).toMatch(/^pv1--migratedaway\s+1\s+512\s+2\s+---ss-/m);
    expect(t.on('b').xl('list', 'pv1').stdout).toMatch(/^pv1\s+1\s+512\s+2\s+r-----/m);
    consistent(t);
  });

  it('no such domain, or no config, to a simulated host: only xl\'s own error, nothing on the target', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    // the receiver on b is started while xl looks the domain up: it must go unheard
    const m = a.xl('migrate', 'nosuch', 'b');
    expect(m.stderr).toBe('nosuch is an invalid domain identifier (rc=-6)\n');
    expect(m.stdout).toBe('');
    expect(m.code).toBe(1);
    const c = a.xl('migrate', '-C', `${t.home}/missing.cfg`, 'pv1', 'b');
    expect(c.stderr).toBe('unable to read overridden config file\n');
    expect(c.code).toBe(1);
    expect(listed(t, 'a')).toEqual(['Domain-0', 'pv1']);
    expect(listed(t, 'b')).toEqual(['Domain-0']);
    consistent(t);
  });

  it('to its own host: the stream is made before it is sent (the receiver needs the lock), and the guest comes back', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    const m = a.xl('migrate', 'pv1', 'a');
    expect(m.stderr).toMatch(/migration target: Domain started successsfully\.\nmigration sender: Target reports successful startup\.\nMigration successful\.\n$/);
    expect(m.code).toBe(0);
    expect(a.xl('list', 'pv1').stdout).toMatch(/^pv1\s+2\s+512\s+2\s+r-----/m);
    expect(listed(t, 'a')).toEqual(['Domain-0', 'pv1']);
  });

  it('an unknown host fails as ssh does, and the guest keeps running', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    const m = a.xl('migrate', 'pv1', 'nosuch');
    expect(m.stderr.replace(/\[\d+\]/, '[PID]')).toBe(
      'ssh: Could not resolve hostname nosuch: Name or service not known\n' +
        'libxl: error: libxl_utils.c:507:libxl_read_exactly: file/stream truncated reading banner from migration receiver stream\n' +
        'libxl: info: libxl_exec.c:117:libxl_report_child_exitstatus: migration transport process [PID] exited with error status 255\n',
    );
    expect(m.code).toBe(1);
    expect(a.xl('list', 'pv1').stdout).toMatch(/^pv1\s+1\s+512\s+2\s+r-----/m);
    consistent(t);
  });

  it('a name already running on the target: the rename at GO fails, the target cleans up, the sender resumes', () => {
    const t = twoHosts();
    const a = t.on('a');
    const b = t.on('b');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    expect(b.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    const m = a.xl('migrate', 'pv1', 'b');
    const optlen = /info 0x3\/0x0\/(\d+)/.exec(m.stderr)?.[1] ?? '?';
    const upToGo = transcript(1, 'PV', optlen, '0x120001', '0x120000').split('migration target: Domain started')[0]!;
    expect(m.stderr).toBe(
      upToGo +
        'libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 2:Domain with name "pv1" already exists.\n' +
        'migration sender: Target reports startup failure (status code 6).\n' +
        'migration target: Failure, destroying our copy.\n' +
        'migration target: Cleanup OK, granting sender permission to resume.\n' +
        'migration sender: Trying to resume at our end.\n' +
        'migration sender: Resumed OK.\n' +
        'Migration failed due to problems at target.\n',
    );
    expect(m.code).toBe(1);
    expect(listed(t, 'a')).toEqual(['Domain-0', 'pv1']);
    expect(listed(t, 'b')).toEqual(['Domain-0', 'pv1']);
    expect(a.xl('list', 'pv1').stdout).toMatch(/^pv1\s+1\s+512\s+2\s+r-----/m);
    consistent(t);
  });

  it('a target without the memory: Domain creation failed, the sender keeps its guest', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('big', 'name = "big"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 2048\n')).code).toBe(0);
    const free = Number(/^free_memory\s+: (\d+)$/m.exec(t.on('b').xl('info').stdout)![1]);
    expect(t.on('b').xl('create', t.cfg('fill', `name = "fill"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = ${free - 1024}\n`)).code).toBe(0);
    const m = a.xl('migrate', 'big', 'b');
    expect(m.stderr).toMatch(/migration target: Domain creation failed \(code -\d+\)\.\n/);
    expect(m.stderr).toMatch(/Migration failed, (resuming|failed to suspend) at sender\.\n$/);
    expect(m.code).toBe(1);
    expect(listed(t, 'a')).toEqual(['Domain-0', 'big']);
    expect(listed(t, 'b')).toEqual(['Domain-0', 'fill']);
    consistent(t);
  });

  it('-s runs the user command as xl would (an ssh stand-in that runs xl for the named host)', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    // "ssh HOST xl ARGS...": the remote end's stderr is inherited, as ssh forwards it
    const ssh = `sh -c 'h=$0; shift; XLSIM_HOST=$h exec ${process.execPath} ${XL_SHIM} "$@"' `;
    const m = a.xl('migrate', '-s', ssh, 'pv1', 'b');
    expect(m.stderr).toContain('migration target: Domain started successsfully.\n');
    expect(m.stderr.endsWith('migration sender: Target reports successful startup.\nMigration successful.\n')).toBe(true);
    expect(m.code).toBe(0);
    expect(listed(t, 'a')).toEqual(['Domain-0']);
    expect(t.on('b').xl('list', 'pv1').stdout).toMatch(/^pv1\s+1\s+512\s+2\s+r-----/m);
    consistent(t);
  });

  it('-s runs the user command as xl would: a transport that breaks mid-stream', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    // "ssh" that passes only the first 300 kB on to the remote xl
    const ssh = `sh -c 'head -c 300000 | XLSIM_HOST=$0 ${process.execPath} ${XL_SHIM} $2' `;
    const m = a.xl('migrate', '-s', ssh, 'pv1', 'b');
    expect(m.stderr).toContain('migration target: Domain creation failed (code -3).\n');
    expect(m.stderr).toMatch(/Migration failed, (resuming|failed to suspend) at sender\.\n$/);
    expect(m.code).toBe(1);
    expect(listed(t, 'a')).toEqual(['Domain-0', 'pv1']);
    expect(a.xl('list', 'pv1').stdout).toMatch(/^pv1\s+1\s+512\s+2\s+r-----/m);
    expect(listed(t, 'b')).toEqual(['Domain-0']);
    consistent(t);
  });

  it('a receiver killed with SIGKILL mid-migration: the sender resumes, the target keeps nothing', async () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('g8', BIG_CFG)).code).toBe(0);
    const sender = startXl(t.home, 'a', ['migrate', 'g8', 'b']);
    await sender.waitFor('xc: info: Saving domain 1, type x86 PV\n');
    const rx = receiverPid(t.home);
    expect(rx).toBeGreaterThan(0);
    process.kill(rx, 'SIGKILL');
    const r = await sender.done;
    expect(r.stderr).toContain(`libxl: info: libxl_exec.c:127:libxl_report_child_exitstatus: migration transport process [${rx}] died due to fatal signal Killed\n`);
    expect(r.stderr).toMatch(/Migration failed, (resuming|failed to suspend) at sender\.\n$/);
    expect(r.code).toBe(1);
    expect(a.xl('list', 'g8').stdout).toMatch(/^g8\s+1\s+8192\s+1\s+r-----/m);
    expect(listed(t, 'b')).toEqual(['Domain-0']);
    consistent(t);
  });

  it('a sender killed with SIGKILL mid-migration: the receiver removes its copy, the guest runs on', async () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('g8', BIG_CFG)).code).toBe(0);
    const sender = startXl(t.home, 'a', ['migrate', 'g8', 'b']);
    await sender.waitFor('xc: info: Saving domain 1, type x86 PV\n');
    const rx = receiverPid(t.home);
    expect(rx).toBeGreaterThan(0);
    sender.child.kill('SIGKILL');
    await sender.done;
    await gone(rx);
    expect(a.xl('list', 'g8').stdout).toMatch(/^g8\s+1\s+8192\s+1\s+r-----/m);
    expect(listed(t, 'b')).toEqual(['Domain-0']);
    consistent(t);
  });
});
