/**
 * Key-by-key behaviour of parse_config_data (xl-cfg.md §2, §4, §6, §7, §9):
 * deprecation warnings, what each guest type reads or ignores, defaults xl
 * itself applies, and the values it stores.
 */
import { describe, expect, it } from 'vitest';
import { scratch, UUID } from './util';

function dry(text: string) {
  const s = scratch();
  s.write('g.cfg', `uuid="${UUID}"\n` + text);
  return s.xl(['create', '-n', 'g.cfg']);
}
const P = 'Parsing config from g.cfg\n';
const PV = 'name="g"\nkernel="/k"\n';
const HVM = 'type="hvm"\nname="g"\n';

/** JSON.parse's own result type: the tests walk the printed document freely */
type Doc = ReturnType<typeof JSON.parse>;

/** the JSON object printed, parsed */
function json(text: string): Doc {
  const r = dry(text);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('deprecated and legacy keys', () => {
  it('altp2mhvm warns for HVM (and sets the legacy boolean), is silent for PV/PVH', () => {
    const r = dry(HVM + 'altp2mhvm=1\n');
    expect(r.stderr).toBe(P + 'WARNING: Specifying "altp2mhvm" is deprecated. Please use "altp2m" instead.\n');
    expect(JSON.parse(r.stdout).b_info['type.hvm'].altp2m).toBe('True');
    const pv = dry(PV + 'altp2mhvm=1\n');
    expect(pv.stderr).toBe(P);
    expect(pv.stdout).not.toContain('altp2m');
    expect(dry('type="pvh"\n' + PV + 'altp2mhvm=1\n').stderr).toBe(P);
  });

  it('numeric tsc_mode and timer_mode warn and name the replacement (quoted numbers too)', () => {
    const r = dry(PV + 'tsc_mode="2"\n');
    expect(r.stderr).toBe(P + 'WARNING: specifying "tsc_mode" as an integer is deprecated. Please use the named parameter variant. e.g. tsc_mode="native"\n');
    expect(JSON.parse(r.stdout).b_info.tsc_mode).toBe('native');
    const t = dry(HVM + 'timer_mode=0\n');
    expect(t.stderr).toBe(
      P + 'WARNING: specifying "timer_mode" as an integer is deprecated. Please use the named parameter variant. e.g. timer_mode="delay_for_missed_ticks"\n',
    );
    expect(JSON.parse(t.stdout).b_info.timer_mode).toBe('delay_for_missed_ticks');
    expect(json(HVM + 'tsc_mode="Always_Emulate"\n').b_info.tsc_mode).toBe('always_emulate');
  });

  it('bootloader_args as a string is split on whitespace, with a warning', () => {
    const r = dry('name="g"\nbootloader="pygrub"\nbootloader_args="-q  --entry=1"\n');
    expect(r.stderr).toBe(P + 'WARNING: Specifying "bootloader_args" as a string is deprecated. Please use a list of arguments.\n');
    const b = JSON.parse(r.stdout).b_info;
    expect(b.bootloader).toBe('pygrub');
    expect(b.bootloader_args).toEqual(['-q', '--entry=1']);
  });

  it('builder= maps to a type without any warning', () => {
    const r = dry('builder="hvm"\nname="g"\n');
    expect(r.stderr).toBe(P);
    expect(JSON.parse(r.stdout).c_info.type).toBe('hvm');
    expect(json('builder="gen"\n' + PV).c_info.type).toBe('pv');
    expect(json('builder=""\nname="g"\n').c_info.type).toBe('hvm');
  });

  it('type= is a prefix match tested hvm, pv, pvh', () => {
    expect(json('type=""\nname="g"\n').c_info.type).toBe('hvm');
    expect(json('type="h"\nname="g"\n').c_info.type).toBe('hvm');
    expect(json('type="p"\n' + PV).c_info.type).toBe('pv');
    expect(json('type="pvh"\n' + PV).c_info.type).toBe('pvh');
  });

  it('device_model, vncviewer, vif2, kernel=hvmloader, msr_relaxed and cmdline+root warn', () => {
    expect(dry(HVM + 'device_model="/usr/lib/xen/bin/stubdom-dm"\n').stderr).toBe(
      P +
        'WARNING: ignoring device_model directive.\n' +
        'WARNING: Use "device_model_override" instead if you really want a non-default device_model\n' +
        'WARNING: Or use "device_model_stubdomain_override" if you  want to enable stubdomains\n',
    );
    expect(dry(PV + 'vncviewer=1\n').stderr).toBe(
      P + 'WARNING: ignoring "vncviewer" option. Use "-V" option of "xl create" to automatically spawn vncviewer.\n',
    );
    expect(dry(PV + 'vif2=["x"]\n').stderr).toBe(P + 'WARNING: vif2: netchannel2 is deprecated and not supported by xl\n');
    const h = dry(HVM + 'kernel="/usr/lib/xen/boot/hvmloader"\n');
    expect(h.stderr).toBe(
      P +
        'WARNING: you seem to be using "kernel" directive to override HVM guest firmware. Ignore that. ' +
        'Use "firmware_override" instead if you really want a non-default firmware\n',
    );
    expect(JSON.parse(h.stdout).b_info.kernel).toBeUndefined();
    expect(dry(PV + 'msr_relaxed=1\n').stderr).toBe(
      P + 'WARNING: msr_relaxed will be removed in future versions.\nIf it fixes an issue you are having please report to xen-devel@lists.xenproject.org.\n',
    );
    const c = dry(PV + 'cmdline="console=hvc0"\nroot="/dev/xvda1"\n');
    expect(c.stderr).toBe(P + 'Warning: ignoring root= and extra= in favour of cmdline=\n');
    expect(JSON.parse(c.stdout).b_info.cmdline).toBe('console=hvc0');
  });

  it('vif netdev= and accel= warn but go on', () => {
    const r = dry(PV + 'vif=["netdev=eth0,accel=x"]\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(P + 'the netdev parameter is deprecated, please use gatewaydev instead\nthe accel parameter for vifs is currently not supported\n');
    expect(JSON.parse(r.stdout).nics).toEqual([{ devid: 0, gatewaydev: 'eth0' }]);
  });

  it('stdvga= is used only when vga= is absent', () => {
    expect(json(HVM + 'stdvga=1\n').b_info['type.hvm'].vga).toEqual({ kind: 'std' });
    expect(json(HVM + 'stdvga=0\n').b_info['type.hvm'].vga).toEqual({ kind: 'cirrus' });
    expect(json(HVM + 'stdvga=1\nvga="qxl"\n').b_info['type.hvm'].vga).toEqual({ kind: 'qxl' });
  });
});

describe('what each guest type reads', () => {
  it('HVM-only keys are silently ignored for PV', () => {
    const r = dry(PV + 'apic=0\nhpet=0\nvga="stdvga"\nserial="pty"\nboot="d"\nusb=1\nviridian=1\nbios="ovmf"\n');
    expect(r.stderr).toBe(P);
    const b = JSON.parse(r.stdout).b_info;
    expect(b['type.pv']).toEqual({});
    expect(b.apic).toBeUndefined();
  });

  it('apic is read only for HVM, into b_info.apic', () => {
    expect(json(HVM + 'apic=0\n').b_info.apic).toBe('False');
    expect(json('type="pvh"\n' + PV + 'apic=0\n').b_info.apic).toBeUndefined();
  });

  it('e820_host is read for PV only; any pci device forces it on', () => {
    expect(json(PV + 'e820_host=0\n').b_info['type.pv']).toEqual({ e820_host: 'False' });
    expect(json(PV + 'pci=["01:00.0"]\n').b_info['type.pv']).toEqual({ e820_host: 'True' });
    expect(json(HVM + 'e820_host=1\n').b_info['type.hvm'].e820_host).toBeUndefined();
  });

  it('pvshim keys only for PVH', () => {
    const pvh = json('type="pvh"\n' + PV + 'pvshim=1\npvshim_extra="loglvl=all"\n').b_info['type.pvh'];
    expect(pvh).toEqual({ pvshim: 'True', pvshim_extra: 'loglvl=all' });
    expect(json(PV + 'pvshim=1\n').b_info['type.pv']).toEqual({});
  });

  it('acpi, hap, oos, nestedhvm, localtime and shadow_memory are read for every type', () => {
    const d = json(PV + 'acpi=0\nhap=0\noos=0\nnestedhvm=1\nlocaltime=1\nshadow_memory=64\n');
    expect(d.c_info.hap).toBe('False');
    expect(d.c_info.oos).toBe('False');
    expect(d.b_info.acpi).toBe('False');
    expect(d.b_info.nested_hvm).toBe('True');
    expect(d.b_info.localtime).toBe('True');
    expect(d.b_info.shadow_memkb).toBe(65536);
  });

  it('PV firmware=pvgrub becomes a kernel under XENFIRMWAREDIR', () => {
    expect(json('name="g"\nfirmware="pvgrub64"\n').b_info.kernel).toBe('/usr/lib/xen/boot/pvgrub64.bin');
    expect(json('type="pvh"\nname="g"\nfirmware="pvgrub"\n').b_info.kernel).toBe('/usr/lib/xen/boot/pvgrub.bin');
  });

  it('HVM firmware= mapping: bios names, uefi prefixes, bios prefixes, else a path', () => {
    const fw = (v: string) => json(HVM + `firmware="${v}"\n`).b_info['type.hvm'];
    expect(fw('seabios').bios).toBe('seabios');
    expect(fw('OVMF').bios).toBe('ovmf');
    expect(fw('uefi').bios).toBe('ovmf');
    expect(fw('').bios).toBe('ovmf');
    expect(fw('bios').bios).toBeUndefined();
    expect(fw('UEFI')).toMatchObject({ firmware: 'UEFI' });
  });
});

describe('values xl stores', () => {
  it('no hap/shadow defaults are filled in by xl: absent keys stay absent', () => {
    const d = json(HVM);
    expect(d.c_info.hap).toBeUndefined();
    expect(d.b_info.shadow_memkb).toBeUndefined();
    expect(json(HVM + 'hap=0\nshadow_memory=33\n').b_info.shadow_memkb).toBe(33 * 1024);
  });

  it('vcpus below 1 become 1; maxvcpus defaults to vcpus; maxmem to memory', () => {
    const d = json(PV + 'vcpus=0\nmemory=300\n').b_info;
    expect(d.max_vcpus).toBe(1);
    expect(d.avail_vcpus).toEqual([0]);
    expect(d.max_memkb).toBe(300 * 1024);
    const e = json(PV + 'vcpus=2\nmaxvcpus=8\nmemory=256\nmaxmem=1024\n').b_info;
    expect(e.max_vcpus).toBe(8);
    expect(e.avail_vcpus).toEqual([0, 1]);
    expect(e.max_memkb).toBe(1048576);
    expect(e.target_memkb).toBe(262144);
  });

  it('altp2m by name or number, for every type, and altp2m_count', () => {
    expect(json(HVM + 'altp2m="External"\naltp2m_count=20\n').b_info).toMatchObject({ altp2m: 'external', altp2m_count: 20 });
    expect(json(PV + 'altp2m="2"\n').b_info.altp2m).toBe('external');
    expect(json('type="pvh"\n' + PV + 'altp2m=1\n').b_info.altp2m).toBe('mixed');
  });

  it('a bad numeric value is only a warning, the key stays unset', () => {
    const r = dry(PV + 'memory="lots"\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(P + "g.cfg:4: warning: parameter `memory' is not a valid number\n");
    expect(JSON.parse(r.stdout).b_info.target_memkb).toBeUndefined();
  });

  it('a string where a list belongs leaves no devices, with a warning', () => {
    const r = dry(PV + "vif='bridge=br0'\n");
    expect(r.stderr).toBe(P + "g.cfg:4: warning: parameter `vif' is a single value but should be a list\n");
    expect(JSON.parse(r.stdout).nics).toBeUndefined();
  });

  it('device loops stop at the first nested list', () => {
    expect(json(PV + "disk=[ ['x'], '/img,,xvda' ]\n").disks).toBeUndefined();
  });

  it('on_* actions: xl names in, libxl names out; destroy is never printed', () => {
    const d = json(PV + 'on_poweroff="rename-restart"\non_reboot="destroy"\non_crash="coredump-restart"\non_watchdog="preserve"\non_soft_reset="soft-reset"\n');
    expect(d.on_poweroff).toBe('restart_rename');
    expect(d.on_reboot).toBeUndefined();
    expect(d.on_crash).toBe('coredump_restart');
    expect(d.on_watchdog).toBe('preserve');
    expect(d.on_soft_reset).toBe('soft_reset');
  });

  it('cpus: a string pins every vCPU; a list pins each and turns off NUMA placement', () => {
    const s = json(PV + 'vcpus=2\ncpus="0-3,^1"\n').b_info;
    expect(s.vcpu_hard_affinity).toEqual([[0, 2, 3], [0, 2, 3]]);
    expect(s.numa_placement).toBeUndefined();
    const l = json(PV + 'vcpus=3\ncpus=["2","3-5,^4"]\n').b_info;
    expect(l.vcpu_hard_affinity).toEqual([[2], [3, 5]]);
    expect(l.numa_placement).toBe('False');
    expect(json(PV + 'cpus_soft="1"\n').b_info).toMatchObject({ vcpu_soft_affinity: [[1]], numa_placement: 'False' });
  });

  it('viridian list: all / defaults / !group', () => {
    const h = json(HVM + 'viridian=["defaults","!freq","stimer"]\n').b_info['type.hvm'];
    expect(h.viridian).toBe('True');
    expect(h.viridian_enable).toEqual([8]);
    expect(h.viridian_disable).toEqual([1]);
    expect(json(HVM + 'viridian=1\n').b_info['type.hvm'].viridian).toBe('True');
  });

  it('HVM display, serial list, usb and platform keys', () => {
    const h = json(
      HVM + 'vga="stdvga"\nvideoram=16\nserial=["pty","file:/tmp/s1"]\nusb=1\nusbdevice="tablet"\nsoundhw="hda"\nxen_platform_pci=0\nhdtype="AHCI"\n',
    );
    expect(h.b_info.video_memkb).toBe(16384);
    expect(h.b_info['type.hvm']).toMatchObject({
      vga: { kind: 'std' },
      serial_list: ['pty', 'file:/tmp/s1'],
      usb: 'True',
      usbdevice: 'tablet',
      soundhw: 'hda',
      xen_platform_pci: 'False',
      hdtype: 'ahci',
    });
  });

  it('top-level vnc=1 on a PV guest without vfb= makes a vfb and a vkb', () => {
    const d = json(PV + 'vnc=1\nvnclisten="0.0.0.0"\nkeymap="de"\n');
    expect(d.vfbs).toEqual([{ devid: 0, vnc: { enable: 'True', listen: '0.0.0.0' }, sdl: {}, keymap: 'de' }]);
    expect(d.vkbs).toEqual([{ devid: 0 }]);
  });

  it('xenstore_quota and ioports/irqs/iomem', () => {
    const b = json(PV + 'xenstore_quota=["nodes=100"]\nioports=["2f8-2ff"]\nirqs=[3, 4]\niomem=["f0000,10@e0000"]\n').b_info;
    expect(b.xenstore_quota).toEqual({ quota: [{ name: 'nodes', val: 100 }] });
    expect(b.ioports).toEqual([{ first: 0x2f8, number: 8 }]);
    expect(b.irqs).toEqual([3, 4]);
    expect(b.iomem).toEqual([{ start: 0xf0000, number: 16, gfn: 0xe0000 }]);
  });
});

describe('vnuma', () => {
  it('node sizes become maxmem, node vcpus become maxvcpus, placement goes off', () => {
    const b = json(
      HVM + 'vnuma = [ ["pnode=0","size=512","vcpus=0-1","vdistances=10,20"], ["pnode=0","size=512","vcpus=2-3","vdistances=20,10"] ]\n',
    ).b_info;
    expect(b).toMatchObject({ max_vcpus: 4, max_memkb: 1048576, numa_placement: 'False' });
    expect(b.vnuma_nodes).toEqual([
      { memkb: 524288, distances: [10, 20], vcpus: [0, 1] },
      { memkb: 524288, distances: [20, 10], vcpus: [2, 3] },
    ]);
  });

  it('errors', () => {
    const e = (v: string, more = '') => {
      const r = dry(HVM + more + `vnuma=${v}\n`);
      return [r.code, r.stderr.slice(P.length)];
    };
    expect(e('[["pnode=9"]]')).toEqual([1, 'xl: invalid pnode number: 9\n']);
    expect(e('[["size"]]')).toEqual([1, 'xl: failed to split "size" into pair\n']);
    expect(e('[["size=64","vcpus=0-1"]]', 'maxvcpus=4\n')).toEqual([1, 'xl: vnuma vcpus and maxvcpus= mismatch\n']);
    expect(e('[["size=64","vcpus=0"]]', 'maxmem=128\n')).toEqual([1, 'xl: maxmem and vnuma memory size mismatch\n']);
    expect(e('[["size=64","vcpus=0-63"]]')).toEqual([1, 'xl: vnuma specifies more vcpus than pcpus, use maxvcpus= to override this check.\n']);
    expect(e('["x"]')).toEqual([1, 'g.cfg:4:0: warning: value is not a list\nxl: cannot get vnode config option list\n']);
  });
});

describe('cpuid', () => {
  it('xend form is stored per leaf; a bad line is reported and parsing goes on', () => {
    const r = dry(PV + 'cpuid=["1:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0,edx=xx0xxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "7,0:ebx=bad", "x"]\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      P +
        'while parsing CPUID line: "7,0:ebx=bad":\n  error #5: policy string must be exactly 32 characters long\n' +
        'while parsing CPUID line: "x":\n  error #1: illegal leaf number\n',
    );
    expect(JSON.parse(r.stdout).b_info.cpuid).toEqual({
      cpuid: [
        { leaf: 1, ecx: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0', edx: 'xx0xxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
        { leaf: 7, subleaf: 0 },
      ],
      msr: [],
    });
  });

  it('libxl form must start with host; bad flags are reported, not fatal', () => {
    expect(dry(PV + 'cpuid="tm=0"\n').stderr).toBe(P + 'while parsing CPUID string: "tm=0":\n  error: first word must be "host"\n');
    expect(dry(PV + 'cpuid="host,tm,sse3=q,aes=0,avx=k"\n').stderr).toBe(
      P +
        'while parsing CPUID flag: "tm":\n  error #1: missing "=" in key=value\n' +
        'while parsing CPUID flag: "sse3=q":\n  error #3: illegal CPUID value (must be: [0|1|x|k|s])\n',
    );
  });
});

describe('scheduling, pool, event channels, labels', () => {
  it('are stored where libxl keeps them', () => {
    const d = json(PV + 'cpu_weight=512\ncap=50\npool="Pool-0"\nmax_event_channels=2047\nseclabel="a:b:c"\n');
    expect(d.b_info.sched_params).toEqual({ weight: 512, cap: 50 });
    expect(d.c_info.pool_name).toBe('Pool-0');
    expect(d.b_info.event_channels).toBe(2047);
    expect(d.c_info.ssid_label).toBe('a:b:c');
    const e = json(PV + 'init_seclabel="x:y:init"\nseclabel="x:y:run"\n');
    expect(e.c_info.ssid_label).toBe('x:y:init');
    expect(e.b_info.exec_ssid_label).toBe('x:y:run');
  });
});
