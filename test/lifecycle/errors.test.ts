/**
 * Failure paths with their exact libxl/xl lines: a duplicate name (the
 * domid is consumed and everything torn down), unknown numeric domains,
 * dom0 protection, domain-id lookups, usage errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADER, PV_CFG, manualHost } from './transcript';

function table(out: string): string {
  return out.replace(/ +\d+\.\d\n/g, ' T\n');
}

describe('duplicate names', () => {
  const h = manualHost();
  const cfg = h.cfg('pv1', PV_CFG);
  it('the second create fails after the domain exists: six lines, exit 3, domid consumed', () => {
    expect(h.xl('create', cfg).code).toBe(0);
    const free = h.xl('info', 'free_memory').stdout;
    expect(h.xl('create', cfg)).toEqual({
      stdout: '',
      stderr:
        `Parsing config from ${cfg}\n` +
        'libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 2:Domain with name "pv1" already exists.\n' +
        'libxl: error: libxl_create.c:1309:initiate_domain_create: Domain 2:cannot make domain: -6\n' +
        'libxl: error: libxl_domain.c:356:libxl_domain_info: Domain 2:Getting domain info: No such process\n' +
        'libxl: error: libxl_domain.c:1181:libxl__destroy_domid: Domain 2:Non-existant domain\n' +
        'libxl: error: libxl_domain.c:1135:domain_destroy_callback: Domain 2:Unable to destroy guest\n' +
        'libxl: error: libxl_domain.c:1062:domain_destroy_cb: Domain 2:Destruction of domain failed\n',
      code: 3,
    });
    // nothing left behind but the consumed id
    expect(h.xl('info', 'free_memory').stdout).toBe(free);
    expect(h.xlsim('check').code).toBe(0);
    const cfg2 = h.cfg('pv2', PV_CFG.replace('"pv1"', '"pv2"'));
    expect(h.xl('create', cfg2).code).toBe(0);
    expect(h.xl('domid', 'pv2')).toEqual({ stdout: '3\n', stderr: '', code: 0 });
  });
});

describe('unknown domains and dom0', () => {
  const h = manualHost();
  it('xl list / destroy / pause / unpause / shutdown of a missing numeric domid', () => {
    expect(h.xl('list', '99')).toEqual({
      stdout: '',
      stderr: "libxl: error: libxl_domain.c:356:libxl_domain_info: Domain 99:Getting domain info: No such process\nError: Domain '99' does not exist.\n",
      code: 1,
    });
    expect(h.xl('destroy', '99')).toEqual({
      stdout: '',
      stderr:
        'libxl: error: libxl_domain.c:356:libxl_domain_info: Domain 99:Getting domain info: No such process\n' +
        'libxl: error: libxl_domain.c:1181:libxl__destroy_domid: Domain 99:Non-existant domain\n' +
        'libxl: error: libxl_domain.c:1135:domain_destroy_callback: Domain 99:Unable to destroy guest\n' +
        'libxl: error: libxl_domain.c:1062:domain_destroy_cb: Domain 99:Destruction of domain failed\n' +
        'destroy failed (rc=-21)\n',
      code: 1,
    });
    expect(h.xl('pause', '99')).toEqual({
      stdout: '',
      stderr: 'libxl: error: libxl_domain.c:585:libxl_domain_pause: Domain 99:Pausing domain: No such process\n',
      code: 0,
    });
    expect(h.xl('unpause', '99')).toEqual({
      stdout: '',
      stderr: 'libxl: error: libxl_dom.c:37:libxl__domain_type: Domain 99:unable to get dominfo: No such process\n',
      code: 0,
    });
    expect(h.xl('shutdown', '99')).toEqual({
      stdout: '',
      stderr: 'Shutting down domain 99\nlibxl: error: libxl_dom.c:37:libxl__domain_type: Domain 99:unable to get dominfo: No such process\nshutdown failed (rc=-3)\n',
      code: 1,
    });
  });
  it('names that do not exist fail in find_domain', () => {
    for (const cmd of ['destroy', 'pause', 'list', 'unpause']) {
      expect(h.xl(cmd, 'nosuch')).toEqual({ stdout: '', stderr: 'nosuch is an invalid domain identifier (rc=-6)\n', code: 1 });
    }
    expect(h.xl('domid', 'nosuch')).toEqual({ stdout: '', stderr: "Can't get domid of domain name 'nosuch', maybe this domain does not exist.\n", code: 1 });
    expect(h.xl('domid', '0')).toEqual({ stdout: '', stderr: "Can't get domid of domain name '0', maybe this domain does not exist.\n", code: 1 });
    expect(h.xl('domname', 'abc')).toEqual({ stdout: '', stderr: 'Invalid domain id.\n\n', code: 1 });
    expect(h.xl('domname', '42')).toEqual({ stdout: '', stderr: "Can't get domain name of domain id '42', maybe this domain does not exist.\n", code: 1 });
    expect(h.xl('domname', '0')).toEqual({ stdout: 'Domain-0\n', stderr: '', code: 0 });
    expect(h.xl('domid', 'Domain-0')).toEqual({ stdout: '0\n', stderr: '', code: 0 });
  });
  it('dom0 is protected; shutdown needs a target', () => {
    expect(h.xl('destroy', '0')).toEqual({
      stdout: '',
      stderr: 'Not destroying domain 0; use -f to force.\nThis can only be done when using a disaggregated hardware domain and toolstack.\n\n',
      code: 1,
    });
    expect(h.xl('shutdown')).toEqual({ stdout: '', stderr: 'You must specify -a or a domain id.\n\n', code: 1 });
    expect(h.xl('mem-set', '0', '100')).toEqual({
      stdout: '',
      stderr: 'libxl: error: libxl_mem.c:287:libxl_set_memory_target: New target 102400 for dom0 is below the minimum threshold\ncannot set domid 0 dynamic max memory to : 100\n',
      code: 1,
    });
    const two = h.xl('list', 'a', 'b');
    expect(two.code).toBe(1);
    expect(two.stdout).toBe(h.xl('help', 'list').stdout);
    expect(two.stderr).toBe('');
    expect(table(h.xl('list').stdout)).toBe(`${HEADER}Domain-0                                     0  2048     2     r----- T\n`);
  });
});

describe('guests that do not cooperate, hosts that are full', () => {
  const h = manualHost();
  const cfg = h.cfg('pv1', PV_CFG);
  it('a PV guest that never acknowledges: the request times out after 60 s', () => {
    expect(h.xl('create', cfg).code).toBe(0);
    expect(h.xlsim('guest', 'pv1', 'pv-drivers', 'off').code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('shutdown', 'pv1')).toEqual({
      stdout: '',
      stderr:
        'Shutting down domain 1\n' +
        "libxl: error: libxl_domain.c:852:pvcontrol_cb: guest didn't acknowledge control request: -9\n" +
        'shutdown failed (rc=-9)\n',
      code: 1,
    });
    // the waiting xl moved the manual clock through the 60 s itself
    expect(h.xlsim('clock').stdout).toContain('now:      63.000000000 s since boot\n');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     -b---- T\n`);
  });
  it('without autoballoon a guest larger than free memory fails in the builder; nothing is left', () => {
    const free = h.xl('info', 'free_memory').stdout;
    const big = h.cfg('big', 'name = "big"\nkernel = "/k"\nmemory = 20000\n');
    fs.writeFileSync(path.join(h.dir, 'xl.conf'), 'autoballoon="off"\n');
    expect(h.xl('create', big)).toEqual({
      stdout: '',
      stderr:
        `Parsing config from ${big}\n` +
        'xc: error: panic: xg_dom_x86.c:1321: meminit_pv: failed to allocate 0x4e2000 pages: Internal error\n' +
        "xc: error: panic: xg_dom_boot.c:121: xc_dom_boot_mem_init: can't allocate low memory for domain: Out of memory\n" +
        'libxl: error: libxl_dom.c:604:libxl__build_dom: xc_dom_boot_mem_init failed: Cannot allocate memory\n' +
        'libxl: error: libxl_create.c:1653:domcreate_rebuild_done: Domain 2:cannot (re-)build domain: -3\n' +
        'libxl: error: libxl_domain.c:356:libxl_domain_info: Domain 2:Getting domain info: No such process\n' +
        'libxl: error: libxl_domain.c:1181:libxl__destroy_domid: Domain 2:Non-existant domain\n' +
        'libxl: error: libxl_domain.c:1135:domain_destroy_callback: Domain 2:Unable to destroy guest\n' +
        'libxl: error: libxl_domain.c:1062:domain_destroy_cb: Domain 2:Destruction of domain failed\n',
      code: 3,
    });
    expect(h.xl('info', 'free_memory').stdout).toBe(free);
    expect(h.xlsim('check').code).toBe(0);
  });
});

describe('autoballoon on a host without dom0_mem=', () => {
  it('dom0 gives memory back until it reaches its minimum', () => {
    const h = manualHost(3, 'tiny');
    expect(table(h.xl('list').stdout)).toBe(`${HEADER}Domain-0                                     0  1024     2     r----- T\n`);
    for (let i = 1; i <= 4; i++) {
      const c = h.cfg(`g${i}`, `name = "g${i}"\ntype = "hvm"\nmemory = 400\n`);
      expect(h.xl('create', c)).toEqual({ stdout: '', stderr: `Parsing config from ${c}\n`, code: 0 });
    }
    expect(table(h.xl('list', '0').stdout)).toBe(`${HEADER}Domain-0                                     0   386     2     r----- T\n`);
    const c5 = h.cfg('g5', 'name = "g5"\ntype = "hvm"\nmemory = 400\n');
    expect(h.xl('create', c5)).toEqual({
      stdout: '',
      stderr:
        `Parsing config from ${c5}\n` +
        'libxl: error: libxl_mem.c:287:libxl_set_memory_target: New target 0 for dom0 is below the minimum threshold\n' +
        'failed to free memory for the domain\n',
      code: 3,
    });
    expect(h.xlsim('check').code).toBe(0);
  });
});
