/**
 * `channel = [...]` items: the channel loop of parse_config_data() in
 * tools/xl/xl_parse.c. Keys and values are whitespace-trimmed; connection
 * names are case-sensitive (`pty`, `socket`), whatever the man page shows.
 */
import type { DeviceChannel } from '../libxl/types';
import type { ReportSink } from './report';
import { CRASH, fail, splitPair, splitStringList, type DevParse } from './split';

/**
 * Messages (all exit 1): "failed to parse channel configuration: %s" (no
 * newline), "unknown channel connection '%s'", "channel has unknown
 * 'connection'", "channel connection 'socket' requires path=..";
 * "unknown channel parameter '%s', ignoring" only warns.
 */
export function parseChannelItem(report: ReportSink, item: string, devid: number): DevParse<DeviceChannel> {
  const chn: DeviceChannel = { devid };
  let path: string | undefined;
  const pairs = splitStringList(item, ',');
  if (!pairs) return CRASH;
  for (const pair of pairs) {
    const kv = splitPair(pair, '=', true);
    if (!kv) {
      report(`failed to parse channel configuration: ${pair}`);
      return fail(1);
    }
    const [key, value] = kv;
    if (key === 'backend') chn.backend_domname = value;
    else if (key === 'name') chn.name = value;
    else if (key === 'path') path = value;
    else if (key === 'connection') {
      if (value === 'pty') chn.connection = 'pty';
      else if (value === 'socket') chn.connection = 'socket';
      else {
        report(`unknown channel connection '${value}'\n`);
        return fail(1);
      }
    } else report(`unknown channel parameter '${key}', ignoring\n`);
  }
  if (chn.connection === undefined) {
    report("channel has unknown 'connection'\n");
    return fail(1);
  }
  if (chn.connection === 'socket') {
    if (path === undefined) {
      report("channel connection 'socket' requires path=..\n");
      return fail(1);
    }
    chn.u = { path };
  }
  return { ok: true, dev: chn };
}
