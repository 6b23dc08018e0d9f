/**
 * The devices libxl adds through its generic path (libxl__device_add_async
 * with a device-type table: libxl_vtpm.c, libxl_vkb.c): next devid, the
 * three directories, the stored config, the guest's driver connecting
 * later; list, getinfo and removal the same way for each kind.
 */
import type { LibxlCtx } from './ctx';
import { configAddDevice, configRemoveDevice } from './devices-config';
import { domainTypeOf, removeDeviceDirs } from './devices-vbd';
import { ERROR_DEVICE_EXISTS, ERROR_FAIL } from './errors';
import { XenbusState, scheduleProbe } from './devices-xenbus';
import { libxlLog, where } from './log';
import type { DeviceVdispl, DeviceVkb, DeviceVsnd, DeviceVtpm, VsndParams, VsndPcm, VsndStream } from './types';

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

/** libxl_device_vdispl_add: connectors described read-only in the frontend */
export function vdisplAdd(lx: LibxlCtx, domid: number, vdispl: DeviceVdispl): number {
  const bd = vdispl.backend_domid ?? 0;
  if (!backendOk(lx, domid, bd)) {
    addFailed(lx);
    return ERROR_FAIL;
  }
  const front: Array<[string, string]> = [['be-alloc', vdispl.be_alloc ? '1' : '0']];
  (vdispl.connectors ?? []).forEach((c, i) => {
    front.push([`${i}/resolution`, `${c.width ?? 0}x${c.height ?? 0}`], [`${i}/unique-id`, c.unique_id ?? '']);
  });
  const r = genericAdd(lx, domid, { kind: 'vdispl', backendKind: 'vdispl', backendDomid: bd, devid: vdispl.devid, back: [], front });
  if (r.rc) return r.rc;
  configAddDevice<DeviceVdispl>(lx, domid, 'vdispls', { ...vdispl, backend_domid: bd, devid: r.devid }, (v) => v.devid === r.devid);
  return 0;
}

export interface VdisplConnectorInfo {
  uniqueId: string;
  width: number;
  height: number;
  reqRref: number;
  reqEvtch: number;
  evtRref: number;
  evtEvtch: number;
}

export interface VdisplInfo extends PvDevInfo {
  frontend: string;
  beAlloc: number;
  connectors: VdisplConnectorInfo[];
}

/** libxl_device_vdispl_getinfo */
export function vdisplGetinfo(lx: LibxlCtx, domid: number, devid: number): VdisplInfo | undefined {
  const base = pvGetinfo(lx, domid, 'vdispl', devid, 'ring-ref');
  if (!base) return undefined;
  const fe = `/local/domain/${domid}/device/vdispl/${devid}`;
  const num = (p: string): number => {
    const v = lx.xs.tryRead(p);
    return v === undefined ? -1 : Number.parseInt(v, 10) || 0;
  };
  const connectors: VdisplConnectorInfo[] = [];
  for (let i = 0; lx.xs.exists(`${fe}/${i}`); i++) {
    const res = /^(\d+)x(\d+)/.exec(lx.xs.tryRead(`${fe}/${i}/resolution`) ?? '');
    connectors.push({
      uniqueId: lx.xs.tryRead(`${fe}/${i}/unique-id`) ?? '',
      width: res ? Number(res[1]) : 0,
      height: res ? Number(res[2]) : 0,
      reqRref: num(`${fe}/${i}/req-ring-ref`),
      reqEvtch: num(`${fe}/${i}/req-event-channel`),
      evtRref: num(`${fe}/${i}/evt-ring-ref`),
      evtEvtch: num(`${fe}/${i}/evt-event-channel`),
    });
  }
  return { ...base, frontend: fe, beAlloc: Number(lx.xs.tryRead(`${fe}/be-alloc`) ?? '0') || 0, connectors };
}

export function vdisplRemove(lx: LibxlCtx, domid: number, devid: number): number {
  pvRemove(lx, domid, 'vdispl', devid);
  configRemoveDevice<DeviceVdispl>(lx, domid, 'vdispls', (v) => v.devid === devid);
  return 0;
}

function paramsKvs(prefix: string, p: VsndParams | undefined): Array<[string, string]> {
  const kv: Array<[string, string]> = [];
  if (!p) return kv;
  if (p.sample_rates?.length) kv.push([`${prefix}sample-rates`, p.sample_rates.join(',')]);
  if (p.sample_formats?.length) kv.push([`${prefix}sample-formats`, p.sample_formats.join(',')]);
  if (p.channels_min) kv.push([`${prefix}channels-min`, String(p.channels_min)]);
  if (p.channels_max) kv.push([`${prefix}channels-max`, String(p.channels_max)]);
  if (p.buffer_size) kv.push([`${prefix}buffer-size`, String(p.buffer_size)]);
  return kv;
}

function paramsFrom(lx: LibxlCtx, dir: string): VsndParams {
  const p: VsndParams = {};
  const rd = (k: string): string | undefined => lx.xs.tryRead(`${dir}/${k}`);
  const rates = rd('sample-rates');
  if (rates) p.sample_rates = rates.split(',').map(Number);
  const fmts = rd('sample-formats');
  if (fmts) p.sample_formats = fmts.split(',') as VsndParams['sample_formats'];
  for (const [k, f] of [['channels-min', 'channels_min'], ['channels-max', 'channels_max'], ['buffer-size', 'buffer_size']] as const) {
    const v = rd(k);
    if (v !== undefined) p[f] = Number(v);
  }
  return p;
}

/** libxl_device_vsnd_add: the card, its PCMs and streams as the frontend's read-only tree */
export function vsndAdd(lx: LibxlCtx, domid: number, vsnd: DeviceVsnd): number {
  const bd = vsnd.backend_domid ?? 0;
  if (!backendOk(lx, domid, bd)) {
    addFailed(lx);
    return ERROR_FAIL;
  }
  const front: Array<[string, string]> = [];
  if (vsnd.long_name) front.push(['long-name', vsnd.long_name]);
  if (vsnd.short_name) front.push(['short-name', vsnd.short_name]);
  front.push(...paramsKvs('', vsnd.params));
  (vsnd.pcms ?? []).forEach((pcm, i) => {
    if (pcm.name) front.push([`${i}/name`, pcm.name]);
    front.push(...paramsKvs(`${i}/`, pcm.params));
    (pcm.streams ?? []).forEach((s, j) => {
      front.push([`${i}/${j}/unique-id`, s.unique_id ?? ''], [`${i}/${j}/type`, s.type === 'c' ? 'c' : 'p']);
      front.push(...paramsKvs(`${i}/${j}/`, s.params));
    });
  });
  const r = genericAdd(lx, domid, { kind: 'vsnd', backendKind: 'vsnd', backendDomid: bd, devid: vsnd.devid, back: [], front });
  if (r.rc) return r.rc;
  configAddDevice<DeviceVsnd>(lx, domid, 'vsnds', { ...vsnd, backend_domid: bd, devid: r.devid }, (v) => v.devid === r.devid);
  return 0;
}

export interface VsndStreamInfo {
  stream: VsndStream;
  evtch: number;
  rref: number;
}

export interface VsndInfo extends PvDevInfo {
  frontend: string;
  vsnd: DeviceVsnd;
  pcms: Array<{ pcm: VsndPcm; streams: VsndStreamInfo[] }>;
}

/** libxl_device_vsnd_list entry read back from the frontend, with getinfo's rings */
export function vsndGetinfo(lx: LibxlCtx, domid: number, devid: number): VsndInfo | undefined {
  const base = pvGetinfo(lx, domid, 'vsnd', devid, 'ring-ref');
  if (!base) return undefined;
  const fe = `/local/domain/${domid}/device/vsnd/${devid}`;
  const num = (p: string): number => {
    const v = lx.xs.tryRead(p);
    return v === undefined ? -1 : Number.parseInt(v, 10) || 0;
  };
  const vsnd: DeviceVsnd = { devid, params: paramsFrom(lx, fe), pcms: [] };
  const sn = lx.xs.tryRead(`${fe}/short-name`);
  if (sn !== undefined) vsnd.short_name = sn;
  const ln = lx.xs.tryRead(`${fe}/long-name`);
  if (ln !== undefined) vsnd.long_name = ln;
  const pcms: VsndInfo['pcms'] = [];
  for (let i = 0; lx.xs.exists(`${fe}/${i}`); i++) {
    const pcm: VsndPcm = { params: paramsFrom(lx, `${fe}/${i}`), streams: [] };
    const name = lx.xs.tryRead(`${fe}/${i}/name`);
    if (name !== undefined) pcm.name = name;
    const streams: VsndStreamInfo[] = [];
    for (let j = 0; lx.xs.exists(`${fe}/${i}/${j}`); j++) {
      const sp = `${fe}/${i}/${j}`;
      const s: VsndStream = { unique_id: lx.xs.tryRead(`${sp}/unique-id`) ?? '', type: lx.xs.tryRead(`${sp}/type`) === 'c' ? 'c' : 'p', params: paramsFrom(lx, sp) };
      pcm.streams!.push(s);
      streams.push({ stream: s, evtch: num(`${sp}/event-channel`), rref: num(`${sp}/ring-ref`) });
    }
    vsnd.pcms!.push(pcm);
    pcms.push({ pcm, streams });
  }
  return { ...base, frontend: fe, vsnd, pcms };
}

export function vsndRemove(lx: LibxlCtx, domid: number, devid: number): number {
  pvRemove(lx, domid, 'vsnd', devid);
  configRemoveDevice<DeviceVsnd>(lx, domid, 'vsnds', (v) => v.devid === devid);
  return 0;
}
