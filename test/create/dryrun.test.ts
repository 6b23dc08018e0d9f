/**
 * `xl create -n` / `xl -N create`: the JSON xl prints is the config as xl
 * parsed it (xl-commands.md §6.2), byte for byte in the YAJL layout.
 */
import { HVM1_UUID, HVM1_YAJL } from '../fixtures/hvm1';
import { describe, expect, it } from 'vitest';
import { scratch, UUID } from './util';

const HVM1 = `type = "hvm"
name = "hvm1"
uuid = "${UUID}"
memory = 1024
vcpus = 2
disk = [ '/var/lib/xen/images/hvm1.img,raw,xvda,rw', '/srv/iso/debian.iso,raw,hdc,cdrom' ]
vif = [ 'bridge=xenbr0,model=e1000' ]
vnc = 1
vnclisten = "0.0.0.0"
serial = "pty"
boot = "dc"
`;

// xl-commands.md §6.3, with the uuid fixed by the config
const HVM1_JSON = HVM1_YAJL.replace(HVM1_UUID, UUID);

const TAIL = `        "arch_arm": {
            "arm_sci": {

            }
        },
        "arch_x86": {

        },
        "xenstore_quota": {

        }
    },
`;

describe('xl create dry run', () => {
  it('prints the worked example of xl-commands.md §6.3 exactly (-n)', () => {
    const s = scratch();
    s.write('hvm1.cfg', HVM1);
    expect(s.xl(['create', '-n', 'hvm1.cfg'])).toEqual({ code: 0, stdout: HVM1_JSON, stderr: 'Parsing config from hvm1.cfg\n' });
  });

  it('global -N gives the same, and so do --dryrun and the config file after the options', () => {
    const s = scratch();
    s.write('hvm1.cfg', HVM1);
    const want = { code: 0, stdout: HVM1_JSON, stderr: 'Parsing config from hvm1.cfg\n' };
    expect(s.xl(['-N', 'create', 'hvm1.cfg'])).toEqual(want);
    expect(s.xl(['create', '--dryrun', 'hvm1.cfg'])).toEqual(want);
    expect(s.xl(['create', '-n', '-f', 'hvm1.cfg'])).toEqual(want);
    expect(s.xl(['create', '--defconfig=hvm1.cfg', '-n'])).toEqual(want);
  });

  it('-q drops only the "Parsing config" line', () => {
    const s = scratch();
    s.write('hvm1.cfg', HVM1);
    expect(s.xl(['create', '-nq', 'hvm1.cfg'])).toEqual({ code: 0, stdout: HVM1_JSON, stderr: '' });
  });

  it('-d with -N prints the config once, on stdout', () => {
    const s = scratch();
    s.write('hvm1.cfg', HVM1);
    expect(s.xl(['-N', 'create', '-d', 'hvm1.cfg'])).toEqual({ code: 0, stdout: HVM1_JSON, stderr: 'Parsing config from hvm1.cfg\n' });
  });

  it('-d without a dry run prints the config on stderr before creating', () => {
    const s = scratch();
    s.write('hvm1.cfg', HVM1);
    const r = s.xl(['create', '-d', 'hvm1.cfg']);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith('Parsing config from hvm1.cfg\n' + HVM1_JSON)).toBe(true);
  });

  it('minimal PV guest (§6.3): kernel, cmdline from root+extra, ramdisk, empty type.pv', () => {
    const s = scratch();
    s.write(
      'pv1.cfg',
      `name="pv1"\nuuid="${UUID}"\nkernel="/boot/vmlinuz"\nramdisk="/boot/initrd.img"\nroot="/dev/xvda1 ro"\n` +
        `extra="console=hvc0"\nmemory=512\nvcpus=2\ndisk=['/dev/vg/pv1,raw,xvda,rw']\nvif=['bridge=xenbr0,mac=00:16:3e:00:00:01']\n`,
    );
    const r = s.xl(['create', '-n', 'pv1.cfg']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`{
    "c_info": {
        "type": "pv",
        "name": "pv1",
        "uuid": "${UUID}",
        "run_hotplug_scripts": "True"
    },
    "b_info": {
        "max_vcpus": 2,
        "avail_vcpus": [
            0,
            1
        ],
        "max_memkb": 524288,
        "target_memkb": 524288,
        "sched_params": {

        },
        "claim_mode": "True",
        "kernel": "/boot/vmlinuz",
        "cmdline": "root=/dev/xvda1 ro console=hvc0",
        "ramdisk": "/boot/initrd.img",
        "type.pv": {

        },
${TAIL}    "disks": [
        {
            "pdev_path": "/dev/vg/pv1",
            "vdev": "xvda",
            "format": "raw",
            "readwrite": 1
        }
    ],
    "nics": [
        {
            "devid": 0,
            "mac": "00:16:3e:00:00:01",
            "bridge": "xenbr0"
        }
    ],
    "on_reboot": "restart",
    "on_soft_reset": "soft_reset"
}
`);
  });

  it('minimal PVH guest (§6.3): no disks/nics keys, empty type.pvh', () => {
    const s = scratch();
    s.write('pvh1.cfg', `type="pvh"\nname="pvh1"\nuuid="${UUID}"\nkernel="/boot/vmlinuz"\ncmdline="console=hvc0"\nmemory=512\nvcpus=1\n`);
    expect(s.xl(['create', '-n', 'pvh1.cfg']).stdout).toBe(`{
    "c_info": {
        "type": "pvh",
        "name": "pvh1",
        "uuid": "${UUID}",
        "run_hotplug_scripts": "True"
    },
    "b_info": {
        "max_vcpus": 1,
        "avail_vcpus": [
            0
        ],
        "max_memkb": 524288,
        "target_memkb": 524288,
        "sched_params": {

        },
        "claim_mode": "True",
        "kernel": "/boot/vmlinuz",
        "cmdline": "console=hvc0",
        "type.pvh": {

        },
${TAIL}    "on_reboot": "restart",
    "on_soft_reset": "soft_reset"
}
`);
  });

  it('a config without uuid gets a fresh random one on every run', () => {
    const s = scratch();
    s.write('g.cfg', 'name="g"\nkernel="/k"\n');
    const uuid = (out: string) => /"uuid": "([0-9a-f-]{36})"/.exec(out)?.[1];
    const a = uuid(s.xl(['create', '-n', 'g.cfg']).stdout);
    const b = uuid(s.xl(['create', '-n', 'g.cfg']).stdout);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b).toBeDefined();
    expect(a).not.toBe(b);
  });
});

describe('xl create overrides and /dev/null', () => {
  it('builds a guest from command-line settings alone with /dev/null', () => {
    const s = scratch();
    const r = s.xl(['create', '-n', '/dev/null', 'name="g1"', 'kernel="/boot/vmlinuz"', 'memory=256', `uuid="${UUID}"`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('Parsing config from /dev/null\n');
    expect(r.stdout).toContain('"name": "g1"');
    expect(r.stdout).toContain('"kernel": "/boot/vmlinuz"');
    expect(r.stdout).toContain('"max_memkb": 262144,\n        "target_memkb": 262144,');
  });

  it('later settings win; several may share one argument separated by ";"', () => {
    const s = scratch();
    s.write('g.cfg', `name="file"\nkernel="/k"\nmemory=128\nuuid="${UUID}"\n`);
    const r = s.xl(['create', '-n', 'g.cfg', 'name="cli"; memory=512']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"name": "cli"');
    expect(r.stdout).toContain('"target_memkb": 524288');
  });

  it('an override may come before the options and += appends to a list', () => {
    const s = scratch();
    s.write('g.cfg', `name="g"\nkernel="/k"\nuuid="${UUID}"\ndisk=['/a,,xvda']\n`);
    const r = s.xl(['create', 'disk+=["/b,,xvdb"]', '-n', 'g.cfg']);
    expect(r.code).toBe(0);
    const a = r.stdout.indexOf('"/a"');
    const b = r.stdout.indexOf('"/b"');
    // += puts the old items first
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
  });

  it('an override must be config syntax: a bare word is a syntax error reported after the file lines', () => {
    const s = scratch();
    s.write('g.cfg', 'name="g"\nkernel="/k"\n');
    const r = s.xl(['create', '-n', 'g.cfg', 'name=foo']);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Parsing config from g.cfg\n' +
        "g.cfg:4: config parsing error near `foo': syntax error, unexpected IDENT, expecting STRING or NUMBER or '['\n" +
        'Failed to parse config: Invalid argument\n',
    });
  });
});

describe('xl create options that only matter for a real create', () => {
  it('-p -c -e -F -V -A -i are accepted with a dry run and change nothing printed', () => {
    const s = scratch();
    s.write('hvm1.cfg', HVM1);
    for (const o of ['-p', '-c', '-e', '-F', '-V', '-A', '-i', '--vncviewer', '--vncviewer-autopass', '--quiet']) {
      const r = s.xl(['create', '-n', o, 'hvm1.cfg']);
      expect(r.code, o).toBe(0);
      expect(r.stdout, o).toBe(HVM1_JSON);
    }
  });

  it('-h prints the help and exits 0', () => {
    const s = scratch();
    const r = s.xl(['create', '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('Usage: xl [-vtTfN] create <ConfigFile> [options] [vars]\n')).toBe(true);
  });
});
