import { describe, expect, it } from 'vitest';
import { bootHost, HVM, PV, unwrap } from './helpers';

describe('console ring (xl dmesg)', () => {
  it('keeps at most conring_size bytes, dropping the oldest whole lines', () => {
    const { xen, store } = bootHost();
    xen.readconsole(true);
    for (let i = 0; i < 1000; i++) xen.printk(`line ${String(i).padStart(4, '0')} ${'x'.repeat(40)}`);
    const lines = xen.readconsole();
    const bytes = lines.reduce((n, l) => n + l.length + 1, 0);
    expect(bytes).toBeLessThanOrEqual(16 * 1024);
    expect(bytes).toBeGreaterThan(16 * 1024 - 60);
    expect(lines[lines.length - 1]).toMatch(/^\(XEN\) line 0999 x+$/);
    expect(lines[0]).not.toMatch(/line 0000/);
    expect(store.host().conringSize).toBe(16384);
  });

  it('conring_size= makes the ring larger and is announced at boot', () => {
    const { xen, store } = bootHost({ cmdline: 'conring_size=64k' });
    expect(store.host().conringSize).toBe(65536);
    expect(xen.readconsole()).toContain('(XEN) Allocated console ring of 64 KiB.');
  });

  it('clear empties the ring after reading it', () => {
    const { xen } = bootHost();
    const first = xen.readconsole(true);
    expect(first.length).toBeGreaterThan(50);
    expect(xen.readconsole()).toEqual([]);
    xen.printk('after');
    expect(xen.readconsole()).toEqual(['(XEN) after']);
  });

  it('filters by level when printing: release builds drop debug and guest debug output', () => {
    const { xen } = bootHost();
    xen.readconsole(true);
    xen.printk('dbg', 'debug');
    xen.printk('warn', 'warning');
    xen.guest_console_write(3, 'HVM Loader');
    xen.guest_console_write(3, 'guest error', 'error');
    expect(xen.readconsole()).toEqual(['(XEN) warn', '(d3) guest error']);
  });

  it('guest_loglvl=all shows guest debug output with a (dN) prefix', () => {
    const { xen } = bootHost({ cmdline: 'guest_loglvl=all loglvl=all' });
    expect(xen.readconsole()).toContain('(XEN) Guest Loglevel: All');
    xen.readconsole(true);
    xen.guest_console_write(3, 'HVM Loader');
    xen.printk('dbg', 'debug');
    expect(xen.readconsole()).toEqual(['(d3) HVM Loader', '(XEN) dbg']);
  });
});

describe('debug keys', () => {
  it("'h' lists the installed handlers in ASCII order", () => {
    const { xen } = bootHost();
    xen.readconsole(true);
    unwrap(xen.debug_keys('h'));
    const out = xen.readconsole();
    expect(out[0]).toBe("(XEN) 'h' pressed -> showing installed handlers");
    expect(out).toContain("(XEN)  key 'q' (ascii '71') => dump domain (and guest debug) info");
    expect(out).toContain("(XEN)  key 'h' (ascii '68') => show this message");
    expect(out).toContain("(XEN)  key 'v' (ascii '76') => dump VT-x VMCSs");
    expect(out).not.toContain("(XEN)  key 'S' (ascii '53') => reset shadow pagetables");
    const keys = out.slice(1).map((l) => parseInt(/ascii '([0-9a-f]+)'/.exec(l)![1]!, 16));
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });

  it("'h' on AMD and debug builds shows their handlers", () => {
    const { xen } = bootHost({ vendor: 'AMD', debug: true });
    xen.readconsole(true);
    unwrap(xen.debug_keys('h'));
    const out = xen.readconsole();
    expect(out).toContain("(XEN)  key 'v' (ascii '76') => dump AMD-V VMCBs");
    expect(out).toContain("(XEN)  key 'S' (ascii '53') => reset shadow pagetables");
    expect(out.some((l) => l.includes("key 'D'"))).toBe(false);
  });

  it("'q' dumps every domain and notifies every vCPU", () => {
    const { xen, store } = bootHost({ dom0Vcpus: 2 });
    const id = unwrap(xen.createdomain(HVM));
    unwrap(xen.setvcpucontext(id, 0));
    store.advance(1_500_000_000);
    xen.readconsole(true);
    unwrap(xen.debug_keys('q'));
    const out = xen.readconsole();
    expect(out[0]).toBe("(XEN) 'q' pressed -> dumping domain info (now = 1500000000)");
    expect(out).toContain('(XEN) General information for domain 0:');
    expect(out).toContain(`(XEN) General information for domain ${id}:`);
    expect(out).toContain('(XEN)     refcnt=3 dying=0 pause_count=1');
    expect(out).toContain('(XEN)     paging assistance: hap refcounts translate external ');
    expect(out).toContain('(XEN)     paging assistance: hap, 4 levels');
    expect(out).toContain(`(XEN)     handle=${store.domain(id)!.handle} vm_assist=00000000`);
    expect(out).toContain(`(XEN) VCPU information and callbacks for domain ${id}:`);
    expect(out).toContain('(XEN)     VCPU0: CPU0 [has=T] poll=0 upcall_pend=00 upcall_mask=00 ');
    expect(out.filter((l) => l.startsWith('(XEN) Notifying guest'))).toEqual([
      '(XEN) Notifying guest 0:0 (virq 1, port 1)',
      '(XEN) Notifying guest 0:1 (virq 1, port 7)',
      `(XEN) Notifying guest ${id}:0 (virq 1, port 1)`,
      `(XEN) Notifying guest ${id}:1 (virq 1, port 0)`,
    ]);
  });

  it("'d' dumps every CPU; keys without a handler do nothing", () => {
    const { xen } = bootHost();
    xen.readconsole(true);
    unwrap(xen.debug_keys('jd'));
    const out = xen.readconsole();
    expect(out[0]).toBe("(XEN) 'd' pressed -> dumping registers");
    expect(out.filter((l) => /\*\*\* Dumping CPU\d+ host state: \*\*\*/.test(l))).toHaveLength(8);
    expect(out).toContain('(XEN) *** Dumping CPU0 guest state (d0v0): ***');
  });

  it("'+' raises the log threshold so debug lines start to appear; 'R' asks for a reboot", () => {
    const { xen } = bootHost();
    xen.readconsole(true);
    unwrap(xen.debug_keys('+'));
    expect(xen.readconsole()).toEqual(["(XEN) '+' pressed -> standard log level: All (rate limited All)"]);
    xen.printk('now visible', 'debug');
    expect(xen.readconsole()).toContain('(XEN) now visible');
    expect(unwrap(xen.debug_keys('R'))).toEqual({ reboot: true });
    expect(unwrap(xen.debug_keys('q'))).toEqual({ reboot: false });
  });

  it('key output enters the ring even with the threshold lowered', () => {
    const { xen } = bootHost({ cmdline: 'loglvl=error' });
    xen.readconsole(true);
    xen.printk('info', 'info');
    unwrap(xen.debug_keys('r'));
    const out = xen.readconsole();
    expect(out[0]).toBe("(XEN) 'r' pressed -> dumping run queues");
    expect(out).not.toContain('(XEN) info');
  });

  it('is deterministic', () => {
    const run = () => {
      const { xen, store } = bootHost();
      const id = unwrap(xen.createdomain(PV));
      unwrap(xen.setvcpucontext(id, 0));
      unwrap(xen.unpausedomain(id));
      unwrap(xen.setGuestLoad(id, 0.3));
      store.advance(7_123_456_789);
      unwrap(xen.debug_keys('*'));
      return xen.readconsole();
    };
    expect(run()).toEqual(run());
  });
});
