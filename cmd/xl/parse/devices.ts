/**
 * The device lists of parse_config_data() (tools/xl/xl_parse.c). Every
 * loop stops at the first item that is not a string, silently, as xl's
 * `while ((buf = xlu_cfg_get_listitem(...)) != NULL)` does. Devices made
 * with ARRAY_EXTEND_INIT get devid = their index; disks, pci, usbdevs and
 * channels (ARRAY_EXTEND_INIT_NODEVID) keep the default.
 * The item languages themselves are lib/cfg's.
 */
import { parseChannelItem } from '../../../lib/cfg/channel';
import { parseP9Item } from '../../../lib/cfg/p9';
import type { DevParse } from '../../../lib/cfg/split';
import { parseUsbctrlItem, parseUsbdevItem } from '../../../lib/cfg/usb';
import { parseVdisplItem } from '../../../lib/cfg/vdispl';
import { parseVfbItem } from '../../../lib/cfg/vfb';
import { newNicWithDefaults, parseNicToken, splitVifItem } from '../../../lib/cfg/vif';
import { parseVirtioItem } from '../../../lib/cfg/virtio';
import { parseVkbItem } from '../../../lib/cfg/vkb';
import { parseVsndCard } from '../../../lib/cfg/vsnd';
import { parsePvcallsItem, parseVtpmItem } from '../../../lib/cfg/vtpm';
import { newDeviceVkb, type DeviceVkb } from '../../../lib/libxl/types';
import { parseDisk } from './adapters';
import type { ParseEnv } from './env';
import type { XluList } from './xlu';

/** the string items of a device list, up to the first non-string */
function items(l: XluList): string[] {
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const s = l.item(i);
    if (s === undefined) return out;
    out.push(s);
  }
}

function list(env: ParseEnv, key: string): string[] | undefined {
  const r = env.x.getList(key);
  return r.rc === 0 ? items(r.value) : undefined;
}

/** a device, or xl's exit (the message is already out) */
function take<T>(env: ParseEnv, r: DevParse<T>): T {
  if (!r.ok) env.exit(r.exitCode);
  return r.dev;
}

export function parseDeviceLists(env: ParseEnv): void {
  const d = env.d;
  const err = env.err;

  const disks = list(env, 'disk');
  if (disks) d.disks = disks.map((s) => parseDisk(env, s));

  const p9s = list(env, 'p9');
  if (p9s) d.p9s = p9s.map((s, i) => take(env, parseP9Item(err, s, i, d.c_info.name)));

  const vtpms = list(env, 'vtpm');
  if (vtpms) d.vtpms = vtpms.map((s, i) => take(env, parseVtpmItem(err, s, i)));

  const vdispls = list(env, 'vdispl');
  if (vdispls) d.vdispls = vdispls.map((s, i) => take(env, parseVdisplItem(err, s, i)));

  const pvcalls = list(env, 'pvcalls');
  if (pvcalls) d.pvcallsifs = pvcalls.map((s, i) => take(env, parsePvcallsItem(err, s, i)));

  parseVsnds(env);

  const chans = list(env, 'channel');
  if (chans) {
    d.channels = chans.map((s) => {
      const chn = take(env, parseChannelItem(err, s, -1));
      delete chn.devid;
      return chn;
    });
  }

  parseVifs(env);

  if (env.x.getList('vif2').rc === 0) {
    err('WARNING: vif2: netchannel2 is deprecated and not supported by xl\n');
  }

  // each vfb brings a virtual keyboard along
  d.vfbs = [];
  d.vkbs = [];
  const vfbs = list(env, 'vfb');
  if (vfbs) {
    vfbs.forEach((s, i) => {
      d.vfbs!.push(parseVfbItem(s, i));
      const vkb: DeviceVkb = newDeviceVkb();
      vkb.devid = i;
      d.vkbs!.push(vkb);
    });
  }

  const usbctrls = list(env, 'usbctrl');
  if (usbctrls) d.usbctrls = usbctrls.map((s, i) => take(env, parseUsbctrlItem(err, s, i)));

  const usbdevs = list(env, 'usbdev');
  // xl's "Invalid usb device type" prints getopt's optarg, NULL in a config
  if (usbdevs) d.usbdevs = usbdevs.map((s) => take(env, parseUsbdevItem(err, s, undefined)));
}

function parseVsnds(env: ParseEnv): void {
  const r = env.x.getList('vsnd');
  if (r.rc !== 0) return;
  const out = [];
  for (let i = 0; i < r.value.count; i++) {
    const cards = r.value.itemAsList(i);
    if (!cards) {
      env.err('Failed to get vsnd card list: Invalid argument\n');
      env.exit(1);
    }
    out.push(take(env, parseVsndCard(env.err, items(cards), out.length)));
  }
  env.d.vsnds = out;
}

function parseVifs(env: ParseEnv): void {
  const vifs = list(env, 'vif');
  if (!vifs) return;
  const g = env.g;
  const defaults = {
    script: g.defaultVifScript,
    bridge: g.defaultBridge,
    gatewaydev: g.defaultGatewaydev,
    backend: g.defaultBackend,
  };
  const nenv = { report: env.err, source: env.x.source };
  env.d.nics = vifs.map((buf, i) => {
    const nic = { devid: i, ...newNicWithDefaults(defaults) };
    for (const { token, following } of splitVifItem(buf)) {
      // a bad token is only reported; rate/devid/mtu errors end xl
      const r = parseNicToken(nic, nenv, token, following);
      if (r.kind === 'exit') env.exit(r.code);
    }
    return nic;
  });
}

/** parse_vkb_list(): vkb= entries after those that came with vfbs */
export function parseVkbList(env: ParseEnv): void {
  const vkbs = list(env, 'vkb');
  if (!vkbs) return;
  const d = env.d;
  for (const s of vkbs) {
    const all = (d.vkbs ??= []);
    all.push(take(env, parseVkbItem(env.err, s, all.length)));
  }
}

/** parse_virtio_list() */
export function parseVirtioList(env: ParseEnv): void {
  const virtios = list(env, 'virtio');
  if (!virtios) return;
  const d = env.d;
  d.virtios = [];
  for (const s of virtios) d.virtios.push(take(env, parseVirtioItem(env.err, s, d.virtios.length)));
}
