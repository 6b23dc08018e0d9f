/**
 * libxl's creation-time altp2m rules, ready for libxl__domain_config_setdefault
 * and libxl__domain_make to call (lib/libxl/altp2m.ts).
 */
import { describe, expect, it } from 'vitest';
import { altp2mBuildInfoSetdefault, altp2mConfigCheck, altp2mCreateArgs, LIBXL_ALTP2M_COUNT_DEFAULT } from '../../lib/libxl/altp2m';
import { ERROR_INVAL } from '../../lib/libxl/errors';
import type { DomainBuildInfo, DomainConfig } from '../../lib/libxl/types';
import { RecordingXtl } from '../../lib/util/xtl';

function b(over: Partial<DomainBuildInfo> = {}): DomainBuildInfo {
  return { ...over } as DomainBuildInfo;
}

describe('altp2mBuildInfoSetdefault', () => {
  it('HVM with a mode: count 10; PVH with a mode: count 0 (Xen then refuses it)', () => {
    const hvm = b({ altp2m: 'external' });
    altp2mBuildInfoSetdefault(hvm, 'hvm');
    expect(altp2mCreateArgs(hvm)).toEqual({ mode: 'external', nr: 10 });
    const pvh = b({ altp2m: 'mixed', altp2m_count: LIBXL_ALTP2M_COUNT_DEFAULT });
    altp2mBuildInfoSetdefault(pvh, 'pvh');
    expect(altp2mCreateArgs(pvh)).toEqual({ mode: 'mixed', nr: 0 });
  });

  it('an explicit count passes through, even with altp2m off', () => {
    const x = b({ altp2m_count: 7 });
    altp2mBuildInfoSetdefault(x, 'hvm');
    expect(altp2mCreateArgs(x)).toEqual({ mode: 'disabled', nr: 7 });
  });

  it('legacy altp2mhvm=1 means mixed on HVM unless altp2m is set', () => {
    const legacy = b({ u: { altp2m: true } } as Partial<DomainBuildInfo>);
    altp2mBuildInfoSetdefault(legacy, 'hvm');
    expect(altp2mCreateArgs(legacy)).toEqual({ mode: 'mixed', nr: 10 });
    const explicit = b({ altp2m: 'limited', u: { altp2m: true } } as Partial<DomainBuildInfo>);
    altp2mBuildInfoSetdefault(explicit, 'hvm');
    expect(altp2mCreateArgs(explicit)).toEqual({ mode: 'limited', nr: 10 });
  });

  it('no altp2m: disabled, count 0', () => {
    const x = b();
    altp2mBuildInfoSetdefault(x, 'hvm');
    expect(altp2mCreateArgs(x)).toEqual({ mode: 'disabled', nr: 0 });
  });
});

describe('altp2mConfigCheck', () => {
  const cfg = (type: 'hvm' | 'pvh' | 'pv', bi: Partial<DomainBuildInfo>): DomainConfig => ({ c_info: { type }, b_info: b(bi) }) as unknown as DomainConfig;

  it('nested HVM', () => {
    const xtl = new RecordingXtl('debug');
    expect(altp2mConfigCheck(xtl, cfg('hvm', { altp2m: 'external', nested_hvm: true }), false, 5)).toBe(ERROR_INVAL);
    expect(xtl.lines).toEqual(['libxl: error: libxl_create.c:1295:libxl__domain_config_setdefault: Domain 5:nestedhvm and altp2mhvm cannot be used together']);
  });

  it('PoD', () => {
    const xtl = new RecordingXtl('debug');
    expect(altp2mConfigCheck(xtl, cfg('pvh', { altp2m: 'mixed' }), true, 5)).toBe(ERROR_INVAL);
    expect(xtl.lines).toEqual(['libxl: error: libxl_create.c:1305:libxl__domain_config_setdefault: Domain 5:Cannot enable PoD and ALTP2M at the same time']);
  });

  it('fine otherwise; PV is never checked (Xen refuses it for lack of HAP)', () => {
    const xtl = new RecordingXtl('debug');
    expect(altp2mConfigCheck(xtl, cfg('hvm', { altp2m: 'external' }), false, 5)).toBe(0);
    expect(altp2mConfigCheck(xtl, cfg('hvm', { nested_hvm: true }), true, 5)).toBe(0);
    expect(altp2mConfigCheck(xtl, cfg('pv', { altp2m: 'mixed', nested_hvm: true }), true, 5)).toBe(0);
    expect(xtl.lines).toEqual([]);
  });
});
