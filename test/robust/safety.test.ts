/**
 * Never touch the real machine (DESIGN.md, principle 6): nothing a config,
 * a save file or a migration stream names is ever run or opened for
 * writing. Every program field (bootloader, kernel, ramdisk, hotplug
 * scripts of disks and vifs, xl.conf's default vif script, the device
 * model) points at a canary, a shell script that would leave a marker
 * file, and copies of it sit on PATH under the names xl would run (pygrub,
 * vif-bridge, block, qemu-system-i386); output fields (serial, channel
 * sockets) point outside XLSIM_HOME. The tools run as real processes over
 * two hosts: create, attach, crash with a core dump, save, restore on the
 * other host, migrate back, restore a save file whose embedded config was
 * edited to name the canary. Afterwards no marker exists and the whole
 * temporary tree, apart from XLSIM_HOME and the files the user named, is
 * exactly as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTool, type RunResult } from '../helpers/cli';
import { tmpDir } from './inproc';

let T: string;
let home: string;
let canary: string;
let marker: string;

const PATH_NAMES = ['pygrub', 'vif-bridge', 'vif-route', 'block', 'qemu-system-i386', 'qemu-dm', 'canary'];

function tree(dir: string, skip: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (p === skip) continue;
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), e.isFile() ? fs.readFileSync(p).toString('base64') : e.isSymbolicLink() ? 'link' : 'special');
    }
  };
  walk(dir);
  return out;
}

function run(tool: string, args: string[], host = 'a'): RunResult {
  return runTool(tool, args, {
    env: { XLSIM_HOME: home, XLSIM_HOST: host, HOME: path.join(T, 'user'), PATH: `${path.join(T, 'bin')}:${process.env.PATH}` },
    cwd: path.join(T, 'cwd'),
  });
}

/** a PV and an HVM config whose every program is the canary */
function configs(): { pv: string; hvm: string } {
  const out = path.join(T, 'outside');
  const pv = [
    'type = "pv"',
    `kernel = "${canary}"`,
    `ramdisk = "${canary}"`,
    `bootloader = "${canary}"`,
    'bootloader_args = [ "--output-directory=/tmp" ]',
    'memory = 64',
    `disk = [ "phy:/dev/vg/a,xvda,w,script=${canary}", "format=raw,vdev=xvdb,access=w,target=${path.join(out, 'disk.img')}" ]`,
    `vif = [ "bridge=xenbr0,script=${canary}" ]`,
    `channel = [ "name=org.x,connection=socket,path=${path.join(out, 'chan.sock')}" ]`,
    'on_crash = "coredump-destroy"',
  ].join('\n');
  const hvm = [
    'type = "hvm"',
    'memory = 128',
    `device_model_override = "${canary}"`,
    'device_model_args = [ "-daemonize" ]',
    `serial = "file:${path.join(out, 'serial.log')}"`,
    `disk = [ "file:${path.join(out, 'x.iso')},hdc:cdrom,r", "phy:/dev/vg/h,hda,w,script=${canary}" ]`,
    `vif = [ "type=ioemu,bridge=xenbr0,script=${canary}" ]`,
    'bootloader = "pygrub"',
  ].join('\n');
  return { pv: `${pv}\n`, hvm: `${hvm}\n` };
}

beforeAll(() => {
  T = tmpDir('xlsim-safety-');
  home = path.join(T, 'home');
  for (const d of ['bin', 'cfg', 'user', 'cwd', 'outside', 'out']) fs.mkdirSync(path.join(T, d));
  marker = path.join(T, 'marker');
  canary = path.join(T, 'bin', 'canary');
  for (const n of PATH_NAMES) {
    fs.writeFileSync(path.join(T, 'bin', n), `#!/bin/sh\necho "$0 $*" >> '${marker}'\n`, { mode: 0o755 });
  }
  const created = [run('xlsim', ['host', 'create', 'a', '--clock', 'manual', '--seed', '1']), run('xlsim', ['host', 'create', 'b', '--clock', 'manual', '--seed', '2'])];
  for (const r of created) expect(r.code, r.stderr).toBe(0);
  // xl.conf's default hotplug script for every vif of host a
  const xlConf = path.join(home, 'hosts', 'a', 'xl.conf');
  expect(fs.existsSync(xlConf)).toBe(true);
  fs.appendFileSync(xlConf, `vif.default.script="${canary}"\nbootloader_restrict=0\n`);
});

describe('nothing from a config, a save file or a stream runs or is written', () => {
  it('create, attach, crash, save, restore, migrate and an edited save file leave no trace outside XLSIM_HOME', () => {
    const { pv, hvm } = configs();
    const pvCfg = path.join(T, 'cfg', 'pv.cfg');
    const hvmCfg = path.join(T, 'cfg', 'hvm.cfg');
    fs.writeFileSync(pvCfg, pv);
    fs.writeFileSync(hvmCfg, hvm);
    const before = tree(T, home);
    const named = new Set<string>();
    const out = (f: string) => {
      named.add(path.join('out', f));
      return path.join(T, 'out', f);
    };
    const ok = (r: RunResult, what: string) => expect(r.code, `${what}\n${r.stderr}`).toBe(0);
    const said: string[] = [];
    const step = (what: string, r: RunResult) => said.push(`$ ${what} -> ${r.code}\n${r.stdout}${r.stderr}`);

    // the guests: whatever xl says about the programs, it runs none of them
    for (const [n, cfg] of [['pv1', pvCfg], ['pv2', pvCfg], ['hvm1', hvmCfg]] as const) ok(run('xl', ['create', cfg, `name="${n}"`]), `create ${n}`);
    step('create -n', run('xl', ['-N', 'create', pvCfg, 'name="dry"']));
    expect(run('xl', ['list', 'pv1']).code, said.join('\n')).toBe(0);
    ok(run('xlsim', ['clock', 'advance', '30s']), 'advance');
    ok(run('xl', ['block-attach', 'pv1', `phy:/dev/vg/c,xvdc,w,script=${canary}`]), 'block-attach');
    ok(run('xl', ['network-attach', 'pv1', `bridge=xenbr0,script=${canary}`]), 'network-attach');
    const named1 = path.join(T, 'cfg', 'pv1.cfg');
    fs.writeFileSync(named1, `${pv}name = "pv1"\n`);
    before.set(path.relative(T, named1), fs.readFileSync(named1).toString('base64'));
    ok(run('xl', ['config-update', 'pv1', named1]), 'config-update');
    // a crash with on_crash=coredump-destroy: the core goes under the host's /var/lib/xen/dump
    ok(run('xlsim', ['guest', 'pv2', 'crash']), 'crash');
    ok(run('xlsim', ['clock', 'advance', '5s']), 'advance');
    ok(run('xl', ['dump-core', 'pv1', out('pv1.core')]), 'dump-core');
    ok(run('xl', ['save', 'pv1', out('pv1.save')]), 'save');
    // the other host restores it, and migrates it back over xl's own transport
    ok(run('xl', ['restore', out('pv1.save')], 'b'), 'restore on b');
    ok(run('xlsim', ['clock', 'advance', '5s'], 'b'), 'advance b');
    ok(run('xl', ['migrate', 'pv1', 'a'], 'b'), 'migrate b -> a');
    // a save file whose embedded config was edited to name the canary everywhere
    const evil = editedSaveFile(fs.readFileSync(out('pv1.save')), canary);
    fs.writeFileSync(out('evil.save'), evil);
    ok(run('xl', ['restore', out('evil.save')], 'b'), 'restore edited');
    // (on a: the guest of that name runs there now)
    step('restore edited on a', run('xl', ['restore', '-p', out('evil.save')], 'a'));
    for (const h of ['a', 'b']) expect(run('xlsim', ['check'], h).stdout, said.join('\n')).toBe('xlsim check: host is consistent\n');

    expect(fs.existsSync(marker), `the canary ran:\n${fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : ''}`).toBe(false);
    const after = tree(T, home);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k) && !named.has(k));
    expect(changed, said.join('\n')).toEqual([]);
    // what the commands wrote is inside XLSIM_HOME: the crash's core dump among it
    const homeFiles = [...tree(home, '').keys()];
    expect(homeFiles.filter((f) => f.startsWith('hosts/a/dump/')), homeFiles.join('\n')).not.toEqual([]);
  }, 120_000);
});

/** The save file with its JSON config rewritten: every program field names `prog`. */
function editedSaveFile(file: Buffer, prog: string): Buffer {
  const cfgLen = file.readUInt32LE(48);
  const json = JSON.parse(file.subarray(52, 52 + cfgLen - 1).toString('utf8')) as Record<string, unknown>;
  const b = (json.b_info ?? {}) as Record<string, unknown>;
  b.kernel = prog;
  b.ramdisk = prog;
  b.device_model = prog;
  b.bootloader = prog;
  const pvPart = (b['type.pv'] ?? {}) as Record<string, unknown>;
  pvPart.bootloader = prog;
  pvPart.kernel = prog;
  b['type.pv'] = pvPart;
  json.b_info = b;
  for (const list of ['disks', 'nics'] as const) {
    const devs = (json[list] ?? []) as Record<string, unknown>[];
    for (const d of devs) d.script = prog;
    json[list] = devs;
  }
  const text = `${JSON.stringify(json, null, 4)}\n`;
  const head = Buffer.alloc(52);
  file.copy(head, 0, 0, 44);
  head.writeUInt32LE(4 + Buffer.byteLength(text) + 1, 44);
  head.writeUInt32LE(Buffer.byteLength(text) + 1, 48);
  return Buffer.concat([head, Buffer.from(`${text}\0`), file.subarray(52 + cfgLen)]);
}
