/**
 * A domain's record as stored between commands (lib/xen/record.ts): the
 * affinity lists are packed as cpulist strings, and reading it back gives
 * the domain exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import { decodeDomainRecord, encodeDomainRecord, type StoredDomain } from '../../lib/xen/record';
import type { XenDomainData } from '../../lib/xen/types';
import { HVM, PV, bootHost, unwrap } from './helpers';

/** Through JSON, as the database keeps it. */
const roundTrip = (d: XenDomainData): XenDomainData => decodeDomainRecord(JSON.parse(JSON.stringify(encodeDomainRecord(d))) as StoredDomain);
const plain = (d: XenDomainData): unknown => JSON.parse(JSON.stringify(d));

describe('domain records', () => {
  it('an idle guest reads back whole, its affinities packed', () => {
    const h = bootHost();
    const domid = unwrap(h.xen.createdomain(PV));
    const d = h.store.domain(domid)!;
    const stored = JSON.stringify(encodeDomainRecord(d));
    expect(stored).toContain('"hardAffinity":"0-7"');
    expect(plain(roundTrip(d))).toEqual(plain(d));
    // every vCPU with the same mask shares one list
    const back = roundTrip(d);
    expect(back.vcpus[1]!.hardAffinity).toBe(back.vcpus[0]!.hardAffinity);
  });

  it('values other than the usual ones are kept, whatever they are', () => {
    const h = bootHost();
    const domid = unwrap(h.xen.createdomain(HVM));
    unwrap(h.xen.pausedomain(domid));
    unwrap(h.xen.setvcpuaffinity(domid, 1, [1, 3], [0, 2, 3]));
    const d = h.store.domain(domid)!;
    d.shutdown = 'complete';
    d.shutdownCode = 0;
    d.vcpus[0]!.online = false;
    d.vcpus[1]!.timeNs = 5;
    const back = roundTrip(d);
    expect(plain(back)).toEqual(plain(d));
    // created paused (libxl unpauses it later), then paused once more
    expect(back.controllerPause).toBe(2);
    expect(back.vcpus[1]!.hardAffinity).toEqual([1, 3]);
    expect(back.vcpus[1]!.softAffinity).toEqual([0, 2, 3]);
    expect(back.vcpus[0]!.online).toBe(false);
  });

  it('a record stored whole (by an earlier xlsim) still reads back', () => {
    const h = bootHost();
    const d = h.store.domain(unwrap(h.xen.createdomain(PV)))!;
    const whole = JSON.parse(JSON.stringify({ ...d, vcpus: d.vcpus.map((v) => ({ ...v, hardAffinity: '0-7', softAffinity: '0-7' })) })) as StoredDomain;
    expect(plain(decodeDomainRecord(whole))).toEqual(plain(d));
  });
});
