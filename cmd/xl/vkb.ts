/**
 * `xl vkb-attach`: twin of main_vkbattach() in tools/xl/xl_vkb.c.
 * Only the dry run (`vkb: <json>`) is simulated so far.
 *
 * Exit statuses are C's negative returns seen by the shell: a bad token
 * (-1) → 255, a failed final check (ERROR_FAIL, -3) → 253.
 */
import { ERROR_FAIL } from '../../lib/libxl/errors';
import { atoi } from '../../lib/cfg/cconv';
import { finishVkb, parseVkbToken } from '../../lib/cfg/vkb';
import { statusOf } from '../../lib/cfg/split';
import { deviceToJson } from '../../lib/libxl/json';
import type { DeviceVkb } from '../../lib/libxl/types';
import { resolveDomid } from './block';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';
import { pvGetinfo, vkbAdd, vkbList, vkbRemove } from '../../lib/libxl/devices-pv';
import { sprintf } from '../../lib/util/printf';


/** The real attach needs the simulated host; kept in one place so it can be replaced. */
function vkbAttachOnHost(ctx: XlContext, domid: number, vkb: DeviceVkb): number {
  if (withLibxl(ctx, (lx) => vkbAdd(lx, domid, vkb))) {
    ctx.io.stderr.write('libxl_device_vkb_add failed.\n');
    return statusOf(ERROR_FAIL);
  }
  return 0;
}

export function mainVkbattach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'vkb-attach', 2);
  const domid = resolveDomid(ctx, r.args[0]!, 'find_domain');
  if (domid === undefined) return 1;
  const report = (s: string): void => ctx.io.stderr.write(s);
  const vkb: DeviceVkb = {};
  for (const tok of r.args.slice(1)) {
    const rc = parseVkbToken(report, vkb, tok);
    if (rc) return statusOf(rc);
  }
  const msg = finishVkb(vkb, false);
  if (msg) {
    report(msg);
    return statusOf(ERROR_FAIL);
  }
  if (ctx.dryrun) {
    ctx.io.stdout.write(`vkb: ${deviceToJson('vkb', vkb)}\n`);
    return 0;
  }
  return vkbAttachOnHost(ctx, domid, vkb);
}

export function mainVkblist(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'vkb-list', 1);
  const out = ctx.io.stdout;
  out.write(sprintf('%-3s %-2s %-6s %-5s %-6s %6s %-10s %-10s %-30s\n', 'Idx', 'BE', 'handle', 'state', 'evt-ch', 'ref', 'ID', 'BE-type', 'BE-path'));
  withLibxl(ctx, (lx) => {
    for (const name of r.args) {
      const domid = findDomain(ctx, lx, name);
      for (const v of vkbList(lx, domid)) {
        const i = pvGetinfo(lx, domid, 'vkbd', v.devid ?? 0, 'page-gref');
        if (!i) continue;
        // a NULL unique-id goes through glibc's %s as "(null)"
        out.write(sprintf('%-3d %-2d %6d %5d %6d %6d %-10s %-10s %-30s\n', i.devid, i.backendId, i.devid, i.state, i.evtch, i.rref, v.unique_id ?? '(null)', v.backend_type ?? 'qemu', i.backend));
      }
    }
  });
  return 0;
}

export function mainVkbdetach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'vkb-detach', 2);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    const devid = atoi(r.args[1]!);
    if (!vkbList(lx, domid).some((v) => v.devid === devid)) {
      ctx.io.stderr.write(`Error: Device ${devid} not connected.\n`);
      return statusOf(ERROR_FAIL);
    }
    return vkbRemove(lx, domid, devid);
  });
}
