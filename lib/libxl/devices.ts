/**
 * The devices a new domain gets at create (libxl_disk.c, libxl_nic.c,
 * libxl_console.c, libxl_device.c), reduced to what the rest of the
 * simulation reads: the nic defaults libxl stores, and the frontend /
 * backend directories in xenstore (devices-vbd.ts, devices-vif.ts), whose
 * xenbus states then move with the guest's drivers (devices-xenbus.ts).
 */
import type { LibxlCtx } from './ctx';
import { writeChannels } from './devices-channel';
import { vdevToDevid, writeVbd } from './devices-vbd';
import { nicSetdefault, writeVif } from './devices-vif';
import { XENBUS_EVENT, scheduleProbe } from './devices-xenbus';
import { pciDestroyAll } from './pci';
import { hvmInfo, type DomainConfig } from './types';

export { vdevToDevid } from './devices-vbd';
export { nicSetdefault } from './devices-vif';

/**
 * The primary console: pv for PV/PVH; an HVM guest's serial 0 gets a tty
 * only when QEMU's serial port is a pty (`serial = "pty"`), otherwise
 * xenconsole falls back to the PV console.
 */
function addConsole(lx: LibxlCtx, domid: number, type: string, serialPty: boolean): void {
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
  if (type === 'hvm' && serialPty) {
    lx.xs.mkdirPerms(`${dompath}/serial/0`, ['n0', `r${domid}`]);
    lx.xs.write(`${dompath}/serial/0/tty`, `/dev/pts/${domid + 1}`);
  }
}

/** QEMU's first serial port is a pty: serial = "pty" or serial = [ "pty", … ]. */
function hvmSerialIsPty(d: DomainConfig): boolean {
  const h = hvmInfo(d.b_info);
  const first = h.serial ?? h.serial_list?.[0];
  return first === 'pty';
}

export function addDevicesToXenstore(lx: LibxlCtx, d: DomainConfig, domid: number): void {
  const type = d.c_info.type ?? 'pv';
  addConsole(lx, domid, type, type === 'hvm' && hvmSerialIsPty(d));
  for (const disk of d.disks ?? []) {
    const devid = disk.vdev ? vdevToDevid(disk.vdev) : undefined;
    if (devid !== undefined) writeVbd(lx, domid, disk, devid);
  }
  (d.nics ?? []).forEach((nic, i) => {
    nicSetdefault(lx, nic, i, type);
    writeVif(lx, domid, nic);
  });
  writeChannels(lx, domid, d.channels ?? []);
  // the guest's drivers connect once its kernel has xenbus up
  scheduleProbe(lx, domid);
}

/**
 * What libxl__devices_destroy does to a dying domain's devices: every
 * backend directory serving it, in whichever domain runs the backend, and
 * its passed-through PCI functions handed back to the quarantine.
 */
export function destroyDomainDevices(lx: LibxlCtx, domid: number): void {
  pciDestroyAll(lx, domid);
  const doms = lx.xs.directory('/local/domain');
  for (const bd of Array.isArray(doms) ? doms : []) {
    const kinds = lx.xs.directory(`/local/domain/${bd}/backend`);
    for (const k of Array.isArray(kinds) ? kinds : []) {
      if (lx.xs.exists(`/local/domain/${bd}/backend/${k}/${domid}`)) lx.xs.rm(`/local/domain/${bd}/backend/${k}/${domid}`);
    }
  }
  lx.events.cancelWhere({ kind: XENBUS_EVENT, domid });
}
