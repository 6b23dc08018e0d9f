/**
 * Channels (libxl_console.c): named consoles with devid ≥ 1 that QEMU
 * serves in dom0, each a frontend under device/console/<n>. Written at
 * create from the config's channel list; `xl channel-list` reads them back
 * (libxl_device_channel_list numbers them from 0 in the order libxl's
 * directory lists them, getinfo looks at devid + 1).
 */
import type { LibxlCtx } from './ctx';
import { XenbusState } from './devices-xenbus';
import type { DeviceChannel } from './types';

function children(lx: LibxlCtx, path: string): string[] {
  const r = lx.xs.directory(path);
  return Array.isArray(r) ? r : [];
}

/** the pty QEMU opens for a channel: after the ones xenconsoled hands out */
function channelPty(domid: number, devid: number): string {
  return `/dev/pts/${100 + domid * 8 + devid}`;
}

export function writeChannels(lx: LibxlCtx, domid: number, channels: readonly DeviceChannel[]): void {
  channels.forEach((ch, i) => {
    const devid = i + 1;
    const bd = ch.backend_domid ?? 0;
    const fe = `/local/domain/${domid}/device/console/${devid}`;
    const be = `/local/domain/${bd}/backend/console/${domid}/${devid}`;
    const lp = `/libxl/${domid}/device/console/${devid}`;
    const connection = ch.connection === 'socket' ? 'socket' : 'pty';
    lx.xs.mkdirPerms(be, [`n${bd}`, `r${domid}`]);
    lx.xs.writeAll(be, [
      ['frontend', fe],
      ['frontend-id', String(domid)],
      ['online', '1'],
      ['state', String(XenbusState.InitWait)],
      ['protocol', 'vt100'],
    ]);
    lx.xs.mkdirPerms(fe, [`n${bd}`, `r${domid}`]);
    const front: Array<[string, string]> = [
      ['backend', be],
      ['backend-id', String(bd)],
      ['state', String(XenbusState.Initialising)],
      ['limit', '1048576'],
      ['type', 'ioemu'],
      ['output', connection === 'pty' ? 'pty' : `chardev:libxl-channel${i}`],
      ['name', ch.name ?? ''],
    ];
    if (connection === 'pty') front.push(['tty', channelPty(domid, devid)]);
    lx.xs.writeAll(fe, front);
    const priv: Array<[string, string]> = [
      ['frontend', fe],
      ['backend', be],
      ['name', ch.name ?? ''],
      ['connection', connection],
    ];
    if (connection === 'socket' && ch.u?.path) priv.push(['path', ch.u.path]);
    lx.xs.mkdirPerms(lp, ['n0']);
    lx.xs.writeAll(lp, priv);
  });
}

export interface ChannelInfo {
  devid: number;
  backendId: number;
  state: number;
  evtch: number;
  rref: number;
  connection: 'pty' | 'socket' | 'unknown';
  pty: string;
}

/** libxl_device_channel_list + getinfo */
export function channelList(lx: LibxlCtx, domid: number): ChannelInfo[] {
  const out: ChannelInfo[] = [];
  let devid = 0;
  for (const e of children(lx, `/libxl/${domid}/device/console`)) {
    const lp = `/libxl/${domid}/device/console/${e}`;
    if (lx.xs.tryRead(`${lp}/name`) === undefined) continue;
    const conn = lx.xs.tryRead(`${lp}/connection`);
    const fe = `/local/domain/${domid}/device/console/${devid + 1}`;
    const be = lx.xs.tryRead(`${lp}/backend`) ?? '';
    const m = /^\/local\/domain\/(\d+)\//.exec(be);
    const num = (k: string): number => {
      const v = lx.xs.tryRead(`${fe}/${k}`);
      return v === undefined ? -1 : Number.parseInt(v, 10) || 0;
    };
    out.push({
      devid,
      backendId: m ? Number(m[1]) : 0,
      state: num('state'),
      evtch: num('port'),
      rref: num('ring-ref'),
      connection: conn === 'pty' || conn === 'socket' ? conn : 'unknown',
      pty: lx.xs.tryRead(`${fe}/tty`) ?? '',
    });
    devid++;
  }
  return out;
}
