import { describe, expect, test } from 'vitest';
import { hostE820, hostMemoryMap, XEN_IMAGE_BASE } from '../../lib/xen/layout/hostmap';
import { e820Usable } from '../../lib/xen/layout/e820';
import { renderHostMapText } from '../../lib/xen/layout/render-report';
import { hostMapToJson } from '../../lib/xen/layout/render-json';
import { checkContiguous, PAGE } from '../../lib/xen/layout/region';
import { addGuest, bootFixture } from './host-fixture';

const pagesOf = (ranges: { start: bigint; end: bigint }[]) => Number(ranges.reduce((a, s) => a + (s.end - s.start), 0n) / PAGE);

describe('host memory: Xen, dom0, guests and paging pools', () => {
  const f = bootFixture();
  const d1 = addGuest(f, 'hvm', 1024, 12);
  const d2 = addGuest(f, 'pv', 512, 0);
  const d3 = addGuest(f, 'pvh', 768, 4);
  const map = hostMemoryMap(f.host, f.domains(), { [d1]: 'win', [d2]: 'web', [d3]: 'db' });

  test('the hypervisor state adds up and the picture covers every page exactly once', () => {
    expect(f.xen.checkInvariants()).toEqual([]);
    expect(checkContiguous(map.regions)).toBeUndefined();
    for (const r of map.rows) expect(pagesOf(r.ranges)).toBe(r.pages);
    const xen = map.rows.filter((r) => r.kind === 'xen').reduce((a, r) => a + r.pages, 0);
    expect(xen).toBe(f.host.xenPages);
    expect(map.rows.find((r) => r.kind === 'free')!.pages).toBe(f.host.freePages);
    expect(map.notes.some((n) => n.includes('mismatch') || n.includes('do not fit'))).toBe(false);
    const all = map.rows.reduce((a, r) => a + r.pages, 0);
    expect(all).toBe(f.host.totalPages);
  });

  test('each domain shows its tot_pages and, apart, its paging pool', () => {
    for (const d of f.domains()) {
      expect(map.rows.find((r) => r.domid === d.domid && r.kind !== 'pool')!.pages).toBe(d.totPages);
    }
    expect(map.rows.find((r) => r.owner === `d${d1} HAP pool`)!.pages).toBe(12 * 256);
    expect(map.rows.find((r) => r.owner === `d${d3} HAP pool`)!.pages).toBe(4 * 256);
    expect(map.rows.some((r) => r.owner === `d${d2} HAP pool`)).toBe(false);
    expect(map.rows.map((r) => r.owner)).toContain(`d${d1} win (hvm)`);
    expect(map.rows.map((r) => r.owner)).toContain('d0 Domain-0 (pv)');
  });

  test('deterministic order: Xen tables at the top, then dom0, then guests by creation, free heap lowest', () => {
    const top = (owner: string) => map.rows.find((r) => r.owner.startsWith(owner))!.ranges[0]!.end;
    expect(top('Xen frame table')).toBeGreaterThan(top('d0 '));
    expect(top('d0 ')).toBeGreaterThan(top(`d${d1} `));
    expect(top(`d${d1} `)).toBeGreaterThan(top(`d${d2} `));
    expect(top(`d${d2} `)).toBeGreaterThan(top(`d${d3} `));
    const image = map.rows.find((r) => r.owner.startsWith('Xen image'))!;
    expect(image.ranges[0]!.start).toBe(XEN_IMAGE_BASE);
    expect(hostMemoryMap(f.host, f.domains(), { [d1]: 'win', [d2]: 'web', [d3]: 'db' })).toEqual(map);
  });

  test('the host E820 offers exactly total_pages of RAM above 1 MiB', () => {
    const e = hostE820(f.host.totalPages);
    expect(e820Usable(e) - 0x9c000n).toBe(BigInt(f.host.totalPages) * PAGE);
  });

  test('table and JSON', () => {
    const t = renderHostMapText(map);
    expect(t.split('\n')[0]).toBe('owner                                         pages        MiB  host-physical ranges');
    expect(t).toContain(`\nd${d2} web (pv)                                  131072      512.0  0x`);
    const j = JSON.parse(JSON.stringify(hostMapToJson(map))) as { owners: { owner: string; ranges: { start: string }[] }[] };
    expect(j.owners.find((o) => o.owner.startsWith('Xen image'))!.ranges[0]!.start).toBe('0xa6800000');
  });
});
