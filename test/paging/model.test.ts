// The paging model of the simulated hypervisor: shadows built by the
// guest's faults over simulated time, thrown away by shadow_blow_tables
// (debug key S, log-dirty ENABLE and CLEAN), the log-dirty cost per paging
// mode, and what a pool too small for the guest does.
import { describe, expect, it } from 'vitest';
import type { CreateDomainConfig } from '../../lib/xen/domain-create';
import type { XenBootParams } from '../../lib/xen/boot';
import { EMU } from '../../lib/xen/constants';
import { bootHost, HVM, PV, unwrap, type TestHost } from '../xen/helpers';

const MiB = 256;
const SEC = 1_000_000_000;
const SHADOW_HVM: CreateDomainConfig = { hvm: true, hap: false, maxVcpus: 2, emulationFlags: 0x1ff };

/** A running guest of `memMiB`, its pool sized by libxl's formula, as xl create leaves it. */
function runningGuest(t: TestHost, cfg: CreateDomainConfig, memMiB: number, load = 0.1): number {
  const { xen } = t;
  const id = unwrap(xen.createdomain(cfg));
  unwrap(xen.max_mem(id, memMiB * 1024 + 1024));
  if (cfg.hvm) {
    const k = 1 + (cfg.hap ? 0 : 1);
    unwrap(xen.set_paging_mempool_size(id, 4096 * (256 * cfg.maxVcpus + k * memMiB)));
  }
  expect(unwrap(xen.populate_physmap(id, memMiB * MiB))).toBe(memMiB * MiB);
  for (let v = 0; v < cfg.maxVcpus; v++) unwrap(xen.setvcpucontext(id, v));
  unwrap(xen.unpausedomain(id));
  unwrap(xen.setGuestLoad(id, load));
  return id;
}

function report(t: TestHost, id: number) {
  return unwrap(t.xen.paging_report(id));
}

function host(over: Partial<XenBootParams> = {}): TestHost {
  return bootHost(over);
}

describe('shadow paging as a cache filled by page faults', () => {
  it('starts with only the top-level shadows in CR3 and grows as the guest touches memory', () => {
    const t = host();
    const id = runningGuest(t, SHADOW_HVM, 1024);
    const r0 = report(t, id);
    expect(r0.shadow).toBe(true);
    expect(r0.shadows).toMatchObject({ levels: { l1: 0, l2: 0, l3: 0, l4: 2 }, topLevelPerVcpu: [1, 1], pinned: 0, faults: 0, mappedPages: 0 });
    t.store.advance(SEC);
    const r1 = report(t, id);
    const s = r1.shadows!;
    // every page mapped so far cost exactly one fault
    expect(Math.abs(s.faults - s.mappedPages)).toBeLessThanOrEqual(1); // both rounded
    expect(s.mappedPages).toBeGreaterThan(1000);
    expect(s.mappedPages).toBeLessThanOrEqual(r1.activity.kernel.wssPages);
    expect(s.levels.l1).toBeGreaterThan(0);
    expect(s.levels.l4).toBe(2);
    expect(s.pinned).toBe(2);
    // pool = p2m + shadows + free, and the host's books still balance
    expect(r1.pool.p2m + r1.pool.shadow + r1.pool.oos + r1.pool.logDirty + r1.pool.free).toBe(r1.pool.pages);
    // out-of-sync L1 snapshots: 3 pages for each of the 2 vCPUs
    expect(r1.pool.oos).toBe(6);
    expect(t.xen.checkInvariants()).toEqual([]);
  });

  it('oos=0: no out-of-sync snapshots in the pool', () => {
    const t = host();
    const id = runningGuest(t, { ...SHADOW_HVM, oos: false }, 1024);
    t.store.advance(SEC);
    expect(report(t, id).pool.oos).toBe(0);
  });

  it('does not depend on how often anyone looked', () => {
    const once = host();
    const often = host();
    const a = runningGuest(once, SHADOW_HVM, 1024);
    const b = runningGuest(often, SHADOW_HVM, 1024);
    unwrap(once.xen.setGuestMemoryActivity(a, 5000, 32 * MiB));
    unwrap(often.xen.setGuestMemoryActivity(b, 5000, 32 * MiB));
    once.store.advance(2 * SEC);
    for (let i = 0; i < 20; i++) {
      often.store.advance(SEC / 10);
      report(often, b);
    }
    expect(report(often, b).shadows).toEqual(report(once, a).shadows);
  });

  it('HAP guests have no shadows: the pool holds the EPT, which stays put', () => {
    const t = host();
    const id = runningGuest(t, HVM, 1024);
    t.store.advance(5 * SEC);
    const r = report(t, id);
    expect(r.shadow).toBe(false);
    expect(r.shadows).toBeUndefined();
    expect(r.pool.shadow).toBe(0);
    expect(r.pool.p2m).toBeGreaterThan(0);
    expect(r.pool.p2m).toBeLessThan(10);
  });
});

describe("debug key 'S': shadow_blow_tables for every shadowed domain", () => {
  it('throws the shadows away and the guest faults them back in', () => {
    const t = host({ debug: true });
    const id = runningGuest(t, SHADOW_HVM, 1024);
    const hap = runningGuest(t, HVM, 512);
    t.store.advance(3 * SEC);
    const before = report(t, id).shadows!;
    t.xen.readconsole(true);
    unwrap(t.xen.debug_keys('S'));
    expect(t.xen.readconsole()).toEqual(["(XEN) 'S' pressed -> blowing all shadow tables"]);
    const blown = report(t, id).shadows!;
    expect(blown).toMatchObject({ levels: { l1: 0, l2: 0, l3: 0, l4: 2 }, pinned: 0, mappedPages: 0, blows: 1, faults: before.faults });
    expect(report(t, hap).shadows).toBeUndefined();
    // the storm: within 100 ms a good part of the working set faults back in
    t.store.advance(SEC / 10);
    const after = report(t, id).shadows!;
    expect(after.mappedPages).toBeGreaterThan(100);
    expect(Math.abs(after.faults - before.faults - after.mappedPages)).toBeLessThanOrEqual(1); // both rounded
  });

  it("'O' toggles shadow audits (debug builds)", () => {
    const t = host({ debug: true });
    t.xen.readconsole(true);
    unwrap(t.xen.debug_keys('OO'));
    expect(t.xen.readconsole()).toEqual(['(XEN) shadow_audit_key shadow_audit_enable=1', '(XEN) shadow_audit_key shadow_audit_enable=0']);
  });

  it('a release build has no S key: nothing happens', () => {
    const t = host();
    const id = runningGuest(t, SHADOW_HVM, 1024);
    t.store.advance(SEC);
    const before = report(t, id).shadows!;
    t.xen.readconsole(true);
    unwrap(t.xen.debug_keys('S'));
    expect(t.xen.readconsole()).toEqual([]);
    expect(report(t, id).shadows).toEqual(before);
  });
});

describe('log-dirty cost per paging mode', () => {
  /** enable, let the workload run 1 s, CLEAN: what Xen reports and what the model saw */
  function roundOf(over: Partial<XenBootParams>, cfg: CreateDomainConfig) {
    const t = host(over);
    const id = runningGuest(t, cfg, 1024);
    unwrap(t.xen.setGuestMemoryActivity(id, 20000, 64 * MiB));
    t.store.advance(2 * SEC);
    unwrap(t.xen.shadow_op(id, 'enable'));
    expect(t.xen.shadow_op(id, 'enable')).toEqual({ ok: false, errno: 'EINVAL' });
    t.store.advance(SEC);
    const peek = unwrap(t.xen.shadow_op(id, 'peek'));
    const rep = report(t, id);
    const clean = unwrap(t.xen.shadow_op(id, 'clean'));
    expect(clean).toEqual(peek);
    expect(unwrap(t.xen.shadow_op(id, 'peek'))).toEqual({ faultCount: 0, dirtyCount: 0 });
    expect(t.xen.checkInvariants()).toEqual([]);
    return { t, id, clean, rep };
  }

  it('shadow: the first write to each page faults, and so does re-shadowing after the blow', () => {
    const { t, id, clean, rep } = roundOf({}, SHADOW_HVM);
    expect(clean.dirtyCount).toBeGreaterThan(10000);
    // every fixed fault counts: the repopulation after ENABLE's blow as well
    expect(clean.faultCount).toBeGreaterThan(clean.dirtyCount);
    expect(rep.logDirty?.trap).toBe('shadow-fault');
    expect(rep.pool.logDirty).toBeGreaterThan(0);
    // CLEAN blew the tables again: the cache is empty until the guest runs
    expect(report(t, id).shadows).toMatchObject({ mappedPages: 0, blows: 2 });
  });

  it('HAP without PML: fault_count stays 0, each first write is an EPT violation', () => {
    const { clean, rep } = roundOf({ pml: false }, HVM);
    expect(clean.faultCount).toBe(0);
    expect(clean.dirtyCount).toBeGreaterThan(10000);
    expect(rep.logDirty).toMatchObject({ trap: 'ept-violation', eptViolations: clean.dirtyCount, pmlExits: 0 });
  });

  it('HAP with PML: the CPU logs the writes and exits once per 512', () => {
    const { clean, rep } = roundOf({}, HVM);
    expect(clean.faultCount).toBe(0);
    expect(rep.logDirty).toMatchObject({ trap: 'pml', eptViolations: 0, pmlLogged: clean.dirtyCount });
    expect(rep.logDirty!.pmlExits).toBe(Math.floor(clean.dirtyCount / 512));
  });

  it('the same workload costs shadow far more traps than HAP, and PML far fewer still', () => {
    const sh = roundOf({}, SHADOW_HVM);
    const ept = roundOf({ pml: false }, HVM);
    const pml = roundOf({}, HVM);
    expect(sh.clean.faultCount).toBeGreaterThan(ept.rep.logDirty!.eptViolations);
    expect(ept.rep.logDirty!.eptViolations).toBeGreaterThan(100 * pml.rep.logDirty!.pmlExits);
  });

  it('PV: shadow mode comes on for log-dirty with a pool from the heap, and goes with it', () => {
    const t = host();
    const id = runningGuest(t, PV, 512);
    const free0 = t.xen.physinfo().freePages;
    expect(report(t, id).mode).toBe('none');
    unwrap(t.xen.shadow_op(id, 'enable'));
    const on = report(t, id);
    expect(on.shadow).toBe(true);
    expect(on.pool.pages).toBe(1024);
    expect(t.xen.physinfo().freePages).toBe(free0 - 1024);
    t.store.advance(SEC);
    expect(report(t, id).shadows!.faults).toBeGreaterThan(0);
    expect(t.xen.checkInvariants()).toEqual([]);
    t.xen.readconsole(true);
    unwrap(t.xen.debug_keys('q'));
    const q = t.xen.readconsole();
    expect(q).toContain('(XEN)     paging assistance: shadow log_dirty ');
    expect(q).toContain('(XEN)     paging assistance: shadowed 4-on-4');
    unwrap(t.xen.shadow_op(id, 'off'));
    expect(report(t, id)).toMatchObject({ shadow: false, pool: { pages: 0 } });
    expect(t.xen.physinfo().freePages).toBe(free0);
    expect(t.xen.checkInvariants()).toEqual([]);
  });

  it("the q dump shows log_dirty among the domain's paging bits", () => {
    const t = host();
    const id = runningGuest(t, HVM, 512);
    unwrap(t.xen.shadow_op(id, 'enable'));
    t.xen.readconsole(true);
    unwrap(t.xen.debug_keys('q'));
    expect(t.xen.readconsole()).toContain('(XEN)     paging assistance: hap refcounts log_dirty translate external ');
  });
});

describe('a pool too small for the guest', () => {
  it('preallocation unpins the least recently pinned shadows and the guest keeps re-faulting', () => {
    const t = host();
    const id = runningGuest(t, { ...SHADOW_HVM, maxVcpus: 1 }, 4096);
    // the smallest pool Xen accepts, and a workload writing all over the guest's 4 GiB
    unwrap(t.xen.set_paging_mempool_size(id, 4096));
    const r0 = report(t, id);
    expect(r0.pool.pages).toBe(r0.pool.minPages);
    unwrap(t.xen.setGuestMemoryActivity(id, 200_000, 4096 * MiB));
    t.store.advance(10 * SEC);
    const a = report(t, id);
    expect(a.pool.free).toBeLessThan(4);
    expect(a.shadows!.unpins).toBeGreaterThan(0);
    expect(a.shadows!.mappedPages).toBeLessThan(a.activity.workload.wssPages);
    t.store.advance(SEC);
    const b = report(t, id);
    // at capacity: the faults go on at about the rate of touches that miss
    expect(b.shadows!.faults - a.shadows!.faults).toBeGreaterThan(100_000);
    // and the cache stays full: what is mapped is what fits
    expect(b.pool.free).toBeLessThan(4);
    expect(Math.abs(b.shadows!.mappedPages - a.shadows!.mappedPages)).toBeLessThan(a.shadows!.mappedPages / 100);
    expect(t.xen.checkInvariants()).toEqual([]);
  });

  it("shrinking a running guest's pool to nothing: Xen's message, then the next fault crashes it", () => {
    const t = host();
    const id = runningGuest(t, SHADOW_HVM, 1024);
    t.store.advance(SEC);
    const p2m = report(t, id).pool.p2m;
    t.xen.readconsole(true);
    expect(t.xen.set_paging_mempool_size(id, 0)).toEqual({ ok: false, errno: 'ENOMEM' });
    expect(t.xen.readconsole(true)).toEqual(["(XEN) Can't pre-allocate 1 shadow pages!", `(XEN)   shadow pages total = 8, free = 0, p2m=${p2m}`]);
    // only what the vCPUs hold is left: the two top-level shadows in CR3 and their out-of-sync snapshots
    expect(report(t, id).pool).toMatchObject({ pages: p2m + 8, shadow: 2, oos: 6, free: 0 });
    expect(t.xen.checkInvariants()).toEqual([]);
    expect(unwrap(t.xen.getdomaininfo(id)).shutdown).toBe(false);
    t.store.advance(SEC / 1000);
    const info = unwrap(t.xen.getdomaininfo(id));
    expect(info.shutdown).toBe(true);
    expect(info.shutdownCode).toBe(3);
    const log = t.xen.readconsole();
    expect(log.slice(0, 3)).toEqual([
      "(XEN) Can't pre-allocate 1 shadow pages!",
      `(XEN)   shadow pages total = 8, free = 0, p2m=${p2m}`,
      expect.stringMatching(new RegExp(`^\\(XEN\\) Domain ${id} \\(vcpu#0\\) crashed on cpu#\\d+:$`)),
    ]);
    expect(t.xen.checkInvariants()).toEqual([]);
  });

  it('a HAP pool never gives back its EPT pages', () => {
    const t = host();
    const id = runningGuest(t, { ...HVM, emulationFlags: EMU.LAPIC }, 512);
    unwrap(t.xen.set_paging_mempool_size(id, 0));
    const r = report(t, id);
    expect(r.pool.pages).toBe(r.pool.p2m);
    expect(t.xen.checkInvariants()).toEqual([]);
  });
});

describe('invariants (xlsim check)', () => {
  it('a pool that cannot hold its p2m and shadows, or a PV pool outside log-dirty, is reported', () => {
    const t = host();
    const id = runningGuest(t, SHADOW_HVM, 1024);
    const pv = runningGuest(t, PV, 256);
    t.store.advance(SEC);
    expect(t.xen.checkInvariants()).toEqual([]);
    // Xen refuses to size a PV guest's pool: log-dirty does it
    expect(t.xen.set_paging_mempool_size(pv, 8 << 20)).toEqual({ ok: false, errno: 'EOPNOTSUPP' });
    const d = t.store.domain(id)!;
    const r = report(t, id);
    const used = r.pool.p2m + r.pool.shadow;
    t.store.host().freePages += d.pagingPoolPages - 100;
    d.pagingPoolPages = 100;
    t.store.domain(pv)!.pagingPoolPages = 8;
    t.store.host().freePages -= 8;
    expect(t.xen.checkInvariants()).toEqual([`d${id}: paging pool of 100 pages holds ${used - r.pool.p2m + 100 + r.pool.oos} pages of p2m, log-dirty trie, out-of-sync snapshots and shadows`, `d${pv}: PV paging pool of 8 pages without log-dirty`]);
  });
});

