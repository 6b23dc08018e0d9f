/**
 * Virtual USB controllers and the host USB devices plugged into their
 * ports (libxl_usb.c behaviour, written from its observable effects).
 *
 * A pv/qusb controller is a xenbus device of kind vusb (backend kind vusb
 * or qusb) whose backend directory holds the port table `port/<n>`; a
 * devicemodel controller lives in QEMU, so only libxl's own directory
 * records it, port table included. A usbdev is no device of its own: it is
 * the host device's busid written into a free port.
 *
 * The simulated host has no USB inventory: a device is "present" when its
 * bus (1..255) and address (1..127) are numbers Linux could hand out, and
 * its busid is recorded as `<bus>-<addr>` so that it reads back exactly.
 */
import type { LibxlCtx } from './ctx';
import { configAddDevice, configRemoveDevice } from './devices-config';
import { nextDevid } from './devices-pv';
import { domainTypeOf, removeDeviceDirs } from './devices-vbd';
import { ERROR_DEVICE_EXISTS, ERROR_FAIL, ERROR_INVAL } from './errors';
import { XenbusState, scheduleProbe } from './devices-xenbus';
import { libxlLog, where } from './log';
import type { DeviceUsbctrl, DeviceUsbdev } from './types';

/** USBIF_MAX_PORTNR of the pvusb protocol */
export const USBIF_MAX_PORTNR = 31;
const TOOLSTACK_DOMID = 0;

type CtrlType = 'pv' | 'qusb' | 'devicemodel';

function children(lx: LibxlCtx, path: string): string[] {
  const r = lx.xs.directory(path);
  return Array.isArray(r) ? r : [];
}

function libxlPath(domid: number, devid: number): string {
  return `/libxl/${domid}/device/vusb/${devid}`;
}

function intOr(v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number.parseInt(v, 10);
  return Number.isNaN(n) ? 0 : n;
}

function setdefaultErr(lx: LibxlCtx, line: number, msg: string): number {
  libxlLog(lx.xtl, 'error', where('libxl_usb.c', line, 'libxl__device_usbctrl_setdefault'), undefined, msg);
  return ERROR_INVAL;
}

/** libxl__device_usbctrl_setdefault: type, version and ports filled in or refused */
export function usbctrlSetdefault(lx: LibxlCtx, domid: number, c: DeviceUsbctrl): number {
  const domtype = domainTypeOf(lx, domid, 'libxl__device_usbctrl_setdefault');
  if (domtype === undefined) return ERROR_FAIL;
  // the simulated dom0 has usbback loaded, so auto means pv outside HVM
  if (c.type === undefined || c.type === 'auto') c.type = domtype === 'hvm' ? 'devicemodel' : 'pv';
  if (c.type === 'pv' || c.type === 'qusb') {
    if (!c.version) c.version = 2;
    if (c.version < 1 || c.version > 2) return setdefaultErr(lx, 67, 'USB version for paravirtualized devices must be 1 or 2');
    if (!c.ports) c.ports = 8;
    if (c.ports < 1 || c.ports > USBIF_MAX_PORTNR) return setdefaultErr(lx, 75, `Number of ports for USB controller is limited to ${USBIF_MAX_PORTNR}`);
  } else if (c.type === 'devicemodel') {
    if (!c.version) c.version = 2;
    if (c.version === 1) {
      if (c.ports && c.ports !== 2) return setdefaultErr(lx, 88, 'Number of ports for USB controller of version 1 is always 2');
      c.ports = 2;
    } else if (c.version === 2) {
      if (c.ports && c.ports !== 6) return setdefaultErr(lx, 98, 'Number of ports for USB controller of version 2 is always 6');
      c.ports = 6;
    } else if (c.version === 3) {
      if (!c.ports) c.ports = 8;
      if (c.ports > 15) return setdefaultErr(lx, 110, 'Number of ports for USB controller of version 3 is limited to 15');
    } else {
      return setdefaultErr(lx, 117, 'Illegal USB version');
    }
  }
  if (c.backend_domid === undefined) c.backend_domid = TOOLSTACK_DOMID;
  return 0;
}

/** where a controller's port table lives: its backend, or libxl's directory for QEMU's */
function portTableOf(lx: LibxlCtx, domid: number, devid: number): string | undefined {
  const lp = libxlPath(domid, devid);
  const type = lx.xs.tryRead(`${lp}/type`);
  if (type === undefined) return undefined;
  if (type === 'devicemodel') return lp;
  return lx.xs.tryRead(`${lp}/backend`);
}

/** libxl__device_usbctrl_add_xenstore with the json update */
function usbctrlWrite(lx: LibxlCtx, domid: number, c: DeviceUsbctrl): number {
  const devid = c.devid!;
  const type = c.type as CtrlType;
  const bd = c.backend_domid ?? TOOLSTACK_DOMID;
  const lp = libxlPath(domid, devid);
  if (type === 'devicemodel' && domainTypeOf(lx, domid, 'libxl__device_usbctrl_add') !== 'hvm') {
    // the PV device model (qdisk/vfb QEMU) emulates no USB host controller
    libxlLog(lx.xtl, 'error', where('libxl_usb.c', 520, 'device_usbctrl_add_timeout'), domid, 'Adding usbctrl to QEMU timed out');
    return ERROR_FAIL;
  }
  if (type === 'qusb' && !lx.xs.exists(`/local/domain/${bd}/device-model/${domid}/backends/qusb`)) {
    libxlLog(lx.xtl, 'error', where('libxl_usb.c', 257, 'libxl__device_usbctrl_add_xenstore'), domid, 'backend type not supported by device model');
    return ERROR_FAIL;
  }
  if (lx.xs.exists(lp)) {
    libxlLog(lx.xtl, 'error', where('libxl_usb.c', 272, 'libxl__device_usbctrl_add_xenstore'), domid, 'device already exists in xenstore');
    return ERROR_DEVICE_EXISTS;
  }
  const table: Array<[string, string]> = [
    ['type', type],
    ['usb-ver', String(c.version)],
    ['num-ports', String(c.ports)],
    ['port', ''],
  ];
  for (let i = 1; i <= (c.ports ?? 0); i++) table.push([`port/${i}`, '']);
  lx.xs.mkdirPerms(lp, ['n0']);
  if (type === 'devicemodel') {
    lx.xs.writeAll(lp, table);
  } else {
    const fe = `/local/domain/${domid}/device/vusb/${devid}`;
    const be = `/local/domain/${bd}/backend/${type === 'pv' ? 'vusb' : 'qusb'}/${domid}/${devid}`;
    // usbback probes at once: libxl finds the backend waiting for its frontend
    const back: Array<[string, string]> = [['frontend', fe], ['frontend-id', String(domid)], ['online', '1'], ['state', String(XenbusState.InitWait)], ...table];
    lx.xs.mkdirPerms(be, [`n${bd}`, `r${domid}`]);
    lx.xs.writeAll(be, back);
    lx.xs.mkdirPerms(fe, [`n${domid}`, `r${bd}`]);
    lx.xs.writeAll(fe, [['backend', be], ['backend-id', String(bd)], ['state', String(XenbusState.Initialising)]]);
    lx.xs.writeAll(lp, [['frontend', fe], ['backend', be], ...table]);
    scheduleProbe(lx, domid);
  }
  configAddDevice<DeviceUsbctrl>(lx, domid, 'usbctrls', { ...c }, (v) => v.devid === devid);
  return 0;
}

function addFailed(lx: LibxlCtx): void {
  libxlLog(lx.xtl, 'error', where('libxl_device.c', 1500, 'device_addrm_aocomplete'), undefined, 'unable to add device');
}

/** libxl__device_usbctrl_add minus the async plumbing; sets c.devid */
function usbctrlAddNoLog(lx: LibxlCtx, domid: number, c: DeviceUsbctrl): number {
  const rc = usbctrlSetdefault(lx, domid, c);
  if (rc) return rc;
  if (c.devid === undefined || c.devid < 0) c.devid = nextDevid(lx, domid, 'vusb');
  return usbctrlWrite(lx, domid, c);
}

/** libxl_device_usbctrl_add */
export function usbctrlAdd(lx: LibxlCtx, domid: number, c: DeviceUsbctrl): number {
  const rc = usbctrlAddNoLog(lx, domid, c);
  if (rc) addFailed(lx);
  return rc;
}

/** libxl_device_usbctrl_list: the controllers libxl recorded, by devid */
export function usbctrlList(lx: LibxlCtx, domid: number): DeviceUsbctrl[] {
  const out: DeviceUsbctrl[] = [];
  for (const id of children(lx, `/libxl/${domid}/device/vusb`).map(Number).sort((a, b) => a - b)) {
    const lp = libxlPath(domid, id);
    const type = lx.xs.tryRead(`${lp}/type`);
    if (type !== 'pv' && type !== 'qusb' && type !== 'devicemodel') continue;
    const table = portTableOf(lx, domid, id) ?? lp;
    const be = lx.xs.tryRead(`${lp}/backend`);
    const m = be ? /^\/local\/domain\/(\d+)\//.exec(be) : null;
    out.push({
      devid: id,
      type,
      version: intOr(lx.xs.tryRead(`${table}/usb-ver`), -1),
      ports: intOr(lx.xs.tryRead(`${table}/num-ports`), -1),
      backend_domid: m ? Number(m[1]) : TOOLSTACK_DOMID,
    });
  }
  return out;
}

/** libxl_devid_to_device_usbctrl */
export function usbctrlByDevid(lx: LibxlCtx, domid: number, devid: number): DeviceUsbctrl | undefined {
  return usbctrlList(lx, domid).find((c) => c.devid === devid);
}

export interface UsbctrlInfo {
  devid: number;
  type: CtrlType;
  backendId: number;
  state: number;
  version: number;
  ports: number;
}

/** libxl_device_usbctrl_getinfo */
export function usbctrlGetinfo(lx: LibxlCtx, domid: number, devid: number): UsbctrlInfo | undefined {
  const lp = libxlPath(domid, devid);
  const type = lx.xs.tryRead(`${lp}/type`);
  if (type !== 'pv' && type !== 'qusb' && type !== 'devicemodel') return undefined;
  if (type === 'devicemodel') {
    return { devid, type, backendId: TOOLSTACK_DOMID, state: 0, version: intOr(lx.xs.tryRead(`${lp}/usb-ver`), -1), ports: intOr(lx.xs.tryRead(`${lp}/num-ports`), -1) };
  }
  const be = lx.xs.tryRead(`${lp}/backend`);
  const m = be ? /^\/local\/domain\/(\d+)\//.exec(be) : null;
  if (!be || !m) return undefined;
  const fe = `/local/domain/${domid}/device/vusb/${devid}`;
  return {
    devid,
    type,
    backendId: Number(m[1]),
    state: intOr(lx.xs.tryRead(`${fe}/state`), -1),
    version: intOr(lx.xs.tryRead(`${be}/usb-ver`), -1),
    ports: intOr(lx.xs.tryRead(`${be}/num-ports`), -1),
  };
}

function busidOf(bus: number, addr: number): string {
  return `${bus}-${addr}`;
}

function busaddrOf(busid: string): { hostbus: number; hostaddr: number } {
  const m = /^(\d+)-(\d+)$/.exec(busid);
  return m ? { hostbus: Number(m[1]) & 0xff, hostaddr: Number(m[2]) & 0xff } : { hostbus: 0, hostaddr: 0 };
}

/** libxl_ctrlport_to_device_usbdev */
export function usbdevAt(lx: LibxlCtx, domid: number, ctrl: number, port: number): DeviceUsbdev | undefined {
  const table = portTableOf(lx, domid, ctrl);
  if (table === undefined) return undefined;
  const busid = lx.xs.tryRead(`${table}/port/${port}`);
  if (!busid) return undefined;
  return { ctrl, port, type: 'hostdev', u: busaddrOf(busid) };
}

/** libxl_device_usbdev_list: every occupied port of every controller */
export function usbdevList(lx: LibxlCtx, domid: number): DeviceUsbdev[] {
  const out: DeviceUsbdev[] = [];
  for (const c of usbctrlList(lx, domid)) {
    for (let p = 1; p <= (c.ports ?? 0); p++) {
      const d = usbdevAt(lx, domid, c.devid!, p);
      if (d) out.push(d);
    }
  }
  return out;
}

/** the busids plugged into any domain's controller (get_assigned_devices) */
function assignedBusids(lx: LibxlCtx): Set<string> {
  const s = new Set<string>();
  for (const d of children(lx, '/libxl')) {
    if (!/^\d+$/.test(d)) continue;
    for (const id of children(lx, `/libxl/${d}/device/vusb`)) {
      const table = portTableOf(lx, Number(d), Number(id));
      if (table === undefined) continue;
      for (const p of children(lx, `${table}/port`)) {
        const b = lx.xs.tryRead(`${table}/port/${p}`);
        if (b) s.add(b);
      }
    }
  }
  return s;
}

function usbdevErr(lx: LibxlCtx, domid: number, line: number, func: string, msg: string, rc: number): number {
  libxlLog(lx.xtl, 'error', where('libxl_usb.c', line, func), domid, msg);
  return rc;
}

/** libxl__device_usbdev_setdefault: ctrl and port chosen, a controller made when none has room */
function usbdevSetdefault(lx: LibxlCtx, domid: number, d: DeviceUsbdev): number {
  const fn = 'libxl__device_usbdev_setdefault';
  if (d.ctrl === undefined || d.ctrl === -1) {
    if (d.port) return usbdevErr(lx, domid, 1166, fn, 'USB controller must be specified if you specify port', ERROR_INVAL);
    for (const c of usbctrlList(lx, domid)) {
      const table = portTableOf(lx, domid, c.devid!);
      for (let p = 1; table !== undefined && p <= (c.ports ?? 0); p++) {
        if (lx.xs.tryRead(`${table}/port/${p}`) === '') {
          d.ctrl = c.devid!;
          d.port = p;
          return 0;
        }
      }
    }
    const c: DeviceUsbctrl = {};
    const rc = usbctrlAddNoLog(lx, domid, c);
    if (rc) return rc;
    d.ctrl = c.devid!;
    d.port = 1;
    return 0;
  }
  const table = portTableOf(lx, domid, d.ctrl);
  if (table === undefined) return ERROR_FAIL;
  if (d.port) {
    const v = lx.xs.tryRead(`${table}/port/${d.port}`);
    if (v) return usbdevErr(lx, domid, 1214, fn, "The controller port isn't available", ERROR_FAIL);
    return 0;
  }
  const ports = intOr(lx.xs.tryRead(`${table}/num-ports`), 0);
  for (let p = 1; p <= ports; p++) {
    if (lx.xs.tryRead(`${table}/port/${p}`) === '') {
      d.port = p;
      return 0;
    }
  }
  return usbdevErr(lx, domid, 1241, fn, 'No available port under specified controller', ERROR_FAIL);
}

function usbdevAddNoLog(lx: LibxlCtx, domid: number, d: DeviceUsbdev): number {
  const fn = 'libxl__device_usbdev_add';
  if (d.ctrl !== undefined && d.ctrl !== -1) {
    const c = usbctrlByDevid(lx, domid, d.ctrl);
    if (!c) return ERROR_FAIL;
    if (c.backend_domid !== TOOLSTACK_DOMID) return usbdevErr(lx, domid, 1722, fn, "Don't support adding USB device from non-Dom0 backend", ERROR_INVAL);
  }
  const bus = d.u?.hostbus ?? 0;
  const addr = d.u?.hostaddr ?? 0;
  if (bus < 1 || addr < 1 || addr > 127) return usbdevErr(lx, domid, 1732, fn, 'USB device is not assignable.', ERROR_FAIL);
  const busid = busidOf(bus, addr);
  if (assignedBusids(lx).has(busid)) return usbdevErr(lx, domid, 1746, fn, 'USB device already attached to a domain', ERROR_INVAL);
  if (!d.type) d.type = 'hostdev';
  const rc = usbdevSetdefault(lx, domid, d);
  if (rc) return rc;
  const table = portTableOf(lx, domid, d.ctrl!);
  if (table === undefined) return ERROR_FAIL;
  lx.xs.write(`${table}/port/${d.port}`, busid);
  // the libxl copy of a pv controller's table follows its backend
  const lp = libxlPath(domid, d.ctrl!);
  if (table !== lp) lx.xs.write(`${lp}/port/${d.port}`, busid);
  configAddDevice<DeviceUsbdev>(lx, domid, 'usbdevs', { ctrl: d.ctrl!, port: d.port!, type: 'hostdev', u: { hostbus: bus, hostaddr: addr } }, (v) => v.ctrl === d.ctrl && v.port === d.port);
  return 0;
}

/** libxl_device_usbdev_add: fills d.ctrl / d.port */
export function usbdevAdd(lx: LibxlCtx, domid: number, d: DeviceUsbdev): number {
  const rc = usbdevAddNoLog(lx, domid, d);
  if (rc) addFailed(lx);
  return rc;
}

/** libxl_device_usbdev_remove */
export function usbdevRemove(lx: LibxlCtx, domid: number, ctrl: number, port: number): number {
  const fn = 'libxl__device_usbdev_remove';
  if (ctrl < 0 || port < 1) return usbdevErr(lx, domid, 1906, fn, 'Invalid USB device', ERROR_FAIL);
  const table = portTableOf(lx, domid, ctrl);
  if (table === undefined) return ERROR_FAIL;
  lx.xs.write(`${table}/port/${port}`, '');
  const lp = libxlPath(domid, ctrl);
  if (table !== lp) lx.xs.write(`${lp}/port/${port}`, '');
  configRemoveDevice<DeviceUsbdev>(lx, domid, 'usbdevs', (v) => v.ctrl === ctrl && v.port === port);
  return 0;
}

/** libxl_device_usbctrl_remove: its devices unplugged first */
export function usbctrlRemove(lx: LibxlCtx, domid: number, devid: number): number {
  for (const d of usbdevList(lx, domid)) if (d.ctrl === devid) usbdevRemove(lx, domid, devid, d.port!);
  const lp = libxlPath(domid, devid);
  if (lx.xs.tryRead(`${lp}/type`) === 'devicemodel') lx.xs.rm(lp);
  else removeDeviceDirs(lx, `/local/domain/${domid}/device/vusb/${devid}`, lx.xs.tryRead(`${lp}/backend`) ?? '', lp);
  configRemoveDevice<DeviceUsbctrl>(lx, domid, 'usbctrls', (v) => v.devid === devid);
  configRemoveDevice<DeviceUsbdev>(lx, domid, 'usbdevs', (v) => v.ctrl === devid);
  return 0;
}
