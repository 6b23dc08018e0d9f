/**
 * `xl block-attach`: twin of main_blockattach() in tools/xl/xl_block.c
 * (the spec words go through parse_disk_config_multistring of xl_parse.c).
 *
 * `xl -N block-attach <dom> <spec>...` prints `disk: <libxl JSON>` (what
 * tools/xl/check-xl-disk-parse tests); without -N the disk is hot-plugged on
 * the simulated host. Also main_blocklist and main_blockdetach.
 */
import { strtoul, toUint32 } from '../../lib/cfg/cconv';
import { xluDiskParse } from '../../lib/cfg/disk';
import { deviceToJson } from '../../lib/libxl/json';
import type { DeviceDisk } from '../../lib/libxl/types';
import { Exit } from '../io';
import type { XlContext } from './context';
import { qualifierToDomid } from './find_domain';
import { withLibxl } from './libxl_session';
import { findDomain } from './find_domain';
import { switchForeachOpt } from './opts';
import { diskAdd, diskGetinfo, diskList, diskRemove, vdevToDeviceDisk, vdevToDevid } from '../../lib/libxl/devices-vbd';
import { removeBegin, removeReleased, removeTimedOut, type RemovalWait } from '../../lib/libxl/devices-remove';
import { waitFor, type WaitStep } from './wait';
import { sprintf } from '../../lib/util/printf';

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

function blockAttachOnHost(ctx: XlContext, domid: number, disk: DeviceDisk): number {
  const rc = withLibxl(ctx, (lx) => diskAdd(lx, domid, disk));
  if (rc) {
    ctx.io.stderr.write('libxl_device_disk_add failed.\n');
    return 1;
  }
  return 0;
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

export function mainBlocklist(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'block-list', 1);
  const out = ctx.io.stdout;
  out.write(sprintf('%-5s %-3s %-6s %-5s %-6s %-8s %-30s\n', 'Vdev', 'BE', 'handle', 'state', 'evt-ch', 'ring-ref', 'BE-path'));
  withLibxl(ctx, (lx) => {
    for (const name of r.args) {
      const q = qualifierToDomid(lx, name);
      if (q.rc < 0) {
        ctx.io.stderr.write(`${name} is an invalid domain identifier\n`);
        continue;
      }
      for (const disk of diskList(lx, q.domid)) {
        const i = diskGetinfo(lx, q.domid, disk);
        if (!i) continue;
        out.write(sprintf('%-5d %-3d %-6d %-5d %-6d %-8d %-30s\n', i.devid, i.backendId, i.frontendId, i.state, i.evtch, i.rref, i.backend));
      }
    }
  });
  return 0;
}

export async function mainBlockdetach(ctx: XlContext, argv: string[]): Promise<number> {
  const r = switchForeachOpt(ctx, argv.slice(1), 'f', [{ name: 'force', hasArg: 0, val: 'f' }], 'block-detach', 2);
  const force = r.opts.some((o) => o.opt === 'f');
  const failed = (): number => {
    ctx.io.stderr.write(`libxl_device_disk_${force ? 'destroy' : 'safe_remove'} failed.\n`);
    return 1;
  };
  const first = withLibxl(ctx, (lx): number | { wait: RemovalWait; disk: DeviceDisk } => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    const vdev = r.args[1]!;
    const disk = vdevToDeviceDisk(lx, domid, vdev);
    if (!disk) {
      ctx.io.stderr.write(`Error: Device ${vdev} not connected.\n`);
      return 1;
    }
    if (disk.specification === 'virtio') {
      ctx.io.stderr.write("Hotunplug isn't supported for specification virtio\n");
      return 1;
    }
    // destroy tears the frontend down itself; a safe remove needs the guest to let go
    const devid = vdevToDevid(disk.vdev ?? '');
    if (!force && devid !== undefined) {
      const wait = removeBegin(lx, domid, 'vbd', devid);
      if (!removeReleased(lx, wait)) return { wait, disk };
    }
    return diskRemove(lx, domid, disk) ? failed() : 0;
  });
  if (typeof first === 'number') return first;
  const { wait, disk } = first;
  return waitFor(ctx, (lx): WaitStep<number> => {
    if (removeReleased(lx, wait)) return { done: true, value: diskRemove(lx, wait.domid, disk) ? failed() : 0 };
    if (lx.now() >= wait.deadlineNs) {
      removeTimedOut(lx, wait);
      return { done: true, value: failed() };
    }
    return { done: false, deadlineNs: wait.deadlineNs };
  });
}
