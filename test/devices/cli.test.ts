/**
 * The device dry-run commands end to end through the built bundle: every
 * case of check-xl-disk-parse / check-xl-vif-parse (stdout and status, as
 * the scripts compare them) plus exact stderr for the error paths.
 * Run `node build.mjs` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostPaths } from '../../state/paths';
import { runTool, tmpHome, xl } from '../helpers/cli';
import { DISK_CASES, VIF_CASES } from './check-cases';

const home = tmpHome('xlsim-devices-');
const env = { XLSIM_HOME: home };

function writeXlConf(text: string): void {
  const p = hostPaths(env).xlConf;
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

beforeAll(() => {
  // an empty xl.conf, as on a host whose /etc/xen/xl.conf sets nothing
  writeXlConf('');
});

const DE = (msg: string, spec: string, near?: string): string =>
  `command line: config parsing error in disk specification: ${msg}${near !== undefined ? `: near \`${near}'` : ''} in \`${spec}'\n`;

describe('xl -N block-attach (check-xl-disk-parse)', () => {
  it.each(DISK_CASES.map((c) => [c.args.join(' '), c] as const))('%s', (_n, c) => {
    const r = xl(['-N', 'block-attach', '0', ...c.args], { env });
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: c.rc, stdout: c.stdout });
  });
  it('parse errors: exact stderr, status 1, empty stdout', () => {
    expect(xl(['-N', 'block-attach', '0', 'foo'], { env })).toEqual({ code: 1, stdout: '', stderr: DE('no vdev specified', 'foo') });
    expect(xl(['-N', 'block-attach', '0', '/img,xvda'], { env })).toEqual({ code: 1, stdout: '', stderr: DE('unknown value for format', '/img,xvda', 'xvda') });
  });
  it('a jammed scanner exits 2', () => {
    expect(xl(['-N', 'block-attach', '0', 'X=\nfoo'], { env })).toEqual({ code: 2, stdout: '', stderr: 'flex scanner jammed\n' });
  });
  it('needs a domain and a spec', () => {
    const r = xl(['-N', 'block-attach', '0'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("'xl block-attach' requires at least 2 arguments.\n\n");
  });
  it('an empty domain argument is domid 0 (all digits, none at all)', () => {
    expect(xl(['-N', 'block-attach', '', '/x,,xvda'], { env }).code).toBe(0);
  });
});

describe('xl -N network-attach (check-xl-vif-parse)', () => {
  it.each(VIF_CASES.map((c) => [c.args.join(' '), c] as const))('%s', (_n, c) => {
    const r = xl(['-N', 'network-attach', '0', ...c.args], { env });
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: c.rc, stdout: c.stdout });
  });
  it('error messages', () => {
    expect(xl(['-N', 'network-attach', '0', 'foo'], { env })).toEqual({ code: 1, stdout: '', stderr: "unrecognized argument `foo'\n" });
    expect(xl(['-N', 'network-attach', '0', 'rate=10MB'], { env })).toEqual({
      code: 1, stdout: '', stderr: "command line: config parsing error in vif: invalid rate in `10MB'\n",
    });
    // one argv word is one token: the comma stays in the value
    expect(xl(['-N', 'network-attach', '0', 'type=ioemu,model=e1000'], { env })).toEqual({ code: 1, stdout: '', stderr: "Invalid parameter `type'.\n" });
    expect(xl(['-N', 'network-attach', '0', 'mtu=x'], { env })).toEqual({ code: 1, stdout: '', stderr: 'xl: failed to convert "x" to number\n' });
  });
  it('a full nic in IDL order', () => {
    const r = xl(['-N', 'network-attach', '0', 'mac=00:16:3E:74:3d:76', 'model=e1000', 'bridge=br0', 'type=ioemu', 'mtu=9000', 'vifname=web', 'rate=1MB/s@20ms'], { env });
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'vif: {\n    "mtu": 9000,\n    "model": "e1000",\n    "mac": "00:16:3e:74:3d:76",\n    "bridge": "br0",\n    "ifname": "web",\n' +
        '    "nictype": "vif_ioemu",\n    "rate_bytes_per_interval": 20000,\n    "rate_interval_usecs": 20000\n}\n\n',
    });
  });
  it('xl.conf vif.default.* come first', () => {
    const h2 = tmpHome('xlsim-devices-conf-');
    const env2 = { XLSIM_HOME: h2 };
    const p = hostPaths(env2).xlConf;
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, 'vif.default.bridge="xenbr9"\nvif.default.script="vif-nat"\n');
    expect(xl(['-N', 'network-attach', '0'], { env: env2 })).toEqual({
      code: 0, stderr: '', stdout: 'vif: {\n    "bridge": "xenbr9",\n    "script": "vif-nat"\n}\n\n',
    });
    expect(xl(['-N', 'network-attach', '0', 'bridge=b'], { env: env2 }).stdout).toBe('vif: {\n    "bridge": "b",\n    "script": "vif-nat"\n}\n\n');
  });
});

describe('xl -N vcpu-pin', () => {
  // provisional host topology: 8 CPUs, one node
  it.each([
    [['all', 'all'], 'cpumap: all\n'],
    [['all', 'nodes:all'], 'cpumap: all\n'],
    [['all', 'all,nodes:all'], 'cpumap: all\n'],
    [['all', 'all,^nodes:0,all'], 'cpumap: all\n'],
    [['all', '^0'], 'cpumap: none\n'],
    [['0', '0-2,5', '-'], 'cpumap: 0-2,5\n'],
    [['0', '-', '1-7'], 'cpumap: - 1-7\n'],
    [['3', 'node:0,^6', '0'], 'cpumap: 0-5,7 0\n'],
  ])('%j', (args, out) => {
    expect(xl(['-N', 'vcpu-pin', '0', ...args], { env })).toEqual({ code: 0, stdout: out, stderr: '' });
  });
  it('errors', () => {
    expect(xl(['-N', 'vcpu-pin', '0', 'all', 'foo'], { env })).toEqual({ code: 1, stdout: '', stderr: 'Invalid pcpu range: foo.\n' });
    expect(xl(['-N', 'vcpu-pin', '0', 'all', '^all'], { env })).toEqual({ code: 1, stdout: '', stderr: 'Can\'t combine "^" and "all".\n' });
    expect(xl(['-N', 'vcpu-pin', '0', 'x', 'all'], { env })).toEqual({ code: 1, stdout: '', stderr: 'Error: Invalid argument x as VCPU.\n' });
    expect(xl(['-N', 'vcpu-pin', '-f', '0', 'all', 'all'], { env })).toEqual({ code: 1, stdout: '', stderr: "Error: --force and 'all' as VCPU not allowed.\n" });
    expect(xl(['-N', 'vcpu-pin', '0', 'all'], { env }).code).toBe(2);
  });
});

describe('vcpu-pin on a two-node host (amd-epyc profile: 64 CPUs, nodes 0-31 / 32-63)', () => {
  const h = tmpHome('xlsim-devices-epyc-');
  const e = { XLSIM_HOME: h, XLSIM_HOST: 'epyc' };
  beforeAll(() => {
    expect(runTool('xlsim', ['host', 'create', 'epyc', '--profile', 'amd-epyc'], { env: { XLSIM_HOME: h } }).code).toBe(0);
    const p = hostPaths(e).xlConf;
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, '');
  });
  it.each([
    ['nodes:1,^33', 'cpumap: 32,34-63\n'],
    ['all,^node:0', 'cpumap: 32-63\n'],
    ['node:0-1,^5-60', 'cpumap: 0-4,61-63\n'],
    ['nodes:0', 'cpumap: 0-31\n'],
    ['63', 'cpumap: 63\n'],
    ['64', 'cpumap: none\n'],
  ])('%s', (list, out) => {
    expect(xl(['-N', 'vcpu-pin', '0', 'all', list], { env: e })).toEqual({ code: 0, stdout: out, stderr: '' });
  });
});

describe('domain arguments', () => {
  it('names are looked up on the host', () => {
    expect(xl(['-N', 'block-attach', 'Domain-0', '/x,,xvda'], { env }).code).toBe(0);
    expect(xl(['-N', 'block-attach', 'nosuch', '/x,,xvda'], { env })).toEqual({ code: 1, stdout: '', stderr: 'nosuch is an invalid domain identifier\n' });
    expect(xl(['-N', 'vtpm-attach', 'nosuch'], { env })).toEqual({ code: 1, stdout: '', stderr: 'nosuch is an invalid domain identifier\n' });
    expect(xl(['-N', 'network-attach', 'nosuch'], { env })).toEqual({ code: 1, stdout: '', stderr: 'nosuch is an invalid domain identifier (rc=-6)\n' });
    expect(xl(['-N', 'vcpu-pin', 'nosuch', 'all', 'all'], { env })).toEqual({ code: 1, stdout: '', stderr: 'nosuch is an invalid domain identifier (rc=-6)\n' });
  });
  it('the domain is resolved before the spec is parsed', () => {
    expect(xl(['-N', 'block-attach', 'nosuch', 'foo'], { env })).toEqual({ code: 1, stdout: '', stderr: 'nosuch is an invalid domain identifier\n' });
  });
});

describe('other -N attach commands', () => {
  it('vtpm-attach', () => {
    expect(xl(['-N', 'vtpm-attach', '0', 'backend=vtpmd', 'uuid=6BA7B810-9DAD-11D1-80B4-00C04FD430C8'], { env })).toEqual({
      code: 0, stderr: '', stdout: 'vtpm: {\n    "backend_domname": "vtpmd",\n    "uuid": "6ba7b810-9dad-11d1-80b4-00c04fd430c8"\n}\n\n',
    });
    expect(xl(['-N', 'vtpm-attach', '0', 'uuid=x'], { env })).toEqual({ code: 1, stdout: '', stderr: 'Invalid uuid specified (x)\n' });
  });
  it('vkb-attach', () => {
    expect(xl(['-N', 'vkb-attach', '0', 'backend-type=linux', 'unique-id=k0'], { env })).toEqual({
      code: 0, stderr: '', stdout: 'vkb: {\n    "backend_type": "linux",\n    "unique_id": "k0"\n}\n\n',
    });
    expect(xl(['-N', 'vkb-attach', '0', 'unique-id=k0'], { env })).toEqual({ code: 253, stdout: '', stderr: 'backend-type should be set\n' });
    expect(xl(['-N', 'vkb-attach', '0', 'x=1'], { env })).toEqual({ code: 255, stdout: '', stderr: 'Unknown string "x=1" in vkb spec\n' });
  });
  it('vdispl-attach', () => {
    const r = xl(['-N', 'vdispl-attach', '0', 'backend=0', 'connectors=id0:800x600;id1:1024x768'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'vdispl: {\n    "backend_domname": "0",\n    "connectors": [\n        {\n            "unique_id": "id0",\n            "width": 800,\n            "height": 600\n        },\n' +
        '        {\n            "unique_id": "id1",\n            "width": 1024,\n            "height": 768\n        }\n    ]\n}\n\n',
    );
    expect(xl(['-N', 'vdispl-attach', '0'], { env })).toEqual({ code: 253, stdout: '', stderr: 'At least one connector should be specified.\n' });
  });
  it('vsnd-attach', () => {
    const r = xl(['-N', 'vsnd-attach', '0', 'CARD,short-name=c0', 'PCM,name=p0', 'STREAM,unique-id=s0,type=p'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'vsnd: {\n    "short_name": "c0",\n    "params": {\n\n    },\n    "pcms": [\n        {\n            "name": "p0",\n            "params": {\n\n            },\n' +
        '            "streams": [\n                {\n                    "unique_id": "s0",\n                    "type": "p",\n                    "params": {\n\n                    }\n                }\n            ]\n        }\n    ]\n}\n\n',
    );
    expect(xl(['-N', 'vsnd-attach', '0', 'CARD,id=0'], { env })).toEqual({ code: 255, stdout: '', stderr: 'Invalid parameter: id=0\n' });
  });
});
