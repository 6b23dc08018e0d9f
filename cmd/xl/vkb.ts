/**
 * `xl vkb-attach`: twin of main_vkbattach() in tools/xl/xl_vkb.c.
 * Only the dry run (`vkb: <json>`) is simulated so far.
 *
 * Exit statuses are C's negative returns seen by the shell: a bad token
 * (-1) → 255, a failed final check (ERROR_FAIL, -3) → 253.
 */
import { finishVkb, parseVkbToken } from '../../lib/cfg/vkb';
import { statusOf } from '../../lib/cfg/split';
import { deviceToJson } from '../../lib/libxl/json';
import type { DeviceVkb } from '../../lib/libxl/types';
import { resolveDomid } from './block';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';

const ERROR_FAIL = -3;

/** The real attach needs the simulated host; kept in one place so it can be replaced. */
function vkbAttachOnHost(ctx: XlContext, _domid: number, _vkb: DeviceVkb): number {
  ctx.io.stderr.write("xlsim: 'xl vkb-attach' without -N is not simulated yet\n");
  return 1;
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
