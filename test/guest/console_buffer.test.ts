/**
 * xenconsoled's buffering of guest output nobody has read (lib/libxl/console.ts):
 * drained by a reader, bounded by the ring plus the `limit`, oldest bytes
 * dropped; the per-domain lock with stale holders; xenconsole's path choice.
 */
import { describe, expect, it } from 'vitest';
import { CONSOLE_LIMIT, OUT_RING_BYTES, consoleDrain, consoleForget, consoleLock, consoleTtyPath, consoleUnlock, consoleWrite } from '../../lib/libxl/console';
import type { LibxlCtx, RecordStore } from '../../lib/libxl/ctx';

function fakeCtx(): LibxlCtx {
  const m = new Map<string, unknown>();
  const records: RecordStore = {
    get: <T>(ns: string, key: string) => m.get(`${ns}/${key}`) as T | undefined,
    put: <T>(ns: string, key: string, v: T) => void m.set(`${ns}/${key}`, JSON.parse(JSON.stringify(v))),
    delete: (ns, key) => void m.delete(`${ns}/${key}`),
    list: () => [],
  };
  return { records } as unknown as LibxlCtx;
}

describe('console buffers', () => {
  it('keep output until read, per console', () => {
    const lx = fakeCtx();
    consoleWrite(lx, 3, 'pv', 0, 'hello ');
    consoleWrite(lx, 3, 'pv', 0, 'world');
    consoleWrite(lx, 3, 'serial', 0, 'serial!');
    expect(consoleDrain(lx, 3, 'pv', 0)).toBe('hello world');
    expect(consoleDrain(lx, 3, 'pv', 0)).toBe('');
    expect(consoleDrain(lx, 3, 'serial', 0)).toBe('serial!');
  });

  it('trim back to the ring plus limit once past 5/4 of the limit, dropping the oldest', () => {
    const lx = fakeCtx();
    const chunk = 'a'.repeat(64 * 1024);
    for (let i = 0; i < 21; i++) consoleWrite(lx, 3, 'pv', 0, chunk);
    consoleWrite(lx, 3, 'pv', 0, 'END');
    const got = consoleDrain(lx, 3, 'pv', 0);
    // trimmed once when the 21st chunk crossed 5/4 of the limit; then 3 more bytes
    expect(got.length).toBe(OUT_RING_BYTES + CONSOLE_LIMIT + 3);
    expect(got.endsWith('aEND')).toBe(true);
  });

  it('are forgotten with the domain', () => {
    const lx = fakeCtx();
    consoleWrite(lx, 3, 'pv', 0, 'x');
    consoleForget(lx, 3);
    expect(consoleDrain(lx, 3, 'pv', 0)).toBe('');
  });
});

describe('the xenconsole lock', () => {
  it('is exclusive while its holder lives, and free again after unlock or its death', () => {
    const lx = fakeCtx();
    const alive = new Set([100, 200]);
    const isAlive = (p: number) => alive.has(p);
    expect(consoleLock(lx, 3, 100, isAlive)).toBe(true);
    expect(consoleLock(lx, 3, 200, isAlive)).toBe(false);
    expect(consoleLock(lx, 4, 200, isAlive)).toBe(true);
    consoleUnlock(lx, 3, 200); // not the holder: no effect
    expect(consoleLock(lx, 3, 200, isAlive)).toBe(false);
    alive.delete(100);
    expect(consoleLock(lx, 3, 200, isAlive)).toBe(true);
    consoleUnlock(lx, 3, 200);
    expect(consoleLock(lx, 3, 100, () => true)).toBe(true);
  });
});

describe('tty paths (xenconsole)', () => {
  it('per type and number', () => {
    expect(consoleTtyPath(5, 'pv', 0)).toBe('/local/domain/5/console/tty');
    expect(consoleTtyPath(5, 'pv', 2)).toBe('/local/domain/5/device/console/2/tty');
    expect(consoleTtyPath(5, 'serial', 1)).toBe('/local/domain/5/serial/1/tty');
    expect(consoleTtyPath(5, 'vuart', 0)).toBe('/local/domain/5/vuart/0/tty');
  });
});
