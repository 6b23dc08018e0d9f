/**
 * `xl block-attach`: twin of main_blockattach() in tools/xl/xl_block.c
 * (the spec words go through parse_disk_config_multistring of xl_parse.c).
 *
 * Only the dry run is simulated so far: `xl -N block-attach <dom> <spec>...`
 * prints `disk: <libxl JSON>`, which is what tools/xl/check-xl-disk-parse
 * tests.
 */
import { strtoul, toUint32 } from '../../lib/cfg/cconv';
import { xluDiskParse } from '../../lib/cfg/disk';
import { deviceToJson } from '../../lib/libxl/json';
import type { DeviceDisk } from '../../lib/libxl/types';
import { Exit } from '../io';
import type { XlContext } from './context';
import { qualifierToDomid } from './find_domain';
import { withLibxl } from './libxl_session';
import { switchForeachOpt } from './opts';

/**
 * The domain argument, resolved as xl does before parsing the spec: a
 * string of digits only (even an empty one) is a domid taken on trust —
 * which is all a dry run needs, so no host is opened — and anything else is
 * looked up by name on the simulated host.
 * @param style how a bad name is reported: `find_domain` (vcpu-pin,
 *   network-attach, vkb/vdispl/vsnd-attach) prints
 *   "%s is an invalid domain identifier (rc=%d)"; `qualifier` (block-attach,
 *   vtpm-attach) the same without the rc. Both end with status 1.
 * @returns the domid, or undefined after the message
 */
export function resolveDomid(ctx: XlContext, name: string, style: 'find_domain' | 'qualifier'): number | undefined {
  if (/^[0-9]*$/.test(name)) return toUint32(strtoul(name, 10).value);
  const r = withLibxl(ctx, (lx) => qualifierToDomid(lx, name));
  if (r.rc === 0) return r.domid;
  ctx.io.stderr.write(style === 'find_domain' ? `${name} is an invalid domain identifier (rc=${r.rc})\n` : `${name} is an invalid domain identifier\n`);
  return undefined;
}

/** The real attach needs the simulated host; kept in one place so it can be replaced. */
function blockAttachOnHost(ctx: XlContext, _domid: number, _disk: DeviceDisk): number {
  ctx.io.stderr.write("xlsim: 'xl block-attach' without -N is not simulated yet\n");
  return 1;
}

export function mainBlockattach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'block-attach', 2);
  const domid = resolveDomid(ctx, r.args[0]!, 'qualifier');
  if (domid === undefined) return 1;
  const parsed = xluDiskParse((s) => ctx.io.stderr.write(s), 'command line', r.args.slice(1));
  if (!parsed.ok) throw new Exit(parsed.exitCode);
  if (ctx.dryrun) {
    ctx.io.stdout.write(`disk: ${deviceToJson('disk', parsed.disk)}\n`);
    return 0;
  }
  return blockAttachOnHost(ctx, domid, parsed.disk);
}
