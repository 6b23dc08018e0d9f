/** `xlsim host show --memory` (text, JSON, SVG), and --json on host/clock/check. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { runTool } from '../helpers/cli';
import { findAll, parseXml } from '../layout/xml';
import { dbBytes, guestLab, res, type Lab } from './fixture';

let lab: Lab;
beforeAll(() => {
  lab = guestLab();
});

describe('host show --memory', () => {
  test('the owners table: Xen, dom0, each guest and its paging pool, the free heap', () => {
    const r = lab.xlsim('host', 'show', '--memory');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const head = r.stdout.split('\n').slice(0, 18).join('\n');
    expect(head).toBe(
      [
        'Memory of host lab:',
        '',
        'owner                                         pages        MiB  host-physical ranges',
        'Xen image (text, data, bss)                    2048        8.0  0x00000000a6800000-0x00000000a6ffffff',
        'Xen frame table (struct page_info)            32714      127.8  0x0000000437636000-0x000000043f5fffff',
        'Xen M2P table                                  8179       31.9  0x0000000435643000-0x0000000437635fff',
        'Xen per-CPU areas and xenheap                  4096       16.0  0x0000000434643000-0x0000000435642fff',
        'd0 Domain-0 (pv)                             524288     2048.0  0x00000003b4643000-0x0000000434642fff',
        'd1 web (hvm)                                 131072      512.0  0x0000000394643000-0x00000003b4642fff',
        'd1 HAP pool                                    1024        4.0  0x0000000394243000-0x0000000394642fff',
        'd2 app (pvh)                                  65536      256.0  0x0000000384243000-0x0000000394242fff',
        'd2 HAP pool                                     512        2.0  0x0000000384043000-0x0000000384242fff',
        'd3 old (pv)                                   32768      128.0  0x000000037c043000-0x0000000384042fff',
        'free heap                                   3385155    13223.3  0x0000000000100000-0x00000000a67fffff',
        '                                                                0x00000000a7000000-0x00000000beffffff',
        '                                                                0x0000000100000000-0x000000037c042fff',
        'total (total_pages)                         4187392    16357.0',
        'free (xl info free_memory before claims)    3385155    13223.3',
      ].join('\n'),
    );
    expect(r.stdout).toContain('\nHost-physical address space:\n\n+---');
    expect(r.stdout).toContain('\nNotes:\n  - placement is illustrative');
    expect(r.stdout).not.toContain('accounting mismatch');
    // the same as the named host
    expect(lab.xlsim('host', 'show', 'lab', '--memory')).toEqual(r);
  });

  test('--json', () => {
    const r = lab.xlsim('host', 'show', '--memory', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { host: string; total_pages: number; free_pages: number; owners: { owner: string; kind: string; domid?: number; pages: number; ranges: { start: string; end: string }[] }[]; regions: unknown[] };
    expect(j.host).toBe('lab');
    expect(j.total_pages).toBe(4187392);
    expect(j.free_pages).toBe(3385155);
    expect(j.owners.map((o) => [o.owner, o.kind, o.domid ?? null, o.pages])).toEqual([
      ['Xen image (text, data, bss)', 'xen', null, 2048],
      ['Xen frame table (struct page_info)', 'xen', null, 32714],
      ['Xen M2P table', 'xen', null, 8179],
      ['Xen per-CPU areas and xenheap', 'xen', null, 4096],
      ['d0 Domain-0 (pv)', 'dom0', 0, 524288],
      ['d1 web (hvm)', 'domain', 1, 131072],
      ['d1 HAP pool', 'pool', 1, 1024],
      ['d2 app (pvh)', 'domain', 2, 65536],
      ['d2 HAP pool', 'pool', 2, 512],
      ['d3 old (pv)', 'domain', 3, 32768],
      ['free heap', 'free', null, 3385155],
    ]);
    // every owner's ranges add up to its pages
    for (const o of j.owners) expect(o.ranges.reduce((a, s) => a + (BigInt(s.end) - BigInt(s.start)), 0n)).toBe(BigInt(o.pages) * 4096n);
  });

  test('--svg writes a well-formed picture', () => {
    expect(lab.xlsim('host', 'show', '--memory', '--svg', 'host.svg')).toEqual(res('Wrote the memory map of host lab to host.svg\n'));
    const doc = parseXml(fs.readFileSync(path.join(lab.home, 'host.svg'), 'utf8').replace(/^<\?xml[^>]*\?>\n/, ''));
    expect(findAll(doc, 'title')[0]!.text).toBe('Host-physical memory of lab');
    const regions = (JSON.parse(lab.xlsim('host', 'show', '--memory', '--json').stdout) as { regions: unknown[] }).regions;
    expect(findAll(doc, 'g').filter((g) => g.attrs.class === 'region')).toHaveLength(regions.length);
  });

  test('refusals change nothing', () => {
    const before = dbBytes(lab);
    expect(lab.xlsim('host', 'show', '--svg', 'h.svg')).toEqual(res('', 'xlsim: --svg draws the host memory map: use it with --memory\n', 1));
    expect(lab.xlsim('host', 'show', '--memory', '--svg', '')).toEqual(res('', 'xlsim: --svg needs a file name\n', 1));
    expect(lab.xlsim('host', 'show', '--memory', '--svg', 'missing/h.svg')).toEqual(res('', 'xlsim: cannot write missing/h.svg: no such file or directory\n', 1));
    expect(lab.xlsim('host', 'show', 'ghost', '--memory')).toEqual(res('', "xlsim: no such host 'ghost' (create it with: xlsim host create ghost)\n", 1));
    expect(fs.existsSync(path.join(lab.home, 'h.svg'))).toBe(false);
    expect(dbBytes(lab).equals(before)).toBe(true);
  });
});

describe('--json on the other data commands', () => {
  test('host list', () => {
    expect(JSON.parse(lab.xlsim('host', 'list', '--json').stdout)).toEqual([
      { name: 'lab', current: true, usable: true, profile: 'default', clock: 'manual', domains: 4, description: 'Lab host: one Intel Xeon, 8 threads, 16 GiB, altp2m enabled' },
    ]);
  });

  test('host show', () => {
    const j = JSON.parse(lab.xlsim('host', 'show', '--json').stdout) as Record<string, unknown>;
    expect(j).toMatchObject({
      host: 'lab',
      profile: 'default',
      memory_mib: 16384,
      features: ['hap(ept)', 'vmfunc', 'pml', 'altp2m'],
      dom0: { memory_mib: 2048, vcpus: 2 },
      clock: { mode: 'manual', now_ns: 0 },
      seed: 7,
      domains: 4,
    });
    expect(j.database).toBe(path.join(lab.home, 'hosts', 'lab.db'));
  });

  test('clock', () => {
    const j = JSON.parse(lab.xlsim('clock', '--json').stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ host: 'lab', mode: 'manual', now_ns: 0, wall_ms: Date.UTC(2026, 0, 1) });
    expect(lab.xlsim('clock', 'show', '--json')).toEqual(lab.xlsim('clock', '--json'));
  });

  test('check', () => {
    expect(lab.xlsim('check', '--json')).toEqual(res(JSON.stringify({ consistent: true, problems: [] }, null, 2) + '\n'));
  });
});

describe('the global --host option', () => {
  test('picks the host for any command, over XLSIM_HOST', () => {
    expect(runTool('xlsim', ['host', 'create', 'other', '--clock', 'manual'], { env: { XLSIM_HOME: lab.home } }).code).toBe(0);
    const other = lab.xlsim('--host', 'other', 'clock', '--json');
    expect(JSON.parse(other.stdout)).toMatchObject({ host: 'other' });
    expect(lab.xlsim('--host', 'other', 'inspect', 'web')).toEqual(res('', "xlsim: no such domain 'web'\n", 1));
    expect(lab.xlsim('inspect', 'web', '--host', 'lab').code).toBe(0);
    expect(lab.xlsim('--host', 'nowhere', 'clock')).toEqual(res('', "xlsim: no such host 'nowhere' (create it with: xlsim host create nowhere)\n", 1));
    expect(lab.xlsim('--host', 'a/b', 'clock')).toEqual(
      res('', "xlsim: invalid host name 'a/b' (letters, digits, '.', '_' and '-', at most 64 characters, not starting with a punctuation mark)\n", 1),
    );
  });
});
