/**
 * `xl vsnd-attach`: twin of main_vsndattach() in tools/xl/xl_vsnd.c.
 * Each argv word is one item (`CARD,...`, `PCM,...`, `STREAM,...`).
 * Only the dry run (`vsnd: <json>`) is simulated so far.
 *
 * A bad item returns -1 (status 255); a bad pcm format exits 1 from inside
 * the parser.
 */
import { parseVsndItem } from '../../lib/cfg/vsnd';
import { statusOf } from '../../lib/cfg/split';
import { deviceToJson } from '../../lib/libxl/json';
import type { DeviceVsnd } from '../../lib/libxl/types';
import { resolveDomid } from './block';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';

/** what a shell reports for xl's NULL dereference (SIGSEGV) */
const CRASH_STATUS = 139;

/** The real attach needs the simulated host; kept in one place so it can be replaced. */
function vsndAttachOnHost(ctx: XlContext, _domid: number, _vsnd: DeviceVsnd): number {
  ctx.io.stderr.write("xlsim: 'xl vsnd-attach' without -N is not simulated yet\n");
  return 1;
}

export function mainVsndattach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'vsnd-attach', 2);
  const domid = resolveDomid(ctx, r.args[0]!, 'find_domain');
  if (domid === undefined) return 1;
  const report = (s: string): void => ctx.io.stderr.write(s);
  const vsnd: DeviceVsnd = { params: {} };
  for (const item of r.args.slice(1)) {
    const rc = parseVsndItem(report, vsnd, item);
    if (rc === 'crash') return CRASH_STATUS;
    if (typeof rc === 'object') return rc.exit;
    if (rc) return statusOf(rc);
  }
  if (ctx.dryrun) {
    ctx.io.stdout.write(`vsnd: ${deviceToJson('vsnd', vsnd)}\n`);
    return 0;
  }
  return vsndAttachOnHost(ctx, domid, vsnd);
}
