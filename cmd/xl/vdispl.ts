/**
 * `xl vdispl-attach`: twin of main_vdisplattach() in tools/xl/xl_vdispl.c.
 * `-N` prints `vdispl: <json>`; otherwise the device is hot-plugged. Also
 * main_vdispllist and main_vdispldetach.
 *
 * Exit statuses follow the C returns: parse_vdispl_config's rc as is
 * (1, or sscanf's -1 → 255; a resolution that scans nothing returns 0 and
 * attaching goes on), no connector → ERROR_FAIL → 253.
 */
import { ERROR_FAIL } from '../../lib/libxl/errors';
import { atoi } from '../../lib/cfg/cconv';
import { parseVdisplToken } from '../../lib/cfg/vdispl';
import { statusOf } from '../../lib/cfg/split';
import { deviceToJson } from '../../lib/libxl/json';
import type { DeviceVdispl } from '../../lib/libxl/types';
import { resolveDomid } from './block';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';
import { findDomain, qualifierToDomid } from './find_domain';
import { withLibxl } from './libxl_session';
import { pvDevids, vdisplAdd, vdisplGetinfo, vdisplRemove } from '../../lib/libxl/devices-pv';
import { sprintf } from '../../lib/util/printf';

/** what a shell reports for xl's NULL dereference (SIGSEGV) */
const CRASH_STATUS = 139;

function vdisplAttachOnHost(ctx: XlContext, domid: number, vdispl: DeviceVdispl): number {
  if (withLibxl(ctx, (lx) => vdisplAdd(lx, domid, vdispl))) {
    ctx.io.stderr.write('libxl_device_vdispl_add failed.\n');
    return statusOf(ERROR_FAIL);
  }
  return 0;
}

export function mainVdisplattach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'vdispl-attach', 1);
  const domid = resolveDomid(ctx, r.args[0]!, 'find_domain');
  if (domid === undefined) return 1;
  const report = (s: string): void => ctx.io.stderr.write(s);
  const vdispl: DeviceVdispl = {};
  for (const tok of r.args.slice(1)) {
    const rc = parseVdisplToken(report, vdispl, tok);
    if (rc === 'crash') return CRASH_STATUS;
    if (rc) return statusOf(rc);
  }
  if (!vdispl.connectors?.length) {
    report('At least one connector should be specified.\n');
    return statusOf(ERROR_FAIL);
  }
  if (ctx.dryrun) {
    ctx.io.stdout.write(`vdispl: ${deviceToJson('vdispl', vdispl)}\n`);
    return 0;
  }
  return vdisplAttachOnHost(ctx, domid, vdispl);
}

export function mainVdispllist(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'vdispl-list', 1);
  const out = ctx.io.stdout;
  withLibxl(ctx, (lx) => {
    for (const name of r.args) {
      const q = qualifierToDomid(lx, name);
      if (q.rc < 0) {
        ctx.io.stderr.write(`${name} is an invalid domain identifier\n`);
        continue;
      }
      for (const devid of pvDevids(lx, q.domid, 'vdispl')) {
        const i = vdisplGetinfo(lx, q.domid, devid);
        if (!i) continue;
        out.write(sprintf('DevId: %d, BE: %d, handle: %d, state: %d, be-alloc: %d, BE-path: %s, FE-path: %s\n', i.devid, i.backendId, q.domid, i.state, i.beAlloc, i.backend, i.frontend));
        i.connectors.forEach((c, j) => {
          out.write(
            sprintf('\tConnector: %d, id: %s, width: %d, height: %d, req-rref: %d, req-evtch: %d, evt-rref: %d, evt-evtch: %d\n', j, c.uniqueId, c.width, c.height, c.reqRref, c.reqEvtch, c.evtRref, c.evtEvtch),
          );
        });
      }
    }
  });
  return 0;
}

export function mainVdispldetach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'vdispl-detach', 2);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    const devid = atoi(r.args[1]!);
    if (!pvDevids(lx, domid, 'vdispl').includes(devid)) {
      ctx.io.stderr.write(`Error: Device ${devid} not connected.\n`);
      return statusOf(ERROR_FAIL);
    }
    return vdisplRemove(lx, domid, devid);
  });
}
