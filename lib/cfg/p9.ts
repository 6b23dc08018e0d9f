/**
 * `p9 = [...]` items (9pfs shares): the p9 loop of parse_config_data() in
 * tools/xl/xl_parse.c. Pairs are comma-separated and whitespace-trimmed.
 */
import type { DeviceP9 } from '../libxl/types';
import { enumFromString } from '../libxl/types';
import { strtoul, toInt32, ULONG_MAX } from './cconv';
import type { ReportSink } from './report';
import { CRASH, fail, splitPair, splitStringList, type DevParse } from './split';

/** XEN_LOG_DIR of a default build */
export const XEN_LOG_DIR = '/var/log/xen';

/**
 * Messages (all exit 1): "failed to parse 9pfs configuration: %s" (no
 * newline), "failed to parse 9pfs type: %s", "Unknown 9pfs parameter '%s'",
 * and parse_ulong's `xl: failed to convert "%s" to number`.
 * @param domainName c_info->name, for the xen_9pfsd default path
 */
export function parseP9Item(report: ReportSink, item: string, devid: number, domainName: string | undefined): DevParse<DeviceP9> {
  const p9: DeviceP9 = { devid };
  const pairs = splitStringList(item, ',');
  if (!pairs) return CRASH;
  for (const pair of pairs) {
    const kv = splitPair(pair, '=', true);
    if (!kv) {
      report(`failed to parse 9pfs configuration: ${pair}`);
      return fail(1);
    }
    const [key, value] = kv;
    const ulong = (): number | undefined => {
      const r = strtoul(value, 10);
      if (r.end === 0 || r.value === ULONG_MAX) {
        report(`xl: failed to convert "${value}" to number\n`);
        return undefined;
      }
      return toInt32(r.value);
    };
    if (key === 'security_model') p9.security_model = value;
    else if (key === 'path') p9.path = value;
    else if (key === 'tag') p9.tag = value;
    else if (key === 'backend') p9.backend_domname = value;
    else if (key === 'type') {
      const t = enumFromString('p9_type', value);
      if (t === undefined) {
        report(`failed to parse 9pfs type: ${value}\n`);
        return fail(1);
      }
      p9.type = t;
    } else if (key === 'max-files' || key === 'max-open-files' || key === 'max-space') {
      const n = ulong();
      if (n === undefined) return fail(1);
      if (key === 'max-files') p9.max_files = n;
      else if (key === 'max-open-files') p9.max_open_files = n;
      else p9.max_space = n;
    } else if (key === 'auto-delete') {
      p9.auto_delete = strtoul(value, 0).value !== 0n;
    } else {
      report(`Unknown 9pfs parameter '${key}'\n`);
      return fail(1);
    }
  }
  if (p9.type === 'xen_9pfsd' && p9.path === undefined) p9.path = `${XEN_LOG_DIR}/guests/${domainName ?? '(null)'}`;
  return { ok: true, dev: p9 };
}
