/**
 * libxl_cdrom_insert (libxl_disk.c): change the medium of an HVM guest's
 * emulated CD-ROM drive. The drive must exist (a cdrom disk with that vdev
 * from the config); QEMU is told over QMP on a real host, here the backend
 * and libxl's records are updated in place. An eject is an insert of the
 * empty medium. The device stays where it is: no xenbus state change.
 */
import type { LibxlCtx } from './ctx';
import { configAddDevice } from './devices-config';
import { diskList, domainTypeOf, vdevToDevid } from './devices-vbd';
import { ERROR_FAIL, ERROR_INVAL } from './errors';
import { libxlLog, where } from './log';
import type { DeviceDisk } from './types';

export function cdromInsert(lx: LibxlCtx, domid: number, disk: DeviceDisk): number {
  const type = domainTypeOf(lx, domid, 'libxl_cdrom_insert');
  if (type === undefined) return ERROR_FAIL;
  if (type !== 'hvm') {
    libxlLog(lx.xtl, 'error', where('libxl_disk.c', 990, 'libxl_cdrom_insert'), domid, 'cdrom-insert requires an HVM domain');
    return ERROR_INVAL;
  }
  const drive = diskList(lx, domid).find((d) => d.is_cdrom && d.vdev === disk.vdev);
  if (!drive) {
    libxlLog(lx.xtl, 'error', where('libxl_disk.c', 1027, 'libxl_cdrom_insert'), domid, 'Virtual device not found');
    return ERROR_FAIL;
  }
  disk.backend = drive.backend;
  if (!disk.pdev_path) {
    disk.pdev_path = '';
    disk.format = 'empty';
  }
  if (disk.format === undefined || disk.format === 'unknown') disk.format = 'raw';
  const devid = vdevToDevid(disk.vdev ?? '')!;
  const libxlPath = `/libxl/${domid}/device/vbd/${devid}`;
  const be = lx.xs.tryRead(`${libxlPath}/backend`);
  if (be === undefined) return ERROR_FAIL;
  const params = disk.backend === 'qdisk' && disk.format !== 'empty' ? `${disk.format}:${disk.pdev_path}` : disk.pdev_path;
  const type2 = disk.backend === 'qdisk' ? 'qdisk' : 'phy';
  for (const p of [be, libxlPath]) {
    lx.xs.write(`${p}/type`, type2);
    lx.xs.write(`${p}/params`, params);
  }
  const stored: DeviceDisk = { ...drive, pdev_path: disk.pdev_path, format: disk.format, backend: disk.backend };
  configAddDevice<DeviceDisk>(lx, domid, 'disks', stored, (d) => d.vdev === disk.vdev);
  return 0;
}
