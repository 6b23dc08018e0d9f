/**
 * Generic virtio devices: parse_virtio_config() / parse_virtio_list() in
 * tools/xl/xl_parse.c. `type=virtio,device26` keeps its comma: when a type
 * value starts with "virtio" the next strtok piece is glued back on.
 */
import type { DeviceVirtio } from '../libxl/types';
import { enumFromString } from '../libxl/types';
import { matchOption, skipSpaces, strtok, strtoul } from './cconv';
import type { ReportSink } from './report';
import { CRASH, fail, type DevParse } from './split';

function parseVirtioToken(report: ReportSink, virtio: DeviceVirtio, token: string): number {
  let v: string | undefined;
  if ((v = matchOption('backend', token)) !== undefined) virtio.backend_domname = v;
  else if ((v = matchOption('type', token)) !== undefined) virtio.type = v;
  else if ((v = matchOption('transport', token)) !== undefined) {
    const t = enumFromString('virtio_transport', v);
    // libxl_virtio_transport_from_string's ERROR_FAIL, no message
    if (t === undefined) return -3;
    virtio.transport = t;
  } else if ((v = matchOption('grant_usage', token)) !== undefined) {
    virtio.grant_usage = strtoul(v, 0).value !== 0n;
  } else {
    report(`Unknown string "${token}" in virtio spec\n`);
    return -1;
  }
  return 0;
}

/**
 * One `virtio = [...]` item. Every error exits 1 — a bad `transport=` even
 * without a message; `type=virtio…` as the last piece crashes xl (it glues
 * a NULL piece on).
 */
export function parseVirtioItem(report: ReportSink, item: string, devid: number): DevParse<DeviceVirtio> {
  const virtio: DeviceVirtio = { devid };
  const pieces = strtok(item, ',');
  for (let i = 0; i < pieces.length; i++) {
    let p = skipSpaces(pieces[i]!);
    const t = matchOption('type', p);
    if (t !== undefined && t.startsWith('virtio')) {
      const next = pieces[++i];
      if (next === undefined) return CRASH;
      p = `${p},${next}`;
    }
    if (parseVirtioToken(report, virtio, p)) return fail(1);
  }
  return { ok: true, dev: virtio };
}
