// xlsim report migration: the sending host's record of each save and live
// migration, round by round. A busy guest (its working set dirtied faster
// than a round can send it) runs into the 5-iteration cap; a quiet one
// converges in three live rounds. Manual clocks and seeded hosts make every
// number exact. Also `xl -v migrate`: the same rounds as xc detail lines,
// and none of them without -v.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { manualHost, PV_CFG } from '../lifecycle/transcript';
import { twoHosts } from './hosts';

const BUSY_REPORT =
  'Migration 1 of pv1 (domid 1) from a to b: completed\n' +
  '  started at 0.000000000 s, shadow log-dirty, 131072 pages (512.0 MiB), link 1 Gbit/s\n' +
  '\n' +
  'ROUND  PHASE      PAGES SENT     DIRTIED    FAULTS     SECONDS\n' +
  '    0  live           131072       28906     28906    4.294967\n' +
  '    1  live            28906       12414     12414    0.947192\n' +
  '    2  live            12414        6068      6068    0.406782\n' +
  '    3  live             6068        3103      3103    0.198836\n' +
  '    4  live             3103        1627      1627    0.101679\n' +
  '    5  suspended        1627           -         -    0.053314\n' +
  '\n' +
  'Transferred  2955212 bytes (2.8 MiB)\n' +
  'Duration     6.042770 s (simulated)\n' +
  'Downtime     93.3 ms\n' +
  'Pre-copy     hit the 5-iteration cap (1627 pages still dirty at suspend)\n' +
  'Received by  host b\n' +
  '\n' +
  'Pages dirtied while each live round was sent\n' +
  '  round 0 |######################################## 28906\n' +
  '  round 1 |#################                        12414\n' +
  '  round 2 |########                                 6068\n' +
  '  round 3 |####                                     3103\n' +
  '  round 4 |##                                       1627\n';

const QUIET_REPORT =
  'Migration 1 of pv1 (domid 1) from a to b: completed\n' +
  '  started at 0.000000000 s, shadow log-dirty, 131072 pages (512.0 MiB), link 1 Gbit/s\n' +
  '\n' +
  'ROUND  PHASE      PAGES SENT     DIRTIED    FAULTS     SECONDS\n' +
  '    0  live           131072         411       411    4.294967\n' +
  '    1  live              411           1         1    0.013468\n' +
  '    2  live                1           0         0    0.000033\n' +
  '    2  suspended           0           -         -    0.000000\n' +
  '\n' +
  'Transferred  2127084 bytes (2.0 MiB)\n' +
  'Duration     4.348468 s (simulated)\n' +
  'Downtime     40.0 ms\n' +
  'Pre-copy     converged after 3 live round(s) (fewer than 50 pages dirty)\n' +
  'Received by  host b\n' +
  '\n' +
  'Pages dirtied while each live round was sent\n' +
  '  round 0 |######################################## 411\n' +
  '  round 1 |#                                        1\n' +
  '  round 2 |                                         0\n';

describe('xlsim report migration', () => {
  it('a busy guest hits the 5-iteration cap: the rounds, totals and dirty-page bars; xl -v shows them as xc detail lines', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    expect(a.xlsim('guest', 'pv1', 'workload', '--dirty-rate', '64MiB/s', '--wss', '128M').code).toBe(0);
    const m = a.xl('-v', 'migrate', 'pv1', 'b');
    expect(m.code).toBe(0);
    const detail = m.stderr.split('\n').filter((l) => l.startsWith('xc: detail: '));
    expect(detail.join('\n').replace(/^xc: detail: fd \d+,/, 'xc: detail: fd N,')).toBe(
      [
        'xc: detail: fd N, dom 1, flags 1, hvm 0',
        'xc: detail: Iteration 0: sent 131072 pages, dirtied 28906, faults 28906, 4.294967 s',
        'xc: detail: Iteration 1: sent 28906 pages, dirtied 12414, faults 12414, 0.947192 s',
        'xc: detail: Iteration 2: sent 12414 pages, dirtied 6068, faults 6068, 0.406782 s',
        'xc: detail: Iteration 3: sent 6068 pages, dirtied 3103, faults 3103, 0.198836 s',
        'xc: detail: Iteration 4: sent 3103 pages, dirtied 1627, faults 1627, 0.101679 s',
        'xc: detail: Iteration 5 (suspended): sent 1627 pages, 0.053314 s',
        'xc: detail: Downtime 93.3 ms, 2952960 bytes in 6.042770 s (iteration limit reached)',
      ].join('\n'),
    );
    // they come after libxc's first line, before the receiver's restore lines
    expect(m.stderr).toMatch(/Parsing config from <saved>\nxc: detail: fd \d+, dom 1, flags 1, hvm 0\nxc: info: Saving domain 1, type x86 PV\nxc: detail: Iteration 0:/);
    expect(m.stderr).toMatch(/\(iteration limit reached\)\nxc: info: Found x86 PV domain from Xen 4\.20\n/);
    expect(m.stderr.endsWith('migration sender: Target reports successful startup.\nMigration successful.\n')).toBe(true);

    const r = a.xlsim('report', 'migration');
    expect(r).toEqual({ stdout: BUSY_REPORT, stderr: '', code: 0 });
    expect(a.xlsim('report', 'migration', '1').stdout).toBe(BUSY_REPORT);
    const j = a.xlsim('report', 'migration', 'last', '--json');
    expect(j.code).toBe(0);
    const data = JSON.parse(j.stdout) as {
      id: number;
      from: string;
      to: string;
      rounds: Array<{ round: number; phase: string; sent: number; dirtied: number | null; faults: number | null; ns: number }>;
      totals: { bytes: number; duration_ns: number; downtime_ns: number; live_rounds: number; converged: boolean };
    };
    expect([data.id, data.from, data.to]).toEqual([1, 'a', 'b']);
    expect(data.rounds.map((x) => [x.round, x.phase, x.sent, x.dirtied, x.faults])).toEqual([
      [0, 'live', 131072, 28906, 28906],
      [1, 'live', 28906, 12414, 12414],
      [2, 'live', 12414, 6068, 6068],
      [3, 'live', 6068, 3103, 3103],
      [4, 'live', 3103, 1627, 1627],
      [5, 'suspended', 1627, null, null],
    ]);
    expect(data.totals).toEqual({ bytes: 2955212, duration_ns: 6042769920, downtime_ns: 93313536, live_rounds: 5, converged: false });
    // the receiving host made no migration
    expect(t.on('b').xlsim('report', 'migration')).toEqual({ stdout: '', stderr: 'xlsim: no migration or save recorded on host b\n', code: 1 });
  });

  it('a quiet guest converges in three live rounds; without -v xl prints no detail lines', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    expect(a.xlsim('guest', 'pv1', 'workload', '--dirty-rate', '100', '--wss', '16M').code).toBe(0);
    const m = a.xl('migrate', 'pv1', 'b');
    expect(m.code).toBe(0);
    expect(m.stderr).not.toContain('detail');
    expect(a.xlsim('report', 'migration')).toEqual({ stdout: QUIET_REPORT, stderr: '', code: 0 });
    // the sender's monitor saw the guest suspend for the final pass, then go
    expect(fs.readFileSync(path.join(t.home, 'hosts', 'a', 'log', 'xl-pv1.log'), 'utf8')).toBe(
      'Waiting for domain pv1 (domid 1) to die [pid 4321]\n' +
        'Domain 1 has shut down, reason code 2 0x2\n' +
        'Domain has suspended.\n' +
        'Continue waiting for domain 1\n' +
        'Domain 1 has been destroyed.\n',
    );
  });

  it('a migration the target refused at startup is recorded as failed', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    expect(t.on('b').xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    expect(a.xl('migrate', 'pv1', 'b').code).toBe(1);
    const r = a.xlsim('report', 'migration');
    expect(r.stdout.split('\n')[0]).toBe('Migration 1 of pv1 (domid 1) from a to b: failed');
    expect(r.code).toBe(0);
  });

  it('records saves too, numbers them after the migrations, and refuses unknown numbers', () => {
    const h = manualHost();
    expect(h.xl('create', h.cfg('pv1', PV_CFG)).code).toBe(0);
    expect(h.xlsim('report', 'migration')).toEqual({ stdout: '', stderr: 'xlsim: no migration or save recorded on host default\n', code: 1 });
    h.xlsim('clock', 'advance', '5s');
    const file = path.join(h.home, 'pv1.chk');
    expect(h.xl('save', '-c', 'pv1', file).code).toBe(0);
    expect(h.xl('save', 'pv1', file).code).toBe(0);
    const r = h.xlsim('report', 'migration');
    expect(r.stdout).toBe(
      `Save 2 of pv1 (domid 1) on default to ${file}: completed\n` +
        '  started at 5.000000000 s, shadow log-dirty, 131072 pages (512.0 MiB), link 1 Gbit/s\n' +
        '\n' +
        'ROUND  PHASE      PAGES SENT     DIRTIED    FAULTS     SECONDS\n' +
        '    0  suspended      131072           -         -    4.294967\n' +
        '\n' +
        `Transferred  ${fs.statSync(file).size} bytes (2.0 MiB)\n` +
        'Duration     4.334967 s (simulated)\n' +
        'Downtime     4335.0 ms\n' +
        'Pre-copy     none (the guest was suspended for the whole pass)\n' +
        `Written to   ${file}\n`,
    );
    expect(h.xlsim('report', 'migration', '1').stdout).toMatch(/^Save 1 of pv1 \(domid 1\)/);
    expect(h.xlsim('report', 'migration', '3')).toEqual({ stdout: '', stderr: 'xlsim: no migration 3 on host default (recorded: 1, 2)\n', code: 1 });
    expect(h.xlsim('report', 'migration', 'first')).toEqual({ stdout: '', stderr: "xlsim: 'first' is not last or a migration number\n", code: 1 });
  });

  it("the host profile's migration bandwidth sets the time on the wire and the downtime", () => {
    const ini = fs.readFileSync(path.join(__dirname, '..', '..', 'configs', 'hosts', 'default.ini'), 'utf8').replace(/^bandwidth = 1Gbit$/m, 'bandwidth = 10Gbit');
    expect(ini).toContain('bandwidth = 10Gbit');
    const profile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-10g-')), 'fast.ini');
    fs.writeFileSync(profile, ini);
    const h = manualHost(1, profile);
    expect(h.xl('create', h.cfg('pv1', PV_CFG)).code).toBe(0);
    expect(h.xl('save', 'pv1', path.join(h.home, 'pv1.chk')).code).toBe(0);
    const r = h.xlsim('report', 'migration').stdout;
    // 131072 pages of 4 KiB over 1.25e9 bytes/s, plus the fixed 40 ms of suspend and resume
    expect(r).toContain('  started at 0.000000000 s, shadow log-dirty, 131072 pages (512.0 MiB), link 10 Gbit/s\n');
    expect(r).toContain('    0  suspended      131072           -         -    0.429497\n');
    expect(r).toContain('Duration     0.469497 s (simulated)\nDowntime     469.5 ms\n');
  });

  it('the workload travels with the guest: restored and migrated, it keeps the pre-copy loop busy', () => {
    const t = twoHosts();
    const a = t.on('a');
    expect(a.xl('create', t.cfg('pv1', PV_CFG)).code).toBe(0);
    expect(a.xlsim('guest', 'pv1', 'workload', '--dirty-rate', '64MiB/s', '--wss', '128M').code).toBe(0);
    const file = path.join(t.home, 'pv1.chk');
    expect(a.xl('save', 'pv1', file).code).toBe(0);
    expect(a.xl('restore', file).code).toBe(0);
    expect(a.xl('migrate', 'pv1', 'b').code).toBe(0);
    expect(a.xlsim('report', 'migration').stdout).toMatch(/^Migration 2 of pv1 \(domid 2\) from a to b: completed\n[^]*\nPre-copy {5}hit the 5-iteration cap /);
    expect(t.on('b').xl('migrate', 'pv1', 'a').code).toBe(0);
    expect(t.on('b').xlsim('report', 'migration').stdout).toMatch(/^Migration 1 of pv1 \(domid 1\) from b to a: completed\n[^]*\nPre-copy {5}hit the 5-iteration cap /);
  });
});
