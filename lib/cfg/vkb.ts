/**
 * Virtual keyboards: parse_vkb_config() and the `vkb = [...]` loop of
 * tools/xl/xl_parse.c, shared with `xl vkb-attach` (tools/xl/xl_vkb.c).
 */
import type { DeviceVkb } from '../libxl/types';
import { enumFromString } from '../libxl/types';
import { matchOption, skipSpaces, strtok, strtoul, toUint32 } from './cconv';
import type { ReportSink } from './report';
import { fail, type DevParse } from './split';

type VkbBool = 'feature_disable_keyboard' | 'feature_disable_pointer' | 'feature_abs_pointer' | 'feature_raw_pointer' | 'feature_multi_touch';
type VkbU32 = 'multi_touch_width' | 'multi_touch_height' | 'multi_touch_num_contacts' | 'width' | 'height';

const BOOL_KEYS: ReadonlyArray<readonly [string, VkbBool]> = [
  ['feature-disable-keyboard', 'feature_disable_keyboard'],
  ['feature-disable-pointer', 'feature_disable_pointer'],
  ['feature-abs-pointer', 'feature_abs_pointer'],
  ['feature-raw-pointer', 'feature_raw_pointer'],
  ['feature-multi-touch', 'feature_multi_touch'],
];
const U32_KEYS: ReadonlyArray<readonly [string, VkbU32]> = [
  ['multi-touch-width', 'multi_touch_width'],
  ['multi-touch-height', 'multi_touch_height'],
  ['multi-touch-num-contacts', 'multi_touch_num_contacts'],
  ['width', 'width'],
  ['height', 'height'],
];

/**
 * parse_vkb_config(): 0, or -1 after `Unknown backend_type "%s" in vkb spec`
 * / `Unknown string "%s" in vkb spec`.
 */
export function parseVkbToken(report: ReportSink, vkb: DeviceVkb, token: string): number {
  let v: string | undefined;
  if ((v = matchOption('backend', token)) !== undefined) {
    vkb.backend_domname = v;
    return 0;
  }
  if ((v = matchOption('backend-type', token)) !== undefined) {
    const t = enumFromString('vkb_backend', v);
    if (t === undefined) {
      report(`Unknown backend_type "${v}" in vkb spec\n`);
      return -1;
    }
    vkb.backend_type = t;
    return 0;
  }
  if ((v = matchOption('unique-id', token)) !== undefined) {
    vkb.unique_id = v;
    return 0;
  }
  for (const [key, field] of BOOL_KEYS) {
    if ((v = matchOption(key, token)) !== undefined) {
      vkb[field] = strtoul(v, 0).value !== 0n;
      return 0;
    }
  }
  for (const [key, field] of U32_KEYS) {
    if ((v = matchOption(key, token)) !== undefined) {
      vkb[field] = toUint32(strtoul(v, 0).value);
      return 0;
    }
  }
  report(`Unknown string "${token}" in vkb spec\n`);
  return -1;
}

/**
 * The checks after the tokens: backend-type is required, and multi-touch
 * needs its dimensions. The config-file messages say where ("... in vkb
 * spec"), vkb-attach's end earlier. Returns the message or undefined.
 */
export function finishVkb(vkb: DeviceVkb, inConfig: boolean): string | undefined {
  if (vkb.backend_type === undefined || vkb.backend_type === 'unknown') return `backend-type should be set${inConfig ? ' in vkb spec' : ''}\n`;
  const dims = !!(vkb.multi_touch_height || vkb.multi_touch_width || vkb.multi_touch_num_contacts);
  if (dims) vkb.feature_multi_touch = true;
  if (vkb.feature_multi_touch && !dims) {
    return `multi-touch-width, multi-touch-height, multi-touch-num-contacts should be set${inConfig ? ' for multi touch in vkb spec' : ''}\n`;
  }
  return undefined;
}

/** One `vkb = [...]` item; every error exits 1. */
export function parseVkbItem(report: ReportSink, item: string, devid: number): DevParse<DeviceVkb> {
  const vkb: DeviceVkb = { devid };
  for (const piece of strtok(item, ',')) if (parseVkbToken(report, vkb, skipSpaces(piece))) return fail(1);
  const msg = finishVkb(vkb, true);
  if (msg) {
    report(msg);
    return fail(1);
  }
  return { ok: true, dev: vkb };
}
