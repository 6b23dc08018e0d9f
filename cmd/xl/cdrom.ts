/**
 * `xl cd-insert` / `xl cd-eject`: twin of tools/xl/xl_cdrom.c. The medium
 * is a disk spec `vdev=<vdev>,access=r,devtype=cdrom,target=<path>`; a
 * medium other than empty must exist on dom0's filesystem (xl stat()s it
 * before asking libxl). Both are flagged can_dryrun and ignore -N.
 */
import fs from 'node:fs';
import { xluDiskParse } from '../../lib/cfg/disk';
import { cdromInsert } from '../../lib/libxl/cdrom';
import { Exit } from '../io';
import type { XlContext } from './context';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';
import { switchForeachOpt } from './opts';

function cdInsert(ctx: XlContext, domArg: string, vdev: string, phys: string | undefined): number {
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, domArg);
    const spec = `vdev=${vdev},access=r,devtype=cdrom,target=${phys ?? ''}`;
    const parsed = xluDiskParse((s) => ctx.io.stderr.write(s), 'command line', [spec]);
    if (!parsed.ok) throw new Exit(parsed.exitCode);
    const disk = parsed.disk;
    if (disk.format !== 'empty' && !statOk(disk.pdev_path ?? '')) {
      ctx.io.stderr.write(`Cannot stat file: ${disk.pdev_path ?? '(null)'}\n`);
      return 1;
    }
    return cdromInsert(lx, domid, disk) ? 1 : 0;
  });
}

function statOk(path: string): boolean {
  try {
    fs.statSync(path);
    return true;
  } catch {
    return false;
  }
}

export function mainCdEject(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'cd-eject', 2);
  return cdInsert(ctx, r.args[0]!, r.args[1]!, undefined);
}

export function mainCdInsert(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'cd-insert', 3);
  return cdInsert(ctx, r.args[0]!, r.args[1]!, r.args[2]!);
}
