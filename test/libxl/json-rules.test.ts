/**
 * The omission and rendering rules of reference §5.3 (gentypes.py
 * get_default_expr + libxl_json.c builtins), field by field.
 */
import { describe, expect, it } from 'vitest';
import { deviceToJson, domainConfigToJson } from '../../lib/libxl/json';
import {
  hvmInfo, initBuildInfoType, newDeviceChannel, newDeviceUsbdev, newDeviceVdispl, newDeviceVfb, newDeviceVkb,
  newDeviceVsnd, newDeviceVtpm, newDomainConfig, pvInfo, type DomainConfig,
} from '../../lib/libxl/types';

/** the b_info object of a config, as YAJL text lines without the common indentation */
function bInfoLines(cfg: DomainConfig): string[] {
  const out = domainConfigToJson(cfg);
  const start = out.indexOf('    "b_info": {\n');
  const end = out.indexOf('\n    }', start);
  return out.slice(start, end).split('\n').slice(1).map((l) => l.slice(8));
}

function pv(): DomainConfig {
  const cfg = newDomainConfig();
  cfg.c_info.type = 'pv';
  initBuildInfoType(cfg.b_info, 'pv');
  return cfg;
}

const EMPTY_TAIL = [
  '"sched_params": {', '', '},',
  '"type.pv": {', '', '},',
  '"arch_arm": {', '    "arm_sci": {', '', '    }', '},',
  '"arch_x86": {', '', '},',
  '"xenstore_quota": {', '', '}',
];

describe('omission rules', () => {
  it('a fresh config: aggregates always, "type.invalid" for an unset union key, c_info empty', () => {
    expect(domainConfigToJson(newDomainConfig())).toBe(`{
    "c_info": {

    },
    "b_info": {
        "sched_params": {

        },
        "type.invalid": {

        },
        "arch_arm": {
            "arm_sci": {

            }
        },
        "arch_x86": {

        },
        "xenstore_quota": {

        }
    }
}
`);
  });

  it('MemKB: absent is LIBXL_MEMKB_DEFAULT (omitted), an explicit 0 is printed', () => {
    const cfg = pv();
    cfg.b_info.video_memkb = 0;
    cfg.b_info.shadow_memkb = 0;
    cfg.b_info.stubdomain_memkb = 0;
    pvInfo(cfg.b_info).slack_memkb = 0;
    const lines = bInfoLines(cfg);
    expect(lines.slice(0, 2)).toEqual(['"video_memkb": 0,', '"shadow_memkb": 0,']);
    expect(lines).toContain('"stubdomain_memkb": 0,');
    expect(lines).toContain('    "slack_memkb": 0');
  });

  it('init values are omitted when equal, printed otherwise', () => {
    const cfg = pv();
    const b = cfg.b_info;
    Object.assign(b, {
      max_grant_frames: 0xffffffff, max_maptrack_frames: -1, max_grant_version: -1, timer_mode: 'unknown',
      altp2m: 'disabled', altp2m_count: 0xffffffff, xenstore_feature_mask: 0xffffffff, tee: 'none',
    });
    Object.assign(b.arch_arm, { gic_version: 'default', sve_vl: 'disabled', nr_spis: 0xffffffff });
    b.arch_arm.arm_sci.type = 'none';
    Object.assign(b.sched_params, { weight: -1, cap: -1, period: -1, budget: -1, extratime: -1, slice: -1, latency: -1 });
    cfg.on_poweroff = 'destroy';
    cfg.on_watchdog = 'destroy';
    cfg.on_crash = 'destroy';
    expect(domainConfigToJson(cfg)).toBe(domainConfigToJson(pv()));
  });

  it('values differing from their init are printed in IDL order', () => {
    const cfg = pv();
    const b = cfg.b_info;
    Object.assign(b, {
      max_grant_frames: 64, max_maptrack_frames: 0, max_grant_version: 2, timer_mode: 'no_delay_for_missed_ticks',
      altp2m: 'mixed', altp2m_count: 10, xenstore_feature_mask: 0, tee: 'optee', vmtrace_buf_kb: 0,
    });
    Object.assign(b.arch_arm, { gic_version: 'v3', sve_vl: 'hw', nr_spis: 0 });
    b.arch_arm.arm_sci.type = 'scmi_smc';
    Object.assign(b.sched_params, { sched: 'credit2', weight: 256, cap: 0 });
    cfg.on_crash = 'preserve';
    cfg.on_reboot = 'restart_rename';
    const out = domainConfigToJson(cfg);
    expect(bInfoLines(cfg)).toEqual([
      '"max_grant_frames": 64,',
      '"max_maptrack_frames": 0,',
      '"max_grant_version": 2,',
      '"sched_params": {',
      '    "sched": "credit2",',
      '    "weight": 256,',
      '    "cap": 0',
      '},',
      '"timer_mode": "no_delay_for_missed_ticks",',
      '"tee": "optee",',
      '"type.pv": {', '', '},',
      '"arch_arm": {',
      '    "gic_version": "v3",',
      '    "sve_vl": "hw",',
      '    "nr_spis": 0,',
      '    "arm_sci": {',
      '        "type": "scmi_smc"',
      '    }',
      '},',
      '"arch_x86": {', '', '},',
      '"altp2m": "mixed",',
      '"altp2m_count": 10,',
      '"xenstore_feature_mask": 0,',
      '"xenstore_quota": {', '', '}',
    ]);
    expect(out.endsWith('    "on_reboot": "restart_rename",\n    "on_crash": "preserve"\n}\n')).toBe(true);
  });

  it('zero integers, false bools, NULL strings, nil uuid, empty lists are omitted; "" is not', () => {
    const cfg = pv();
    Object.assign(cfg.c_info, {
      ssidref: 0, domid: 0, poolid: 0, uuid: '00000000-0000-0000-0000-000000000000', xsdata: [], pool_name: '',
      passthrough: 'default',
    });
    Object.assign(cfg.b_info, {
      max_vcpus: 0, avail_vcpus: [], cpumap: [], vcpu_hard_affinity: [], extra: [], irqs: [], tsc_mode: 'default',
      device_model_version: 'unknown', event_channels: 0, bootloader_args: [],
      cpuid: { cpuid: [], msr: [] },
    });
    expect(domainConfigToJson(cfg).split('\n').slice(0, 5)).toEqual([
      '{', '    "c_info": {', '        "type": "pv",', '        "pool_name": ""', '    },',
    ]);
    expect(bInfoLines(cfg)).toEqual(EMPTY_TAIL);
  });

  it('c_info renders key_value_list as an object (null values kept) and defbools as strings', () => {
    const cfg = pv();
    Object.assign(cfg.c_info, {
      hap: false, oos: true, ssidref: 12, name: 'g', domid: 5, uuid: 'AAAAAAAA-bbbb-cccc-dddd-eeeeeeeeeeee',
      xsdata: [['b', '1'], ['a', null], ['10', 'x']], passthrough: 'sync_pt', driver_domain: false,
    });
    expect(domainConfigToJson(cfg).split('\n').slice(0, 21)).toEqual([
      '{',
      '    "c_info": {',
      '        "type": "pv",',
      '        "hap": "False",',
      '        "oos": "True",',
      '        "ssidref": 12,',
      '        "name": "g",',
      '        "domid": 5,',
      '        "uuid": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",',
      '        "xsdata": {',
      '            "b": "1",',
      '            "a": null,',
      '            "10": "x"',
      '        },',
      '        "driver_domain": "False",',
      '        "passthrough": "sync_pt"',
      '    },',
      '    "b_info": {',
      '        "sched_params": {',
      '',
      '        },',
    ]);
  });

  it('bitmaps print their set bits ascending; arrays of bitmaps keep empty elements', () => {
    const cfg = pv();
    cfg.b_info.cpumap = [3, 1, 2, 1];
    cfg.b_info.vcpu_hard_affinity = [[1], []];
    expect(bInfoLines(cfg).slice(0, 17)).toEqual([
      '"cpumap": [', '    1,', '    2,', '    3', '],',
      '"vcpu_hard_affinity": [', '    [', '        1', '    ],', '    [', '', '    ]', '],',
      '"sched_params": {', '', '},', '"type.pv": {',
    ]);
  });

  it('cpuid policy renders as {"cpuid": [...], "msr": [...]}', () => {
    const cfg = pv();
    cfg.b_info.cpuid = { cpuid: [{ leaf: 1, ecx: 'x'.repeat(31) + '0' }], msr: [] };
    expect(bInfoLines(cfg).slice(0, 12)).toEqual([
      '"cpuid": {',
      '    "cpuid": [',
      '        {',
      '            "leaf": 1,',
      `            "ecx": "${'x'.repeat(31)}0"`,
      '        }',
      '    ],',
      '    "msr": [',
      '',
      '    ]',
      '},',
      '"sched_params": {',
    ]);
  });

  it('hvm member: hdtype ide, vga kind unknown, rdm policy invalid omitted; ms_vm_genid when non-zero', () => {
    const cfg = newDomainConfig();
    initBuildInfoType(cfg.b_info, 'hvm');
    const h = hvmInfo(cfg.b_info);
    h.hdtype = 'ide';
    h.vga.kind = 'unknown';
    h.rdm.policy = 'invalid';
    h.rdm.strategy = 'ignore';
    h.ms_vm_genid = new Array(16).fill(0);
    h.timer_mode = 'unknown';
    const empty = domainConfigToJson(cfg);
    expect(empty).toContain('"type.hvm": {\n            "vga": {\n\n            },\n            "vnc": {');
    h.hdtype = 'ahci';
    h.vga.kind = 'std';
    h.rdm.policy = 'relaxed';
    h.rdm.strategy = 'host';
    h.ms_vm_genid[15] = 7;
    const out = domainConfigToJson(cfg);
    expect(out).toContain('"hdtype": "ahci",');
    expect(out).toContain('"vga": {\n                "kind": "std"\n            },');
    expect(out).toContain('"rdm": {\n                "strategy": "host",\n                "policy": "relaxed"\n            }');
    expect(out).toContain(`"ms_vm_genid": [\n${'                0,\n'.repeat(15)}                7\n            ],`);
  });

  it('pv member never emits the const "features" field', () => {
    const cfg = pv();
    pvInfo(cfg.b_info).features = 'writable_pagetables';
    pvInfo(cfg.b_info).e820_host = false;
    expect(bInfoLines(cfg).slice(3, 6)).toEqual(['"type.pv": {', '    "e820_host": "False"', '},']);
  });
});

describe('keyed unions of devices', () => {
  it('channel: connection unknown/pty give an empty member, socket carries path', () => {
    const c = newDeviceChannel();
    expect(deviceToJson('channel', c)).toBe('{\n    "connection.unknown": {\n\n    }\n}\n');
    expect(deviceToJson('channel', { ...c, devid: 0, name: 'org.qemu.guest_agent.0', connection: 'pty' }))
      .toBe('{\n    "devid": 0,\n    "name": "org.qemu.guest_agent.0",\n    "connection.pty": {\n\n    }\n}\n');
    expect(deviceToJson('channel', { ...c, connection: 'socket', u: { path: '/tmp/s' } }, 'json-c'))
      .toBe('{\n  "connection.socket":{\n    "path":"\\/tmp\\/s"\n  }\n}');
  });

  it('usbdev: an unset type has no case in the switch, so no union key at all', () => {
    expect(deviceToJson('usbdev', { ...newDeviceUsbdev(), ctrl: 0, port: 1 })).toBe('{\n    "ctrl": 0,\n    "port": 1\n}\n');
    expect(deviceToJson('usbdev', { ctrl: -1, type: 'hostdev', u: { hostbus: 1, hostaddr: 3 } }))
      .toBe('{\n    "type.hostdev": {\n        "hostbus": 1,\n        "hostaddr": 3\n    }\n}\n');
  });
});

describe('xl -N <dev>-attach devices', () => {
  it('vtpm', () => {
    expect(`vtpm: ${deviceToJson('vtpm', { ...newDeviceVtpm(), backend_domname: 'vtpmmgr', uuid: 'b5e6b5e5-1a2b-4c3d-8e9f-0a1b2c3d4e5f' })}\n`)
      .toBe('vtpm: {\n    "backend_domname": "vtpmmgr",\n    "uuid": "b5e6b5e5-1a2b-4c3d-8e9f-0a1b2c3d4e5f"\n}\n\n');
  });

  it('vkb', () => {
    expect(deviceToJson('vkb', { ...newDeviceVkb(), backend_type: 'linux', unique_id: 'kb0', feature_disable_pointer: true, width: 800, feature_abs_pointer: false }))
      .toBe('{\n    "backend_type": "linux",\n    "unique_id": "kb0",\n    "feature_disable_pointer": true,\n    "width": 800\n}\n');
  });

  it('vfb always carries its vnc and sdl structs', () => {
    expect(deviceToJson('vfb', { ...newDeviceVfb(), keymap: 'de' })).toBe(
      '{\n    "vnc": {\n\n    },\n    "sdl": {\n\n    },\n    "keymap": "de"\n}\n');
  });

  it('vdispl with connectors', () => {
    const v = { ...newDeviceVdispl(), backend_domid: 0, be_alloc: true, connectors: [{ unique_id: '0', width: 1920, height: 1080 }] };
    expect(deviceToJson('vdispl', v)).toBe(`{
    "be_alloc": true,
    "connectors": [
        {
            "unique_id": "0",
            "width": 1920,
            "height": 1080
        }
    ]
}
`);
  });

  it('vsnd with pcms and streams (params always present, sample formats as enum names)', () => {
    const v = newDeviceVsnd();
    v.short_name = 'Card';
    v.params.sample_rates = [44100, 48000];
    v.params.sample_formats = ['s16_le'];
    v.pcms = [{ name: 'dev1', params: {}, streams: [{ unique_id: '0', type: 'p', params: { channels_max: 2 } }] }];
    expect(deviceToJson('vsnd', v)).toBe(`{
    "short_name": "Card",
    "params": {
        "sample_rates": [
            44100,
            48000
        ],
        "sample_formats": [
            "s16_le"
        ]
    },
    "pcms": [
        {
            "name": "dev1",
            "params": {

            },
            "streams": [
                {
                    "unique_id": "0",
                    "type": "p",
                    "params": {
                        "channels_max": 2
                    }
                }
            ]
        }
    ]
}
`);
  });
});

describe('string escaping', () => {
  const s = 'a"b\\c/d\n\t\r\b\f\u0001\u001fé';
  it('YAJL: / not escaped, control characters as \\u00XX upper-case, UTF-8 passed through', () => {
    expect(deviceToJson('dtdev', { path: s })).toBe('{\n    "path": "a\\"b\\\\c/d\\n\\t\\r\\b\\f\\u0001\\u001Fé"\n}\n');
  });
  it('json-c: / escaped as \\/', () => {
    expect(deviceToJson('dtdev', { path: s }, 'json-c')).toBe('{\n  "path":"a\\"b\\\\c\\/d\\n\\t\\r\\b\\f\\u0001\\u001fé"\n}');
  });
});

describe('accessors', () => {
  it('hvmInfo refuses a non-HVM build info (libxl asserts)', () => {
    const cfg = pv();
    expect(() => hvmInfo(cfg.b_info)).toThrow(/type is pv/);
    expect(() => initBuildInfoType(cfg.b_info, 'hvm')).toThrow();
  });
  it('hvmInfo fills the embedded structs of a hand-built member', () => {
    const cfg = newDomainConfig();
    cfg.b_info.type = 'hvm';
    const h = hvmInfo(cfg.b_info);
    expect(h).toEqual({ vga: {}, vnc: {}, sdl: {}, spice: {}, rdm: {} });
    expect(cfg.b_info.u).toBe(h);
  });
});
