/**
 * A set of pCPUs written the way Xen prints a cpumask ("0-3,8"): the debug-key
 * dumps show affinities so, and domain records store them so.
 */

/** Ascending runs of the set ("0-63", "2,4-5"): Xen's %*pbl. */
export function bitmapList(bits: readonly number[]): string {
  const s = [...new Set(bits)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    parts.push(i === j ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The list bitmapList wrote, back as numbers. */
export function parseBitmapList(s: string): number[] {
  const out: number[] = [];
  if (!s) return out;
  for (const part of s.split(',')) {
    const dash = part.indexOf('-');
    if (dash < 0) out.push(Number(part));
    else for (let c = Number(part.slice(0, dash)), end = Number(part.slice(dash + 1)); c <= end; c++) out.push(c);
  }
  return out;
}
