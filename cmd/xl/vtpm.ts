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

/** The real attach needs the simulated host; kept in one place so it can be replaced. */
function vtpmAttachOnHost(ctx: XlContext, _domid: number, _vtpm: DeviceVtpm): number {
  ctx.io.stderr.write("xlsim: 'xl vtpm-attach' without -N is not simulated yet\n");
  return 1;
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
