import { describe, expect, it } from 'vitest';
import { consoleSetup } from '../../lib/guest/os/consoles';
import { diskAttached, nicAttached, vcpuOnline } from '../../lib/guest/os/hotplug';
import { sysrqKey } from '../../lib/guest/os/sysrq';
import { HVM, PV, PVH } from './fixtures';

const texts = (ev: { chunks: { text: string }[] }) => ev.chunks.map((c) => c.text);

describe('xl sysrq keys, as Linux handles them', () => {
  const s = consoleSetup(PV);
  it('h (and unknown keys) print the help line', () => {
    const help =
      '[   60.000000] sysrq: HELP : loglevel(0-9) reboot(b) crash(c) terminate-all-tasks(e) memory-full-oom-kill(f) kill-all-tasks(i) thaw-filesystems(j) sak(k) show-backtrace-all-active-cpus(l) show-memory-usage(m) nice-all-RT-tasks(n) poweroff(o) show-registers(p) show-all-timers(q) unraw(r) sync(s) show-task-states(t) unmount(u) force-fb(v) show-blocked-tasks(w) dump-ftrace-buffer(z) \r\n';
    expect(texts(sysrqKey(PV, s, 'h', 60_000, 'xenbus'))).toEqual([help]);
    expect(texts(sysrqKey(PV, s, 'x', 60_000, 'xenbus'))).toEqual([help]);
    expect(sysrqKey(PV, s, 'h', 60_000, 'xenbus').actions).toEqual([]);
  });
  it('s and u report start and completion', () => {
    expect(texts(sysrqKey(PV, s, 's', 60_000, 'xenbus'))).toEqual(['[   60.000000] sysrq: Emergency Sync\r\n', '[   60.012000] sysrq: Emergency Sync complete\r\n']);
    expect(texts(sysrqKey(PV, s, 'u', 60_000, 'xenbus'))).toEqual(['[   60.000000] sysrq: Emergency Remount R/O\r\n', '[   60.020000] sysrq: Emergency Remount complete\r\n']);
  });
  it('b resets at once: PV SCHEDOP_shutdown(reboot), HVM a platform reset', () => {
    const b = sysrqKey(PV, s, 'b', 60_000, 'xenbus');
    expect(texts(b)).toEqual(['[   60.000000] sysrq: Resetting\r\n']);
    expect(b.actions).toEqual([{ atMs: 2, kind: 'shutdown', reason: 'reboot', via: 'sched_op' }]);
    expect(sysrqKey(HVM, consoleSetup(HVM), 'b', 60_000, 'xenbus').actions).toEqual([{ atMs: 2, kind: 'shutdown', reason: 'reboot', via: 'reset' }]);
  });
  it('o powers off', () => {
    const o = sysrqKey(PVH, consoleSetup(PVH), 'o', 60_000, 'xenbus');
    expect(texts(o)).toEqual(['[   60.000000] sysrq: Power Off\r\n', '[   60.030000] reboot: Power down\r\n']);
    expect(o.actions).toEqual([{ atMs: 32, kind: 'shutdown', reason: 'poweroff', via: 'sched_op' }]);
  });
  it('c from xenbus panics in the xenwatch thread and reports a crash', () => {
    const c = sysrqKey(HVM, consoleSetup(HVM), 'c', 60_000, 'xenbus');
    const t = texts(c).join('');
    expect(t).toContain('[   60.001000] CPU: 0 PID: 31 Comm: xenwatch Not tainted 6.1.0-28-amd64 #1  Debian 6.1.119-1\r\n');
    expect(t).toContain('[   60.001000] Hardware name: Xen HVM domU, BIOS 4.20.0 03/05/2025\r\n');
    expect(t).toContain(' xenwatch_thread+0x93/0x180\r\n');
    expect(c.chunks.every((x) => x.channel === 'serial')).toBe(true);
    expect(c.actions).toEqual([{ atMs: 5, kind: 'shutdown', reason: 'crash', via: 'sched_op' }]);
    // without PV drivers there is no panic notifier to tell Xen: the vCPUs just stop
    expect(sysrqKey({ ...HVM, pvDrivers: false }, consoleSetup(HVM), 'c', 60_000, 'proc').actions).toEqual([{ atMs: 5, kind: 'halt' }]);
  });
  it('digits change the console loglevel', () => {
    expect(texts(sysrqKey(PV, s, '8', 1000, 'xenbus'))).toEqual(['[    1.000000] sysrq: Changing Loglevel\r\n', '[    1.000000] sysrq: Loglevel set to 8\r\n']);
  });
  it('sysrq and panic lines reach the console even with quiet', () => {
    const q = { ...PV, cmdline: 'root=/dev/xvda1 ro console=hvc0 quiet' };
    const t = texts(sysrqKey(q, consoleSetup(q), 'c', 1000, 'xenbus')).join('');
    expect(t).toContain('sysrq: Trigger a crash');
    expect(t).toContain('Kernel panic - not syncing: sysrq triggered crash');
  });
});

describe('hot-plug messages', () => {
  it('block-attach: blkfront finds the new disk', () => {
    const disk = { vdev: 'xvdc', target: '/x.img' };
    const d = { ...PV, disks: [...PV.disks, disk] };
    const ev = diskAttached(d, consoleSetup(d), disk, 30_000);
    expect(texts(ev)).toEqual(['[   30.120000] blkfront: xvdc: flush diskcache: enabled; persistent grants: enabled; indirect descriptors: enabled; bounce buffer: enabled\r\n']);
    expect(ev.dmesg).toHaveLength(1);
  });
  it('network-attach: netfront and udev rename', () => {
    const nic = { devid: 1, mac: '00:16:3e:00:00:02' };
    const d = { ...PV, nics: [...PV.nics, nic] };
    expect(texts(nicAttached(d, consoleSetup(d), nic, 30_000))).toEqual([
      '[   30.150000] xen_netfront vif-1 eth1: Xen virtual ethernet, MAC 00:16:3e:00:00:02\r\n',
      '[   30.260000] xen_netfront vif-1 enX1: renamed from eth1\r\n',
    ]);
  });
  it('vcpu-set', () => {
    expect(texts(vcpuOnline(PV, consoleSetup(PV), 2, true, 1000))).toEqual(['[    1.040000] installing Xen timer for CPU 2\r\n']);
    expect(texts(vcpuOnline(HVM, consoleSetup(HVM), 2, true, 1000))).toEqual(['[    1.040000] smpboot: Booting Node 0 Processor 2 APIC 0x4\r\n']);
    expect(texts(vcpuOnline(PV, consoleSetup(PV), 1, false, 1000))).toEqual(['[    1.040000] smpboot: CPU 1 is now offline\r\n']);
  });
});

describe('console selection', () => {
  it('follows console= and quiet/loglevel', () => {
    expect(consoleSetup(PV)).toMatchObject({ kernel: ['pv'], devConsole: 'pv', gettys: ['pv'], loglevel: 7, showStatus: true });
    expect(consoleSetup({ ...PV, cmdline: 'loglevel=3' })).toMatchObject({ kernel: ['pv'], loglevel: 3 });
    expect(consoleSetup({ ...PVH, cmdline: 'root=/dev/xvda1' })).toMatchObject({ kernel: [], devConsole: null, gettys: ['pv'] });
    expect(consoleSetup({ ...HVM, firmware: 'direct', cmdline: 'console=ttyS0 console=hvc0' })).toMatchObject({ kernel: ['serial', 'pv'], devConsole: 'pv', gettys: ['pv', 'serial'] });
  });
});
