/**
 * Virtual displays: parse_vdispl_config() and the `vdispl = [...]` loop of
 * tools/xl/xl_parse.c, shared with `xl vdispl-attach` (tools/xl/xl_vdispl.c).
 * `connectors=id0:800x600;id1:1024x768`.
 */
import type { DeviceVdispl } from '../libxl/types';
import { isCSpace, matchOption, scanfUnsigned, skipSpaces, strtok, strtoul } from './cconv';
import type { ReportSink } from './report';
import { CRASH, fail, splitPair, splitStringList, type DevParse } from './split';

/** sscanf(s, "%ux%u", &w, &h): the conversion count, or -1 (EOF) when s is blank. */
function scanResolution(s: string): { n: number; w?: number; h?: number } {
  const w = scanfUnsigned(s, 0, 10);
  if (!w) {
    let i = 0;
    while (isCSpace(s[i])) i++;
    return { n: i >= s.length ? -1 : 0 };
  }
  if (s[w.end] !== 'x') return { n: 1, w: w.value };
  const h = scanfUnsigned(s, w.end + 1, 10);
  return h ? { n: 2, w: w.value, h: h.value } : { n: 1, w: w.value };
}

/**
 * parse_vdispl_config(): returns C's rc — 0 on success, 1 after
 * `Unknown string "%s" in vdispl spec`. A resolution that does not scan
 * prints "Can't parse connector resolution" and returns sscanf's count
 * (0, 1 or -1), so "x600" gives 0 and parsing goes on — as in xl, where
 * the later connectors of that list stay empty. 'crash' for an empty
 * connector list (xl dereferences NULL).
 */
export function parseVdisplToken(report: ReportSink, vdispl: DeviceVdispl, token: string): number | 'crash' {
  let v: string | undefined;
  if ((v = matchOption('backend', token)) !== undefined) {
    vdispl.backend_domname = v;
  } else if ((v = matchOption('be-alloc', token)) !== undefined) {
    vdispl.be_alloc = strtoul(v, 0).value !== 0n;
  } else if ((v = matchOption('connectors', token)) !== undefined) {
    const list = splitStringList(v, ';');
    if (!list) return 'crash';
    const connectors = list.map(() => ({}) as NonNullable<DeviceVdispl['connectors']>[number]);
    vdispl.connectors = connectors;
    for (let i = 0; i < list.length; i++) {
      const pair = splitPair(list[i]!, ':', false);
      // Without `id:` xl goes on with an uninitialised resolution pointer;
      // report it the way a resolution that does not scan is reported.
      if (!pair) {
        report("Can't parse connector resolution\n");
        return 1;
      }
      connectors[i]!.unique_id = pair[0];
      const r = scanResolution(pair[1]);
      if (r.w !== undefined) connectors[i]!.width = r.w;
      if (r.h !== undefined) connectors[i]!.height = r.h;
      if (r.n !== 2) {
        report("Can't parse connector resolution\n");
        return r.n;
      }
    }
  } else {
    report(`Unknown string "${token}" in vdispl spec\n`);
    return 1;
  }
  return 0;
}

/** One `vdispl = [...]` item: tokens, then "At least one connector should be specified."; errors exit 1. */
export function parseVdisplItem(report: ReportSink, item: string, devid: number): DevParse<DeviceVdispl> {
  const vdispl: DeviceVdispl = { devid };
  for (const piece of strtok(item, ',')) {
    const rc = parseVdisplToken(report, vdispl, skipSpaces(piece));
    if (rc === 'crash') return CRASH;
    if (rc) return fail(1);
  }
  if (!vdispl.connectors?.length) {
    report('At least one connector should be specified.\n');
    return fail(1);
  }
  return { ok: true, dev: vdispl };
}
