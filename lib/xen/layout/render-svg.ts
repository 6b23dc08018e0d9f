/**
 * A memory map as a self-contained SVG picture: one column of blocks, highest
 * address at the top, block height growing with the logarithm of the size so
 * that a 4 KiB LAPIC page and 64 TiB of direct map are both readable;
 * addresses on the left, labels and sizes on the right, a legend of the kinds
 * present, colours per kind. No scripts, fonts or external references.
 */
import { hex64, humanSize, KIND_MEANING, type Region, type RegionKind } from './region';

export const KIND_COLOUR: Record<RegionKind, string> = {
  ram: '#7fc97f',
  rom: '#c9a0dc',
  reserved: '#bdbdbd',
  acpi: '#fdc086',
  mmio: '#80b1d3',
  vga: '#ffff99',
  special: '#f781bf',
  lapic: '#e41a1c',
  ioapic: '#ff7f00',
  hpet: '#a65628',
  hole: '#f4f4f4',
  user: '#b3de69',
  p2m: '#8dd3c7',
  noncanonical: '#eeeeee',
  xen: '#fb8072',
  guest: '#6baed6',
  firmware: '#d9d9d9',
  free: '#e5f5e0',
  dom0: '#386cb0',
  domain: '#66c2a5',
  pool: '#ffd92f',
};

const W = 1000;
const ADDR_X = 190;
const BAR_X = 200;
const BAR_W = 230;
const LABEL_X = 444;
const FONT = 'font-family="DejaVu Sans Mono, Menlo, Consolas, monospace"';

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Labels past the right edge are cut; the full text stays in the tooltip. */
function clip(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '\u2026';
}

function blockHeight(size: bigint): number {
  const bits = size <= 0n ? 0 : size.toString(2).length;
  return 16 + 4 * Math.max(0, bits - 13);
}

/** Dark text on light fills, white on dark ones. */
function textColour(fill: string): string {
  const n = parseInt(fill.slice(1), 16);
  const lum = 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
  return lum < 140 ? '#ffffff' : '#000000';
}

export function renderMapSvg(regions: readonly Region[], title: string, subtitle?: string): string {
  const kinds = [...new Set(regions.map((r) => r.kind))];
  const legendCols = 4;
  const legendRows = Math.ceil(kinds.length / legendCols);
  const legendTop = subtitle ? 66 : 48;
  const mapTop = legendTop + legendRows * 20 + 24;
  const heights = regions.map((r) => blockHeight(r.end - r.start));
  const mapH = heights.reduce((a, h) => a + h, 0);
  const H = mapTop + mapH + 40;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="20" y="30" ${FONT} font-size="18" font-weight="bold" fill="#000000">${escapeXml(title)}</text>`);
  if (subtitle) out.push(`<text x="20" y="52" ${FONT} font-size="12" fill="#444444">${escapeXml(subtitle)}</text>`);

  out.push('<g class="legend">');
  kinds.forEach((k, i) => {
    const x = 20 + (i % legendCols) * 240;
    const y = legendTop + Math.floor(i / legendCols) * 20;
    out.push(`<rect x="${x}" y="${y}" width="14" height="14" fill="${KIND_COLOUR[k]}" stroke="#555555" stroke-width="0.5"/>`);
    out.push(`<text x="${x + 20}" y="${y + 11}" ${FONT} font-size="11" fill="#000000">${escapeXml(KIND_MEANING[k])}</text>`);
  });
  out.push('</g>');

  out.push('<g class="map">');
  let y = mapTop;
  const desc = regions.map((r, i) => ({ r, h: heights[i]! })).reverse();
  if (desc.length) {
    out.push(`<text x="${ADDR_X}" y="${y + 4}" ${FONT} font-size="10" text-anchor="end" fill="#333333">${hex64(desc[0]!.r.end)}</text>`);
  }
  for (const { r, h } of desc) {
    const fill = KIND_COLOUR[r.kind];
    const tip = [r.label, `${hex64(r.start)}-${hex64(r.end - 1n)}`, ...(r.detail ?? [])].join('\n');
    out.push(`<g class="region" data-kind="${r.kind}">`);
    out.push(`<title>${escapeXml(tip)}</title>`);
    out.push(`<rect x="${BAR_X}" y="${y}" width="${BAR_W}" height="${h}" fill="${fill}" stroke="#444444" stroke-width="0.75"/>`);
    const mid = y + h / 2 + 4;
    out.push(`<text x="${BAR_X + BAR_W / 2}" y="${mid}" ${FONT} font-size="11" text-anchor="middle" fill="${textColour(fill)}">${escapeXml(humanSize(r.end - r.start))}</text>`);
    out.push(`<text x="${LABEL_X}" y="${mid}" ${FONT} font-size="12" fill="#000000">${escapeXml(clip(r.label, 74))}</text>`);
    y += h;
    out.push(`<line x1="${ADDR_X + 4}" y1="${y}" x2="${BAR_X}" y2="${y}" stroke="#444444" stroke-width="0.75"/>`);
    out.push(`<text x="${ADDR_X}" y="${y + 4}" ${FONT} font-size="10" text-anchor="end" fill="#333333">${hex64(r.start)}</text>`);
    out.push('</g>');
  }
  out.push('</g>');
  out.push(`<text x="20" y="${H - 14}" ${FONT} font-size="10" fill="#666666">block heights grow with log2(size); addresses are the start of each block</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
