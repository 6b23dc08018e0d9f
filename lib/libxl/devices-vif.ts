/**
 * Virtual network interfaces (libxl_nic.c): defaults, the xenstore
 * directories, hot add (network-attach), list/getinfo (network-list),
 * lookup by devid or MAC and removal (network-detach). The vif-bridge
 * script is recorded in the backend, never run.
 */
import type { LibxlCtx } from './ctx';
import { configAddDevice, configRemoveDevice } from './devices-config';
import { domainTypeOf, removeDeviceDirs } from './devices-vbd';
import { ERROR_DEVICE_EXISTS, ERROR_FAIL, ERROR_INVAL, type LibxlRc } from './errors';
import { XenbusState, scheduleProbe } from './devices-xenbus';
import { libxlLog, where } from './log';
import type { DeviceNic } from './types';

/** libxl__device_nic_setdefault's visible defaults */
export function nicSetdefault(lx: LibxlCtx, nic: DeviceNic, devid: number, type: string, hotplug = false): void {
  if (nic.devid === undefined || nic.devid < 0) nic.devid = devid;
  if (nic.mtu === undefined || nic.mtu === 0) nic.mtu = 1500;
  if (!nic.model) nic.model = 'rtl8139';
  if (!nic.mac || nic.mac === '00:00:00:00:00:00') nic.mac = lx.rng.mac();
  if (!nic.bridge) nic.bridge = 'xenbr0';
  if (!nic.script) nic.script = '/etc/xen/scripts/vif-bridge';
  if (nic.backend_domid === undefined) nic.backend_domid = 0;
  if (nic.nictype === undefined || nic.nictype === 'unknown') nic.nictype = type === 'hvm' && !hotplug ? 'vif_ioemu' : 'vif';
}

/**
 * libxl__device_nic_setdefault's type check, at hot-plug and at create
 * alike: a PV or PVH guest has no device model to emulate the NIC in.
 */
export function nicTypeRefused(lx: LibxlCtx, domid: number, nic: DeviceNic, type: string): boolean {
  if (type === 'hvm' || nic.nictype !== 'vif_ioemu') return false;
  libxlLog(lx.xtl, 'error', where('libxl_nic.c', 107, 'libxl__device_nic_setdefault'), domid, 'trying to create PV or PVH guest with an emulated interface');
  return true;
}

/**
 * libxl__device_nic_set_devids at create, before the domain is built: the
 * first nic whose defaults cannot be set fails the create with ERROR_INVAL.
 */
export function nicsCheckAtCreate(lx: LibxlCtx, domid: number, nics: readonly DeviceNic[], type: string): LibxlRc {
  for (let i = 0; i < nics.length; i++) {
    if (!nicTypeRefused(lx, domid, nics[i]!, type)) continue;
    libxlLog(lx.xtl, 'error', where('libxl_nic.c', 529, 'libxl__device_nic_set_devids'), domid, `Unable to set nic defaults for nic ${i}`);
    return ERROR_INVAL;
  }
  return 0;
}

export function vifPaths(domid: number, devid: number, backendDomid: number): { fe: string; be: string; libxl: string } {
  return {
    fe: `/local/domain/${domid}/device/vif/${devid}`,
    be: `/local/domain/${backendDomid}/backend/vif/${domid}/${devid}`,
    libxl: `/libxl/${domid}/device/vif/${devid}`,
  };
}

export function writeVif(lx: LibxlCtx, domid: number, nic: DeviceNic): void {
  const devid = nic.devid ?? 0;
  const bd = nic.backend_domid ?? 0;
  const p = vifPaths(domid, devid, bd);
  const back: Array<[string, string]> = [
    ['frontend', p.fe],
    ['frontend-id', String(domid)],
    ['online', '1'],
    ['state', String(XenbusState.InitWait)],
    ['script', nic.script ?? ''],
  ];
  if (nic.ifname) back.push(['vifname', nic.ifname]);
  back.push(['mac', nic.mac ?? '']);
  if (nic.ip) back.push(['ip', nic.ip]);
  if (nic.gatewaydev) back.push(['gatewaydev', nic.gatewaydev]);
  if (nic.rate_bytes_per_interval) back.push(['rate', `${nic.rate_bytes_per_interval},${nic.rate_interval_usecs ?? 0}`]);
  back.push(['mtu', String(nic.mtu ?? 1500)]);
  if (nic.vlan) back.push(['vlan', nic.vlan]);
  back.push(['bridge', nic.bridge ?? ''], ['handle', String(devid)], ['type', nic.nictype ?? 'vif'], ['hotplug-status', 'connected']);
  lx.xs.mkdirPerms(p.be, [`n${bd}`, `r${domid}`]);
  lx.xs.writeAll(p.be, back);
  lx.xs.mkdirPerms(p.fe, [`n${domid}`, `r${bd}`]);
  lx.xs.writeAll(p.fe, [
    ['backend', p.be],
    ['backend-id', String(bd)],
    ['state', String(XenbusState.Initialising)],
    ['handle', String(devid)],
    ['mac', nic.mac ?? ''],
    ['mtu', String(nic.mtu ?? 1500)],
    ['trusted', nic.trusted === false ? '0' : '1'],
  ]);
  lx.xs.mkdirPerms(p.libxl, ['n0']);
  lx.xs.writeAll(p.libxl, [['frontend', p.fe], ['backend', p.be], ...back.filter(([k]) => k !== 'frontend' && k !== 'state' && k !== 'hotplug-status')]);
}

function children(lx: LibxlCtx, path: string): string[] {
  const r = lx.xs.directory(path);
  return Array.isArray(r) ? r : [];
}

/** libxl__device_nextid: one past the highest devid libxl recorded */
export function nicNextid(lx: LibxlCtx, domid: number): number {
  const ids = children(lx, `/libxl/${domid}/device/vif`).map(Number);
  return ids.length === 0 ? 0 : Math.max(...ids) + 1;
}

/** libxl_device_nic_add */
export function nicAdd(lx: LibxlCtx, domid: number, nic: DeviceNic): number {
  const type = domainTypeOf(lx, domid, 'libxl__device_nic_add');
  if (type === undefined) {
    libxlLog(lx.xtl, 'error', where('libxl_device.c', 1500, 'device_addrm_aocomplete'), undefined, 'unable to add device');
    return ERROR_FAIL;
  }
  if (nicTypeRefused(lx, domid, nic, type)) {
    libxlLog(lx.xtl, 'error', where('libxl_device.c', 1500, 'device_addrm_aocomplete'), undefined, 'unable to add device');
    return ERROR_INVAL;
  }
  nicSetdefault(lx, nic, nicNextid(lx, domid), type, true);
  if (nic.backend_domid !== 0 && !lx.hv.getdomaininfo(nic.backend_domid ?? 0).ok) {
    libxlLog(lx.xtl, 'error', where('libxl_device.c', 1500, 'device_addrm_aocomplete'), undefined, 'unable to add device');
    return ERROR_FAIL;
  }
  const devid = nic.devid ?? 0;
  if (lx.xs.exists(vifPaths(domid, devid, nic.backend_domid ?? 0).libxl)) {
    libxlLog(lx.xtl, 'error', where('libxl_device.c', 2014, 'libxl__device_add_async'), domid, 'device already exists in xenstore');
    libxlLog(lx.xtl, 'error', where('libxl_device.c', 1500, 'device_addrm_aocomplete'), undefined, 'unable to add device');
    return ERROR_DEVICE_EXISTS;
  }
  writeVif(lx, domid, nic);
  configAddDevice<DeviceNic>(lx, domid, 'nics', { ...nic }, (n) => n.devid === devid);
  scheduleProbe(lx, domid);
  return 0;
}

/** libxl_device_nic_list */
export function nicList(lx: LibxlCtx, domid: number): DeviceNic[] {
  const out: DeviceNic[] = [];
  for (const id of children(lx, `/libxl/${domid}/device/vif`).map(Number).sort((a, b) => a - b)) {
    const lp = `/libxl/${domid}/device/vif/${id}`;
    const be = lx.xs.tryRead(`${lp}/backend`);
    if (be === undefined) continue;
    const m = /^\/local\/domain\/(\d+)\//.exec(be);
    const nic: DeviceNic = {
      backend_domid: m ? Number(m[1]) : 0,
      devid: id,
      mtu: Number(lx.xs.tryRead(`${lp}/mtu`) ?? '1500'),
      mac: lx.xs.tryRead(`${lp}/mac`),
      bridge: lx.xs.tryRead(`${lp}/bridge`),
      script: lx.xs.tryRead(`${lp}/script`),
      nictype: (lx.xs.tryRead(`${lp}/type`) ?? 'vif') as DeviceNic['nictype'],
    };
    const ip = lx.xs.tryRead(`${lp}/ip`);
    if (ip !== undefined) nic.ip = ip;
    const vifname = lx.xs.tryRead(`${lp}/vifname`);
    if (vifname !== undefined) nic.ifname = vifname;
    out.push(nic);
  }
  return out;
}

export interface NicInfo {
  backend: string;
  backendId: number;
  devid: number;
  state: number;
  evtch: number;
  rrefTx: number;
  rrefRx: number;
}

/** libxl_device_nic_getinfo */
export function nicGetinfo(lx: LibxlCtx, domid: number, nic: DeviceNic): NicInfo | undefined {
  const devid = nic.devid ?? 0;
  const backend = lx.xs.tryRead(`/libxl/${domid}/device/vif/${devid}/backend`);
  if (backend === undefined) return undefined;
  const m = /^\/local\/domain\/(\d+)\//.exec(backend);
  if (!m) return undefined;
  const fe = `/local/domain/${domid}/device/vif/${devid}`;
  const num = (k: string): number => {
    const v = lx.xs.tryRead(`${fe}/${k}`);
    return v === undefined ? -1 : Number.parseInt(v, 10) || 0;
  };
  return { backend, backendId: Number(m[1]), devid, state: num('state'), evtch: num('event-channel'), rrefTx: num('tx-ring-ref'), rrefRx: num('rx-ring-ref') };
}

/** libxl_devid_to_device_nic */
export function devidToNic(lx: LibxlCtx, domid: number, devid: number): DeviceNic | undefined {
  return nicList(lx, domid).find((n) => n.devid === devid);
}

/** libxl_mac_to_device_nic: the MAC parsed as six hex bytes, then compared */
export function macToNic(lx: LibxlCtx, domid: number, mac: string): DeviceNic | undefined | 'bad' {
  const parts = mac.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return 'bad';
  const want = parts.map((p) => parseInt(p, 16));
  return nicList(lx, domid).find((n) => {
    const have = (n.mac ?? '').split(':').map((p) => parseInt(p, 16));
    return have.length === 6 && have.every((b, i) => b === want[i]);
  });
}

/** libxl_device_nic_remove */
export function nicRemove(lx: LibxlCtx, domid: number, nic: DeviceNic): number {
  const devid = nic.devid ?? 0;
  const lp = `/libxl/${domid}/device/vif/${devid}`;
  const be = lx.xs.tryRead(`${lp}/backend`) ?? '';
  removeDeviceDirs(lx, `/local/domain/${domid}/device/vif/${devid}`, be, lp);
  configRemoveDevice<DeviceNic>(lx, domid, 'nics', (n) => n.devid === devid);
  return 0;
}
