/**
 * The SVG pictures open in a real browser: headless Chromium renders them to
 * PNG and we look for the colours of the blocks. Skipped where no Chromium is
 * installed (CI images without a browser).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { guestMemoryMap } from '../../lib/xen/layout/memmap';
import { hostMemoryMap } from '../../lib/xen/layout/hostmap';
import { renderMapSvg, KIND_COLOUR } from '../../lib/xen/layout/render-svg';
import type { Region } from '../../lib/xen/layout/region';
import { countColour, decodePng } from './png';
import { addGuest, bootFixture } from './host-fixture';

function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

const chromium = findChromium();
const dir = mkdtempSync(join(tmpdir(), 'xlsim-svg-'));
afterAll(() => {
  if (!process.env.XLSIM_KEEP_SCREENSHOTS) rmSync(dir, { recursive: true, force: true });
});

function screenshot(name: string, regions: Region[], title: string) {
  const svg = renderMapSvg(regions, title);
  const height = Number(/height="(\d+)"/.exec(svg)![1]);
  const svgPath = join(dir, `${name}.svg`);
  const pngPath = join(dir, `${name}.png`);
  writeFileSync(svgPath, svg);
  const r = spawnSync(
    chromium!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--force-device-scale-factor=1',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--screenshot=${pngPath}`,
      `--window-size=1000,${height}`,
      `file://${svgPath}`,
    ],
    { encoding: 'utf8', timeout: 90_000 },
  );
  if (r.status !== 0) throw new Error(`chromium failed (${r.status}): ${r.stderr}`);
  return { img: decodePng(readFileSync(pngPath)), bytes: statSync(pngPath).size, height };
}

describe.skipIf(!chromium)('SVG pictures render in Chromium', () => {
  test('HVM guest map: blocks, the LAPIC page and the VGA hole are visible', () => {
    const m = guestMemoryMap({ type: 'hvm', memoryMiB: 6144, vcpus: 2 });
    const { img, bytes, height } = screenshot('hvm', m.physical, 'd1 win10 (HVM, 6 GiB)');
    expect([img.width, img.height]).toEqual([1000, height]);
    expect(bytes).toBeGreaterThan(20_000);
    // a 4 KiB page still gets a block: 230 px wide, at least 16 px tall
    expect(countColour(img, KIND_COLOUR.lapic)).toBeGreaterThan(200 * 12);
    expect(countColour(img, KIND_COLOUR.vga)).toBeGreaterThan(200 * 12);
    expect(countColour(img, KIND_COLOUR.ram)).toBeGreaterThan(200 * 60);
    expect(countColour(img, '#ffffff')).toBeGreaterThan(img.width * img.height * 0.4);
  });

  test('PVH guest map: the LAPIC is there, no IOAPIC or HPET', () => {
    const m = guestMemoryMap({ type: 'pvh', memoryMiB: 2048, vcpus: 2 });
    const { img } = screenshot('pvh', m.physical, 'd3 db (PVH, 2 GiB)');
    expect(countColour(img, KIND_COLOUR.lapic)).toBeGreaterThan(200 * 12);
    expect(countColour(img, KIND_COLOUR.special)).toBeGreaterThan(200 * 12);
    expect(countColour(img, KIND_COLOUR.ioapic, 2)).toBe(0);
    expect(countColour(img, KIND_COLOUR.hpet, 2)).toBe(0);
  });

  test('PV virtual map: Xen\'s 8 TiB window drawn', () => {
    const m = guestMemoryMap({ type: 'pv', memoryMiB: 2048, vcpus: 2 });
    const { img } = screenshot('pv', m.virtual!, 'd2 web (PV): virtual address space');
    expect(countColour(img, KIND_COLOUR.xen)).toBeGreaterThan(200 * 16 * 10);
    expect(countColour(img, KIND_COLOUR.guest)).toBeGreaterThan(200 * 16 * 5);
  });

  test('host map: dom0, guests and paging pools drawn', () => {
    const f = bootFixture();
    addGuest(f, 'hvm', 1024, 12);
    addGuest(f, 'pvh', 512, 4);
    const h = hostMemoryMap(f.host, f.domains());
    const { img } = screenshot('host', h.regions, 'host memory');
    for (const k of ['dom0', 'domain', 'pool', 'xen', 'free'] as const) {
      expect(countColour(img, KIND_COLOUR[k]), k).toBeGreaterThan(200 * 12);
    }
  });
});
