/**
 * The library entry points other commands call (config-update's store,
 * vcpu-pin's apply), exercised in-process on a manual-clock host: the
 * monitor picks up an updated config at the next reboot; pinning shows in
 * vcpu-list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../cmd/io';
import type { XlContext } from '../../cmd/xl/context';
import { defaultGlobalConfig } from '../../cmd/xl/globalconfig';
import { StdioXtl } from '../../cmd/xl/log';
import { parseConfigData } from '../../cmd/xl/parse/index';
import { createDomainOnHost } from '../../cmd/xl/create_domain';
import { withLibxl } from '../../cmd/xl/libxl_session';
import { applyVcpuPin } from '../../cmd/xl/vcpu_apply';
import { mainVcpulist } from '../../cmd/xl/vcpu';
import { GuestGlue } from '../../lib/libxl/guest_glue';
import { installHostHooks } from '../../lib/libxl/compose';
import { storeXlConfig } from '../../lib/libxl/userdata';
import { listDomain, domidToName } from '../../lib/libxl/domain';
import { createHost, withHostSync } from '../../state/session';
import { tmpHome } from '../helpers/cli';

function xlContext(env: Record<string, string>): XlContext & { out(): string; err(): string } {
  const io = memoryIo(env);
  const ctx: XlContext = {
    io,
    verbose: 0,
    dryrun: false,
    force: false,
    progressCR: false,
    timestamps: false,
    logger: new StdioXtl(io.stderr, { minLevel: 'progress', progressCR: false, timestamps: false }),
    minLevel: 'progress',
    globalConfig: defaultGlobalConfig(),
  };
  return Object.assign(ctx, { out: () => io.outText(), err: () => io.errText() });
}

const PV = 'name = "pv1"\nkernel = "/boot/vmlinuz"\nmemory = 512\nvcpus = 2\n';

describe('library entry points', () => {
  const home = tmpHome('xlsim-inproc-');
  const env = { XLSIM_HOME: home, TZ: 'UTC' };
  installHostHooks();
  createHost(env, 'default', { clock: 'manual', seed: 1 });
  const advance = (ns: number) => withHostSync(env, (s) => s.clock.advance(ns));

  it('config-update text is used (and consumed) at the next reboot', async () => {
    const ctx = xlContext(env);
    const rc = await createDomainOnHost(ctx, parseConfigData(ctx, 'pv1.cfg', PV), { paused: false, daemonize: true, monitor: true });
    expect(rc).toBe(0);
    advance(3e9);
    const updated = 'name = "pv1"\nkernel = "/boot/vmlinuz"\nmemory = 384\nvcpus = 1\n';
    const parsed = parseConfigData(ctx, 'pv1-new.cfg', updated);
    expect(withLibxl(ctx, (lx) => storeXlConfig(lx, 1, updated, parsed))).toBe(0);
    expect(withLibxl(ctx, (lx) => storeXlConfig(lx, 42, updated, parsed))).toBe(-3);
    withLibxl(ctx, (lx) => new GuestGlue(() => lx).act(1, 'reboot'));
    advance(2e9 + 1);
    const doms = withLibxl(ctx, (lx) => listDomain(lx).map((d) => ({ id: d.domid, name: domidToName(lx, d.domid), mem: d.current_memkb / 1024, vcpus: d.vcpu_online })));
    expect(doms).toEqual([
      { id: 0, name: 'Domain-0', mem: 2048, vcpus: 2 },
      { id: 2, name: 'pv1', mem: 384, vcpus: 1 },
    ]);
    const log = fs.readFileSync(path.join(home, 'hosts', 'default', 'log', 'xl-pv1.log'), 'utf8');
    expect(log).toBe(
      'Waiting for domain pv1 (domid 1) to die [pid 4321]\n' +
        'Domain 1 has shut down, reason code 1 0x1\n' +
        'Action for shutdown reason code 1 is restart\n' +
        '"xl" configuration found, using it\n\n' +
        'Domain 1 needs to be cleaned up: destroying the domain\n' +
        'Done. Rebooting now\n' +
        'Waiting for domain pv1 (domid 2) to die [pid 4321]\n',
    );
    expect(ctx.err()).toBe('');
  });

  it('vcpu-pin apply: one vCPU, all vCPUs, and a refused map', () => {
    const ctx = xlContext(env);
    const create = parseConfigData(ctx, 'p2.cfg', 'name = "p2"\nkernel = "/k"\nmemory = 128\nvcpus = 2\n');
    return createDomainOnHost(ctx, create, { paused: false, daemonize: true, monitor: true }).then((rc) => {
      expect(rc).toBe(0);
      expect(applyVcpuPin(ctx, { domain: 'p2', vcpu: 0, hard: [1, 2], soft: undefined })).toBe(0);
      expect(applyVcpuPin(ctx, { domain: 'p2', vcpu: -1, hard: undefined, soft: [4, 5, 6, 7] })).toBe(0);
      expect(applyVcpuPin(ctx, { domain: 'p2', vcpu: 5, hard: [1], soft: undefined })).toBe(1);
      expect(ctx.err()).toBe(
        'libxl: error: libxl_sched.c:56:libxl_set_vcpuaffinity: Domain 3:Setting vcpu affinity: Invalid argument\n' +
          "Could not set affinity for vcpu `5'.\n",
      );
      const l = xlContext(env);
      expect(mainVcpulist(l, ['vcpu-list', 'p2'])).toBe(0);
      const rows = l.out().split('\n').slice(1, 3).map((r) => r.replace(/ +\d+\.\d  /, ' T  '));
      expect(rows[0]).toMatch(/^p2 {35}3     0    [12]   [-r][-b]- T  1-2 \/ 4-7$/);
      expect(rows[1]).toMatch(/^p2 {35}3     1    \d   [-r][-b]- T  all \/ 4-7$/);
    });
  });
});
