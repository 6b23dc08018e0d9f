/**
 * print_bitmap (tools/xl/xl_utils.c): "none", "all" (every bit from 0 up to
 * the last examined one), or ascending runs "a" / "a-b" joined by commas.
 */
export function printBitmap(bits: readonly number[], maplen: number): string {
  const set = new Set(bits);
  let out = '';
  let state = 0;
  let firstset = 0;
  for (let i = 0; i < maplen; i++) {
    const on = set.has(i);
    if (state === 0 || state === 2) {
      if (on) {
        firstset = i;
        state++;
      }
    } else if (!on) {
      out += (state > 1 ? ',' : '') + String(firstset);
      if (i - 1 > firstset) out += `-${i - 1}`;
      state = 2;
    }
  }
  if (state === 0) return 'none';
  if (state === 1 && firstset === 0) return 'all';
  if (state === 1 || state === 3) {
    out += (state > 1 ? ',' : '') + String(firstset);
    if (maplen - 1 > firstset) out += `-${maplen - 1}`;
  }
  return out;
}
