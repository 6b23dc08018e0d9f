/** `xlsim inspect <dom> [view]`: exact text, JSON shapes, the SVG picture, bad input. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { findAll, parseXml } from '../layout/xml';
import { dbBytes, guestLab, res, type Lab } from './fixture';

let lab: Lab;
beforeAll(() => {
  lab = guestLab();
});

const HAP = 'HAP (hardware second-level tables: EPT on Intel, NPT on AMD)';

describe('text views', () => {
  test('summary (the default view), by name or by id', () => {
    const web = lab.xlsim('inspect', 'web');
    expect(web).toEqual(
      res(
        'domain:           web (domid 1), HVM\n' +
          'uuid:             2022dc3b-efa9-4183-a910-ec729410372c\n' +
          'state:            running\n' +
          'created:          0.000000000 s since host boot\n' +
          'memory:           512.0 MiB (tot_pages 131072, max_pages 131328)\n' +
          'vcpus:            2 online of 2\n' +
          `paging:           ${HAP}\n` +
          'paging pool:      4.0 MiB (1024 pages)\n' +
          'emulation_flags:  0x1ff (LAPIC HPET PM RTC IOAPIC PIC VGA IOMMU PIT)\n' +
          'altp2m:           disabled\n' +
          '\n' +
          'Views: xlsim inspect web memmap|paging|emulation|vcpus|xenstore [--json]\n',
      ),
    );
    expect(lab.xlsim('inspect', '1', 'summary')).toEqual(web);
    expect(lab.xlsim('inspect', 'old').stdout).toContain(
      'paging:           none (PV: the guest keeps its own page tables, Xen validates every update)\n' +
        'paging pool:      0.0 MiB (0 pages)\n' +
        'emulation_flags:  0x0\n',
    );
    expect(lab.xlsim('inspect', 'app').stdout).toContain('emulation_flags:  0x1 (LAPIC)\n');
  });

  test('paging: mode and pool as Xen has them, and the pool libxl asked for', () => {
    expect(lab.xlsim('inspect', 'app', 'paging')).toEqual(
      res(
        'domain:           app (domid 2), PVH\n' +
          `paging mode:      ${HAP}\n` +
          'paging pool:      512 pages = 2.0 MiB (not in tot_pages: "no owner" pages from the free heap)\n' +
          'pool asked:       2048 KiB (libxl: 4 KiB x (256 x 1 vCPUs + 1 x 256 MiB maxmem))\n' +
          'memory:           tot_pages 65536 (256.0 MiB), max_pages 65792 (257.0 MiB)\n' +
          'outstanding:      0 pages claimed, not yet allocated\n' +
          'PoD:              off (memory = maxmem)\n' +
          'shared / paged:   0 / 0 pages\n' +
          'altp2m:           disabled; host altp2m=1\n' +
          // HAP: the pool holds only the EPT (RAM in superpages); nothing is shadowed
          'pool use:         p2m 6, shadows 0, log-dirty trie 0, free 506 pages\n' +
          'log-dirty:        off\n',
      ),
    );
    expect(lab.xlsim('inspect', 'old', 'paging').stdout).toBe(
      'domain:           old (domid 3), PV\n' +
        'paging mode:      none (PV: the guest keeps its own page tables, Xen validates every update)\n' +
        'paging pool:      0 pages = 0.0 MiB (not in tot_pages: "no owner" pages from the free heap)\n' +
        'pool asked:       1536 KiB (libxl: 4 KiB x (256 x 1 vCPUs + 1 x 128 MiB maxmem))\n' +
        '                  a PV guest needs it only while shadow log-dirty mode runs (live migration, save)\n' +
        'memory:           tot_pages 32768 (128.0 MiB), max_pages 33024 (129.0 MiB)\n' +
        'outstanding:      0 pages claimed, not yet allocated\n' +
        'PoD:              off (memory = maxmem)\n' +
        'shared / paged:   0 / 0 pages\n' +
        'altp2m:           disabled; host altp2m=1\n',
    );
  });

  test('vcpus', () => {
    expect(lab.xlsim('inspect', 'web', 'vcpus')).toEqual(
      res('VCPU  CPU  State         Time(s)  Affinity (Hard / Soft)\n' + '0     1    r--               0.0  0-7 / 0-7\n' + '1     2    -b-               0.0  0-7 / 0-7\n'),
    );
  });

  test('xenstore: the domain subtree as dom0 sees it', () => {
    const r = lab.xlsim('inspect', 'app', 'xenstore');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('/local/domain/2 = ""');
    expect(lines).toContain('/local/domain/2/name = "app"');
    expect(lines).toContain('/local/domain/2/memory/target = "262144"');
    expect(lines.filter((l) => l !== '').every((l) => /^\/local\/domain\/2(\/\S+)? = ".*"$/.test(l))).toBe(true);
  });

  test('memmap: HVM holes and emulated pages, where Xen is', () => {
    const r = lab.xlsim('inspect', 'web', 'memmap');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith('Memory map of web (domid 1), HVM\n\nGuest-physical address space (HVM):\n\n+----')).toBe(true);
    expect(r.stdout).toContain('| local APIC (one per vCPU, emulated by Xen)       4 KiB |\n+--------------------------------------------------------+ 0x00000000fee00000\n');
    expect(r.stdout).toContain('| IOAPIC (emulated by Xen)                         4 KiB |\n');
    expect(r.stdout).toContain('+--------------------------------------------------------+ 0x00000000f0000000\n');
    expect(r.stdout).toContain('\nE820 as the guest kernel prints it:\nBIOS-provided physical RAM map:\n');
    expect(r.stdout).toMatch(/\nWhere Xen is: not mapped in the guest: /);
    expect(r.stdout).not.toContain('Guest virtual address space');
  });

  test('memmap: PV shares its virtual address space with Xen', () => {
    const r = lab.xlsim('inspect', 'old', 'memmap');
    expect(r.stdout).toContain('Guest-physical address space (PV, pseudo-physical):\n');
    expect(r.stdout).toContain('Xen: [mem 0x0000000000000000-0x000000000009ffff] usable\nXen: [mem 0x00000000000a0000-0x00000000000fffff] reserved\nXen: [mem 0x0000000000100000-0x00000000087fffff] usable\n');
    expect(r.stdout).toContain('Guest virtual address space (shared with Xen):\n');
    expect(r.stdout).toContain('Where Xen is: shares the guest\'s address space: PML4 slots 256-271');
  });

  test('emulation: the flags decoded, and who provides each device', () => {
    const hvm = lab.xlsim('inspect', 'web', 'emulation');
    expect(hvm.stdout.split('\n').slice(0, 6)).toEqual([
      'domain:           web (domid 1), HVM',
      '',
      'guest type:        HVM',
      'emulation_flags:   0x1ff',
      'Xen accepts it:    yes',
      'paging:            HAP (EPT/NPT), pool 4 MiB (libxl default: 1 MiB x 2 vCPUs + 4 KiB x 512 MiB)',
    ]);
    expect(hvm.stdout).toContain('   0 XEN_X86_EMU_LAPIC      0x001 on  Xen (vlapic.c)         local APIC per vCPU');
    expect(hvm.stdout).toContain('   9 XEN_X86_EMU_USE_PIRQ   0x200 -   Xen ');
    expect(hvm.stdout).toContain('QEMU device model: -machine xenfv');
    const pvh = lab.xlsim('inspect', 'app', 'emulation');
    expect(pvh.stdout).toContain('emulation_flags:   0x1\n');
    expect(pvh.stdout).toContain('   1 XEN_X86_EMU_HPET       0x002 -   ');
    expect(pvh.stdout).toContain('QEMU: none. PVH has no device model');
    expect(lab.xlsim('inspect', 'old', 'emulation').stdout).toContain('QEMU: none. PV has no emulated devices');
  });
});

describe('--json', () => {
  const json = (...a: string[]) => {
    const r = lab.xlsim(...a, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  test('summary', () => {
    expect(json('inspect', 'app')).toEqual({
      domid: 2,
      name: 'app',
      uuid: '37bacf90-d157-4979-89d3-6183ba35595b',
      type: 'pvh',
      state: 'running',
      created_ns: 0,
      tot_pages: 65536,
      max_pages: 65792,
      max_vcpus: 1,
      online_vcpus: 1,
      paging_mode: 'hap',
      paging_pool_pages: 512,
      emulation_flags: 1,
      emulation_flag_names: ['LAPIC'],
      altp2m: { mode: 'disabled', nr: 0 },
    });
  });

  test('paging', () => {
    expect(json('inspect', 'web', 'paging')).toEqual({
      domid: 1,
      name: 'web',
      type: 'hvm',
      mode: 'hap',
      hap: true,
      pool_pages: 1024,
      pool_kib: 4096,
      config: { mode: 'hap', pool_kib: 4096, explicit: false, max_vcpus: 2, maxmem_mib: 512 },
      tot_pages: 131072,
      max_pages: 131328,
      outstanding_pages: 0,
      pod: { target: 0, entries: 0, cache: 0 },
      shared_pages: 0,
      paged_pages: 0,
      altp2m: { mode: 'disabled', nr: 0, host_enabled: true },
      model: {
        shadow_enabled: false,
        pool: { pages: 1024, min_pages: 0, p2m_pages: 6, shadow_pages: 0, oos_pages: 0, logdirty_pages: 0, free_pages: 1018 },
        shadows: null,
        log_dirty: null,
        // the kernel's working set varies per domain (drawn from its handle); it is booting at full load
        activity: { kernel_wss_pages: 6965, kernel_touches_per_sec: 20005, workload_wss_pages: 0, workload_writes_per_sec: 0 },
      },
    });
  });

  test('memmap: regions as hex strings, ascending and gap-free', () => {
    const m = json('inspect', 'web', 'memmap');
    expect(m).toMatchObject({ domid: 1, name: 'web', type: 'hvm', ram: '0x1f800000', mmio_hole_start: '0xf0000000' });
    const regions = m.physical as { start: string; end: string; size: string; kind: string; label: string }[];
    expect(regions[0]!.start).toBe('0x0');
    for (let i = 1; i < regions.length; i++) expect(regions[i]!.start).toBe(regions[i - 1]!.end);
    for (const r of regions) expect(BigInt(r.end) - BigInt(r.start)).toBe(BigInt(r.size));
    expect(regions.find((r) => r.kind === 'lapic')).toMatchObject({ start: '0xfee00000', end: '0xfee01000' });
    expect((m.e820 as { source: string; entries: unknown[] }).entries.length).toBeGreaterThan(3);
    expect(typeof m.xen).toBe('string');
    const pv = json('inspect', 'old', 'memmap');
    expect(Array.isArray(pv.virtual)).toBe(true);
  });

  test('emulation, vcpus, xenstore', () => {
    const e = json('inspect', 'web', 'emulation');
    expect(e).toMatchObject({ domid: 1, name: 'web', type: 'hvm', hwdom: false, flags: 0x1ff, flagsHex: '0x1ff', requested: 0x1ff, accepted: true });
    expect((e.bits as unknown[]).length).toBe(11);
    expect(lab.xlsim('inspect', 'web', 'vcpus', '--json').stdout).toBe(
      JSON.stringify(
        [
          { vcpu: 0, online: true, running: true, blocked: false, cpu: 1, time_ns: 0, hard: [0, 1, 2, 3, 4, 5, 6, 7], soft: [0, 1, 2, 3, 4, 5, 6, 7] },
          { vcpu: 1, online: true, running: false, blocked: true, cpu: 2, time_ns: 0, hard: [0, 1, 2, 3, 4, 5, 6, 7], soft: [0, 1, 2, 3, 4, 5, 6, 7] },
        ],
        null,
        2,
      ) + '\n',
    );
    const xs = json('inspect', 'app', 'xenstore');
    expect(xs['/local/domain/2/name']).toBe('app');
    expect(Object.keys(xs)[0]).toBe('/local/domain/2');
  });

  test('dom0 is the hardware domain', () => {
    expect(json('inspect', '0', 'emulation')).toMatchObject({ domid: 0, name: 'Domain-0', hwdom: true, type: 'pv', flags: 0x100 });
  });
});

describe('--svg', () => {
  test('memmap writes a well-formed picture of every region', () => {
    const file = path.join(lab.home, 'web.svg');
    expect(lab.xlsim('inspect', 'web', 'memmap', '--svg', 'web.svg')).toEqual(res('Wrote the memory map of web (domid 1) to web.svg\n'));
    const svg = parseXml(fs.readFileSync(file, 'utf8').replace(/^<\?xml[^>]*\?>\n/, ''));
    expect(svg.name).toBe('svg');
    const regions = JSON.parse(lab.xlsim('inspect', 'web', 'memmap', '--json').stdout).physical as unknown[];
    expect(findAll(svg, 'g').filter((g) => g.attrs.class === 'region')).toHaveLength(regions.length);
    expect(findAll(svg, 'title')[0]!.text).toBe('Guest-physical memory of web (domid 1)');
  });

  test('with --json: the JSON on stdout and the picture in the file', () => {
    const r = lab.xlsim('inspect', 'old', 'memmap', '--json', '--svg', 'old.svg');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'old', type: 'pv' });
    expect(fs.readFileSync(path.join(lab.home, 'old.svg'), 'utf8').startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
  });
});

describe('state follows the hypervisor', () => {
  test('a paused domain', () => {
    expect(lab.xl('pause', 'app').code).toBe(0);
    try {
      expect(lab.xlsim('inspect', 'app').stdout.split('\n')[2]).toBe('state:            paused');
      expect(JSON.parse(lab.xlsim('inspect', 'app', '--json').stdout)).toMatchObject({ state: 'paused' });
    } finally {
      expect(lab.xl('unpause', 'app').code).toBe(0);
    }
    expect(lab.xlsim('inspect', 'app').stdout.split('\n')[2]).toBe('state:            running');
  });

  test('dom0: no libxl pool formula for the domain Xen built itself', () => {
    const r = lab.xlsim('inspect', 'Domain-0', 'paging');
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'domain:           Domain-0 (domid 0), PV',
      'paging mode:      none (PV: the guest keeps its own page tables, Xen validates every update)',
      'paging pool:      0 pages = 0.0 MiB (not in tot_pages: "no owner" pages from the free heap)',
      'memory:           tot_pages 524288 (2048.0 MiB), max_pages 524288 (2048.0 MiB)',
    ]);
  });
});

describe('bad input: a clear message, status 1, nothing changed', () => {
  test('each refusal', () => {
    const before = dbBytes(lab);
    expect(lab.xlsim('inspect', 'nope')).toEqual(res('', "xlsim: no such domain 'nope'\n", 1));
    expect(lab.xlsim('inspect', '42', 'paging')).toEqual(res('', "xlsim: no such domain '42'\n", 1));
    expect(lab.xlsim('inspect', 'web', 'paging', '--svg', 'x.svg')).toEqual(res('', 'xlsim: --svg draws the memory map: use it with the memmap view\n', 1));
    expect(lab.xlsim('inspect', 'web', 'memmap', '--svg', '')).toEqual(res('', 'xlsim: --svg needs a file name\n', 1));
    expect(lab.xlsim('inspect', 'web', 'memmap', '--svg', 'no/such/dir/m.svg')).toEqual(res('', 'xlsim: cannot write no/such/dir/m.svg: no such file or directory\n', 1));
    expect(lab.xlsim('inspect', 'nope', 'memmap', '--svg', 'nope.svg')).toEqual(res('', "xlsim: no such domain 'nope'\n", 1));
    expect(fs.existsSync(path.join(lab.home, 'nope.svg'))).toBe(false);
    expect(fs.existsSync(path.join(lab.home, 'x.svg'))).toBe(false);
    const bad = lab.xlsim('inspect', 'web', 'pages');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/\n\nInvalid values:\n {2}Argument: view, Given: "pages", Choices: "summary", "memmap", "paging", "emulation", "vcpus", "xenstore"\n$/);
    const none = lab.xlsim('inspect');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/\nNot enough non-option arguments: got 0, need at least 1\n$/);
    expect(dbBytes(lab).equals(before)).toBe(true);
  });
});
