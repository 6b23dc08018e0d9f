/**
 * The devices libxl adds through its generic path (libxl__device_add_async
 * with a device-type table: libxl_vtpm.c, libxl_vkb.c): next devid, the
 * three directories, the stored config, the guest's driver connecting
 * later; list, getinfo and removal the same way for each kind.
 */
import type { LibxlCtx } from './ctx';
import { configAddDevice, configRemoveDevice } from './devices-config';
import { ERROR_DEVICE_EXISTS, ERROR_FAIL, domainTypeOf, removeDeviceDirs } from './devices-vbd';
import { XenbusState, scheduleProbe } from './devices-xenbus';
import { libxlLog, where } from './log';
import type { DeviceVkb, DeviceVtpm } from './types';

function children(lx: LibxlCtx, path: string): string[] {
  const r = lx.xs.directory(path);
  return Array.isArray(r) ? r : [];
}

interface GenericSpec {
  /** frontend kind (device/<kind>) */
  kind: string;
  /** backend kind (backend/<kind>) */
  backendKind: string;
  backendDomid: number;
  devid?: number;
  back: Array<[string, string]>;
  front: Array<[string, string]>;
}

function addFailed(lx: LibxlCtx): void {
  libxlLog(lx.xtl, 'error', where('libxl_device.c', 1500, 'device_addrm_aocomplete'), undefined, 'unable to add device');
}

export function nextDevid(lx: LibxlCtx, domid: number, kind: string): number {
  const ids = children(lx, `/libxl/${domid}/device/${kind}`).map(Number);
  return ids.length === 0 ? 0 : Math.max(...ids) + 1;
}

/** libxl__device_add_async past the type's own defaults; the devid used, or an error */
function genericAdd(lx: LibxlCtx, domid: number, s: GenericSpec): { rc: number; devid: number } {
  const devid = s.devid !== undefined && s.devid >= 0 ? s.devid : nextDevid(lx, domid, s.kind);
  const fe = `/local/domain/${domid}/device/${s.kind}/${devid}`;
  const be = `/local/domain/${s.backendDomid}/backend/${s.backendKind}/${domid}/${devid}`;
  const lp = `/libxl/${domid}/device/${s.kind}/${devid}`;
  if (lx.xs.exists(lp)) {
    libxlLog(lx.xtl, 'error', where('libxl_device.c', 2014, 'libxl__device_add_async'), domid, 'device already exists in xenstore');
    addFailed(lx);
    return { rc: ERROR_DEVICE_EXISTS, devid };
  }
  const back: Array<[string, string]> = [
    ['frontend', fe],
    ['frontend-id', String(domid)],
    ['online', '1'],
    ['state', String(XenbusState.InitWait)],
    ...s.back,
  ];
  lx.xs.mkdirPerms(be, [`n${s.backendDomid}`, `r${domid}`]);
  lx.xs.writeAll(be, back);
  lx.xs.mkdirPerms(fe, [`n${domid}`, `r${s.backendDomid}`]);
  lx.xs.writeAll(fe, [['backend', be], ['backend-id', String(s.backendDomid)], ['state', String(XenbusState.Initialising)], ...s.front]);
  lx.xs.mkdirPerms(lp, ['n0']);
  lx.xs.writeAll(lp, [['frontend', fe], ['backend', be], ...s.back]);
  scheduleProbe(lx, domid);
  return { rc: 0, devid };
}

export interface PvDevInfo {
  devid: number;
  backend: string;
  backendId: number;
  state: number;
  evtch: number;
  rref: number;
}

/** libxl_device_<kind>_getinfo: frontend state and rings, -1 when absent */
export function pvGetinfo(lx: LibxlCtx, domid: number, kind: string, devid: number, refKey: string): PvDevInfo | undefined {
  const lp = `/libxl/${domid}/device/${kind}/${devid}`;
  const backend = lx.xs.tryRead(`${lp}/backend`);
  if (backend === undefined) return undefined;
  const m = /^\/local\/domain\/(\d+)\//.exec(backend);
  if (!m) return undefined;
  const fe = `/local/domain/${domid}/device/${kind}/${devid}`;
  const num = (k: string): number => {
    const v = lx.xs.tryRead(`${fe}/${k}`);
    return v === undefined ? -1 : Number.parseInt(v, 10) || 0;
  };
  return { devid, backend, backendId: Number(m[1]), state: num('state'), evtch: num('event-channel'), rref: num(refKey) };
}

export function pvDevids(lx: LibxlCtx, domid: number, kind: string): number[] {
  return children(lx, `/libxl/${domid}/device/${kind}`).map(Number).sort((a, b) => a - b);
}

function pvRemove(lx: LibxlCtx, domid: number, kind: string, devid: number): void {
  const lp = `/libxl/${domid}/device/${kind}/${devid}`;
  removeDeviceDirs(lx, `/local/domain/${domid}/device/${kind}/${devid}`, lx.xs.tryRead(`${lp}/backend`) ?? '', lp);
}

function backendOk(lx: LibxlCtx, domid: number, bd: number): boolean {
  if (domainTypeOf(lx, domid, 'libxl__device_add_async') === undefined) return false;
  return bd === 0 || lx.hv.getdomaininfo(bd).ok;
}

/** libxl_device_vtpm_add */
export function vtpmAdd(lx: LibxlCtx, domid: number, vtpm: DeviceVtpm): number {
  if (!vtpm.uuid) vtpm.uuid = lx.rng.uuid();
  const bd = vtpm.backend_domid ?? 0;
  if (!backendOk(lx, domid, bd)) {
    addFailed(lx);
    return ERROR_FAIL;
  }
  const devid = vtpm.devid !== undefined && vtpm.devid >= 0 ? vtpm.devid : nextDevid(lx, domid, 'vtpm');
  const r = genericAdd(lx, domid, {
    kind: 'vtpm',
    backendKind: 'vtpm',
    backendDomid: bd,
    devid,
    back: [['handle', String(devid)], ['uuid', vtpm.uuid], ['resume', 'False']],
    front: [['handle', String(devid)]],
  });
  if (r.rc) return r.rc;
  configAddDevice<DeviceVtpm>(lx, domid, 'vtpms', { ...vtpm, backend_domid: bd, devid }, (v) => v.devid === devid);
  return 0;
}

export function vtpmList(lx: LibxlCtx, domid: number): DeviceVtpm[] {
  return pvDevids(lx, domid, 'vtpm').map((devid) => ({ devid, uuid: lx.xs.tryRead(`/libxl/${domid}/device/vtpm/${devid}/uuid`) ?? '' }));
}

export function vtpmRemove(lx: LibxlCtx, domid: number, devid: number): number {
  pvRemove(lx, domid, 'vtpm', devid);
  configRemoveDevice<DeviceVtpm>(lx, domid, 'vtpms', (v) => v.devid === devid);
  return 0;
}

/** libxl_device_vkb_add */
export function vkbAdd(lx: LibxlCtx, domid: number, vkb: DeviceVkb): number {
  if (vkb.backend_type === undefined || vkb.backend_type === 'unknown') vkb.backend_type = 'qemu';
  const bd = vkb.backend_domid ?? 0;
  if (!backendOk(lx, domid, bd)) {
    addFailed(lx);
    return ERROR_FAIL;
  }
  const back: Array<[string, string]> = [];
  if (vkb.unique_id) back.push(['unique-id', vkb.unique_id]);
  if (vkb.feature_disable_keyboard) back.push(['feature-disable-keyboard', '1']);
  if (vkb.feature_disable_pointer) back.push(['feature-disable-pointer', '1']);
  if (vkb.feature_abs_pointer) back.push(['feature-abs-pointer', '1']);
  if (vkb.feature_raw_pointer) back.push(['feature-raw-pointer', '1']);
  if (vkb.feature_multi_touch) {
    back.push(['feature-multi-touch', '1'], ['multi-touch-width', String(vkb.multi_touch_width ?? 0)]);
    back.push(['multi-touch-height', String(vkb.multi_touch_height ?? 0)], ['multi-touch-num-contacts', String(vkb.multi_touch_num_contacts ?? 0)]);
  }
  if (vkb.width) back.push(['width', String(vkb.width)]);
  if (vkb.height) back.push(['height', String(vkb.height)]);
  const r = genericAdd(lx, domid, {
    kind: 'vkbd',
    backendKind: vkb.backend_type === 'linux' ? 'vinput' : 'vkbd',
    backendDomid: bd,
    devid: vkb.devid,
    back,
    front: [],
  });
  if (r.rc) return r.rc;
  configAddDevice<DeviceVkb>(lx, domid, 'vkbs', { ...vkb, backend_domid: bd, devid: r.devid }, (v) => v.devid === r.devid);
  return 0;
}

export function vkbList(lx: LibxlCtx, domid: number): DeviceVkb[] {
  return pvDevids(lx, domid, 'vkbd').map((devid) => {
    const lp = `/libxl/${domid}/device/vkbd/${devid}`;
    const be = lx.xs.tryRead(`${lp}/backend`) ?? '';
    const v: DeviceVkb = { devid, backend_type: /\/backend\/vinput\//.test(be) ? 'linux' : 'qemu' };
    const uid = lx.xs.tryRead(`${lp}/unique-id`);
    if (uid !== undefined) v.unique_id = uid;
    return v;
  });
}

export function vkbRemove(lx: LibxlCtx, domid: number, devid: number): number {
  pvRemove(lx, domid, 'vkbd', devid);
  configRemoveDevice<DeviceVkb>(lx, domid, 'vkbs', (v) => v.devid === devid);
  return 0;
}
