import { describe, expect, it } from 'vitest';
import { bootXen } from '../../lib/xen/boot';
import { dom0Pages, dom0Vcpus, parseCmdline, parseDom0Mem } from '../../lib/xen/cmdline';
import { listMemMiB, stateLetters } from '../../lib/xen/info';
import { BASE_PARAMS, bootHost, unwrap } from './helpers';

const MiB = 256;

describe('dom0 size', () => {
  it('dom0_mem=2048M gives exactly 2048 MiB with max_pages from max:', () => {
    const { xen } = bootHost();
    const i = unwrap(xen.getdomaininfo(0));
    expect(i.totPages).toBe(2048 * MiB);
    expect(i.maxPages).toBe(2048 * MiB);
    expect(listMemMiB(i)).toBe(2048);
  });

  it('without dom0_mem: everything but min(1/16, 128 MiB), max_pages unlimited', () => {
    const booted = bootXen({ ...BASE_PARAMS, cmdline: 'placeholder' });
    const avail = booted.host.totalPages - booted.host.xenPages - (8 - 1) * 2;
    expect(booted.dom0.totPages).toBe(avail - 128 * MiB);
    expect(booted.dom0.maxPages).toBe(0xffffffff);
    expect(booted.host.opts.dom0MemGiven).toBe(false);

    const small = bootXen({ ...BASE_PARAMS, memoryMiB: 1024, cmdline: '' });
    const availSmall = small.host.totalPages - small.host.xenPages - 7 * 2;
    expect(small.dom0.totPages).toBe(availSmall - Math.floor(availSmall / 16));
  });

  it('the rule itself', () => {
    expect(dom0Pages(undefined, 1600)).toEqual({ nrPages: 1500, maxPages: 0xffffffff });
    expect(dom0Pages(undefined, 1_000_000)).toEqual({ nrPages: 1_000_000 - 32768, maxPages: 0xffffffff });
    expect(dom0Pages(parseDom0Mem('-1G'), 1_000_000).nrPages).toBe(1_000_000 - 262144);
    expect(dom0Pages(parseDom0Mem('10%'), 1_000_000).nrPages).toBe(100_000);
    expect(dom0Pages(parseDom0Mem('min:1G,max:2G'), 1_000_000)).toEqual({ nrPages: 524288, maxPages: 524288 });
    expect(dom0Pages(parseDom0Mem('8G'), 1_000_000).nrPages).toBe(1_000_000);
    // no suffix means KiB
    expect(parseDom0Mem('1048576')).toEqual({ size: { minus: false, pages: 262144, percent: 0 } });
    expect(parseDom0Mem('4096M,max:4096M')?.max?.pages).toBe(4096 * MiB);
    expect(parseDom0Mem('1G+5%')).toEqual({ size: { minus: false, pages: 262144, percent: 5 } });
    expect(parseDom0Mem('5%+1G')).toBeUndefined();
    expect(parseDom0Mem('100%')).toBeUndefined();
    expect(parseDom0Mem('lots')).toBeUndefined();
  });

  it('dom0_max_vcpus', () => {
    expect(dom0Vcpus(undefined, 8)).toBe(8);
    expect(dom0Vcpus('4', 8)).toBe(4);
    expect(dom0Vcpus('2-4', 8)).toBe(4);
    expect(dom0Vcpus('-2', 8)).toBe(2);
    expect(dom0Vcpus('16-', 8)).toBe(16);
    const { xen } = bootHost({ dom0Vcpus: 2 });
    expect(unwrap(xen.getdomaininfo(0)).nrOnlineVcpus).toBe(2);
  });
});

describe('boot', () => {
  it('dom0 is domid 0, PV, running, unpaused, with a zero handle and PIT emulation', () => {
    const { xen, store } = bootHost();
    const d = store.domain(0)!;
    expect(d.kind).toBe('pv');
    expect(d.hwdom).toBe(true);
    expect(d.emulationFlags).toBe(0x100);
    expect(d.handle).toBe('00000000-0000-0000-0000-000000000000');
    expect(stateLetters(unwrap(xen.getdomaininfo(0)))).toBe('r-----');
    expect(unwrap(xen.getdomaininfo(0)).nrOnlineVcpus).toBe(8);
    expect(store.host().domidLast).toBe(0);
  });

  it('dom0=pvh builds a PVH dom0 with LAPIC|IOAPIC|VPCI', () => {
    const { store } = bootHost({ dom0Type: 'pvh' });
    const d = store.domain(0)!;
    expect(d.kind).toBe('pvh');
    expect(d.emulationFlags).toBe(0x411);
    expect(d.hap).toBe(true);
  });

  it('profile options end up on the command line; physinfo reflects the profile', () => {
    const { xen } = bootHost({ cmdline: 'placeholder', dom0Mem: '1024M,max:1024M', scheduler: 'credit' });
    const v = xen.version();
    expect(v.commandline).toBe('placeholder dom0_mem=1024M,max:1024M sched=credit');
    expect(xen.sched_id()).toBe('credit');
    expect(`${v.major}.${v.minor}${v.extra}`).toBe('4.20.0-xlsim');
    const p = xen.physinfo();
    expect([p.nrCpus, p.coresPerSocket, p.threadsPerCore, p.nrNodes]).toEqual([8, 4, 2, 1]);
    expect(p.caps.hap && p.caps.shadow && p.caps.hvm && p.caps.pv).toBe(true);
    expect(Math.floor(p.cpuKhz / 1000)).toBe(2400);
    expect(xen.cpupoolInfo()).toEqual([{ id: 0, name: 'Pool-0', sched: 'credit', cpus: [0, 1, 2, 3, 4, 5, 6, 7] }]);
    expect(xen.freeCpus()).toEqual([]);
  });

  it('hap=0 on the command line hides HAP from virt caps', () => {
    const { xen } = bootHost({ cmdline: 'hap=0' });
    expect(xen.physinfo().caps.hap).toBe(false);
    expect(parseCmdline('no-hap altp2m=1 conring_size=64k loglvl=all guest_loglvl=info/warning loglvl=none/all')).toMatchObject({
      hap: false,
      altp2m: true,
      conringBytes: 65536,
      loglvl: { lower: 0, upper: 4 },
      guestLoglvl: { lower: 3, upper: 3 },
    });
  });

  it('NUMA: nodes split memory and CPUs', () => {
    const { xen } = bootHost({ sockets: 2, nodes: 2 });
    const n = xen.numainfo();
    expect(n.map((x) => x.distances)).toEqual([
      [10, 21],
      [21, 10],
    ]);
    expect(n[0]!.memsize + n[1]!.memsize).toBe(xen.physinfo().totalPages);
    expect(n[0]!.memfree + n[1]!.memfree).toBe(xen.physinfo().freePages);
    expect(xen.cputopoinfo().map((c) => c.node)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('writes a boot log with the banner, command line, HAP and dom0 lines', () => {
    const { xen } = bootHost();
    const log = xen.readconsole();
    expect(log[0]).toMatch(/^\(XEN\) Xen version 4\.20\.0-xlsim \(xlsim@xlsim\.example\) \(gcc .*\) debug=n /);
    expect(log).toContain('(XEN) Command line: placeholder dom0_mem=2048M,max:2048M');
    expect(log).toContain('(XEN) HVM: Hardware Assisted Paging (HAP) detected');
    expect(log).toContain('(XEN)  - Page Modification Logging');
    expect(log).toContain('(XEN) Using scheduler: SMP Credit Scheduler rev2 (credit2)');
    expect(log).toContain('(XEN) Brought up 8 CPUs');
    expect(log).toContain('(XEN) *** Building a PV Dom0 ***');
    expect(log).toContain(`(XEN)  Dom0 alloc.:   0000000840000000->0000000844000000 (${2048 * MiB} pages to be allocated)`);
    expect(log).toContain('(XEN) Dom0 has maximum 8 VCPUs');
    expect(log).toContain('(XEN) Std. Loglevel: Errors, warnings and info');
    expect(log).toContain('(XEN) Guest Loglevel: Nothing (Rate-limited: Errors and warnings)');
    expect(log[log.length - 1]).toBe('(XEN) Freed 2048kB init memory');
    expect(log.every((l) => l.startsWith('(XEN) '))).toBe(true);
  });

  it('AMD without HAP says so', () => {
    const { xen } = bootHost({ vendor: 'AMD', hap: false });
    const log = xen.readconsole();
    expect(log).toContain('(XEN) HVM: SVM enabled');
    expect(log).toContain('(XEN) HVM: Hardware Assisted Paging (HAP) not detected');
  });

  it('is deterministic', () => {
    const a = bootXen(BASE_PARAMS);
    const b = bootXen(BASE_PARAMS);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    // plain JSON: survives a round trip unchanged
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});
