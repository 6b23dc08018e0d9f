import { describe, expect, it } from 'vitest';
import {
  guestControl, guestControlWatch, guestPaused, guestUnpaused, newGuest, type GuestEnv, type GuestEventKind, type GuestEventPayload,
} from '../../lib/guest/guest';

/** A guest environment that records what the guest books and writes. */
function fakeEnv(store: Record<string, string>) {
  let now = 0;
  const booked: Array<{ kind: GuestEventKind; at: number; payload: GuestEventPayload }> = [];
  const env: GuestEnv = {
    now: () => now,
    schedule: (kind, at, payload) => void booked.push({ kind, at, payload }),
    xsRead: (p) => store[p],
    xsWrite: (p, v) => void (store[p] = v),
    schedShutdown: () => {},
    setCallbackIrq: () => {},
    setLoad: () => {},
    balloonTo: () => {},
  };
  return { env, booked, at: (t: number) => void (now = t) };
}

describe('guest work while paused', () => {
  it('a watch firing while paused is kept, then booked with its delay after the unpause', () => {
    const f = fakeEnv({});
    const g = newGuest(3, 'pv', true, 0);
    g.phase = 'running';
    guestPaused(g, [{ kind: 'guest.halt', leftNs: 2_000_000_000, payload: { domid: 3, reason: 0 } }]);
    f.at(10_000_000_000);
    guestControlWatch(f.env, g);
    expect(f.booked).toEqual([]);
    f.at(50_000_000_000);
    guestUnpaused(f.env, g);
    expect(g.held).toBeUndefined();
    expect(f.booked).toEqual([
      { kind: 'guest.halt', at: 52_000_000_000, payload: { domid: 3, reason: 0 } },
      { kind: 'guest.control', at: 50_100_000_000, payload: { domid: 3 } },
    ]);
  });
  it('an unknown request is left unacknowledged and ignored', () => {
    const store = { '/local/domain/3/control/shutdown': 'hibernate' };
    const f = fakeEnv(store);
    const g = newGuest(3, 'pv', true, 0);
    g.phase = 'running';
    guestControl(f.env, g);
    expect(store['/local/domain/3/control/shutdown']).toBe('hibernate');
    expect(g.phase).toBe('running');
    expect(f.booked).toEqual([]);
  });
});
