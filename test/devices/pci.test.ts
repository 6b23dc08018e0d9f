/**
 * PCI specs and rdm= (xl-cfg.md §3.3, traps §9.14); results checked against
 * libxlu_pci.c compiled from the Xen 4.20 tree.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_FAIL, ERROR_INVAL, xluPciParseBdf, xluPciParseSpecString, xluRdmParse, type RdmReserve } from '../../lib/cfg/pci';
import { collectingSink } from '../../lib/cfg/report';
import type { DevicePci } from '../../lib/libxl/types';

function spec(s: string, pre: DevicePci = {}): { rc: number; pci: DevicePci; err: string } {
  const sink = collectingSink();
  const pci = { ...pre };
  const rc = xluPciParseSpecString(sink, pci, s);
  return { rc, pci, err: sink.text() };
}

describe('PCI_SPEC_STRING', () => {
  it.each(['36:00.0@20,seize=1', '36:00.0,vslot=20,seize=1', 'bdf=36:00.0,vslot=20,seize=1'])(
    'the man page example %s is rejected (vslot is hex, 0x20 > 0x1f)',
    (s) => {
      expect(spec(s)).toMatchObject({ rc: ERROR_INVAL, err: '' });
    },
  );
  it('plain and domain-qualified BDFs', () => {
    expect(spec('01:05.1')).toEqual({ rc: 0, pci: { domain: 0, bus: 1, dev: 5, func: 1, vfunc_mask: 1 }, err: '' });
    expect(spec('0000:01:05.2').pci).toEqual({ domain: 0, bus: 1, dev: 5, func: 2, vfunc_mask: 1 });
    expect(spec('01:05.*').pci).toEqual({ domain: 0, bus: 1, dev: 5, func: 0, vfunc_mask: 0xffffffff });
    expect(spec('01:0x1f.1').pci).toMatchObject({ dev: 0x1f });
  });
  it('vslot and flags', () => {
    expect(spec('01:05.1@1f').pci.vdevfn).toBe(0xf8);
    expect(spec('01:05.1,seize=1,permissive=1,msitranslate=1,power_mgmt=1').pci).toEqual({
      domain: 0, bus: 1, dev: 5, func: 1, vfunc_mask: 1, seize: true, permissive: true, msitranslate: true, power_mgmt: true,
    });
    expect(spec('01:05.1,seize=0', { seize: true }).pci.seize).toBe(false);
  });
  it('keys are not trimmed; flags need =', () => {
    expect(spec('01:05.1, seize=1')).toMatchObject({ rc: ERROR_INVAL, err: 'Unknown PCI_SPEC_STRING option:  seize' });
    expect(spec('01:05.1,seize')).toMatchObject({ rc: ERROR_INVAL, err: '' });
    expect(spec('01:05.1,bogus=1')).toMatchObject({ rc: ERROR_INVAL, err: 'Unknown PCI_SPEC_STRING option: bogus' });
  });
  it('rdm_policy is case-insensitive; an unknown one is ERROR_FAIL', () => {
    expect(spec('01:05.1,rdm_policy=Strict').pci.rdm_policy).toBe('strict');
    expect(spec('01:05.1,rdm_policy=bogus')).toMatchObject({ rc: ERROR_FAIL, err: 'Unknown RDM policy: bogus' });
  });
  it('exactly one of bdf and name', () => {
    expect(spec('name=gpu0')).toEqual({ rc: 0, pci: { name: 'gpu0' }, err: '' });
    expect(spec('name=gpu0,bdf=01:00.0').rc).toBe(ERROR_INVAL);
    expect(spec('').rc).toBe(ERROR_INVAL);
  });
  it.each(['01:05.8', '01:20.0', '100:00.0', '10000:00:00.0', '01:05.1x', '1:2:3:4.0', 'zz:00.0'])('bad BDF %s', (s) => {
    expect(spec(s).rc).toBe(ERROR_INVAL);
  });
  it('xlu_pci_parse_bdf', () => {
    const p: DevicePci = {};
    expect(xluPciParseBdf(p, '0001:02:03.4')).toBe(0);
    expect(p).toEqual({ domain: 1, bus: 2, dev: 3, func: 4, vfunc_mask: 1 });
    expect(xluPciParseBdf({}, '02:03')).toBe(ERROR_INVAL);
  });
});

describe('rdm=', () => {
  function rdm(s: string): { rc: number; r: RdmReserve; err: string } {
    const sink = collectingSink();
    const r: RdmReserve = {};
    const rc = xluRdmParse(sink, r, s);
    return { rc, r, err: sink.text() };
  }
  it('strategy=host is the only form that takes effect', () => {
    expect(rdm('strategy=host')).toEqual({ rc: 0, r: { strategy: 'host' }, err: '' });
  });
  it('a valid policy makes the parse fail (inverted check), an invalid one passes', () => {
    expect(rdm('strategy=host,policy=strict')).toMatchObject({ rc: ERROR_INVAL, err: '' });
    expect(rdm('strategy=host,policy=bogus')).toEqual({ rc: 0, r: { strategy: 'host' }, err: 'Unknown RDM policy: bogus' });
  });
  it('unknown words', () => {
    expect(rdm('foo=host')).toEqual({ rc: ERROR_INVAL, r: {}, err: 'Unknown RDM state option: foo' });
    expect(rdm('strategy=none')).toEqual({ rc: ERROR_INVAL, r: {}, err: 'Unknown RDM strategy option: none' });
    expect(rdm('strategy=host,')).toMatchObject({ rc: ERROR_INVAL, err: '' });
    expect(rdm('')).toMatchObject({ rc: ERROR_INVAL, err: '' });
  });
});
