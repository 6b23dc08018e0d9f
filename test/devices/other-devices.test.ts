/** vfb, vtpm, pvcalls, channel, p9, usbctrl/usbdev, vkb, vdispl, vsnd, virtio (xl-cfg.md §3.4–3.10). */
import { describe, expect, it } from 'vitest';
import { parseChannelItem } from '../../lib/cfg/channel';
import { parseP9Item } from '../../lib/cfg/p9';
import { collectingSink } from '../../lib/cfg/report';
import { parseUsbctrlItem, parseUsbdevItem } from '../../lib/cfg/usb';
import { parseVdisplItem, parseVdisplToken } from '../../lib/cfg/vdispl';
import { parseVfbItem } from '../../lib/cfg/vfb';
import { parseVirtioItem } from '../../lib/cfg/virtio';
import { finishVkb, parseVkbItem } from '../../lib/cfg/vkb';
import { parseVsndCard, parseVsndItem } from '../../lib/cfg/vsnd';
import { parsePvcallsItem, parseVtpmAttachArgs, parseVtpmItem } from '../../lib/cfg/vtpm';
import type { DeviceVdispl, DeviceVsnd } from '../../lib/libxl/types';

/** runs a parser with a fresh sink, returns its result plus what it reported */
function run<T>(f: (sink: (s: string) => void) => T): { res: T; err: string } {
  const sink = collectingSink();
  const res = f(sink);
  return { res, err: sink.text() };
}

const UUID = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

describe('vfb', () => {
  it('keys, atoi numbers, unknown keys ignored', () => {
    expect(parseVfbItem('vnc=1, vnclisten=0.0.0.0,vncpasswd=pw,vncdisplay=3,vncunused=0,keymap=de,sdl=1,opengl=0,display=:0,xauthority=/x,bogus=1', 0)).toEqual({
      devid: 0, vnc: { enable: true, listen: '0.0.0.0', passwd: 'pw', display: 3, findunused: false }, keymap: 'de',
      sdl: { enable: true, opengl: false, display: ':0', xauthority: '/x' },
    });
  });
  it('a piece without = stops the item', () => {
    expect(parseVfbItem('vnc=1,novalue,sdl=1', 2)).toEqual({ devid: 2, vnc: { enable: true }, sdl: {} });
    expect(parseVfbItem('', 0)).toEqual({ devid: 0, vnc: {}, sdl: {} });
  });
});

describe('vtpm and pvcalls', () => {
  it('backend required, uuid parsed', () => {
    expect(run((s) => parseVtpmItem(s, `backend=vtpmdom, uuid=${UUID.toUpperCase()}`, 0))).toEqual({
      res: { ok: true, dev: { devid: 0, backend_domname: 'vtpmdom', uuid: UUID } }, err: '',
    });
    expect(run((s) => parseVtpmItem(s, `uuid=${UUID}`, 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'vtpm spec missing required backend field!\n' });
    expect(run((s) => parseVtpmItem(s, 'backend=d,uuid=nope', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'Failed to parse vtpm UUID: nope\n' });
    expect(run((s) => parseVtpmItem(s, 'backend=d,foo=1', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: "Unknown string `foo' in vtpm spec\n" });
    // a piece without = silently ends the item
    expect(run((s) => parseVtpmItem(s, 'backend=d,junk,foo=1', 1)).res).toEqual({ ok: true, dev: { devid: 1, backend_domname: 'd' } });
  });
  it('vtpm-attach arguments', () => {
    expect(run((s) => parseVtpmAttachArgs(s, [`uuid=${UUID}`, 'backend=0']))).toEqual({ res: { ok: true, dev: { uuid: UUID, backend_domname: '0' } }, err: '' });
    expect(run((s) => parseVtpmAttachArgs(s, ['uuid=1']))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'Invalid uuid specified (1)\n' });
    expect(run((s) => parseVtpmAttachArgs(s, ['x']))).toEqual({ res: { ok: false, exitCode: 1 }, err: "unrecognized argument `x'\n" });
  });
  it('pvcalls', () => {
    expect(run((s) => parsePvcallsItem(s, 'backend=dd', 0)).res).toEqual({ ok: true, dev: { devid: 0, backend_domname: 'dd' } });
    expect(run((s) => parsePvcallsItem(s, 'x=1', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: "Unknown string `x' in pvcalls spec\n" });
  });
});

describe('channel', () => {
  it('pty and socket', () => {
    expect(run((s) => parseChannelItem(s, ' name = org.qemu.guest_agent.0 , connection=pty', 0))).toEqual({
      res: { ok: true, dev: { devid: 0, name: 'org.qemu.guest_agent.0', connection: 'pty' } }, err: '',
    });
    expect(run((s) => parseChannelItem(s, 'name=n,connection=socket,path=/tmp/s,backend=d', 1)).res).toEqual({
      ok: true, dev: { devid: 1, name: 'n', connection: 'socket', u: { path: '/tmp/s' }, backend_domname: 'd' },
    });
  });
  it('errors', () => {
    expect(run((s) => parseChannelItem(s, 'name=n,bad', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'failed to parse channel configuration: bad' });
    expect(run((s) => parseChannelItem(s, 'name=', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'failed to parse channel configuration: name=' });
    expect(run((s) => parseChannelItem(s, 'connection=PTY', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: "unknown channel connection 'PTY'\n" });
    expect(run((s) => parseChannelItem(s, 'name=n', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: "channel has unknown 'connection'\n" });
    expect(run((s) => parseChannelItem(s, 'connection=socket', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: "channel connection 'socket' requires path=..\n" });
    expect(run((s) => parseChannelItem(s, 'foo=1,connection=pty', 0))).toEqual({
      res: { ok: true, dev: { devid: 0, connection: 'pty' } }, err: "unknown channel parameter 'foo', ignoring\n",
    });
    expect(run((s) => parseChannelItem(s, '', 0)).res).toEqual({ ok: false, exitCode: 139, crashed: true });
  });
});

describe('p9', () => {
  it('keys', () => {
    expect(run((s) => parseP9Item(s, 'tag=share, path=/srv, security_model=none, backend=0, type=QEMU, max-files=10, max-open-files=5, max-space=7, auto-delete=1', 0, 'g'))).toEqual({
      res: { ok: true, dev: { devid: 0, tag: 'share', path: '/srv', security_model: 'none', backend_domname: '0', type: 'qemu', max_files: 10, max_open_files: 5, max_space: 7, auto_delete: true } },
      err: '',
    });
    expect(run((s) => parseP9Item(s, 'tag=t,type=xen_9pfsd', 0, 'guest1')).res).toEqual({
      ok: true, dev: { devid: 0, tag: 't', type: 'xen_9pfsd', path: '/var/log/xen/guests/guest1' },
    });
  });
  it('errors', () => {
    expect(run((s) => parseP9Item(s, 'tag', 0, 'g'))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'failed to parse 9pfs configuration: tag' });
    expect(run((s) => parseP9Item(s, 'type=nfs', 0, 'g'))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'failed to parse 9pfs type: nfs\n' });
    expect(run((s) => parseP9Item(s, 'max-files=x', 0, 'g'))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'xl: failed to convert "x" to number\n' });
    expect(run((s) => parseP9Item(s, 'foo=1', 0, 'g'))).toEqual({ res: { ok: false, exitCode: 1 }, err: "Unknown 9pfs parameter 'foo'\n" });
  });
});

describe('usbctrl / usbdev', () => {
  it('usbctrl', () => {
    expect(run((s) => parseUsbctrlItem(s, 'type=PV, version=1,ports=4', 0)).res).toEqual({ ok: true, dev: { devid: 0, type: 'pv', version: 1, ports: 4 } });
    expect(run((s) => parseUsbctrlItem(s, 'type=usb3', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: "Invalid usb controller type 'usb3'\n" });
    expect(run((s) => parseUsbctrlItem(s, 'speed=1', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: "Unknown string `speed=1' in usbctrl spec\n" });
  });
  it('usbdev', () => {
    expect(run((s) => parseUsbdevItem(s, 'type=hostdev,hostbus=0x1,hostaddr=010,controller=0,port=2')).res).toEqual({
      ok: true, dev: { type: 'hostdev', u: { hostbus: 1, hostaddr: 8 }, ctrl: 0, port: 2 },
    });
    // xl prints getopt's optarg instead of the value
    expect(run((s) => parseUsbdevItem(s, 'type=hid'))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'Invalid usb device type: (null)\n' });
    expect(run((s) => parseUsbdevItem(s, 'type=hid', 'g.cfg')).err).toBe('Invalid usb device type: g.cfg\n');
    expect(run((s) => parseUsbdevItem(s, 'bus=1'))).toEqual({ res: { ok: false, exitCode: 1 }, err: "Unknown string `bus=1' in usbdev spec\n" });
  });
});

describe('vkb', () => {
  it('keys and checks', () => {
    expect(run((s) => parseVkbItem(s, 'backend=0,backend-type=linux,unique-id=k1,feature-abs-pointer=1,width=800,height=600,multi-touch-width=10', 0)).res).toEqual({
      ok: true,
      dev: { devid: 0, backend_domname: '0', backend_type: 'linux', unique_id: 'k1', feature_abs_pointer: true, width: 800, height: 600, multi_touch_width: 10, feature_multi_touch: true },
    });
    expect(run((s) => parseVkbItem(s, 'backend=0', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'backend-type should be set in vkb spec\n' });
    expect(run((s) => parseVkbItem(s, 'backend-type=qemu,feature-multi-touch=1', 0))).toEqual({
      res: { ok: false, exitCode: 1 }, err: 'multi-touch-width, multi-touch-height, multi-touch-num-contacts should be set for multi touch in vkb spec\n',
    });
    expect(run((s) => parseVkbItem(s, 'backend-type=xen', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'Unknown backend_type "xen" in vkb spec\n' });
    expect(run((s) => parseVkbItem(s, 'mouse=1', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'Unknown string "mouse=1" in vkb spec\n' });
    expect(finishVkb({}, false)).toBe('backend-type should be set\n');
  });
});

describe('vdispl', () => {
  it('connectors', () => {
    expect(run((s) => parseVdisplItem(s, 'backend=0,be-alloc=1,connectors=id0:1920x1080;id1:800x600;id2:640x480', 0)).res).toEqual({
      ok: true,
      dev: { devid: 0, backend_domname: '0', be_alloc: true, connectors: [
        { unique_id: 'id0', width: 1920, height: 1080 }, { unique_id: 'id1', width: 800, height: 600 }, { unique_id: 'id2', width: 640, height: 480 },
      ] },
    });
  });
  it('errors', () => {
    expect(run((s) => parseVdisplItem(s, 'backend=0', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'At least one connector should be specified.\n' });
    expect(run((s) => parseVdisplItem(s, 'x=1', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'Unknown string "x=1" in vdispl spec\n' });
    expect(run((s) => parseVdisplItem(s, 'connectors=id0:800', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: "Can't parse connector resolution\n" });
    expect(run((s) => parseVdisplItem(s, 'connectors=', 0)).res).toEqual({ ok: false, exitCode: 139, crashed: true });
  });
  it('a resolution that scans nothing returns 0 and parsing goes on', () => {
    const v: DeviceVdispl = {};
    expect(run((s) => parseVdisplToken(s, v, 'connectors=a:x600;b:1x2'))).toEqual({ res: 0, err: "Can't parse connector resolution\n" });
    expect(v).toEqual({ connectors: [{ unique_id: 'a' }, {}] });
    expect(run((s) => parseVdisplToken(s, {}, 'connectors=a: '))).toEqual({ res: -1, err: "Can't parse connector resolution\n" });
  });
});

describe('vsnd', () => {
  it('card, pcm, stream', () => {
    const r = run((s) => parseVsndCard(s, [
      'CARD, backend=0, short-name=Main, long-name=Main card, sample-rates=8000;44100, sample-formats=s16_le;F32_LE, channels-min=1, channels-max=2, buffer-size=65536',
      'pcm, name=p0',
      'STREAM, unique-id=s0, type=P',
      'stream, unique-id=s1, type=c, channels-max=1',
    ], 0));
    expect(r.err).toBe('');
    expect(r.res).toEqual({
      ok: true,
      dev: {
        devid: 0, backend_domname: '0', short_name: 'Main', long_name: 'Main card',
        params: { sample_rates: [8000, 44100], sample_formats: ['s16_le', 'f32_le'], channels_min: 1, channels_max: 2, buffer_size: 65536 },
        pcms: [{ name: 'p0', params: {}, streams: [{ unique_id: 's0', type: 'p', params: {} }, { unique_id: 's1', type: 'c', params: { channels_max: 1 } }] }],
      },
    });
  });
  it('the man page example with id= fails', () => {
    expect(run((s) => parseVsndCard(s, ['CARD, id=0'], 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'Invalid parameter: id=0\n' });
  });
  it('errors', () => {
    const v = (): DeviceVsnd => ({ params: {} });
    expect(run((s) => parseVsndItem(s, v(), 'mixer, x=1'))).toEqual({ res: -1, err: 'Invalid key: mixer\n' });
    expect(run((s) => parseVsndItem(s, v(), 'stream, type=x'))).toEqual({ res: -1, err: 'Invalid stream type: x\n' });
    expect(run((s) => parseVsndItem(s, v(), 'pcm, sample-formats=s16_le;bogus'))).toEqual({ res: { exit: 1 }, err: 'Invalid pcm format: bogus\n' });
    expect(run((s) => parseVsndItem(s, v(), 'card, sample-rates=')).res).toBe('crash');
  });
});

describe('virtio', () => {
  it('type=virtio,… keeps its comma', () => {
    expect(run((s) => parseVirtioItem(s, 'backend=0, type=virtio,device26, transport=MMIO, grant_usage=1', 0)).res).toEqual({
      ok: true, dev: { devid: 0, backend_domname: '0', type: 'virtio,device26', transport: 'mmio', grant_usage: true },
    });
  });
  it('errors', () => {
    expect(run((s) => parseVirtioItem(s, 'foo=1', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: 'Unknown string "foo=1" in virtio spec\n' });
    expect(run((s) => parseVirtioItem(s, 'transport=pci', 0))).toEqual({ res: { ok: false, exitCode: 1 }, err: '' });
    expect(run((s) => parseVirtioItem(s, 'type=virtio', 0)).res).toEqual({ ok: false, exitCode: 139, crashed: true });
  });
});
