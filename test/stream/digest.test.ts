import { describe, expect, it } from 'vitest';
import { digestOf, digestOfArrays, MemoryDigest, PageTokenMap } from '../../lib/libxl/stream/index';
import { randomTokens, rng } from './fixtures';

describe('memory digest', () => {
  const pfns = Array.from({ length: 500 }, (_, i) => i * 3);
  const toks = randomTokens(500, 4);

  it('does not depend on the order pages are added', () => {
    const fwd = digestOfArrays(pfns, toks);
    const pairs = pfns.map((p, i) => [p, toks[i]!] as const).reverse();
    expect(digestOf(pairs)).toEqual(fwd);
  });

  it('remove undoes add, so a receiver can overwrite pages', () => {
    const m = new PageTokenMap(2000);
    pfns.forEach((p, i) => m.set(p, Number(toks[i]! & 0xffffffffn), Number(toks[i]! >> 32n)));
    m.set(3, 1, 2);
    m.set(3, Number(toks[1]! & 0xffffffffn), Number(toks[1]! >> 32n));
    expect(m.value()).toEqual(digestOfArrays(pfns, toks));
    m.clear(0);
    expect(m.value().pages).toBe(499);
    expect(m.get(0)).toBeUndefined();
    expect(m.get(3)).toBe(toks[1]);
  });

  it('changes when any single bit of a token or a pfn changes, or a page goes missing', () => {
    const base = digestOfArrays(pfns, toks);
    const r = rng(1);
    for (let n = 0; n < 2000; n++) {
      const i = Math.floor(r() * pfns.length);
      const bit = Math.floor(r() * 64);
      const t2 = new BigUint64Array(toks);
      t2[i] = t2[i]! ^ (1n << BigInt(bit));
      expect(digestOfArrays(pfns, t2)).not.toEqual(base);
      const p2 = [...pfns];
      p2[i] = p2[i]! ^ (1 << Math.floor(r() * 20));
      if (!pfns.includes(p2[i]!)) expect(digestOfArrays(p2, toks)).not.toEqual(base);
    }
    const d = new MemoryDigest();
    pfns.slice(1).forEach((p, i) => d.addToken(p, toks[i + 1]!));
    expect(d.value()).not.toEqual(base);
  });

  it('handles pfns above 4 Gi (52-bit pfns)', () => {
    const a = digestOf([[2 ** 40 + 5, 7n]]);
    const b = digestOf([[5, 7n]]);
    expect(a).not.toEqual(b);
  });
});
