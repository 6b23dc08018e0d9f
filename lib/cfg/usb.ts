/**
 * `usbctrl = [...]` / `usbdev = [...]` specs: parse_usbctrl_config() and
 * parse_usbdev_config() in tools/xl/xl_parse.c, plus the item loops of
 * parse_config_data() (strtok(","), leading spaces skipped, any bad token
 * exits 1). The version/port rules of [LU] are libxl's, checked at create.
 */
import type { DeviceUsbctrl, DeviceUsbdev } from '../libxl/types';
import { enumFromString } from '../libxl/types';
import { atoi, matchOption, skipSpaces, strtok, strtoul } from './cconv';
import type { ReportSink } from './report';
import { fail, type DevParse } from './split';

/** parse_usbctrl_config(): 0, or 1 after "Invalid usb controller type '%s'" / "Unknown string `%s' in usbctrl spec". */
export function parseUsbctrlToken(report: ReportSink, ctrl: DeviceUsbctrl, token: string): number {
  let v: string | undefined;
  if ((v = matchOption('type', token)) !== undefined) {
    const t = enumFromString('usbctrl_type', v);
    if (t === undefined) {
      report(`Invalid usb controller type '${v}'\n`);
      return 1;
    }
    ctrl.type = t;
  } else if ((v = matchOption('version', token)) !== undefined) {
    ctrl.version = atoi(v);
  } else if ((v = matchOption('ports', token)) !== undefined) {
    ctrl.ports = atoi(v);
  } else {
    report(`Unknown string \`${token}' in usbctrl spec\n`);
    return 1;
  }
  return 0;
}

/**
 * parse_usbdev_config(): 0, or 1 after a message. The bad-type message
 * prints getopt's `optarg` rather than the value (an xl bug): pass the
 * command's last option argument, or undefined for "(null)".
 */
export function parseUsbdevToken(report: ReportSink, usbdev: DeviceUsbdev, token: string, optarg?: string): number {
  let v: string | undefined;
  if ((v = matchOption('type', token)) !== undefined) {
    const t = enumFromString('usbdev_type', v);
    if (t === undefined) {
      report(`Invalid usb device type: ${optarg ?? '(null)'}\n`);
      return 1;
    }
    usbdev.type = t;
  } else if ((v = matchOption('hostbus', token)) !== undefined) {
    usbdev.u = { ...usbdev.u, hostbus: Number(strtoul(v, 0).value & 0xffn) };
  } else if ((v = matchOption('hostaddr', token)) !== undefined) {
    usbdev.u = { ...usbdev.u, hostaddr: Number(strtoul(v, 0).value & 0xffn) };
  } else if ((v = matchOption('controller', token)) !== undefined) {
    usbdev.ctrl = atoi(v);
  } else if ((v = matchOption('port', token)) !== undefined) {
    usbdev.port = atoi(v);
  } else {
    report(`Unknown string \`${token}' in usbdev spec\n`);
    return 1;
  }
  return 0;
}

/** One `usbctrl` item; any bad token → exit 1. */
export function parseUsbctrlItem(report: ReportSink, item: string, devid: number): DevParse<DeviceUsbctrl> {
  const ctrl: DeviceUsbctrl = { devid };
  for (const piece of strtok(item, ',')) if (parseUsbctrlToken(report, ctrl, skipSpaces(piece))) return fail(1);
  return { ok: true, dev: ctrl };
}

/** One `usbdev` item (no devid: usbdevs are keyed by controller/port); any bad token → exit 1. */
export function parseUsbdevItem(report: ReportSink, item: string, optarg?: string): DevParse<DeviceUsbdev> {
  const dev: DeviceUsbdev = {};
  for (const piece of strtok(item, ',')) if (parseUsbdevToken(report, dev, skipSpaces(piece), optarg)) return fail(1);
  return { ok: true, dev };
}
