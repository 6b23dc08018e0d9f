/**
 * The devices a new domain gets at create (libxl_disk.c, libxl_nic.c,
 * libxl_console.c, libxl_device.c), reduced to what the rest of the
 * simulation reads: the nic defaults libxl stores, and the frontend /
 * backend directories in xenstore with their state (4 = connected: there is
 * no real backend to negotiate with, so devices come up at once).
 */
import type { LibxlCtx } from './ctx';
import type { DeviceDisk, DeviceNic, DomainConfig } from './types';

const XenbusStateConnected = '4';

/** The virtual device number of a vdev (docs/man/xen-vbd-interface.7). */
export function vdevToDevid(vdev: string): number | undefined {
  let m = /^xvd([a-z]+)(\d*)$/.exec(vdev);
  if (m) {
    const idx = letterIndex(m[1]!);
    const part = m[2] ? Number(m[2]) : 0;
    if (idx < 16 && part < 16) return (202 << 8) | (idx << 4) | part;
    return (1 << 28) | (idx << 8) | part;
  }
  m = /^hd([a-z])(\d*)$/.exec(vdev);
  if (m) {
    const idx = letterIndex(m[1]!);
    const part = m[2] ? Number(m[2]) : 0;
    if (idx < 2) return (3 << 8) | (idx << 6) | part;
    if (idx < 4) return (22 << 8) | ((idx - 2) << 6) | part;
    return undefined;
  }
  m = /^sd([a-z])(\d*)$/.exec(vdev);
  if (m) return (8 << 8) | (letterIndex(m[1]!) << 4) | (m[2] ? Number(m[2]) : 0);
  if (/^\d+$/.test(vdev)) return Number(vdev);
  return undefined;
}

function letterIndex(s: string): number {
  let n = 0;
  for (const ch of s) n = n * 26 + (ch.charCodeAt(0) - 96);
  return n - 1;
}

/** libxl__device_nic_setdefault's visible defaults */
export function nicSetdefault(lx: LibxlCtx, nic: DeviceNic, devid: number, type: string): void {
  if (nic.devid === undefined || nic.devid < 0) nic.devid = devid;
  if (nic.mtu === undefined || nic.mtu === 0) nic.mtu = 1500;
  if (!nic.model) nic.model = 'rtl8139';
  if (!nic.mac || nic.mac === '00:00:00:00:00:00') nic.mac = lx.rng.mac();
  if (!nic.bridge) nic.bridge = 'xenbr0';
  if (!nic.script) nic.script = '/etc/xen/scripts/vif-bridge';
  if (nic.nictype === undefined || nic.nictype === 'unknown') nic.nictype = type === 'hvm' ? 'vif_ioemu' : 'vif';
}

function addDisk(lx: LibxlCtx, domid: number, disk: DeviceDisk): void {
  const devid = disk.vdev ? vdevToDevid(disk.vdev) : undefined;
  if (devid === undefined) return;
  const kind = disk.backend === 'qdisk' ? 'qdisk' : 'vbd';
  const fe = `/local/domain/${domid}/device/vbd/${devid}`;
  const be = `/local/domain/0/backend/${kind}/${domid}/${devid}`;
  lx.xs.mkdirPerms(fe, [`n${domid}`, 'r0']);
  lx.xs.writeAll(fe, [
    ['backend', be],
    ['backend-id', '0'],
    ['state', XenbusStateConnected],
    ['virtual-device', String(devid)],
    ['device-type', disk.is_cdrom ? 'cdrom' : 'disk'],
  ]);
  lx.xs.mkdirPerms(be, ['n0', `r${domid}`]);
  lx.xs.writeAll(be, [
    ['frontend', fe],
    ['params', disk.pdev_path ?? ''],
    ['script', disk.script ?? '/etc/xen/scripts/block'],
    ['frontend-id', String(domid)],
    ['online', '1'],
    ['removable', String(disk.removable ?? 0)],
    ['bootable', '1'],
    ['state', XenbusStateConnected],
    ['dev', disk.vdev ?? ''],
    ['type', kind === 'qdisk' ? 'qdisk' : 'phy'],
    ['mode', disk.readwrite ? 'w' : 'r'],
    ['device-type', disk.is_cdrom ? 'cdrom' : 'disk'],
    ['discard-enable', disk.discard_enable ? '1' : '0'],
  ]);
  lx.xs.mkdirPerms(`/libxl/${domid}/device/vbd/${devid}`, ['n0']);
  lx.xs.writeAll(`/libxl/${domid}/device/vbd/${devid}`, [
    ['frontend', fe],
    ['backend', be],
  ]);
}

function addNic(lx: LibxlCtx, domid: number, nic: DeviceNic): void {
  const devid = nic.devid ?? 0;
  const fe = `/local/domain/${domid}/device/vif/${devid}`;
  const be = `/local/domain/0/backend/vif/${domid}/${devid}`;
  lx.xs.mkdirPerms(fe, [`n${domid}`, 'r0']);
  lx.xs.writeAll(fe, [
    ['backend', be],
    ['backend-id', '0'],
    ['state', XenbusStateConnected],
    ['handle', String(devid)],
    ['mac', nic.mac ?? ''],
    ['mtu', String(nic.mtu ?? 1500)],
  ]);
  lx.xs.mkdirPerms(be, ['n0', `r${domid}`]);
  lx.xs.writeAll(be, [
    ['frontend', fe],
    ['frontend-id', String(domid)],
    ['online', '1'],
    ['state', XenbusStateConnected],
    ['script', nic.script ?? ''],
    ['mac', nic.mac ?? ''],
    ['bridge', nic.bridge ?? ''],
    ['handle', String(devid)],
    ['type', nic.nictype ?? 'vif'],
    ['mtu', String(nic.mtu ?? 1500)],
  ]);
  lx.xs.mkdirPerms(`/libxl/${domid}/device/vif/${devid}`, ['n0']);
  lx.xs.writeAll(`/libxl/${domid}/device/vif/${devid}`, [
    ['frontend', fe],
    ['backend', be],
  ]);
}

/** The primary console: pv for PV/PVH, plus serial 0 for HVM. */
function addConsole(lx: LibxlCtx, domid: number, type: string): void {
  const dompath = `/local/domain/${domid}`;
  lx.xs.mkdirPerms(`${dompath}/console`, ['n0', `r${domid}`]);
  lx.xs.writeAll(`${dompath}/console`, [
    ['backend', `/local/domain/0/backend/console/${domid}/0`],
    ['backend-id', '0'],
    ['limit', '1048576'],
    ['type', 'xenconsoled'],
    ['output', 'pty'],
    ['tty', `/dev/pts/${domid + 1}`],
    ['port', '2'],
    ['ring-ref', String(0xfeffd)],
  ]);
  if (type === 'hvm') {
    lx.xs.mkdirPerms(`${dompath}/serial/0`, ['n0', `r${domid}`]);
    lx.xs.write(`${dompath}/serial/0/tty`, `/dev/pts/${domid + 1}`);
  }
}

export function addDevicesToXenstore(lx: LibxlCtx, d: DomainConfig, domid: number): void {
  const type = d.c_info.type ?? 'pv';
  addConsole(lx, domid, type);
  for (const disk of d.disks ?? []) addDisk(lx, domid, disk);
  (d.nics ?? []).forEach((nic, i) => {
    nicSetdefault(lx, nic, i, type);
    addNic(lx, domid, nic);
  });
}
