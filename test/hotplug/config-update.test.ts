/**
 * The stored domain configuration and hot-plugged devices across a reboot
 * (xl_vmcontrol.c reload_domain_config): libxl's stored config follows
 * every attach and detach, `xl list -l` shows it, and the next reboot
 * brings the guest back with it; `xl config-update` leaves that alone but
 * its text wins at the next reboot — hot-plugged devices not in it are
 * gone, and libxl gives the domain a new UUID since the text has none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK_HEADER, NET_HEADER, err, manualHost, ok } from './host';

const WARN = 'WARNING: xl now has better capability to manage domain configuration, avoid using this command when possible\n';
const LIST_HEADER = 'Name                                        ID   Mem VCPUs\tState\tTime(s)\n';

const G1 = `name = "g1"
kernel = "/boot/vmlinuz"
memory = 256
disk = [ "/srv/g1.img,raw,xvda,rw", "/srv/g1-data.img,raw,xvdb,rw" ]
`;

/** the vdevs, bridges and memory of `xl list -l` */
function summary(listL: string): { vdevs: string[]; bridges: string[]; macs: string[]; maxMemKb: number[] } {
  const all = (re: RegExp): string[] => [...listL.matchAll(re)].map((m) => m[1]!);
  return {
    vdevs: all(/"vdev": "([^"]+)"/g),
    bridges: all(/"bridge": "([^"]+)"/g),
    macs: all(/"mac": "([^"]+)"/g),
    maxMemKb: all(/"max_memkb": (\d+)/g).map(Number),
  };
}

describe('hot-plugged devices and the stored config', () => {
  const h = manualHost();
  let mac = '';

  it('attach and detach show in xl list -l at once', () => {
    expect(h.xl('create', '-q', h.cfg('g1', G1))).toEqual(ok);
    h.advance('10s');
    expect(h.xl('network-attach', 'g1', 'bridge=xenbr1')).toEqual(ok);
    expect(h.xl('block-attach', 'g1', '/dev/vg/scratch,raw,xvdc,rw')).toEqual(ok);
    expect(h.xl('block-detach', 'g1', 'xvdb')).toEqual(ok);
    const s = summary(h.xl('list', '-l', 'g1').stdout);
    expect(s.vdevs).toEqual(['xvda', 'xvdc']);
    expect(s.bridges).toEqual(['xenbr1']);
    expect(s.macs).toHaveLength(1);
    mac = s.macs[0]!;
    h.check();
  });

  it('a reboot brings the guest back with what is attached now, the same MAC and UUID', () => {
    const uuid = h.xl('vm-list').stdout.split('\n')[2]!.slice(0, 36);
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(h.xl('reboot', 'g1')).toEqual({ stdout: '', stderr: 'Rebooting domain 1\n', code: 0 });
    h.advance('10s');
    expect(h.xl('block-list', 'g1').stdout).toBe(
      BLOCK_HEADER + '51712 0   2      4     10     8        /local/domain/0/backend/vbd/2/51712\n' + '51744 0   2      4     11     9        /local/domain/0/backend/vbd/2/51744\n',
    );
    expect(h.xl('network-list', 'g1').stdout).toBe(NET_HEADER + `0   0  ${mac}     0     4     12    10/11          /local/domain/0/backend/vif/2/0\n`);
    expect(h.xl('vm-list').stdout.split('\n')[2]).toBe(`${uuid}  2    g1                            `);
    h.check();
  });

  it('config-update leaves the running config alone; its text wins at the next reboot', () => {
    expect(h.xl('config-update', 'g1', h.cfg('g1-new', G1.replace('256', '512')))).toEqual({ stdout: '', stderr: WARN + 'setting dom2 configuration\n', code: 0 });
    // attached after the update: in libxl's stored config, not in the text
    expect(h.xl('block-attach', 'g1', '/dev/vg/late,raw,xvdd,rw')).toEqual(ok);
    const s = summary(h.xl('list', '-l', 'g1').stdout);
    expect(s.vdevs).toEqual(['xvda', 'xvdc', 'xvdd']);
    expect(s.maxMemKb).toEqual([262144]);
    const uuid = h.xl('vm-list').stdout.split('\n')[2]!.slice(0, 36);
    expect(h.xl('reboot', 'g1').code).toBe(0);
    h.advance('10s');
    expect(h.xl('list', 'g1').stdout).toBe(LIST_HEADER + 'g1                                           3   512     1     -b----       1.8\n');
    const after = summary(h.xl('list', '-l', 'g1').stdout);
    expect(after).toEqual({ vdevs: ['xvda', 'xvdb'], bridges: [], macs: [], maxMemKb: [524288] });
    expect(h.xl('vm-list').stdout.split('\n')[2]!.slice(0, 36)).not.toBe(uuid);
    expect(h.xl('block-list', 'g1').stdout.split('\n').slice(1, -1).map((l) => l.slice(0, 5))).toEqual(['51712', '51728']);
    h.check();
  });

  it('the monitor said which config it used, and consumed the text: the next reboot keeps the new config', () => {
    const log = fs.readFileSync(path.join(h.home, 'hosts', 'lab', 'log', 'xl-g1.log'), 'utf8');
    expect(log.split('\n').filter((l) => /configuration|Rebooting|Waiting/.test(l))).toEqual([
      'Waiting for domain g1 (domid 1) to die [pid 4321]',
      'Done. Rebooting now',
      'Waiting for domain g1 (domid 2) to die [pid 4321]',
      '"xl" configuration found, using it',
      'Done. Rebooting now',
      'Waiting for domain g1 (domid 3) to die [pid 4321]',
    ]);
    expect(h.xl('reboot', 'g1').code).toBe(0);
    h.advance('10s');
    expect(h.xl('list', 'g1').stdout).toBe(LIST_HEADER + 'g1                                           4   512     1     -b----       1.8\n');
    expect(summary(h.xl('list', '-l', 'g1').stdout).vdevs).toEqual(['xvda', 'xvdb']);
    h.check();
  });

  it('a config-update that does not parse stores nothing', () => {
    const bad = h.cfg('bad', 'name = "g1"\nmemory = \n');
    expect(h.xl('config-update', 'g1', bad)).toEqual(err(WARN + `${bad}:1: config parsing error near <newline>: syntax error, unexpected NEWLINE, expecting STRING or NUMBER or '['\n` + 'Failed to parse config: Invalid argument\n'));
    expect(h.xl('reboot', 'g1').code).toBe(0);
    h.advance('10s');
    expect(h.xl('list', 'g1').stdout).toBe(LIST_HEADER + 'g1                                           5   512     1     -b----       1.8\n');
    const log = fs.readFileSync(path.join(h.home, 'hosts', 'lab', 'log', 'xl-g1.log'), 'utf8');
    expect(log.split('\n').filter((l) => l.includes('configuration'))).toEqual(['"xl" configuration found, using it']);
    h.check();
  });
});
