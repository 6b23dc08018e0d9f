/**
 * print_bitmap (tools/xl/xl_utils.c) for a list of set bits, as xl list -n
 * and vcpu-list print affinities. The algorithm lives with the CPU-list
 * parser (lib/cfg/cpulist.ts), which prints maps the same way.
 */
import { bitmapRuns } from '../../lib/cfg/cpulist';

export function printBitmap(bits: readonly number[], maplen: number): string {
  const set = new Set(bits);
  return bitmapRuns((i) => set.has(i), maplen);
}
