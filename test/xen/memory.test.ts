import { describe, expect, it } from 'vitest';
import { HAP_INIT_PAGES, SHADOW_INIT_PAGES } from '../../lib/xen/constants';
import { listMemMiB, stateLetters } from '../../lib/xen/info';
import { bootHost, HVM, PV, PVH, unwrap } from './helpers';

const MiB = 256;

describe('host accounting', () => {
  it('free + domains + pools + xen = total after boot', () => {
    const { xen, store } = bootHost();
    const h = store.host();
    const p = xen.physinfo();
    expect(p.totalPages).toBe(h.totalPages);
    expect(p.freePages + store.domain(0)!.totPages + h.xenPages).toBe(p.totalPages);
    expect(xen.checkInvariants()).toEqual([]);
  });

  it('stays consistent across create / populate / balloon / pool / destroy', () => {
    const { xen, store } = bootHost();
    const free0 = xen.physinfo().freePages;
    const id = unwrap(xen.createdomain(HVM));
    expect(xen.physinfo().freePages).toBe(free0 - HAP_INIT_PAGES); // HAP pool auto-initialised
    unwrap(xen.max_mem(id, 512 * 1024 + 1024));
    expect(unwrap(xen.populate_physmap(id, 512 * MiB))).toBe(512 * MiB);
    expect(xen.checkInvariants()).toEqual([]);
    expect(unwrap(xen.set_paging_mempool_size(id, 6 * 1024 * 1024))).toBe(6 * 1024 * 1024);
    expect(xen.physinfo().freePages).toBe(free0 - 512 * MiB - 6 * MiB);
    // the pool is not the domain's: xl list Mem shows only tot_pages
    const info = unwrap(xen.getdomaininfo(id));
    expect(info.totPages).toBe(512 * MiB);
    expect(listMemMiB(info)).toBe(512);
    expect(unwrap(xen.decrease_reservation(id, 128 * MiB))).toBe(128 * MiB);
    expect(xen.checkInvariants()).toEqual([]);
    expect(listMemMiB(unwrap(xen.getdomaininfo(id)))).toBe(384);
    unwrap(xen.destroydomain(id));
    expect(xen.physinfo().freePages).toBe(free0);
    expect(xen.checkInvariants()).toEqual([]);
    expect(store.domains().map((d) => d.domid)).toEqual([0]);
  });

  it('checkInvariants reports broken books', () => {
    const { xen, store } = bootHost();
    store.host().freePages += 5;
    store.domain(0)!.controllerPause = 300;
    const v = xen.checkInvariants();
    expect(v.some((s) => s.startsWith('memory does not add up'))).toBe(true);
    expect(v).toContain('d0: controller pause count 300 outside 0..255');
  });
});

describe('populate and max_pages', () => {
  it('stops at max_pages (the rest fails) and logs the over-allocation for guest info', () => {
    const { xen } = bootHost({ cmdline: 'dom0_mem=1G guest_loglvl=all' });
    const id = unwrap(xen.createdomain(PV));
    unwrap(xen.max_mem(id, 64 * 1024));
    xen.readconsole(true);
    expect(unwrap(xen.populate_physmap(id, 80 * MiB))).toBe(64 * MiB);
    expect(xen.readconsole()).toEqual([`(XEN) d${id}v0 Over-allocation for d${id}: ${64 * MiB + 1} > ${64 * MiB}`]);
  });

  it('with default log levels the over-allocation line is not printed', () => {
    const { xen } = bootHost();
    const id = unwrap(xen.createdomain(PV));
    xen.readconsole(true);
    expect(unwrap(xen.populate_physmap(id, 10))).toBe(0);
    expect(xen.readconsole()).toEqual([]);
  });

  it('max_mem below tot_pages is accepted; allocations then fail', () => {
    const { xen } = bootHost();
    const id = unwrap(xen.createdomain(PV));
    unwrap(xen.max_mem(id, 32 * 1024));
    unwrap(xen.populate_physmap(id, 32 * MiB));
    unwrap(xen.max_mem(id, 16 * 1024));
    expect(unwrap(xen.getdomaininfo(id)).maxPages).toBe(16 * MiB);
    expect(unwrap(xen.populate_physmap(id, 1))).toBe(0);
  });

  it('populates only what the heap has', () => {
    const { xen } = bootHost();
    const id = unwrap(xen.createdomain(PV));
    const free = xen.physinfo().freePages;
    unwrap(xen.max_mem(id, (free + 100) * 4));
    expect(unwrap(xen.populate_physmap(id, free + 100))).toBe(free);
    expect(xen.physinfo().freePages).toBe(0);
    expect(xen.checkInvariants()).toEqual([]);
  });
});

describe('claims (domain_set_outstanding_pages)', () => {
  function host() {
    const h = bootHost();
    const id = unwrap(h.xen.createdomain(PV));
    unwrap(h.xen.max_mem(id, 1024 * 1024));
    return { ...h, id };
  }

  it('claims reduce what others can allocate and are drawn down by the claimant', () => {
    const { xen, store, id } = host();
    const free = xen.physinfo().freePages;
    unwrap(xen.claim_pages(id, 256 * MiB));
    expect(xen.physinfo().outstandingPages).toBe(256 * MiB);
    expect(unwrap(xen.getdomaininfo(id)).outstandingPages).toBe(256 * MiB);
    // xl list Mem counts the claim
    expect(listMemMiB(unwrap(xen.getdomaininfo(id)))).toBe(256);
    unwrap(xen.populate_physmap(id, 100 * MiB));
    expect(store.domain(id)!.outstandingPages).toBe(156 * MiB);
    expect(xen.physinfo().outstandingPages).toBe(156 * MiB);
    expect(xen.physinfo().freePages).toBe(free - 100 * MiB);
    // another domain cannot take claimed memory
    const other = unwrap(xen.createdomain(PV));
    unwrap(xen.max_mem(other, 64 * 1024 * 1024));
    const got = unwrap(xen.populate_physmap(other, free));
    expect(got).toBe(free - 100 * MiB - 156 * MiB);
    // but the claimant still can
    expect(unwrap(xen.populate_physmap(id, 156 * MiB))).toBe(156 * MiB);
    expect(xen.checkInvariants()).toEqual([]);
  });

  it('one claim per domain; 0 cancels', () => {
    const { xen, id } = host();
    unwrap(xen.claim_pages(id, 10 * MiB));
    expect(xen.claim_pages(id, 20 * MiB)).toEqual({ ok: false, errno: 'EINVAL' });
    unwrap(xen.claim_pages(id, 0));
    expect(xen.physinfo().outstandingPages).toBe(0);
    unwrap(xen.claim_pages(id, 20 * MiB));
  });

  it('a claim must exceed tot_pages and not exceed max_pages; it counts only the pages still needed', () => {
    const { xen, id } = host();
    unwrap(xen.populate_physmap(id, 10 * MiB));
    expect(xen.claim_pages(id, 10 * MiB)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xen.claim_pages(id, 1024 * MiB + 1)).toEqual({ ok: false, errno: 'EINVAL' });
    unwrap(xen.claim_pages(id, 30 * MiB));
    expect(unwrap(xen.getdomaininfo(id)).outstandingPages).toBe(20 * MiB);
  });

  it('a claim beyond free minus existing claims is ENOMEM', () => {
    const { xen, id } = host();
    const free = xen.physinfo().freePages;
    const other = unwrap(xen.createdomain(PV));
    unwrap(xen.max_mem(other, free * 4));
    unwrap(xen.max_mem(id, free * 4));
    unwrap(xen.claim_pages(other, free - 100));
    expect(xen.claim_pages(id, 101)).toEqual({ ok: false, errno: 'ENOMEM' });
    unwrap(xen.claim_pages(id, 100));
  });

  it('destroy releases the claim', () => {
    const { xen, id } = host();
    unwrap(xen.claim_pages(id, 10 * MiB));
    unwrap(xen.destroydomain(id));
    expect(xen.physinfo().outstandingPages).toBe(0);
    expect(xen.checkInvariants()).toEqual([]);
  });
});

describe('paging pool', () => {
  it('HVM starts with 256 HAP pages, shadow with 1024, PV with none', () => {
    const { xen } = bootHost();
    const a = unwrap(xen.createdomain(PVH));
    const b = unwrap(xen.createdomain({ ...HVM, hap: false }));
    const c = unwrap(xen.createdomain(PV));
    expect(unwrap(xen.get_paging_mempool_size(a))).toBe(HAP_INIT_PAGES * 4096);
    expect(unwrap(xen.get_paging_mempool_size(b))).toBe(SHADOW_INIT_PAGES * 4096);
    expect(unwrap(xen.get_paging_mempool_size(c))).toBe(0);
  });

  it('libxl default sizes (4 KiB × (256·vcpus + k·MiB)) charge the host, not tot_pages', () => {
    const { xen } = bootHost();
    const id = unwrap(xen.createdomain({ ...HVM, maxVcpus: 4 }));
    const kib = 4 * (256 * 4 + 1 * 2048); // HAP, maxmem 2048 MiB
    const before = xen.physinfo().freePages;
    unwrap(xen.set_paging_mempool_size(id, kib * 1024));
    expect(xen.physinfo().freePages).toBe(before - (kib / 4 - HAP_INIT_PAGES));
    expect(unwrap(xen.getdomaininfo(id)).totPages).toBe(0);
  });

  it('a shadow pool is raised to the minimum; size must be page aligned; too big is ENOMEM', () => {
    const { xen } = bootHost();
    const id = unwrap(xen.createdomain({ ...HVM, hap: false, maxVcpus: 4 }));
    unwrap(xen.max_mem(id, 1024 * 1024));
    // sh_min_allocation: 128 pages a vCPU + max(tot_pages/256 (0: nothing populated yet), 6) + 1 for an HVM guest
    expect(unwrap(xen.set_paging_mempool_size(id, 4096))).toBe((128 * 4 + 7) * 4096);
    expect(xen.set_paging_mempool_size(id, 4097)).toEqual({ ok: false, errno: 'EINVAL' });
    const free = xen.physinfo().freePages;
    expect(xen.set_paging_mempool_size(id, (free + 10000) * 4096)).toEqual({ ok: false, errno: 'ENOMEM' });
  });
});

describe('populate-on-demand', () => {
  it('PoD entries cost nothing; the target sizes a cache in tot_pages; touching beyond it crashes', () => {
    const { xen } = bootHost();
    const id = unwrap(xen.createdomain(HVM));
    unwrap(xen.setvcpucontext(id, 0));
    unwrap(xen.max_mem(id, 1024 * 1024 + 1024));
    const free = xen.physinfo().freePages;
    expect(unwrap(xen.populate_physmap(id, 1024 * MiB, { pod: true }))).toBe(1024 * MiB);
    expect(xen.physinfo().freePages).toBe(free);
    expect(unwrap(xen.set_pod_target(id, 512 * MiB))).toEqual({ totPages: 512 * MiB, podCache: 512 * MiB, podEntries: 1024 * MiB });
    expect(xen.physinfo().freePages).toBe(free - 512 * MiB);
    expect(xen.checkInvariants()).toEqual([]);
    // a ballooned guest (entries down to the cache) can touch everything it has left
    expect(unwrap(xen.decrease_reservation(id, 512 * MiB))).toBe(512 * MiB);
    expect(xen.physinfo().freePages).toBe(free - 512 * MiB);
    expect(unwrap(xen.pod_touch(id, 512 * MiB))).toEqual({ crashed: false });
    expect(xen.checkInvariants()).toEqual([]);
  });

  it('a guest touching more than the cache without ballooning is crashed', () => {
    const { xen } = bootHost();
    const id = unwrap(xen.createdomain(HVM));
    unwrap(xen.setvcpucontext(id, 0));
    unwrap(xen.max_mem(id, 1024 * 1024 + 1024));
    unwrap(xen.populate_physmap(id, 1024 * MiB, { pod: true }));
    unwrap(xen.set_pod_target(id, 512 * MiB));
    unwrap(xen.unpausedomain(id));
    xen.readconsole(true);
    expect(unwrap(xen.pod_touch(id, 512 * MiB + 1))).toEqual({ crashed: true });
    const log = xen.readconsole();
    expect(log).toEqual([
      `(XEN) p2m_pod_demand_populate: Dom${id} out of PoD memory! (tot=${512 * MiB} ents=${512 * MiB} dom${id})`,
      `(XEN) Domain ${id} (vcpu#0) crashed on cpu#${id % 8}:`,
    ]);
    expect(stateOf(xen, id)).toBe('---sc-');
  });

  it('PV domains have no PoD', () => {
    const { xen } = bootHost();
    const id = unwrap(xen.createdomain(PV));
    expect(xen.populate_physmap(id, 10, { pod: true })).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xen.set_pod_target(id, 10)).toEqual({ ok: false, errno: 'EINVAL' });
  });
});

function stateOf(xen: ReturnType<typeof bootHost>['xen'], id: number): string {
  return stateLetters(unwrap(xen.getdomaininfo(id)));
}

describe('shadow_op allocation (MiB interface)', () => {
  it('sets and reads the pool in MiB, rounding the shadow minimum up', () => {
    const { xen } = bootHost();
    const id = unwrap(xen.createdomain({ ...HVM, hap: false, maxVcpus: 8 }));
    expect(unwrap(xen.shadow_op_get_allocation(id))).toBe(4); // 1024 pages auto-initialised
    expect(unwrap(xen.shadow_op_set_allocation(id, 1))).toBe(5); // raised to 128 pages × 8 vCPUs + 7: 1031 pages, 5 MiB rounded up
    expect(unwrap(xen.shadow_op_set_allocation(id, 16))).toBe(16);
    expect(xen.shadow_op_set_allocation(99, 16)).toEqual({ ok: false, errno: 'ESRCH' });
  });
});

describe('determinism of a whole session', () => {
  it('same operations, same state', () => {
    const run = () => {
      const { xen, store } = bootHost();
      const a = unwrap(xen.createdomain(HVM));
      unwrap(xen.max_mem(a, 256 * 1024 + 1024));
      unwrap(xen.claim_pages(a, 256 * MiB));
      unwrap(xen.populate_physmap(a, 256 * MiB));
      unwrap(xen.claim_pages(a, 0));
      unwrap(xen.setvcpucontext(a, 0));
      unwrap(xen.unpausedomain(a));
      unwrap(xen.setGuestLoad(a, 0.42));
      store.advance(3_333_333_333);
      const b = unwrap(xen.createdomain(PV));
      unwrap(xen.destroydomain(b));
      store.advance(1_000_000_007);
      unwrap(xen.sched_shutdown(a, 1));
      return JSON.stringify({ host: store.host(), doms: store.domains(), list: unwrap(xen.getdomaininfolist()) });
    };
    expect(run()).toBe(run());
  });
});
