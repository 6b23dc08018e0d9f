/**
 * Virtual block devices (libxl_disk.c, libxl_device.c): the vdev encoding,
 * the three xenstore directories of a disk, hot add (block-attach), list
 * and getinfo (block-list), lookup by vdev and removal (block-detach). The
 * block hotplug script is never run; its sharing check — a physical device
 * may be writable in one domain only — is reproduced with its message.
 */
import type { LibxlCtx } from './ctx';
import { configAddDevice, configRemoveDevice } from './devices-config';
import { XenbusState, scheduleProbe } from './devices-xenbus';
import { ioDeviceGone } from './iostats';
import { libxlLog, where } from './log';
import type { DeviceDisk } from './types';
import { ERROR_DEVICE_EXISTS, ERROR_FAIL, ERROR_INVAL } from './errors';

/** The decoded drive letters (base 26, a = 0, aa = 26) and partition, as libxl reads them. */
function virtdiskMatches(vdev: string, prefix: string, maxIndex: number, maxPart: number): { disk: number; part: number } | undefined {
  if (!vdev.startsWith(prefix)) return undefined;
  let i = prefix.length;
  let idx = -1;
  while (i < vdev.length && vdev[i]! >= 'a' && vdev[i]! <= 'z') {
    idx = (idx + 1) * 26 + (vdev.charCodeAt(i) - 97);
    if (idx > maxIndex) return undefined;
    i++;
  }
  if (idx < 0) return undefined;
  const rest = vdev.slice(i);
  if (rest === '') return { disk: idx, part: 0 };
  if (!/^[1-9]\d*$/.test(rest) || Number(rest) > maxPart) return undefined;
  return { disk: idx, part: Number(rest) };
}

/** libxl__device_disk_dev_number (docs/man/xen-vbd-interface.7) */
export function vdevToDevid(vdev: string): number | undefined {
  const d = /^d(\d+)p(\d+)$/.exec(vdev);
  const x = d && Number(d[1]) < 1 << 20 && Number(d[2]) < 256 ? { disk: Number(d[1]), part: Number(d[2]) } : virtdiskMatches(vdev, 'xvd', (1 << 20) - 1, 255);
  if (x) return x.disk <= 15 && x.part <= 15 ? (202 << 8) | (x.disk << 4) | x.part : (1 << 28) + (x.disk << 8) + x.part;
  const num = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.test(vdev) ? Number(/^0[0-7]+$/.test(vdev) ? parseInt(vdev, 8) : vdev) : NaN;
  if (!Number.isNaN(num) && num <= 0x7fffffff) return num;
  const h = virtdiskMatches(vdev, 'hd', 3, 63);
  if (h) return ((h.disk < 2 ? 3 : 22) << 8) | ((h.disk & 1) << 6) | h.part;
  const s = virtdiskMatches(vdev, 'sd', 15, 15);
  if (s) return (8 << 8) | (s.disk << 4) | s.part;
  return undefined;
}

export function backendKindOf(disk: DeviceDisk): 'vbd' | 'qdisk' {
  return disk.backend === 'qdisk' ? 'qdisk' : 'vbd';
}

/** libxl__device_disk_setdefault for a disk added to a running domain */
export function diskSetdefault(disk: DeviceDisk): void {
  if (disk.backend === undefined || disk.backend === 'unknown') disk.backend = disk.format === 'raw' || disk.format === undefined || disk.format === 'empty' ? 'phy' : 'qdisk';
  if (disk.format === undefined || disk.format === 'unknown') disk.format = 'raw';
  if (disk.readwrite && disk.discard_enable === undefined) disk.discard_enable = true;
  if (disk.specification === undefined || disk.specification === 'unknown') disk.specification = 'xen';
  if (disk.trusted === undefined) disk.trusted = true;
  if (disk.colo_enable === undefined) disk.colo_enable = false;
  if (disk.colo_restore_enable === undefined) disk.colo_restore_enable = false;
  if (disk.backend_domid === undefined) disk.backend_domid = 0;
}

export interface VbdPaths {
  fe: string;
  be: string;
  libxl: string;
}

export function vbdPaths(domid: number, devid: number, kind: string, backendDomid: number): VbdPaths {
  return {
    fe: `/local/domain/${domid}/device/vbd/${devid}`,
    be: `/local/domain/${backendDomid}/backend/${kind}/${domid}/${devid}`,
    libxl: `/libxl/${domid}/device/vbd/${devid}`,
  };
}

/**
 * The directories libxl__device_generic_add writes for a disk. The
 * backend driver has probed (InitWait); the frontend waits for the guest.
 */
export function writeVbd(lx: LibxlCtx, domid: number, disk: DeviceDisk, devid: number): VbdPaths {
  const kind = backendKindOf(disk);
  const bd = disk.backend_domid ?? 0;
  const p = vbdPaths(domid, devid, kind, bd);
  const deviceType = disk.is_cdrom ? 'cdrom' : 'disk';
  const back: Array<[string, string]> = [
    ['frontend', p.fe],
    ['params', kind === 'qdisk' ? `${disk.format ?? 'raw'}:${disk.pdev_path ?? ''}` : (disk.pdev_path ?? '')],
  ];
  if (kind === 'vbd') back.push(['script', disk.script ? (disk.script.startsWith('/') ? disk.script : `/etc/xen/scripts/${disk.script}`) : '/etc/xen/scripts/block']);
  back.push(
    ['frontend-id', String(domid)],
    ['online', '1'],
    ['removable', String(disk.removable ?? 0)],
    ['bootable', '1'],
    ['state', String(XenbusState.InitWait)],
    ['dev', disk.vdev ?? ''],
    ['type', kind === 'qdisk' ? 'qdisk' : 'phy'],
    ['mode', disk.readwrite ? 'w' : 'r'],
    ['device-type', deviceType],
  );
  if (disk.discard_enable !== undefined) back.push(['discard-enable', disk.discard_enable ? '1' : '0']);
  if (kind === 'vbd') back.push(['hotplug-status', 'connected']);
  lx.xs.mkdirPerms(p.be, [`n${bd}`, `r${domid}`]);
  lx.xs.writeAll(p.be, back);
  lx.xs.mkdirPerms(p.fe, [`n${domid}`, `r${bd}`]);
  lx.xs.writeAll(p.fe, [
    ['backend', p.be],
    ['backend-id', String(bd)],
    ['state', String(XenbusState.Initialising)],
    ['virtual-device', String(devid)],
    ['device-type', deviceType],
  ]);
  lx.xs.mkdirPerms(p.libxl, ['n0']);
  lx.xs.writeAll(p.libxl, [['frontend', p.fe], ['backend', p.be], ...back.filter(([k]) => k !== 'frontend' && k !== 'state' && k !== 'hotplug-status')]);
  return p;
}

function children(lx: LibxlCtx, path: string): string[] {
  const r = lx.xs.directory(path);
  return Array.isArray(r) ? r : [];
}

/** Every vbd backend on the host, for the hotplug script's sharing check. */
function allVbdBackends(lx: LibxlCtx): Array<{ domid: number; params: string; mode: string }> {
  const out: Array<{ domid: number; params: string; mode: string }> = [];
  for (const bd of children(lx, '/local/domain')) {
    for (const fd of children(lx, `/local/domain/${bd}/backend/vbd`)) {
      for (const dev of children(lx, `/local/domain/${bd}/backend/vbd/${fd}`)) {
        const be = `/local/domain/${bd}/backend/vbd/${fd}/${dev}`;
        out.push({ domid: Number(fd), params: lx.xs.tryRead(`${be}/params`) ?? '', mode: lx.xs.tryRead(`${be}/mode`) ?? 'r' });
      }
    }
  }
  return out;
}

/** A pid for a hotplug script run, from the host's process counter. */
function scriptPid(lx: LibxlCtx): number {
  const n = lx.records.get<number>('xl', 'nextpid') ?? 4321;
  lx.records.put('xl', 'nextpid', n + 1);
  return n;
}

/** The block script's check_sharing verdict, or undefined when free. */
function sharingError(lx: LibxlCtx, domid: number, disk: DeviceDisk): string | undefined {
  const path = disk.pdev_path ?? '';
  if (disk.is_cdrom || !path.startsWith('/dev/')) return undefined;
  const mode = disk.readwrite ? 'w' : 'r';
  for (const b of allVbdBackends(lx)) {
    if (b.params !== path || b.domid === domid) continue;
    if (mode === 'w' || b.mode === 'w') {
      return mode === 'w'
        ? `Device ${path} is mounted in a guest domain,\nand so cannot be mounted now.`
        : `Device ${path} is mounted read-write in a guest domain,\nand so cannot be mounted read-only now.`;
    }
  }
  return undefined;
}

/** libxl__domain_type's answer from the store, or undefined when the domain is gone. */
export function domainTypeOf(lx: LibxlCtx, domid: number, fn: string): string | undefined {
  const r = lx.hv.getdomaininfo(domid);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_dom.c', 37, 'libxl__domain_type'), domid, 'unable to get dominfo', 'No such process');
    return undefined;
  }
  void fn;
  return lx.xs.tryRead(`/libxl/${domid}/type`) ?? (r.value.hvm ? 'hvm' : 'pv');
}

function addFailed(lx: LibxlCtx, domid: number, kind?: string, devid?: number): void {
  if (kind === undefined) libxlLog(lx.xtl, 'error', where('libxl_device.c', 1500, 'device_addrm_aocomplete'), undefined, 'unable to add device');
  else libxlLog(lx.xtl, 'error', where('libxl_device.c', 1495, 'device_addrm_aocomplete'), domid, `Unable to add ${kind} with id ${devid}`);
}

/** libxl_device_disk_add: 0, or a libxl error after its log lines */
export function diskAdd(lx: LibxlCtx, domid: number, disk: DeviceDisk): number {
  if (domainTypeOf(lx, domid, 'device_disk_add') === undefined) {
    addFailed(lx, domid);
    return ERROR_FAIL;
  }
  if (disk.specification === 'virtio') {
    libxlLog(lx.xtl, 'error', where('libxl_disk.c', 192, 'libxl__device_disk_setdefault'), domid, "Hotplug isn't supported for specification virtio");
    addFailed(lx, domid);
    return ERROR_FAIL;
  }
  diskSetdefault(disk);
  if (disk.backend_domid !== 0 && !lx.hv.getdomaininfo(disk.backend_domid ?? 0).ok) {
    addFailed(lx, domid);
    return ERROR_FAIL;
  }
  const devid = disk.vdev === undefined ? undefined : vdevToDevid(disk.vdev);
  if (devid === undefined) {
    libxlLog(lx.xtl, 'error', where('libxl_disk.c', 369, 'device_disk_add'), domid, `Invalid or unsupported virtual disk identifier ${disk.vdev ?? '(null)'}`);
    addFailed(lx, domid);
    return ERROR_INVAL;
  }
  const p = vbdPaths(domid, devid, backendKindOf(disk), disk.backend_domid ?? 0);
  if (lx.xs.exists(p.libxl)) {
    libxlLog(lx.xtl, 'error', where('libxl_disk.c', 377, 'device_disk_add'), domid, 'device already exists in xenstore');
    addFailed(lx, domid);
    return ERROR_DEVICE_EXISTS;
  }
  const shared = backendKindOf(disk) === 'vbd' ? sharingError(lx, domid, disk) : undefined;
  if (shared !== undefined) {
    const script = disk.script ?? '/etc/xen/scripts/block';
    libxlLog(lx.xtl, 'error', where('libxl_exec.c', 117, 'libxl_report_child_exitstatus'), undefined, `${script} add [${scriptPid(lx)}] exited with error status 1`);
    libxlLog(lx.xtl, 'error', where('libxl_device.c', 1351, 'device_hotplug_child_death_cb'), undefined, `script: ${shared}`);
    addFailed(lx, domid, 'vbd', devid);
    return ERROR_FAIL;
  }
  writeVbd(lx, domid, disk, devid);
  configAddDevice<DeviceDisk>(lx, domid, 'disks', { ...disk }, (d) => d.vdev !== undefined && vdevToDevid(d.vdev) === devid);
  scheduleProbe(lx, domid);
  return 0;
}

/** libxl_device_disk_list: the disks libxl recorded for the domain, in devid order */
export function diskList(lx: LibxlCtx, domid: number): DeviceDisk[] {
  const out: DeviceDisk[] = [];
  const ids = children(lx, `/libxl/${domid}/device/vbd`).map(Number).sort((a, b) => a - b);
  for (const id of ids) {
    const d = diskFromXenstore(lx, `/libxl/${domid}/device/vbd/${id}`);
    if (d) out.push(d);
  }
  return out;
}

function diskFromXenstore(lx: LibxlCtx, libxlPath: string): DeviceDisk | undefined {
  const be = lx.xs.tryRead(`${libxlPath}/backend`);
  if (be === undefined) return undefined;
  const m = /^\/local\/domain\/(\d+)\/backend\/([^/]+)\//.exec(be);
  const type = lx.xs.tryRead(`${libxlPath}/type`) ?? 'phy';
  const params = lx.xs.tryRead(`${libxlPath}/params`) ?? '';
  const disk: DeviceDisk = {
    backend_domid: m ? Number(m[1]) : 0,
    pdev_path: type === 'qdisk' ? params.replace(/^[a-z0-9]+:/, '') : params,
    vdev: lx.xs.tryRead(`${libxlPath}/dev`),
    backend: type === 'qdisk' ? 'qdisk' : 'phy',
    removable: Number(lx.xs.tryRead(`${libxlPath}/removable`) ?? '0'),
    readwrite: lx.xs.tryRead(`${libxlPath}/mode`) === 'w' ? 1 : 0,
    is_cdrom: lx.xs.tryRead(`${libxlPath}/device-type`) === 'cdrom' ? 1 : 0,
  };
  if (type === 'qdisk') {
    const f = /^([a-z0-9]+):/.exec(params);
    if (f) disk.format = f[1] as DeviceDisk['format'];
  }
  const script = lx.xs.tryRead(`${libxlPath}/script`);
  if (script !== undefined) disk.script = script;
  return disk;
}

export interface DiskInfo {
  backend: string;
  backendId: number;
  frontendId: number;
  devid: number;
  state: number;
  evtch: number;
  rref: number;
}

/** libxl_device_disk_getinfo: -1 for what the frontend has not written */
export function diskGetinfo(lx: LibxlCtx, domid: number, disk: DeviceDisk): DiskInfo | undefined {
  const devid = vdevToDevid(disk.vdev ?? '') ?? -1;
  const libxlPath = `/libxl/${domid}/device/vbd/${devid}`;
  const fe = `/local/domain/${domid}/device/vbd/${devid}`;
  const backend = lx.xs.tryRead(`${libxlPath}/backend`);
  if (backend === undefined) return undefined;
  const m = /^\/local\/domain\/(\d+)\//.exec(backend);
  if (!m) return undefined;
  const num = (k: string): number => {
    const v = lx.xs.tryRead(`${fe}/${k}`);
    return v === undefined ? -1 : Number.parseInt(v, 10) || 0;
  };
  return { backend, backendId: Number(m[1]), frontendId: domid, devid, state: num('state'), evtch: num('event-channel'), rref: num('ring-ref') };
}

/** libxl_vdev_to_device_disk */
export function vdevToDeviceDisk(lx: LibxlCtx, domid: number, vdev: string): DeviceDisk | undefined {
  const devid = vdevToDevid(vdev);
  if (devid === undefined) return undefined;
  const path = `/libxl/${domid}/device/vbd/${devid}`;
  if (!lx.xs.exists(path)) return undefined;
  return diskFromXenstore(lx, path);
}

/**
 * Tear a device's three directories down (libxl__initiate_device_generic_remove
 * through device_hotplug_done): backend Closing, the frontend driver lets go,
 * both Closed, then the nodes go.
 */
export function removeDeviceDirs(lx: LibxlCtx, fe: string, be: string, libxlPath: string): void {
  const m = /^\/local\/domain\/(\d+)\/device\/([^/]+)\/(\d+)$/.exec(fe);
  if (m) {
    ioDeviceGone(lx, Number(m[1]), m[2]!, Number(m[3]));
    lx.hooks.deviceRemoved?.(Number(m[1]), m[2]!, Number(m[3]));
  }
  if (lx.xs.exists(be)) {
    lx.xs.write(`${be}/online`, '0');
    lx.xs.write(`${be}/state`, String(XenbusState.Closed));
  }
  if (lx.xs.exists(fe)) lx.xs.write(`${fe}/state`, String(XenbusState.Closed));
  lx.xs.rm(fe);
  lx.xs.rm(be);
  lx.xs.rm(libxlPath);
  // an emptied per-domain backend directory goes too
  const parent = be.replace(/\/[^/]+$/, '');
  const left = lx.xs.directory(parent);
  if (Array.isArray(left) && left.length === 0) lx.xs.rm(parent);
}

/** libxl_device_disk_safe_remove / libxl_device_disk_destroy */
export function diskRemove(lx: LibxlCtx, domid: number, disk: DeviceDisk): number {
  if (!lx.hv.getdomaininfo(domid).ok) {
    libxlLog(lx.xtl, 'error', where('libxl_dom.c', 37, 'libxl__domain_type'), domid, 'unable to get dominfo', 'No such process');
    return ERROR_FAIL;
  }
  const devid = vdevToDevid(disk.vdev ?? '');
  if (devid === undefined) return ERROR_INVAL;
  const libxlPath = `/libxl/${domid}/device/vbd/${devid}`;
  const be = lx.xs.tryRead(`${libxlPath}/backend`) ?? '';
  removeDeviceDirs(lx, `/local/domain/${domid}/device/vbd/${devid}`, be, libxlPath);
  configRemoveDevice<DeviceDisk>(lx, domid, 'disks', (d) => d.vdev !== undefined && vdevToDevid(d.vdev) === devid);
  return 0;
}
