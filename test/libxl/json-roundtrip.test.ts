/**
 * libxl_*_from_json: reading our own output back (both layouts), libxl's
 * tolerance rules (unknown keys and kind mismatches ignored) and typed errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deviceFromJson, deviceToJson, domainConfigFromJson, domainConfigToJson, domainListFromJson, domainListToJson,
  describeJsonError, type JsonResult,
} from '../../lib/libxl/json';
import {
  ENUMS, hvmInfo, initBuildInfoType, newDomainConfig, type DeviceDisk, type DeviceNic, type DomainConfig,
  type EnumName, type EnumValue,
} from '../../lib/libxl/types';

function ok<T>(r: JsonResult<T>): T {
  if (!r.ok) throw new Error(describeJsonError(r.error));
  return r.value;
}

function sample(): DomainConfig {
  const cfg = newDomainConfig();
  Object.assign(cfg.c_info, {
    type: 'hvm', name: 'rt', uuid: '5a3e2b71-0c9d-4e8f-9a61-2f4b7c1d8e90', run_hotplug_scripts: true, hap: false,
    xsdata: [['k', 'v'], ['n', null]], pool_name: '',
  });
  initBuildInfoType(cfg.b_info, 'hvm');
  Object.assign(cfg.b_info, {
    max_vcpus: 4, avail_vcpus: [0, 1, 2], max_memkb: 2097152, target_memkb: 1048576, video_memkb: 0,
    vcpu_hard_affinity: [[0, 1], [2, 3]], max_grant_version: 2, extra_hvm: ['-foo', 'bar'],
    iomem: [{ start: 4096, number: 2 }, { start: 1, number: 1, gfn: 7 }], irqs: [5, 9],
    vnuma_nodes: [{ memkb: 1024, distances: [10, 20], pnode: 1, vcpus: [0, 1] }],
    cpuid: { cpuid: [{ leaf: 7, subleaf: 0, ebx: '0'.repeat(32) }], msr: [{ index: 0x10a, policy: 'x'.repeat(64) }] },
    altp2m: 'external', xenstore_quota: { quota: [{ name: 'entries', val: 1000 }] },
  });
  cfg.b_info.sched_params.weight = 512;
  const h = hvmInfo(cfg.b_info);
  Object.assign(h, { bios: 'ovmf', viridian_enable: [0, 4], smbios: [{ key: 'oem', value: 'x' }], serial_list: ['pty'] });
  h.vnc.enable = true;
  h.spice.port = 5900;
  cfg.disks = [{ pdev_path: '/d', vdev: 'xvda', format: 'qcow2', readwrite: 1, discard_enable: false }];
  cfg.nics = [{ devid: 0, mac: '00:16:3e:aa:bb:cc', rate_bytes_per_interval: 100, colo_compare_out: 'x' }];
  cfg.channels = [{ devid: 0, name: 'c', connection: 'socket', u: { path: '/s' } }];
  cfg.usbdevs = [{ ctrl: 0, port: 1, type: 'hostdev', u: { hostbus: 2, hostaddr: 3 } }];
  cfg.vfbs = [{ devid: 0, vnc: { enable: true, display: 1 }, sdl: {} }];
  cfg.vsnds = [{ params: { sample_formats: ['s16_le', 'u8'] }, pcms: [{ params: {}, streams: [{ type: 'c', params: {} }] }] }];
  cfg.on_reboot = 'restart';
  cfg.on_crash = 'coredump_restart';
  return cfg;
}

describe('round trips', () => {
  for (const style of ['yajl', 'json-c'] as const) {
    it(`a rich HVM config survives gen -> parse (${style})`, () => {
      const cfg = sample();
      const back = ok(domainConfigFromJson(domainConfigToJson(cfg, style)));
      expect(back).toEqual(cfg);
      expect(domainConfigToJson(back, style)).toBe(domainConfigToJson(cfg, style));
    });
  }

  it('default-equal values come back absent (they were never written)', () => {
    const cfg = newDomainConfig();
    initBuildInfoType(cfg.b_info, 'pv');
    cfg.on_poweroff = 'destroy';
    cfg.b_info.max_grant_frames = 0xffffffff;
    cfg.disks = [{ readwrite: 0, format: 'unknown', pdev_path: 'x' }];
    const back = ok(domainConfigFromJson(domainConfigToJson(cfg)));
    expect(back).toEqual({
      c_info: {},
      b_info: { type: 'pv', u: {}, sched_params: {}, arch_arm: { arm_sci: {} }, arch_x86: {}, xenstore_quota: {} },
      disks: [{ pdev_path: 'x' }],
    });
  });

  it('a missing nested struct is initialised, as libxl_*_init would', () => {
    const back = ok(domainConfigFromJson('{"b_info": {"type.hvm": {"serial": "pty"}}}'));
    expect(back).toEqual({
      c_info: {},
      b_info: {
        type: 'hvm', u: { serial: 'pty', vga: {}, vnc: {}, sdl: {}, spice: {}, rdm: {} },
        sched_params: {}, arch_arm: { arm_sci: {} }, arch_x86: {}, xenstore_quota: {},
      },
    });
  });

  it('list -l output reads back, domid null included', () => {
    const text = domainListToJson([{ domid: 3, config: sample() }, { domid: null, config: newDomainConfig() }]);
    const back = ok(domainListFromJson(text + '\n'));
    expect(back.map((e) => e.domid)).toEqual([3, null]);
    expect(back[0]?.config).toEqual(sample());
  });

  it('devices read back', () => {
    const d: DeviceDisk = { pdev_path: '/root/image.iso', vdev: 'hdc', format: 'raw', removable: 1, is_cdrom: 1 };
    expect(ok(deviceFromJson('disk', deviceToJson('disk', d, 'json-c')))).toEqual(d);
  });
});

describe('libxl parse tolerance and errors', () => {
  it('unknown keys and values of the wrong JSON kind are ignored', () => {
    const back = ok(deviceFromJson('nic', '{"devid": "3", "mtu": 1500, "bogus": [1], "bridge": 7, "trusted": "True"}'));
    expect(back).toEqual({ mtu: 1500, trusted: true });
  });

  it('enum names are case-insensitive and normalised to lower case', () => {
    expect(ok(deviceFromJson('disk', '{"format": "QCOW2", "backend": "Phy"}'))).toEqual({ format: 'qcow2', backend: 'phy' });
  });

  it('defbool "<default>" reads as unset; MemKB beyond long long is not an integer to libxl', () => {
    const back = ok(domainConfigFromJson('{"c_info": {"hap": "<default>"}, "b_info": {"max_memkb": 18446744073709551615}}'));
    expect(back.c_info).toEqual({});
    expect(back.b_info.max_memkb).toBeUndefined();
  });

  it('first occurrence of a duplicated key wins (libxl__json_map_get)', () => {
    expect(ok(deviceFromJson('dtdev', '{"path": "a", "path": "b"}'))).toEqual({ path: 'a' });
  });

  const bad: Array<[string, string, string]> = [
    ['unknown enum value', '{"c_info": {"type": "xen"}}', 'domain_config.c_info.type'],
    ['bad defbool', '{"c_info": {"hap": "yes"}}', 'domain_config.c_info.hap'],
    ['bad uuid', '{"c_info": {"uuid": "not-a-uuid"}}', 'domain_config.c_info.uuid'],
    ['bad mac', '{"nics": [{"mac": "00:16:3e"}]}', 'domain_config.nics[0].mac'],
    ['non-integer bitmap entry', '{"b_info": {"cpumap": [1, "2"]}}', 'domain_config.b_info.cpumap[1]'],
    ['uint32 out of range', '{"b_info": {"event_channels": -1}}', 'domain_config.b_info.event_channels'],
    ['array element of the wrong kind', '{"disks": [1]}', 'domain_config.disks[0]'],
    ['union member field', '{"b_info": {"type.hvm": {"bios": "coreboot"}}}', 'domain_config.b_info.type.hvm.bios'],
  ];
  for (const [what, text, path] of bad) {
    it(`shape error: ${what}`, () => {
      const r = domainConfigFromJson(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ kind: 'shape', path });
    });
  }

  it('syntax errors carry the offset', () => {
    const r = domainConfigFromJson('{"c_info": {"name": "x",}}');
    expect(r).toEqual({ ok: false, error: { kind: 'syntax', offset: 24, message: 'invalid object key (must be a string)' } });
    expect(domainConfigFromJson('').ok).toBe(false);
    expect(domainConfigFromJson('{} x').ok).toBe(false);
    expect(domainConfigFromJson('[]')).toMatchObject({ ok: false, error: { kind: 'shape', path: 'domain_config' } });
  });
});

describe('property: generation is a fixed point of parse', () => {
  const enumArb = <E extends EnumName>(e: E) =>
    fc.constantFrom(...ENUMS[e].values.map(([, n]) => n as EnumValue<E>));
  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  const str = fc.string({ maxLength: 12 });
  const defbool = fc.option(fc.boolean(), { nil: undefined });
  const bitmap = fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 6 });
  const disk: fc.Arbitrary<DeviceDisk> = fc.record({
    backend_domid: u32, pdev_path: str, vdev: str, backend: enumArb('disk_backend'), format: enumArb('disk_format'),
    removable: fc.integer({ min: -5, max: 5 }), readwrite: fc.integer({ min: 0, max: 1 }), direct_io_safe: fc.boolean(),
    discard_enable: defbool, specification: enumArb('disk_specification'), base: fc.integer({ min: 0, max: 2 ** 52 }),
    trusted: defbool,
  }, { requiredKeys: [] });
  const nic: fc.Arbitrary<DeviceNic> = fc.record({
    devid: fc.integer({ min: -1, max: 10 }), mtu: fc.integer({ min: 0, max: 9000 }), model: str,
    mac: fc.constantFrom('00:00:00:00:00:00', '00:16:3e:01:02:03'), nictype: enumArb('nic_type'),
    rate_interval_usecs: u32, colo_sock_mirror_ip: str, trusted: defbool,
  }, { requiredKeys: [] });
  const cfgArb: fc.Arbitrary<DomainConfig> = fc.record({
    type: enumArb('domain_type'), name: fc.option(str, { nil: undefined }), hap: defbool,
    max_vcpus: fc.integer({ min: 0, max: 128 }), avail: bitmap, memkb: fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: undefined }),
    grant: fc.option(fc.oneof(u32, fc.constant(-1)), { nil: undefined }), timer: enumArb('timer_mode'),
    weight: fc.option(fc.integer({ min: -1, max: 65535 }), { nil: undefined }), sve: enumArb('sve_type'),
    extra: fc.array(str, { maxLength: 3 }), disks: fc.array(disk, { maxLength: 3 }), nics: fc.array(nic, { maxLength: 3 }),
    on_crash: enumArb('action_on_shutdown'), vga: enumArb('vga_interface_type'),
  }).map((r) => {
    const cfg = newDomainConfig();
    cfg.c_info.type = r.type;
    cfg.c_info.name = r.name;
    cfg.c_info.hap = r.hap;
    initBuildInfoType(cfg.b_info, r.type);
    if (r.type === 'hvm') hvmInfo(cfg.b_info).vga.kind = r.vga;
    Object.assign(cfg.b_info, {
      max_vcpus: r.max_vcpus, avail_vcpus: r.avail, max_memkb: r.memkb, max_grant_frames: r.grant,
      timer_mode: r.timer, extra: r.extra,
    });
    cfg.b_info.sched_params.weight = r.weight;
    cfg.b_info.arch_arm.sve_vl = r.sve;
    cfg.disks = r.disks;
    cfg.nics = r.nics;
    cfg.on_crash = r.on_crash;
    return cfg;
  });

  it('gen(parse(gen(x))) == gen(x) in both layouts, and both layouts parse alike', () => {
    fc.assert(fc.property(cfgArb, (cfg) => {
      const y = domainConfigToJson(cfg, 'yajl');
      const j = domainConfigToJson(cfg, 'json-c');
      const fromY = ok(domainConfigFromJson(y));
      const fromJ = ok(domainConfigFromJson(j));
      expect(fromJ).toEqual(fromY);
      expect(domainConfigToJson(fromY, 'yajl')).toBe(y);
      expect(domainConfigToJson(fromJ, 'json-c')).toBe(j);
    }), { numRuns: 300 });
  });
});
