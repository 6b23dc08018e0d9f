/**
 * Plain-text pictures of memory maps: an aligned table with a log-scale bar
 * per region, and a box diagram drawn top-down from the highest address, the
 * way memory maps are drawn in manuals. All column layout goes through
 * sprintf so the output is stable byte for byte.
 */
import { sprintf } from '../../util/printf';
import { renderE820Lines } from './e820';
import type { GuestMemoryMap } from './memmap';
import { hex64, humanSize, type Region } from './region';

const BAR = 20;

/** Bits needed for the size: a log2 scale that keeps 4 KiB pages visible next to TiB ranges. */
function bitLength(n: bigint): number {
  return n <= 0n ? 0 : n.toString(2).length;
}

function barOf(size: bigint): string {
  const bits = bitLength(size);
  const n = Math.max(1, Math.min(BAR, Math.round((BAR * (bits - 10)) / 54)));
  return '#'.repeat(n);
}

/** One row per region: range (inclusive end, as Linux prints), size, kind, bar, label; details indented below. */
export function renderMapText(regions: readonly Region[]): string {
  const lines = [sprintf('%-37s %10s  %-12s %-22s %s', 'range', 'size', 'kind', 'scale (log)', 'what')];
  for (const r of regions) {
    lines.push(
      sprintf('%s-%s %10s  %-12s |%-20s| %s', hex64(r.start), hex64(r.end - 1n), humanSize(r.end - r.start), r.kind, barOf(r.end - r.start), r.label),
    );
    for (const d of r.detail ?? []) lines.push(sprintf('%85s%s', '', `. ${d}`));
  }
  return lines.join('\n') + '\n';
}

const BOX = 56;

function fit(s: string, w: number): string {
  return s.length <= w ? s : s.slice(0, w - 3) + '...';
}

/** Boxes stacked from the highest address down; taller boxes for larger ranges. */
export function renderMapDiagram(regions: readonly Region[]): string {
  const edge = '+' + '-'.repeat(BOX) + '+';
  const lines: string[] = [];
  const desc = [...regions].reverse();
  if (desc.length === 0) return '';
  lines.push(sprintf('%s %s', edge, hex64(desc[0]!.end)));
  for (const r of desc) {
    const size = humanSize(r.end - r.start);
    const textW = BOX - 2 - size.length - 1;
    lines.push(sprintf('| %-*s %s |', textW, fit(r.label, textW), size));
    const extra = Math.floor(Math.max(0, bitLength(r.end - r.start) - 13) / 20);
    for (let i = 0; i < extra; i++) lines.push(sprintf('|%*s|', BOX, ''));
    lines.push(sprintf('%s %s', edge, hex64(r.start)));
  }
  return lines.join('\n') + '\n';
}

/** Everything `xlsim inspect <dom> memmap` shows, in reading order. */
export function renderGuestMapText(map: GuestMemoryMap, title?: string): string {
  const kind = map.type === 'pv' ? 'PV' : map.type === 'pvh' ? 'PVH' : 'HVM';
  const out: string[] = [];
  if (title) out.push(title, '');
  out.push(`Guest-physical address space (${kind}${map.type === 'pv' ? ', pseudo-physical' : ''}):`, '');
  out.push(renderMapDiagram(map.physical));
  out.push(renderMapText(map.physical));
  out.push(`E820 as the guest kernel prints it:`);
  out.push(['BIOS-provided physical RAM map:', ...renderE820Lines(map.e820, map.e820Source)].join('\n'), '');
  if (map.virtual) {
    out.push('Guest virtual address space (shared with Xen):', '');
    out.push(renderMapText(map.virtual));
  }
  out.push(`Where Xen is: ${map.xenPlacement}`, '');
  out.push('Notes:');
  for (const n of map.notes) out.push(`  - ${n}`);
  return out.join('\n') + '\n';
}
