/**
 * The guest OS in simulated time (lib/guest/os_runtime.ts): output leaves
 * the queue exactly when the clock passes it, shells appear with the login
 * prompt, early keystrokes wait in a 1024-byte ring, a paused guest's
 * timeline slides, and effects come out as actions at their time.
 */
import { describe, expect, it } from 'vitest';
import { bootTimeline } from '../../lib/guest/os/boot';
import type { Channel, OsAction } from '../../lib/guest/os/types';
import { IN_RING_BYTES, osAdvance, osDelay, osIdle, osInput, osNextNs, osStart, osSysrq, type OsSink } from '../../lib/guest/os_runtime';
import { PV } from '../guestos/fixtures';

const MS = 1_000_000;

function recorder() {
  const out: { channel: Channel; text: string }[] = [];
  const acts: OsAction[] = [];
  const sink: OsSink = {
    write: (channel, text) => out.push({ channel, text }),
    act: (a) => acts.push(a),
    live: () => ({ allocKiB: 1024 * 1024, onlineVcpus: 2, uptimeMs: 5000, workloadMiB: 0, disks: PV.disks }),
    xs: { read: () => ({ errno: 'ENOENT' }), list: () => ({ errno: 'ENOENT' }) },
  };
  const text = (ch: Channel = 'pv') => out.filter((o) => o.channel === ch).map((o) => o.text).join('');
  return { out, acts, sink, text };
}

describe('os runtime', () => {
  it('delivers the boot timeline in order, only what is due', () => {
    const t = bootTimeline(PV);
    const rt = osStart(PV, 1000 * MS);
    const r = recorder();
    osAdvance(rt, 1000 * MS - 1, r.sink);
    expect(r.out).toEqual([]);
    const half = t.chunks[Math.floor(t.chunks.length / 2)]!;
    osAdvance(rt, 1000 * MS + half.atMs * MS, r.sink);
    const due = t.chunks.filter((c) => c.atMs <= half.atMs);
    expect(r.out.map((o) => o.text)).toEqual(due.map((c) => c.text));
    osAdvance(rt, 1000 * MS + t.doneMs * MS, r.sink);
    expect(r.text()).toBe(t.chunks.filter((c) => c.channel === 'pv').map((c) => c.text).join(''));
    expect(r.text().endsWith('pv-guest login: ')).toBe(true);
    expect(Object.keys(rt.shells)).toEqual(['pv']);
    expect(osIdle(rt)).toBe(true);
  });

  it('keeps keys typed before the getty in the ring (1024 bytes) and feeds them to it', () => {
    const rt = osStart(PV, 0);
    const r = recorder();
    osInput(rt, 'pv', 'root\r', 10 * MS, r.sink);
    osInput(rt, 'pv', 'x'.repeat(2000), 11 * MS, r.sink);
    expect(rt.pendingInput.pv!.length).toBe(IN_RING_BYTES);
    expect(rt.pendingInput.pv!.startsWith('root\r')).toBe(true);
    osAdvance(rt, rt.doneNs, r.sink);
    expect(r.text()).toContain('pv-guest login: root\r\nLinux pv-guest ');
    expect(rt.shells.pv!.mode).toBe('shell');
  });

  it('a paused guest makes no progress: everything due moves later', () => {
    const rt = osStart(PV, 0);
    const first = osNextNs(rt)!;
    osDelay(rt, 1000 * MS);
    expect(osNextNs(rt)).toBe(first + 1000 * MS);
    const r = recorder();
    osAdvance(rt, first, r.sink);
    expect(r.out).toEqual([]);
  });

  it('poweroff from the shell: messages, then SCHEDOP_shutdown(poweroff) at its time; the terminal goes quiet', () => {
    const rt = osStart(PV, 0);
    const r = recorder();
    osAdvance(rt, rt.doneNs, r.sink);
    osInput(rt, 'pv', 'root\rpoweroff\r', rt.doneNs, r.sink);
    expect(r.acts).toEqual([]);
    const at = osNextNs(rt)!;
    expect(at).toBeGreaterThan(rt.doneNs);
    osAdvance(rt, rt.doneNs + 60_000 * MS, r.sink);
    expect(r.acts).toEqual([expect.objectContaining({ kind: 'shutdown', reason: 'poweroff', via: 'sched_op' })]);
    expect(r.text()).toMatch(/reboot: Power down\r\n$/);
    expect(rt.down).toBe(true);
    const before = r.out.length;
    osInput(rt, 'pv', 'ls\r', rt.doneNs + 61_000 * MS, r.sink);
    osSysrq(rt, 'h', rt.doneNs + 61_000 * MS);
    osAdvance(rt, rt.doneNs + 70_000 * MS, r.sink);
    expect(r.out.length).toBe(before);
  });

  it('is deterministic: the same desc and times give the same bytes', () => {
    const run = () => {
      const rt = osStart(PV, 5 * MS);
      const r = recorder();
      osAdvance(rt, rt.doneNs, r.sink);
      osInput(rt, 'pv', 'root\rfree -m\r', rt.doneNs + 3 * MS, r.sink);
      osSysrq(rt, 'm', rt.doneNs + 9 * MS);
      osAdvance(rt, rt.doneNs + 10_000 * MS, r.sink);
      return r.out;
    };
    expect(run()).toEqual(run());
  });
});
