/**
 * `xl vdispl-attach`: twin of main_vdisplattach() in tools/xl/xl_vdispl.c.
 * Only the dry run (`vdispl: <json>`) is simulated so far.
 *
 * Exit statuses follow the C returns: parse_vdispl_config's rc as is
 * (1, or sscanf's -1 → 255; a resolution that scans nothing returns 0 and
 * attaching goes on), no connector → ERROR_FAIL → 253.
 */
import { parseVdisplToken } from '../../lib/cfg/vdispl';
import { statusOf } from '../../lib/cfg/split';
import { deviceToJson } from '../../lib/libxl/json';
import type { DeviceVdispl } from '../../lib/libxl/types';
import { resolveDomid } from './block';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';

const ERROR_FAIL = -3;
/** what a shell reports for xl's NULL dereference (SIGSEGV) */
const CRASH_STATUS = 139;

/** The real attach needs the simulated host; kept in one place so it can be replaced. */
function vdisplAttachOnHost(ctx: XlContext, _domid: number, _vdispl: DeviceVdispl): number {
  ctx.io.stderr.write("xlsim: 'xl vdispl-attach' without -N is not simulated yet\n");
  return 1;
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
