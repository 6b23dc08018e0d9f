/**
 * `xl usbctrl-attach`, `usbctrl-detach`, `usbdev-attach`, `usbdev-detach`
 * and `usb-list`: twin of tools/xl/xl_usb.c.
 */
import { parseUsbctrlToken, parseUsbdevToken } from '../../lib/cfg/usb';
import { atoi } from '../../lib/cfg/cconv';
import type { DeviceUsbctrl, DeviceUsbdev } from '../../lib/libxl/types';
import { usbctrlAdd, usbctrlByDevid, usbctrlGetinfo, usbctrlList, usbctrlRemove, usbdevAdd, usbdevAt, usbdevRemove } from '../../lib/libxl/usb';
import { sprintf } from '../../lib/util/printf';
import type { XlContext } from './context';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';
import { switchForeachOpt } from './opts';

export function mainUsbctrlAttach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'usbctrl-attach', 1);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    const ctrl: DeviceUsbctrl = { devid: -1 };
    for (const a of r.args.slice(1)) if (parseUsbctrlToken((s) => ctx.io.stderr.write(s), ctrl, a)) return 1;
    if (usbctrlAdd(lx, domid, ctrl)) {
      ctx.io.stderr.write('libxl_device_usbctrl_add failed.\n');
      return 1;
    }
    return 0;
  });
}

export function mainUsbctrlDetach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'usbctrl-detach', 2);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    const devid = atoi(r.args[1]!);
    if (!usbctrlByDevid(lx, domid, devid)) {
      ctx.io.stderr.write(`Unknown device ${r.args[1]!}.\n`);
      return 1;
    }
    if (usbctrlRemove(lx, domid, devid)) {
      ctx.io.stderr.write('libxl_device_usbctrl_remove failed.\n');
      return 1;
    }
    return 0;
  });
}

export function mainUsbdevAttach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'usbdev-attach', 2);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    const dev: DeviceUsbdev = { ctrl: -1 };
    // no options were parsed, so getopt's optarg is still NULL
    for (const a of r.args.slice(1)) if (parseUsbdevToken((s) => ctx.io.stderr.write(s), dev, a, undefined)) return 1;
    if (usbdevAdd(lx, domid, dev)) {
      ctx.io.stderr.write('libxl_device_usbdev_add failed.\n');
      return 1;
    }
    return 0;
  });
}

export function mainUsbdevDetach(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'usbdev-detach', 3);
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    const ctrl = atoi(r.args[1]!);
    const port = atoi(r.args[2]!);
    if (r.args.length > 3) {
      ctx.io.stderr.write('Invalid arguments.\n');
      return 1;
    }
    if (!usbdevAt(lx, domid, ctrl, port)) {
      ctx.io.stderr.write(sprintf('Unknown device at controller %d port %d.\n', ctrl, port));
      return 1;
    }
    if (usbdevRemove(lx, domid, ctrl, port)) {
      ctx.io.stderr.write('libxl_device_usbdev_remove failed.\n');
      return 1;
    }
    return 0;
  });
}

export function mainUsblist(ctx: XlContext, argv: string[]): number {
  const r = switchForeachOpt(ctx, argv.slice(1), '', null, 'usb-list', 1);
  const out = ctx.io.stdout;
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, r.args[0]!);
    if (r.args.length > 1) {
      ctx.io.stderr.write('Invalid arguments.\n');
      return 255;
    }
    for (const c of usbctrlList(lx, domid)) {
      out.write(sprintf('%-6s %-12s %-3s %-5s %-7s %-5s\n', 'Devid', 'Type', 'BE', 'state', 'usb-ver', 'ports'));
      const i = usbctrlGetinfo(lx, domid, c.devid!);
      if (!i) continue;
      out.write(sprintf('%-6d %-12s %-3d %-5d %-7d %-5d\n', i.devid, i.type, i.backendId, i.state, i.version, i.ports));
      for (let p = 1; p <= i.ports; p++) {
        out.write(sprintf('  Port %d:', p));
        const d = usbdevAt(lx, domid, i.devid, p);
        out.write(d ? sprintf(' Bus %03x Device %03x\n', d.u?.hostbus ?? 0, d.u?.hostaddr ?? 0) : '\n');
      }
    }
    return 0;
  });
}
