/**
 * xl.conf settings that reach the parsed domain config (xl-cfg.md §1.9):
 * hotplug scripts, claim mode, vif defaults, blkdev_start, grant limits and
 * the global CPU masks create_domain applies before the dry-run print.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { scratch, UUID } from './util';

function dry(xlConf: string, cfg: string, extra: string[] = []) {
  const s = scratch(xlConf);
  s.write('g.cfg', `uuid="${UUID}"\nname="g"\nkernel="/k"\n` + cfg);
  return s.xl(['create', '-n', 'g.cfg', ...extra]);
}

describe('xl.conf in xl create', () => {
  it('run_hotplug_scripts, claim_mode, blkdev_start and grant limits', () => {
    const r = dry('run_hotplug_scripts=0\nclaim_mode=0\nblkdev_start="xvdb"\nmax_grant_frames=32\n', 'max_maptrack_frames=256\n');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.c_info.run_hotplug_scripts).toBe('False');
    expect(d.b_info).toMatchObject({ claim_mode: 'False', blkdev_start: 'xvdb', max_grant_frames: 32, max_maptrack_frames: 256 });
  });

  it('vif.default.* are applied before each vif is parsed, and the vif wins', () => {
    const r = dry('vif.default.bridge="xenbr9"\nvif.default.script="vif-openvswitch"\n', 'vif=["", "bridge=br1"]\n');
    const d = JSON.parse(r.stdout);
    expect(d.nics).toEqual([
      { devid: 0, bridge: 'xenbr9', script: 'vif-openvswitch' },
      { devid: 1, bridge: 'br1', script: 'vif-openvswitch' },
    ]);
  });

  it('vm.cpumask / vm.pv.cpumask make hard affinity for every vCPU; -i ignores them', () => {
    const conf = 'vm.cpumask="0-5"\nvm.pv.cpumask="2-7"\n';
    const d = JSON.parse(dry(conf, 'vcpus=2\n').stdout);
    expect(d.b_info.vcpu_hard_affinity).toEqual([[2, 3, 4, 5], [2, 3, 4, 5]]);
    const i = JSON.parse(dry(conf, 'vcpus=2\n', ['--ignore-global-affinity-masks']).stdout);
    expect(i.b_info.vcpu_hard_affinity).toBeUndefined();
    // HVM guests use vm.hvm.cpumask, not the PV one
    const h = JSON.parse(dry(conf, 'type="hvm"\n').stdout);
    expect(h.b_info.vcpu_hard_affinity).toEqual([[0, 1, 2, 3, 4, 5]]);
  });

  it('the masks are ANDed into configured affinity; an empty result is fatal', () => {
    const d = JSON.parse(dry('vm.cpumask="0-3"\n', 'cpus="2-6"\n').stdout);
    expect(d.b_info.vcpu_hard_affinity).toEqual([[2, 3]]);
    expect(dry('vm.cpumask="0-3"\n', 'cpus="6"\n')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Parsing config from g.cfg\nvcpu hard affinity map is empty\n',
    });
  });
});

describe('CPU lists follow the host topology', () => {
  it('nodes:1 and all on a two-node 64-thread host', () => {
    const s = scratch();
    const made = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'xlsim.cjs'), 'host', 'create', 'big', '--profile', 'amd-epyc'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, XLSIM_HOME: s.home },
      encoding: 'utf8',
    });
    expect(made.status).toBe(0);
    s.write('g.cfg', `uuid="${UUID}"\nname="g"\nkernel="/k"\nvcpus=2\ncpus=["nodes:1","all,^node:0,^63"]\n`);
    const r = s.xl(['create', '-n', 'g.cfg'], { XLSIM_HOST: 'big' });
    expect(r.code).toBe(0);
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    expect(JSON.parse(r.stdout).b_info.vcpu_hard_affinity).toEqual([range(32, 63), range(32, 62)]);
  });
});

describe('output_format="sxp"', () => {
  it('create -n prints the legacy S-expression (PV)', () => {
    const r = dry('output_format="sxp"\n', 'memory=256\nvif=["mac=00:16:3e:01:02:03,model=e1000"]\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('Parsing config from g.cfg\nlibxl: error: libxl_domain.c:356:libxl_domain_info: Getting domain info: No such process\n');
    expect(r.stdout).toBe(
      '(domain\n\t(domid -1)\n\t(create_info)\n\t(hvm 0)\n\t(hap <default>)\n\t(oos <default>)\n\t(ssidref 0)\n\t(name g)\n' +
        '\t(uuid <unknown>)\n\t(xsdata (null))\n\t(platformdata (null))\n\t(build_info)\n\t(max_vcpus 1)\n' +
        '\t(max_grant_frames -1)\n\t(max_maptrack_frames -1)\n\t(tsc_mode default)\n\t(max_memkb 262144)\n' +
        '\t(target_memkb 262144)\n\t(nomigrate <default>)\n\t(image\n\t\t(linux 0)\n\t\t\t(kernel /k)\n' +
        '\t\t\t(cmdline (null))\n\t\t\t(ramdisk (null))\n\t\t\t(e820_host <default>)\n\t\t)\n\t)\n' +
        '\t(device\n\t\t(vif\n\t\t\t(backend_domid 0)\n\t\t\t(frontend_domid -1)\n\t\t\t(devid 0)\n\t\t\t(mtu 0)\n' +
        '\t\t\t(model e1000)\n\t\t\t(mac 00163e010203)\n\t\t)\n\t)\n)\n',
    );
  });

  it('a PVH guest ends the dump with "Unknown domain type 3"', () => {
    const r = dry('output_format="sxp"\n', 'type="pvh"\n');
    expect(r.code).toBe(1);
    expect(r.stdout.endsWith('\t(nomigrate <default>)\n\t(image\n')).toBe(true);
    expect(r.stderr.endsWith('Unknown domain type 3\n')).toBe(true);
  });
});
