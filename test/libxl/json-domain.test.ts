/**
 * libxl_domain_config JSON: the worked examples of reference §6.3 (the
 * `xl -N create` output for a small HVM guest, byte for byte, and the PV / PVH
 * variants), the json-c layout, and the `xl list -l` / printf_info wrappers
 * of §6.4. The configs are built as xl's parse_config_data would build them.
 */
import { HVM1_YAJL } from '../fixtures/hvm1';
import { describe, expect, it } from 'vitest';
import {
  domainConfigToJson, domainInfoToJson, domainListToJson, listLongJson,
} from '../../lib/libxl/json';
import {
  hvmInfo, initBuildInfoType, newDeviceDisk, newDeviceNic, newDomainConfig, pvhInfo, type DomainConfig,
} from '../../lib/libxl/types';

const UUID = '5a3e2b71-0c9d-4e8f-9a61-2f4b7c1d8e90';

/** hvm1.cfg of §6.3 as parse_config_data leaves it */
function hvm1(): DomainConfig {
  const cfg = newDomainConfig();
  cfg.c_info.type = 'hvm';
  cfg.c_info.name = 'hvm1';
  cfg.c_info.uuid = UUID;
  cfg.c_info.run_hotplug_scripts = true;
  const b = cfg.b_info;
  initBuildInfoType(b, 'hvm');
  b.max_vcpus = 2;
  b.avail_vcpus = [0, 1];
  b.max_memkb = 1048576;
  b.target_memkb = 1048576;
  b.claim_mode = true;
  const h = hvmInfo(b);
  h.vnc.enable = true;
  h.vnc.listen = '0.0.0.0';
  h.serial = 'pty';
  h.boot = 'dc';
  cfg.disks = [
    { ...newDeviceDisk(), pdev_path: '/var/lib/xen/images/hvm1.img', vdev: 'xvda', format: 'raw', readwrite: 1 },
    { ...newDeviceDisk(), pdev_path: '/srv/iso/debian.iso', vdev: 'hdc', format: 'raw', removable: 1, readwrite: 0, is_cdrom: 1 },
  ];
  cfg.nics = [{ ...newDeviceNic(), devid: 0, model: 'e1000', bridge: 'xenbr0' }];
  cfg.on_poweroff = 'destroy';
  cfg.on_reboot = 'restart';
  cfg.on_watchdog = 'destroy';
  cfg.on_crash = 'destroy';
  cfg.on_soft_reset = 'soft_reset';
  return cfg;
}

const HVM1_JSONC_HEAD = `{
  "c_info":{
    "type":"hvm",
    "name":"hvm1",
    "uuid":"5a3e2b71-0c9d-4e8f-9a61-2f4b7c1d8e90",
    "run_hotplug_scripts":"True"
  },
  "b_info":{
    "max_vcpus":2,
    "avail_vcpus":[
      0,
      1
    ],
    "max_memkb":1048576,
    "target_memkb":1048576,
    "sched_params":{
    },
`;

describe('§6.3 worked example: xl -N create hvm1.cfg', () => {
  it('YAJL output byte for byte', () => {
    expect(domainConfigToJson(hvm1())).toBe(HVM1_YAJL);
  });

  it('ends with exactly one newline', () => {
    const out = domainConfigToJson(hvm1());
    expect(out.endsWith('}\n')).toBe(true);
    expect(out.endsWith('\n\n')).toBe(false);
  });

  it('json-c output starts as in the reference, has \\/ in paths and no final newline', () => {
    const out = domainConfigToJson(hvm1(), 'json-c');
    expect(out.startsWith(HVM1_JSONC_HEAD)).toBe(true);
    expect(out).toContain('\n      "pdev_path":"\\/var\\/lib\\/xen\\/images\\/hvm1.img",\n');
    expect(out.endsWith('\n  "on_soft_reset":"soft_reset"\n}')).toBe(true);
  });

  it('json-c carries the same keys in the same order', () => {
    const keys = (s: string) => [...s.matchAll(/"([a-z_0-9.]+)":/g)].map((m) => m[1]);
    expect(keys(domainConfigToJson(hvm1(), 'json-c'))).toEqual(keys(HVM1_YAJL));
  });
});

describe('§6.3 PV and PVH variants', () => {
  it('minimal PV guest', () => {
    const cfg = newDomainConfig();
    cfg.c_info.type = 'pv';
    cfg.c_info.name = 'pv1';
    cfg.c_info.uuid = UUID;
    cfg.c_info.run_hotplug_scripts = true;
    initBuildInfoType(cfg.b_info, 'pv');
    Object.assign(cfg.b_info, {
      max_vcpus: 2, avail_vcpus: [1, 0], max_memkb: 524288, target_memkb: 524288, claim_mode: true,
      kernel: '/boot/vmlinuz', cmdline: 'root=/dev/xvda1 ro console=hvc0', ramdisk: '/boot/initrd.img',
    });
    cfg.disks = [{ pdev_path: '/var/lib/xen/images/pv1.img', vdev: 'xvda', format: 'raw', readwrite: 1 }];
    cfg.nics = [{ devid: 0, bridge: 'xenbr0', mac: '00:16:3e:00:00:01' }];
    cfg.on_reboot = 'restart';
    cfg.on_soft_reset = 'soft_reset';
    expect(domainConfigToJson(cfg)).toBe(`{
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
        "arch_arm": {
            "arm_sci": {

            }
        },
        "arch_x86": {

        },
        "xenstore_quota": {

        }
    },
    "disks": [
        {
            "pdev_path": "/var/lib/xen/images/pv1.img",
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

  it('minimal PVH guest: no disks/nics keys, empty type.pvh', () => {
    const cfg = newDomainConfig();
    cfg.c_info.type = 'pvh';
    cfg.c_info.name = 'pvh1';
    cfg.c_info.uuid = UUID;
    cfg.c_info.run_hotplug_scripts = true;
    initBuildInfoType(cfg.b_info, 'pvh');
    pvhInfo(cfg.b_info);
    Object.assign(cfg.b_info, {
      max_vcpus: 1, avail_vcpus: [0], max_memkb: 524288, target_memkb: 524288, claim_mode: true,
      kernel: '/boot/vmlinuz', cmdline: 'console=hvc0',
    });
    cfg.disks = [];
    cfg.on_reboot = 'restart';
    cfg.on_soft_reset = 'soft_reset';
    expect(domainConfigToJson(cfg)).toBe(`{
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
        "arch_arm": {
            "arm_sci": {

            }
        },
        "arch_x86": {

        },
        "xenstore_quota": {

        }
    },
    "on_reboot": "restart",
    "on_soft_reset": "soft_reset"
}
`);
  });
});

describe('§6.4 wrappers', () => {
  const tiny = (): DomainConfig => {
    const cfg = newDomainConfig();
    cfg.c_info.type = 'pv';
    cfg.c_info.name = 'd';
    initBuildInfoType(cfg.b_info, 'pv');
    return cfg;
  };
  const TINY_AT = (ind: string) => `{
${ind}    "c_info": {
${ind}        "type": "pv",
${ind}        "name": "d"
${ind}    },
${ind}    "b_info": {
${ind}        "sched_params": {

${ind}        },
${ind}        "type.pv": {

${ind}        },
${ind}        "arch_arm": {
${ind}            "arm_sci": {

${ind}            }
${ind}        },
${ind}        "arch_x86": {

${ind}        },
${ind}        "xenstore_quota": {

${ind}        }
${ind}    }
${ind}}`;

  it('list -l: array of {domid, config}, config two levels deeper', () => {
    expect(domainListToJson([{ domid: 3, config: tiny() }, { domid: 7, config: tiny() }])).toBe(`[
    {
        "domid": 3,
        "config": ${TINY_AT('        ')}
    },
    {
        "domid": 7,
        "config": ${TINY_AT('        ')}
    }
]
`);
    expect(listLongJson).toBe(domainListToJson);
  });

  it('list -l with no domains is an empty YAJL array', () => {
    expect(domainListToJson([])).toBe('[\n\n]\n');
    expect(domainListToJson([], 'json-c')).toBe('[\n]');
  });

  it('config-update -N: one object with "domid": null', () => {
    expect(domainInfoToJson(null, tiny())).toBe(`{
    "domid": null,
    "config": ${TINY_AT('    ')}
}
`);
  });

  it('json-c wrapper: two-space indent, no space after colon, no trailing newline', () => {
    const out = domainListToJson([{ domid: 0, config: tiny() }], 'json-c');
    expect(out.startsWith('[\n  {\n    "domid":0,\n    "config":{\n      "c_info":{\n        "type":"pv",\n')).toBe(true);
    expect(out.endsWith('\n      }\n    }\n  }\n]')).toBe(true);
  });
});
