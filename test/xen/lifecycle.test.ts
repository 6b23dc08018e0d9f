import { describe, expect, it } from 'vitest';
import { DOMINF, SHUTDOWN } from '../../lib/xen/constants';
import { stateLetters } from '../../lib/xen/info';
import { bootHost, HVM, PV, unwrap } from './helpers';

function letters(xen: ReturnType<typeof bootHost>['xen'], domid: number): string {
  return stateLetters(unwrap(xen.getdomaininfo(domid)));
}

/** A running PV guest with one online vCPU and the given busy fraction. */
function started(load = 0) {
  const h = bootHost();
  const id = unwrap(h.xen.createdomain(PV));
  unwrap(h.xen.setvcpucontext(id, 0));
  unwrap(h.xen.setGuestLoad(id, load));
  return { ...h, id };
}

describe('pause reference counting', () => {
  it('a new domain starts paused with one controller reference', () => {
    const { xen } = bootHost();
    const id = unwrap(xen.createdomain(PV));
    const info = unwrap(xen.getdomaininfo(id));
    expect(info.paused).toBe(true);
    expect(letters(xen, id)).toBe('--p---');
    unwrap(xen.unpausedomain(id));
    expect(unwrap(xen.getdomaininfo(id)).paused).toBe(false);
  });

  it('nests: two pauses need two unpauses', () => {
    const { xen, id } = started();
    unwrap(xen.unpausedomain(id));
    unwrap(xen.pausedomain(id));
    unwrap(xen.pausedomain(id));
    unwrap(xen.unpausedomain(id));
    expect(unwrap(xen.getdomaininfo(id)).paused).toBe(true);
    unwrap(xen.unpausedomain(id));
    expect(unwrap(xen.getdomaininfo(id)).paused).toBe(false);
  });

  it('the 256th nested pause is EOVERFLOW and changes nothing', () => {
    const { xen, id, store } = started();
    for (let i = 1; i < 255; i++) unwrap(xen.pausedomain(id)); // count 1 from creation
    expect(store.domain(id)!.controllerPause).toBe(255);
    expect(xen.pausedomain(id)).toEqual({ ok: false, errno: 'EOVERFLOW' });
    expect(store.domain(id)!.controllerPause).toBe(255);
  });

  it('unpausing at count 0 is EINVAL', () => {
    const { xen, id } = started();
    unwrap(xen.unpausedomain(id));
    expect(xen.unpausedomain(id)).toEqual({ ok: false, errno: 'EINVAL' });
  });

  it('pausing your own domain is EINVAL; unknown domains are ESRCH', () => {
    const { xen } = bootHost();
    expect(xen.pausedomain(0)).toEqual({ ok: false, errno: 'EINVAL' });
    expect(xen.pausedomain(99)).toEqual({ ok: false, errno: 'ESRCH' });
    expect(xen.unpausedomain(99)).toEqual({ ok: false, errno: 'ESRCH' });
    expect(xen.getdomaininfo(99)).toEqual({ ok: false, errno: 'ESRCH' });
  });

  it('marks creation finished the first time the count reaches 0', () => {
    const { xen, id, store } = started();
    expect(store.domain(id)!.creationFinished).toBe(false);
    unwrap(xen.unpausedomain(id));
    expect(store.domain(id)!.creationFinished).toBe(true);
  });
});

describe('shutdown', () => {
  it('first reason wins until resume', () => {
    const { xen, id } = started();
    unwrap(xen.unpausedomain(id));
    const a = unwrap(xen.sched_shutdown(id, SHUTDOWN.reboot));
    expect(a).toEqual({ changed: true, code: SHUTDOWN.reboot });
    const b = unwrap(xen.remote_shutdown(id, SHUTDOWN.poweroff));
    expect(b).toEqual({ changed: false, code: SHUTDOWN.reboot });
    expect(letters(xen, id)).toBe('---sr-');
    unwrap(xen.resumedomain(id));
    expect(letters(xen, id)).toBe('-b----');
    unwrap(xen.sched_shutdown(id, SHUTDOWN.crash));
    expect(letters(xen, id)).toBe('---sc-');
  });

  it('puts the shutdown code in bits 16..23 and the shutdown flag only when complete', () => {
    const { xen, id } = started();
    unwrap(xen.unpausedomain(id));
    const before = unwrap(xen.getdomaininfo(id));
    expect(before.flags & DOMINF.shutdown).toBe(0);
    expect((before.flags >>> 16) & 0xff).toBe(255);
    unwrap(xen.sched_shutdown(id, SHUTDOWN.watchdog));
    const after = unwrap(xen.getdomaininfo(id));
    expect(after.flags & DOMINF.shutdown).toBe(DOMINF.shutdown);
    expect((after.flags >>> 16) & 0xff).toBe(SHUTDOWN.watchdog);
  });

  it('a suspended guest resumes running', () => {
    const { xen, id } = started(1);
    unwrap(xen.unpausedomain(id));
    unwrap(xen.sched_shutdown(id, SHUTDOWN.suspend));
    expect(letters(xen, id)).toBe('---ss-');
    unwrap(xen.resumedomain(id));
    expect(letters(xen, id)).toBe('r-----');
  });

  it('domain_crash logs the crash line and shuts down with crash', () => {
    const { xen, id } = started();
    unwrap(xen.unpausedomain(id));
    xen.readconsole(true);
    unwrap(xen.domain_crash(id, 0));
    expect(xen.readconsole()).toEqual([`(XEN) Domain ${id} (vcpu#0) crashed on cpu#${(0 + id) % 8}:`]);
    expect(letters(xen, id)).toBe('---sc-');
  });

  it('dom0 shutting down takes the host with it', () => {
    const { xen } = bootHost();
    xen.readconsole(true);
    const r = unwrap(xen.sched_shutdown(0, SHUTDOWN.poweroff));
    expect(r.host).toBe('halt');
    expect(xen.readconsole()).toEqual(['(XEN) Hardware Dom0 halted: halting machine']);
  });
});

describe('xl list state letters (§1.3)', () => {
  it('covers every state of the lifecycle', () => {
    const { xen, id, store } = started(0);
    expect(letters(xen, 0)).toBe('r-----'); // dom0 runs the toolstack
    expect(letters(xen, id)).toBe('--p---'); // creation
    unwrap(xen.unpausedomain(id));
    expect(letters(xen, id)).toBe('-b----'); // idle
    unwrap(xen.setGuestLoad(id, 1));
    expect(letters(xen, id)).toBe('r-----'); // busy
    unwrap(xen.pausedomain(id));
    expect(letters(xen, id)).toBe('--p---'); // paused while running: not blocked
    unwrap(xen.unpausedomain(id));
    unwrap(xen.setGuestLoad(id, 0));
    unwrap(xen.pausedomain(id));
    expect(letters(xen, id)).toBe('--p---'); // paused while blocked: the next timer event unblocks it
    unwrap(xen.unpausedomain(id));
    for (const [reason, l] of [
      [SHUTDOWN.poweroff, '---s--'],
      [SHUTDOWN.reboot, '---sr-'],
      [SHUTDOWN.suspend, '---ss-'],
      [SHUTDOWN.crash, '---sc-'],
      [SHUTDOWN.watchdog, '---sw-'],
      [SHUTDOWN.soft_reset, '---sS-'],
    ] as const) {
      unwrap(xen.sched_shutdown(id, reason));
      expect(letters(xen, id)).toBe(l);
      unwrap(xen.resumedomain(id));
    }
    expect(stateLetters({ running: false, blocked: false, paused: false, shutdown: true, shutdownCode: 9, dying: false })).toBe('---s?-');
    // zombie: libxl pauses, then destroy leaves it dead while a mapping holds it
    unwrap(xen.getReference(id));
    unwrap(xen.pausedomain(id));
    unwrap(xen.destroydomain(id));
    expect(letters(xen, id)).toBe('--p--d');
    expect(unwrap(xen.getdomaininfo(id)).totPages).toBe(0);
    unwrap(xen.putReference(id));
    expect(xen.getdomaininfo(id)).toEqual({ ok: false, errno: 'ESRCH' });
    expect(store.domain(id)).toBeUndefined();
  });

  it('zero online vCPUs report neither running nor blocked', () => {
    const { xen } = bootHost();
    const id = unwrap(xen.createdomain(HVM));
    unwrap(xen.unpausedomain(id));
    const i = unwrap(xen.getdomaininfo(id));
    expect(i.nrOnlineVcpus).toBe(0);
    expect(letters(xen, id)).toBe('------');
  });

  it('running = any online vCPU on a CPU; blocked = all online vCPUs blocked', () => {
    const { xen } = bootHost();
    const id = unwrap(xen.createdomain(PV));
    unwrap(xen.setvcpucontext(id, 0));
    unwrap(xen.vcpu_up(id, 1));
    unwrap(xen.unpausedomain(id));
    unwrap(xen.setGuestLoad(id, 0));
    unwrap(xen.setGuestLoad(id, 1, 1));
    const i = unwrap(xen.getdomaininfo(id));
    expect(i.running).toBe(true);
    expect(i.blocked).toBe(false);
    const vs = unwrap(xen.vcpuList(id));
    expect(vs.map((v) => [v.running, v.blocked])).toEqual([
      [false, true],
      [true, false],
    ]);
  });
});

describe('destroy', () => {
  it('refuses the caller itself and removes other domains', () => {
    const { xen, store } = bootHost();
    expect(xen.destroydomain(0)).toEqual({ ok: false, errno: 'EINVAL' });
    const id = unwrap(xen.createdomain(PV));
    unwrap(xen.destroydomain(id));
    expect(store.domain(id)).toBeUndefined();
    expect(xen.destroydomain(id)).toEqual({ ok: false, errno: 'ESRCH' });
  });
});

describe('vCPU up/down and affinity', () => {
  it('will not take down the last online vCPU', () => {
    const { xen, id } = started();
    expect(xen.vcpu_down(id, 0)).toEqual({ ok: false, errno: 'EINVAL' });
    unwrap(xen.vcpu_up(id, 1));
    unwrap(xen.vcpu_down(id, 0));
    expect(unwrap(xen.getdomaininfo(id)).nrOnlineVcpus).toBe(1);
    expect(xen.vcpu_up(id, 2)).toEqual({ ok: false, errno: 'EINVAL' });
  });

  it('hard affinity must intersect the cpupool; the vCPU moves onto an allowed CPU', () => {
    const { xen, id } = started();
    expect(xen.setvcpuaffinity(id, 0, [99], undefined)).toEqual({ ok: false, errno: 'EINVAL' });
    const r = unwrap(xen.setvcpuaffinity(id, 0, [5, 6], [6]));
    expect(r).toEqual({ hard: [5, 6], soft: [6] });
    expect(unwrap(xen.getvcpuinfo(id, 0)).cpu).toBe(6);
    const s = unwrap(xen.setvcpuaffinity(id, 0, undefined, [5]));
    expect(s).toEqual({ hard: [5, 6], soft: [5] });
  });
});

describe('Xen-detected shutdowns', () => {
  it('watchdog expiry logs and shuts down with watchdog', () => {
    const { xen, id } = started();
    unwrap(xen.unpausedomain(id));
    xen.readconsole(true);
    expect(unwrap(xen.watchdog_fired(id, 1)).code).toBe(SHUTDOWN.watchdog);
    expect(xen.readconsole()).toEqual([`(XEN) Watchdog timer 1 fired for d${id}`]);
    expect(letters(xen, id)).toBe('---sw-');
  });

  it('an HVM triple fault reboots by default and is a visible guest error', () => {
    const { xen } = bootHost();
    const id = unwrap(xen.createdomain(HVM));
    unwrap(xen.setvcpucontext(id, 0));
    unwrap(xen.unpausedomain(id));
    xen.readconsole(true);
    unwrap(xen.triple_fault(id, 0));
    expect(xen.readconsole()).toEqual([`(XEN) d${id}v0 Triple fault - invoking HVM shutdown action 1`]);
    expect(letters(xen, id)).toBe('---sr-');
    const pv = unwrap(xen.createdomain(PV));
    expect(xen.triple_fault(pv)).toEqual({ ok: false, errno: 'EINVAL' });
  });
});
