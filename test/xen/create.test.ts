import { describe, expect, it } from 'vitest';
import { EMU, EMU_ALL } from '../../lib/xen/constants';
import { defaultEmulationFlags, emulationFlagsOk } from '../../lib/xen/emulation';
import { bootHost, HVM, PV, PVH, unwrap } from './helpers';

describe('emulation_flags_ok', () => {
  const table: [string, number, boolean, boolean, boolean][] = [
    // name, flags, hvm, hwdom, accepted
    ['PV domU none', 0x000, false, false, true],
    ['PV domU PIT', 0x100, false, false, true],
    ['PV dom0 PIT', 0x100, false, true, true],
    ['PV dom0 none', 0x000, false, true, true],
    ['PV with LAPIC', 0x001, false, false, false],
    ['PVH domU', 0x001, true, false, true],
    ['PVH domU + PIT', 0x101, true, false, false],
    ['PVH dom0', 0x411, true, true, true],
    ['PVH dom0 shape as domU', 0x411, true, false, false],
    ['PVH domU shape as dom0', 0x001, true, true, false],
    ['HVM domU', 0x1ff, true, false, true],
    ['HVM domU + PIRQ', 0x3ff, true, false, true],
    ['HVM domU + VPCI', 0x5ff, true, false, false],
    ['HVM missing RTC', 0x1f7, true, false, false],
    ['HVM dom0', 0x1ff, true, true, false],
    ['HVM nothing', 0x000, true, false, false],
  ];
  for (const [name, flags, hvm, hwdom, accepted] of table) {
    it(`${name} (${flags.toString(16)}) → ${accepted ? 'ok' : 'refused'}`, () => {
      const v = emulationFlagsOk(flags, hvm, hwdom, 3);
      expect(v.ok).toBe(accepted);
      if (!accepted) expect(v.errno).toBe('EOPNOTSUPP');
    });
  }

  it('bits outside ALL are EINVAL with the invalid-bitmap message', () => {
    expect(emulationFlagsOk(0x800, true, false, 4)).toEqual({ ok: false, errno: 'EINVAL', message: 'd4: invalid emulation bitmap: 0x800' });
  });

  it('names the refusal as Xen does', () => {
    expect(emulationFlagsOk(0x1, false, false, 7).message).toBe('d7: will not create PV domain with emulators: 0x1');
    expect(emulationFlagsOk(0x1ff, true, true, 0).message).toBe('d0: will not create HVM hardware domain with emulators: 0x1ff');
  });

  it('libxl defaults are accepted', () => {
    expect(defaultEmulationFlags('pv')).toBe(0);
    expect(defaultEmulationFlags('pvh')).toBe(EMU.LAPIC);
    expect(defaultEmulationFlags('hvm')).toBe(0x1ff);
    expect(defaultEmulationFlags('hvm', true)).toBe(0x3ff);
    expect(EMU_ALL).toBe(0x7ff);
  });

  it('createdomain refuses a bad set with EOPNOTSUPP and logs the guest error line', () => {
    const { xen } = bootHost();
    xen.readconsole(true);
    const r = xen.createdomain({ ...HVM, emulationFlags: 0x5ff });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errno).toBe('EOPNOTSUPP');
    expect(xen.readconsole()).toEqual(['(XEN) d1: will not create HVM domain with emulators: 0x5ff']);
  });
});

describe('createdomain checks', () => {
  const refuse = (over: object, hostOver: object = {}) => {
    const { xen } = bootHost(hostOver);
    const r = xen.createdomain({ ...HVM, ...over });
    if (r.ok) throw new Error('created');
    return [r.errno, r.why];
  };

  it('vCPU limits: at least 1, HVM at most 128', () => {
    expect(refuse({ maxVcpus: 0 })).toEqual(['EINVAL', 'No vCPUS']);
    expect(refuse({ maxVcpus: 129 })).toEqual(['EINVAL', 'Requested vCPUs (129) exceeds max (128)']);
    const { xen } = bootHost();
    expect(xen.createdomain({ ...HVM, maxVcpus: 128 }).ok).toBe(true);
    expect(xen.createdomain({ ...PV, maxVcpus: 512 }).ok).toBe(true);
  });

  it('HAP only for HVM and only when the host has it', () => {
    expect(refuse({ hvm: false, emulationFlags: 0 })).toEqual(['EINVAL', 'HAP requested for non-HVM guest']);
    expect(refuse({}, { hap: false })).toEqual(['EINVAL', 'HAP requested but not available']);
    expect(refuse({}, { cmdline: 'hap=0' })).toEqual(['EINVAL', 'HAP requested but not available']);
    const { xen } = bootHost({ hap: false });
    expect(xen.createdomain({ ...HVM, hap: false }).ok).toBe(true);
  });

  it('altp2m rules at createdomain', () => {
    const on = { cmdline: 'altp2m=1' };
    expect(refuse({ altp2m: { mode: 'mixed', nr: 10 } })).toEqual(['EINVAL', 'altp2m is not supported']);
    expect(refuse({ altp2m: { mode: 'mixed', nr: 10 } }, { ...on, vendor: 'AMD' })).toEqual(['EINVAL', 'altp2m is not supported']);
    expect(refuse({ hap: false, altp2m: { mode: 'mixed', nr: 10 } }, on)).toEqual(['EINVAL', 'altp2m is only supported with HAP']);
    expect(refuse({ hvm: false, hap: false, emulationFlags: 0, altp2m: { mode: 'external', nr: 10 } }, on)).toEqual([
      'EINVAL',
      'altp2m is only supported with HAP',
    ]);
    expect(refuse({ nested: true, altp2m: { mode: 'mixed', nr: 10 } }, on)).toEqual(['EINVAL', 'Nested virt and altp2m are not supported together']);
    expect(refuse({ altp2m: { mode: 'mixed', nr: 0 } }, on)).toEqual(['EINVAL', 'altp2m must be requested with altp2m.nr > 0']);
    expect(refuse({ altp2m: { mode: 'mixed', nr: 513 } }, on)).toEqual(['EINVAL', 'altp2m.nr must be <= 512']);
    expect(refuse({ altp2m: { mode: 'disabled', nr: 10 } })).toEqual(['EINVAL', 'altp2m.nr must be zero when altp2m is off']);
    const { xen, store } = bootHost(on);
    const id = unwrap(xen.createdomain({ ...PVH, altp2m: { mode: 'mixed', nr: 512 } }));
    expect(store.domain(id)!.altp2m).toEqual({ mode: 'mixed', nr: 512 });
  });

  it('nested virt needs HAP', () => {
    expect(refuse({ nested: true, hap: false })).toEqual(['EINVAL', 'Nested virt not supported without HAP']);
  });

  it('records the guest shape: PVH vs HVM from the emulator set, paging mode from HAP', () => {
    const { xen, store } = bootHost();
    const a = unwrap(xen.createdomain(PVH));
    const b = unwrap(xen.createdomain(HVM));
    const c = unwrap(xen.createdomain({ ...HVM, hap: false }));
    const d = unwrap(xen.createdomain(PV));
    expect([a, b, c, d].map((i) => [store.domain(i)!.kind, store.domain(i)!.pagingMode])).toEqual([
      ['pvh', 'hap'],
      ['hvm', 'hap'],
      ['hvm', 'shadow'],
      ['pv', 'none'],
    ]);
    const info = unwrap(xen.getdomaininfo(a));
    expect(info.hvm && info.hap).toBe(true);
    expect(info.maxVcpuId).toBe(1);
    expect(info.handle).toMatch(/^[0-9a-f-]{36}$/);
    expect(info.totPages).toBe(0);
    expect(info.maxPages).toBe(0);
  });
});
