/**
 * `xl channel-list`: twin of main_channellist() in tools/xl/xl_console.c.
 */
import { channelList } from '../../lib/libxl/devices-channel';
import { sprintf } from '../../lib/util/printf';
import type { XlContext } from './context';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';
import { switchForeachOpt } from './opts';

export function mainChannellist(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'channel-list', 1);
  const out = ctx.io.stdout;
  out.write(sprintf('%-3s %-2s %-5s %-6s %8s %-10s %-30s\n', 'Idx', 'BE', 'state', 'evt-ch', 'ring-ref', 'connection', ''));
  withLibxl(ctx, (lx) => {
    for (const name of r.args) {
      const domid = findDomain(ctx, lx, name);
      for (const c of channelList(lx, domid)) {
        let line = sprintf('%-3d %-2d ', c.devid, c.backendId) + sprintf('%-5d ', c.state) + sprintf('%-6d %-8d ', c.evtch, c.rref) + sprintf('%-10s ', c.connection);
        if (c.connection === 'pty') line += sprintf('%-30s ', c.pty);
        out.write(`${line}\n`);
      }
    }
  });
  return 0;
}
