/**
 * The second HVM-only block of parse_config_data() (tools/xl/xl_parse.c):
 * emulated display (vga/stdvga, spice), disk controller, serial ports,
 * boot order, USB, sound and the platform device. Silently ignored for
 * PV and PVH guests.
 */
import { enumFromString, hvmInfo } from '../../../lib/libxl/types';
import { EXIT_ERROR_FAIL, type ParseEnv } from './env';
import { ESRCH, EINVAL } from './xlu';

export function parseHvmDevices(env: ParseEnv): void {
  if (env.d.c_info.type !== 'hvm') return;
  const { x } = env;
  const h = hvmInfo(env.d.b_info);

  const vga = x.getString('vga');
  if (vga.rc === 0) {
    const kinds: Record<string, 'std' | 'cirrus' | 'none' | 'qxl'> = { stdvga: 'std', cirrus: 'cirrus', none: 'none', qxl: 'qxl' };
    const k = Object.prototype.hasOwnProperty.call(kinds, vga.value) ? kinds[vga.value] : undefined;
    if (k === undefined) {
      env.err(`Unknown vga "${vga.value}" specified\n`);
      env.exit(1);
    }
    h.vga.kind = k;
  } else {
    // stdvga= is the old spelling, honoured only when vga= is absent
    const std = x.getLong('stdvga');
    if (std.rc === 0) h.vga.kind = std.value ? 'std' : 'cirrus';
  }

  const hd = x.getString('hdtype');
  if (hd.rc === 0) {
    const v = enumFromString('hdtype', hd.value);
    if (v === undefined) {
      env.err(`ERROR: invalid value "${hd.value}" for "hdtype"\n`);
      env.exit(1);
    }
    h.hdtype = v;
  }

  const km = x.getString('keymap');
  if (km.rc === 0) h.keymap = km.value;

  const sp = h.spice;
  const spice = x.getDefbool('spice');
  if (spice.rc === 0) sp.enable = spice.value;
  const port = x.getLong('spiceport');
  if (port.rc === 0) sp.port = toInt(port.value);
  const tls = x.getLong('spicetls_port');
  if (tls.rc === 0) sp.tls_port = toInt(tls.value);
  const host = x.getString('spicehost');
  if (host.rc === 0) sp.host = host.value;
  const dt = x.getDefbool('spicedisable_ticketing');
  if (dt.rc === 0) sp.disable_ticketing = dt.value;
  const pw = x.getString('spicepasswd');
  if (pw.rc === 0) sp.passwd = pw.value;
  const am = x.getDefbool('spiceagent_mouse');
  if (am.rc === 0) sp.agent_mouse = am.value;
  const vda = x.getDefbool('spicevdagent');
  if (vda.rc === 0) sp.vdagent = vda.value;
  const cs = x.getDefbool('spice_clipboard_sharing');
  if (cs.rc === 0) sp.clipboard_sharing = cs.value;
  const ur = x.getLong('spiceusbredirection');
  if (ur.rc === 0) sp.usbredirection = toInt(ur.value);
  const ic = x.getString('spice_image_compression');
  if (ic.rc === 0) sp.image_compression = ic.value;
  const sv = x.getString('spice_streaming_video');
  if (sv.rc === 0) sp.streaming_video = sv.value;

  const ng = x.getDefbool('nographic');
  if (ng.rc === 0) h.nographic = ng.value;

  const gfxN = x.getLong('gfx_passthru', true);
  if (gfxN.rc === 0) h.gfx_passthru = gfxN.value !== 0;
  else {
    const gfx = x.getString('gfx_passthru');
    if (gfx.rc === 0) {
      const k = enumFromString('gfx_passthru_kind', gfx.value);
      if (k === undefined) {
        env.err(`ERROR: invalid value "${gfx.value}" for "gfx_passthru"\n`);
        env.exit(1);
      }
      h.gfx_passthru_kind = k;
      h.gfx_passthru = true;
    }
  }

  stringOrList(env, 'serial', (l) => (h.serial_list = l), (s) => (h.serial = s));

  const boot = x.getString('boot');
  if (boot.rc === 0) h.boot = boot.value;
  const usb = x.getDefbool('usb');
  if (usb.rc === 0) h.usb = usb.value;
  const uv = x.getLong('usbversion');
  if (uv.rc === 0) h.usbversion = toInt(uv.value);

  stringOrList(env, 'usbdevice', (l) => (h.usbdevice_list = l), (s) => (h.usbdevice = s));

  const vkb = x.getDefbool('vkb_device');
  if (vkb.rc === 0) h.vkb_device = vkb.value;
  const snd = x.getString('soundhw');
  if (snd.rc === 0) h.soundhw = snd.value;
  const xpp = x.getDefbool('xen_platform_pci');
  if (xpp.rc === 0) h.xen_platform_pci = xpp.value;
  const xuc = x.getDefbool('xen_platform_pci_bar_uc');
  if (xuc.rc === 0) h.xen_platform_pci_bar_uc = xuc.value;

  if (h.vnc.listen !== undefined && h.vnc.display && h.vnc.listen.includes(':')) {
    env.err('ERROR: Display specified both in vnclisten and vncdisplay!\n');
    env.exit(1);
  }

  const vd = x.getString('vendor_device');
  if (vd.rc === 0) {
    const v = enumFromString('vendor_device', vd.value);
    if (v === undefined) {
      env.err(`xl: unknown vendor_device '${vd.value}'\n`);
      env.exit(EXIT_ERROR_FAIL);
    }
    h.vendor_device = v;
  }
}

/** serial= / usbdevice=: a list, or (for backward compatibility) one string */
function stringOrList(env: ParseEnv, key: string, setList: (l: string[]) => void, setOne: (s: string) => void): void {
  const r = env.x.getListAsStringList(key, true);
  if (r.rc === 0) {
    setList(r.value);
    return;
  }
  if (r.rc === ESRCH) return;
  if (r.rc === EINVAL) {
    const s = env.x.getString(key);
    if (s.rc === 0) {
      setOne(s.value);
      return;
    }
  }
  env.err(`xl: Unable to parse ${key}.\n`);
  env.exit(EXIT_ERROR_FAIL);
}

function toInt(v: number): number {
  return Number(BigInt.asIntN(32, BigInt(Math.trunc(v))));
}
