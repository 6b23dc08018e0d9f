/**
 * The bugs the robustness suite found, each pinned by the smallest
 * sequence that showed it (run in-process, as the model test runs them).
 */
import { describe, expect, it } from 'vitest';
import { parseRate } from '../../lib/sim/duration';
import { CHECK_OK, inprocHome } from './inproc';

const CFG = 'kernel = "/boot/vmlinuz"\nmemory = 64\n';

function row(stdout: string, name: string): string | undefined {
  return stdout.split('\n').find((l) => l.startsWith(`${name} `))?.replace(/\s+\S+$/, '');
}

describe('found by the robustness suite', () => {
  it('a paused guest does not act on a shutdown request until it is unpaused', async () => {
    const h = await inprocHome(['a']);
    const cfg = h.file('g.cfg', CFG);
    expect((await h.run('xl', ['create', '-q', cfg, 'name="g"'])).code).toBe(0);
    expect((await h.run('xlsim', ['clock', 'advance', '30s'])).code).toBe(0);
    expect(await h.run('xl', ['pause', 'g'])).toEqual({ stdout: '', stderr: '', code: 0 });
    // the guest cannot answer: libxl gives up after its 60 s
    expect(await h.run('xl', ['shutdown', 'g'])).toEqual({
      stdout: '',
      stderr: 'Shutting down domain 1\nlibxl: error: libxl_domain.c:852:pvcontrol_cb: guest didn\'t acknowledge control request: -9\nshutdown failed (rc=-9)\n',
      code: 1,
    });
    expect((await h.run('xlsim', ['clock', 'advance', '60s'])).code).toBe(0);
    expect(row((await h.run('xl', ['list'])).stdout, 'g')).toMatch(/^g +1 +64 +1 +--p---$/);
    // the request is still in control/shutdown: once running, the guest acts on it
    expect(await h.run('xenstore-read', ['/local/domain/1/control/shutdown'])).toEqual({ stdout: 'poweroff\n', stderr: '', code: 0 });
    expect(await h.run('xl', ['unpause', 'g'])).toEqual({ stdout: '', stderr: '', code: 0 });
    expect((await h.run('xlsim', ['clock', 'advance', '30s'])).code).toBe(0);
    expect(row((await h.run('xl', ['list'])).stdout, 'g')).toBeUndefined();
    expect(await h.run('xlsim', ['check'])).toEqual(CHECK_OK);
  });

  it('a paused guest does not balloon until it is unpaused', async () => {
    const h = await inprocHome(['a']);
    const cfg = h.file('g.cfg', `${CFG}maxmem = 128\n`);
    expect((await h.run('xl', ['create', '-q', cfg, 'name="g"'])).code).toBe(0);
    expect((await h.run('xlsim', ['clock', 'advance', '30s'])).code).toBe(0);
    expect((await h.run('xl', ['pause', 'g'])).code).toBe(0);
    expect(await h.run('xl', ['mem-set', 'g', '100'])).toEqual({ stdout: '', stderr: '', code: 0 });
    expect((await h.run('xlsim', ['clock', 'advance', '60s'])).code).toBe(0);
    expect(row((await h.run('xl', ['list'])).stdout, 'g')).toMatch(/^g +1 +64 +1 +--p---$/);
    expect((await h.run('xl', ['unpause', 'g'])).code).toBe(0);
    expect((await h.run('xlsim', ['clock', 'advance', '30s'])).code).toBe(0);
    expect(row((await h.run('xl', ['list'])).stdout, 'g')).toMatch(/^g +1 +100 +1 +-b----$/);
    expect(await h.run('xlsim', ['check'])).toEqual(CHECK_OK);
  });

  it('restoring a save file whose guest runs already fails on the name and leaves that guest whole', async () => {
    const h = await inprocHome(['a']);
    const cfg = h.file('g.cfg', CFG);
    const save = `${h.home}/g.save`;
    expect((await h.run('xl', ['create', '-q', cfg, 'name="g"'])).code).toBe(0);
    expect((await h.run('xl', ['save', 'g', save])).code).toBe(0);
    expect((await h.run('xl', ['restore', save])).code).toBe(0);
    const again = await h.run('xl', ['restore', save]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 3:Domain with name "g" already exists.\n');
    // /vm/<uuid> is the running guest's: the failed one never wrote it, so must not remove it
    const vm = (await h.run('xenstore-read', ['/local/domain/2/vm'])).stdout.trim();
    expect(await h.run('xenstore-read', [`${vm}/name`])).toEqual({ stdout: 'g\n', stderr: '', code: 0 });
    expect(await h.run('xlsim', ['check'])).toEqual(CHECK_OK);
  });

  for (const how of ['save/restore', 'migrate'] as const) {
    it(`a guest saved before it reached a new balloon target reaches it after ${how}`, async () => {
      const h = await inprocHome(['a', 'b']);
      const cfg = h.file('g.cfg', `${CFG}maxmem = 192\n`);
      expect((await h.run('xl', ['create', '-q', cfg, 'name="g"'])).code).toBe(0);
      // down, then up again: each time the guest is moved before its balloon driver got there
      const steps = how === 'migrate' ? [['48', 'a', 'b'], ['160', 'b', 'a']] : [['48', 'a', 'a'], ['160', 'a', 'a']];
      for (const [target, from, to] of steps as [string, string, string][]) {
        expect((await h.run('xl', ['mem-set', 'g', target], from)).code).toBe(0);
        if (how === 'migrate') {
          const via = `sh -c 'h=$0; shift; XLSIM_HOST=$h exec ${process.execPath} ${process.cwd()}/bin/xl.cjs "$@" 2>/dev/null'`;
          expect((await h.run('xl', ['migrate', '-s', via, 'g', to], from)).code).toBe(0);
        } else {
          const save = `${h.home}/g${target}.save`;
          expect((await h.run('xl', ['save', 'g', save], from)).code).toBe(0);
          expect((await h.run('xl', ['restore', save], to)).code).toBe(0);
        }
        expect((await h.run('xlsim', ['clock', 'advance', '60s'], to)).code).toBe(0);
        expect(row((await h.run('xl', ['list'], to)).stdout, 'g')).toMatch(new RegExp(`^g +\\d+ +${target} +1 +-b----$`));
        expect(await h.run('xlsim', ['check'], to)).toEqual(CHECK_OK);
      }
    });
  }

  it('a link rate past 2^53 bytes a second is refused as too large, as sizes and durations are', () => {
    expect(parseRate('429496729612')).toEqual({ ok: false, error: "rate '429496729612' is too large" });
    expect(parseRate('100000000000Gbit')).toEqual({ ok: false, error: "rate '100000000000Gbit' is too large" });
    expect(parseRate('1Gbit')).toEqual({ ok: true, value: 125_000_000 });
  });
});
