/**
 * `xl vsnd-attach`: twin of main_vsndattach() in tools/xl/xl_vsnd.c.
 * Each argv word is one item (`CARD,...`, `PCM,...`, `STREAM,...`).
 * `-N` prints `vsnd: <json>`; otherwise the card is hot-plugged. Also
 * main_vsndlist and main_vsnddetach.
 *
 * A bad item returns -1 (status 255); a bad pcm format exits 1 from inside
 * the parser.
 */
import { ERROR_FAIL } from '../../lib/libxl/errors';
import { atoi } from '../../lib/cfg/cconv';
import { parseVsndItem } from '../../lib/cfg/vsnd';
import { statusOf } from '../../lib/cfg/split';
import { deviceToJson } from '../../lib/libxl/json';
import type { DeviceVsnd } from '../../lib/libxl/types';
import { resolveDomid } from './block';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';
import { findDomain, qualifierToDomid } from './find_domain';
import { withLibxl } from './libxl_session';
import { pvDevids, vsndAdd, vsndGetinfo, vsndRemove } from '../../lib/libxl/devices-pv';
import type { VsndParams } from '../../lib/libxl/types';
import { sprintf } from '../../lib/util/printf';

/** what a shell reports for xl's NULL dereference (SIGSEGV) */
const CRASH_STATUS = 139;


function vsndAttachOnHost(ctx: XlContext, domid: number, vsnd: DeviceVsnd): number {
  if (withLibxl(ctx, (lx) => vsndAdd(lx, domid, vsnd))) {
    ctx.io.stderr.write('libxl_device_vsnd_add failed.\n');
    return statusOf(ERROR_FAIL);
  }
  return 0;
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

/** print_params: note xl labels the formats "sample-rates" too */
function paramsText(p: VsndParams): string {
  let t = '';
  if (p.channels_min) t += sprintf(', channels-min: %u', p.channels_min);
  if (p.channels_max) t += sprintf(', channels-max: %u', p.channels_max);
  if (p.buffer_size) t += sprintf(', buffer-size: %u', p.buffer_size);
  if (p.sample_rates?.length) t += `, sample-rates: ${p.sample_rates.join(';')}`;
  if (p.sample_formats?.length) t += `, sample-rates: ${p.sample_formats.join(';')}`;
  return `${t}\n`;
}

export function mainVsndlist(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'vsnd-list', 1);
  const out = ctx.io.stdout;
  withLibxl(ctx, (lx) => {
    for (const name of r.args) {
      const q = qualifierToDomid(lx, name);
      if (q.rc < 0) {
        ctx.io.stderr.write(`${name} is an invalid domain identifier\n`);
        continue;
      }
      for (const devid of pvDevids(lx, q.domid, 'vsnd')) {
        const i = vsndGetinfo(lx, q.domid, devid);
        if (!i) continue;
        out.write(sprintf('\ndevid: %d, be-domid: %d, handle: %d, state: %d, be-path: %s, fe-path: %s\n', i.devid, i.backendId, q.domid, i.state, i.backend, i.frontend));
        // NULL names go through glibc's %s as "(null)"
        out.write(`short-name: "${i.vsnd.short_name ?? '(null)'}", long-name: "${i.vsnd.long_name ?? '(null)'}"` + paramsText(i.vsnd.params));
        i.pcms.forEach((p, j) => {
          out.write(`\tpcm: ${j}, name: "${p.pcm.name ?? '(null)'}"` + paramsText(p.pcm.params));
          p.streams.forEach((s, k) => {
            out.write(`\t\tstream: ${k}, unique-id: "${s.stream.unique_id ?? '(null)'}", type: ${s.stream.type ?? 'p'}` + paramsText(s.stream.params));
            out.write(sprintf('\t\t\tevent-channel: %d, ring-ref: %d\n', s.evtch, s.rref));
          });
        });
      }
    }
  });
  return 0;
}

export function mainVsnddetach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'vsnd-detach', 2);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    const devid = atoi(r.args[1]!);
    if (!pvDevids(lx, domid, 'vsnd').includes(devid)) {
      ctx.io.stderr.write(`Error: Device ${devid} not connected.\n`);
      return statusOf(ERROR_FAIL);
    }
    return vsndRemove(lx, domid, devid);
  });
}
