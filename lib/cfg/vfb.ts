/**
 * `vfb = [ "vnc=1,vnclisten=…" ]` items: the vfb loop of parse_config_data()
 * in tools/xl/xl_parse.c. Each item also gives the guest a keyboard/mouse
 * (the caller adds one libxl_device_vkb per vfb, devid = its index).
 *
 * Quirks kept: unknown keys are ignored without a word, and a piece without
 * `=` ends the parsing of the whole item (later keys are dropped).
 */
import type { DeviceVfb } from '../libxl/types';
import { atoi, skipSpaces, strtok } from './cconv';

/** Parses one vfb item; it cannot fail. `devid` is the item's index. */
export function parseVfbItem(item: string, devid: number): DeviceVfb {
  const vfb: DeviceVfb = { devid, vnc: {}, sdl: {} };
  for (const piece of strtok(item, ',')) {
    const p = skipSpaces(piece);
    const eq = p.indexOf('=');
    if (eq < 0) break;
    const key = p.slice(0, eq);
    const val = p.slice(eq + 1);
    switch (key) {
      case 'vnc':
        vfb.vnc.enable = atoi(val) !== 0;
        break;
      case 'vnclisten':
        vfb.vnc.listen = val;
        break;
      case 'vncpasswd':
        vfb.vnc.passwd = val;
        break;
      case 'vncdisplay':
        vfb.vnc.display = atoi(val);
        break;
      case 'vncunused':
        vfb.vnc.findunused = atoi(val) !== 0;
        break;
      case 'keymap':
        vfb.keymap = val;
        break;
      case 'sdl':
        vfb.sdl.enable = atoi(val) !== 0;
        break;
      case 'opengl':
        vfb.sdl.opengl = atoi(val) !== 0;
        break;
      case 'display':
        vfb.sdl.display = val;
        break;
      case 'xauthority':
        vfb.sdl.xauthority = val;
        break;
      default:
        break;
    }
  }
  return vfb;
}
