/**
 * `xl vtpm-attach`: twin of main_vtpmattach() in tools/xl/xl_vtpm.c.
 * Only the dry run (`vtpm: <json>`) is simulated so far.
 */
import { parseVtpmAttachArgs } from '../../lib/cfg/vtpm';
import { deviceToJson } from '../../lib/libxl/json';
import type { DeviceVtpm } from '../../lib/libxl/types';
import { resolveDomid } from './block';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';
import { findDomain, qualifierToDomid } from './find_domain';
import { withLibxl } from './libxl_session';
import { pvGetinfo, vtpmAdd, vtpmList, vtpmRemove } from '../../lib/libxl/devices-pv';
import { sprintf } from '../../lib/util/printf';

/** The real attach needs the simulated host; kept in one place so it can be replaced. */
function vtpmAttachOnHost(ctx: XlContext, domid: number, vtpm: DeviceVtpm): number {
  if (withLibxl(ctx, (lx) => vtpmAdd(lx, domid, vtpm))) {
    ctx.io.stderr.write('libxl_device_vtpm_add failed.\n');
    return 1;
  }
  return 0;
}

export function mainVtpmattach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'vtpm-attach', 1);
  const domid = resolveDomid(ctx, r.args[0]!, 'qualifier');
  if (domid === undefined) return 1;
  const p = parseVtpmAttachArgs((s) => ctx.io.stderr.write(s), r.args.slice(1));
  if (!p.ok) return p.exitCode;
  if (ctx.dryrun) {
    ctx.io.stdout.write(`vtpm: ${deviceToJson('vtpm', p.dev)}\n`);
    return 0;
  }
  return vtpmAttachOnHost(ctx, domid, p.dev);
}

export function mainVtpmlist(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'vtpm-list', 1);
  const out = ctx.io.stdout;
  out.write(sprintf('%-3s %-2s %-36s %-6s %-5s %-6s %-5s %-10s\n', 'Idx', 'BE', 'Uuid', 'handle', 'state', 'evt-ch', 'ring-ref', 'BE-path'));
  withLibxl(ctx, (lx) => {
    for (const name of r.args) {
      const q = qualifierToDomid(lx, name);
      if (q.rc < 0) {
        ctx.io.stderr.write(`${name} is an invalid domain identifier\n`);
        continue;
      }
      for (const v of vtpmList(lx, q.domid)) {
        const i = pvGetinfo(lx, q.domid, 'vtpm', v.devid ?? 0, 'ring-ref');
        if (!i) continue;
        out.write(sprintf('%-3d %-2d %s %6d %5d %6d %8d %-30s\n', i.devid, i.backendId, v.uuid ?? '', i.devid, i.state, i.evtch, i.rref, i.backend));
      }
    }
  });
  return 0;
}

export function mainVtpmdetach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'vtpm-detach', 2);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    const which = r.args[1]!;
    const list = vtpmList(lx, domid);
    const isUuid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(which);
    const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(which);
    const found = isUuid ? list.find((v) => (v.uuid ?? '').toLowerCase() === which.toLowerCase()) : list.find((v) => v.devid === (m ? Number(m[1]) | 0 : 0));
    if (!found) {
      ctx.io.stderr.write(`Unknown device ${which}.\n`);
      return 1;
    }
    return vtpmRemove(lx, domid, found.devid ?? 0);
  });
}
