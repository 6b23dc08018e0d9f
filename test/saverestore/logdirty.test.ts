// Log-dirty in the hypervisor model: CLEAN reads and resets, PEEK only reads,
// fault costs follow the paging mode, and the workload dirties in proportion
// to time within its working set.
import { describe, expect, it } from 'vitest';
import { bitmapIndices, indexOfPfn, LogDirty, PageImage, pageImageData, pfnOfIndex } from '../../lib/xen/logdirty';
import { PageChooser, WorkloadRunner } from '../../lib/libxl/workload';

describe('stored page images', () => {
  const image = (n: number, pages: Array<[number, number]>): PageImage => {
    const img = new PageImage(true, n);
    for (const [i, g] of pages) img.setGeneration(i, g);
    return img;
  };
  const same = (a: PageImage, b: PageImage): void => {
    expect(b.nrPages).toBe(a.nrPages);
    expect(Buffer.from(b.generationTable().buffer).equals(Buffer.from(a.generationTable().buffer))).toBe(true);
  };

  it('a few scattered pages are kept sparse, a working set written all over dense, each in the width its generations need', () => {
    const sparse = image(1 << 16, [[3, 1], [40000, 70000], [65535, 2]]);
    const d1 = sparse.save();
    expect(d1.dense).toBeUndefined();
    same(sparse, PageImage.load(d1));
    for (const [max, width] of [[200, 1], [300, 2], [70000, 4]] as const) {
      // a workload's leftovers: most of [100, 5100) written, a few pages not
      const pages: Array<[number, number]> = [];
      for (let i = 100; i < 5100; i++) if (i % 13) pages.push([i, 1 + (i % max)]);
      pages.push([5099, max]);
      const img = image(1 << 16, pages);
      const d = img.save();
      expect([d.base, d.width, d.idx]).toEqual([100, width, undefined]);
      expect(Buffer.from(d.dense!, "base64").length).toBe(width * 5000);
      same(img, PageImage.load(d));
    }
    const empty = image(4096, []);
    same(empty, PageImage.load(empty.save()));
  });

  it('an image stored by an earlier xlsim (sparse only) still loads', () => {
    const idx = Buffer.from(Uint32Array.from([1, 2, 9]).buffer).toString('base64');
    const gen = Buffer.from(Uint32Array.from([5, 6, 7]).buffer).toString('base64');
    const img = PageImage.load({ hvm: false, nrPages: 16, idx, gen });
    expect([...img.generationTable()]).toEqual([0, 5, 6, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0]);
  });

  it('an image given as runs (a received one, around the MMIO hole) is stored as the same image whole', () => {
    const whole = image(3000, [...Array.from({ length: 2500 }, (_, i): [number, number] => [i + 400, 1 + (i % 9)])]);
    const g = whole.generationTable();
    const d = pageImageData(true, 3000, [
      [0, g.subarray(0, 1000)],
      [1000, g.subarray(1000)],
    ]);
    expect(d.dense).toBeDefined();
    same(whole, PageImage.load(d));
  });
});

describe('log-dirty', () => {
  it('shadow: every first write after CLEAN faults; PEEK keeps, CLEAN resets', () => {
    const ld = new LogDirty('shadow', new PageImage(false, 4096));
    expect(ld.peek()).toEqual({ ok: false, errno: 'EINVAL' });
    expect(ld.enable().ok).toBe(true);
    expect(ld.enable()).toEqual({ ok: false, errno: 'EINVAL' });
    for (const i of [5, 5, 9, 4095]) ld.write(i);
    const p = ld.peek();
    expect(p.ok && p.stats).toEqual({ faultCount: 3, dirtyCount: 3 });
    const c = ld.clean();
    expect(c.ok && [...bitmapIndices(c.bitmap!, 4096)]).toEqual([5, 9, 4095]);
    const after = ld.peek();
    expect(after.ok && after.stats).toEqual({ faultCount: 0, dirtyCount: 0 });
    expect(ld.image.generation(5)).toBe(2);
  });

  it('HAP with PML exits once per 512 logged pages; plain HAP faults per page', () => {
    const pml = new LogDirty('hap-pml', new PageImage(true, 8192));
    const hap = new LogDirty('hap', new PageImage(true, 8192));
    pml.enable();
    hap.enable();
    for (let i = 0; i < 1100; i++) {
      pml.write(i);
      hap.write(i);
    }
    const a = pml.clean();
    const b = hap.clean();
    expect(a.ok && a.stats).toEqual({ faultCount: 2, dirtyCount: 1100 });
    expect(b.ok && b.stats).toEqual({ faultCount: 1100, dirtyCount: 1100 });
  });

  it('HVM page indices skip the MMIO hole', () => {
    expect(pfnOfIndex(true, 0xeffff)).toBe(0xeffff);
    expect(pfnOfIndex(true, 0xf0000)).toBe(0x100000);
    expect(indexOfPfn(true, 0x100001)).toBe(0xf0001);
    expect(indexOfPfn(true, 0xf8000)).toBe(-1);
    expect(pfnOfIndex(false, 0xf0000)).toBe(0xf0000);
  });

  it('the workload dirties rate x time pages inside its working set, reproducibly', () => {
    const run = () => {
      const ld = new LogDirty('shadow', new PageImage(false, 1 << 20));
      ld.enable();
      const w = new WorkloadRunner({ dirtyRate: 10_000, wss: 1000 }, new PageChooser(42));
      expect(w.run(ld, 50_000_000)).toBe(500); // 10k/s for 50 ms
      const c = ld.clean();
      const idx = c.ok ? [...bitmapIndices(c.bitmap!, 1 << 20)] : [];
      expect(idx.every((i) => i < 1000)).toBe(true);
      return idx;
    };
    const a = run();
    expect(a.length).toBeGreaterThan(300);
    expect(run()).toEqual(a);
  });
});
