/**
 * `vtpm = [...]` and `pvcalls = [...]` items (parse_config_data() in
 * tools/xl/xl_parse.c) and the arguments of `xl vtpm-attach`
 * (main_vtpmattach in tools/xl/xl_vtpm.c).
 *
 * Config items: strtok(",") pieces, leading spaces skipped; a piece without
 * `=` silently ends the item. Every error exits 1.
 */
import type { DevicePvcallsif, DeviceVtpm } from '../libxl/types';
import { matchOption, parseUuid, skipSpaces, strtok } from './cconv';
import type { ReportSink } from './report';
import { fail, type DevParse } from './split';

/**
 * One vtpm item. Messages: "Failed to parse vtpm UUID: %s",
 * "Unknown string `%s' in vtpm spec", "vtpm spec missing required backend
 * field!" — each exit 1.
 */
export function parseVtpmItem(report: ReportSink, item: string, devid: number): DevParse<DeviceVtpm> {
  const vtpm: DeviceVtpm = { devid };
  let gotBackend = false;
  for (const piece of strtok(item, ',')) {
    const p = skipSpaces(piece);
    const eq = p.indexOf('=');
    if (eq < 0) break;
    const key = p.slice(0, eq);
    const val = p.slice(eq + 1);
    if (key === 'backend') {
      vtpm.backend_domname = val;
      gotBackend = true;
    } else if (key === 'uuid') {
      const u = parseUuid(val);
      if (u === undefined) {
        report(`Failed to parse vtpm UUID: ${val}\n`);
        return fail(1);
      }
      vtpm.uuid = u;
    } else {
      report(`Unknown string \`${key}' in vtpm spec\n`);
      return fail(1);
    }
  }
  if (!gotBackend) {
    report('vtpm spec missing required backend field!\n');
    return fail(1);
  }
  return { ok: true, dev: vtpm };
}

/**
 * `xl vtpm-attach` arguments: each argv word is `uuid=` or `backend=`.
 * Messages "Invalid uuid specified (%s)" and "unrecognized argument `%s'",
 * exit 1.
 */
export function parseVtpmAttachArgs(report: ReportSink, args: readonly string[]): DevParse<DeviceVtpm> {
  const vtpm: DeviceVtpm = {};
  for (const a of args) {
    let v: string | undefined;
    if ((v = matchOption('uuid', a)) !== undefined) {
      const u = parseUuid(v);
      if (u === undefined) {
        report(`Invalid uuid specified (${v})\n`);
        return fail(1);
      }
      vtpm.uuid = u;
    } else if ((v = matchOption('backend', a)) !== undefined) {
      vtpm.backend_domname = v;
    } else {
      report(`unrecognized argument \`${a}'\n`);
      return fail(1);
    }
  }
  return { ok: true, dev: vtpm };
}

/** One pvcalls item: only `backend=`; "Unknown string `%s' in pvcalls spec", exit 1. */
export function parsePvcallsItem(report: ReportSink, item: string, devid: number): DevParse<DevicePvcallsif> {
  const dev: DevicePvcallsif = { devid };
  for (const piece of strtok(item, ',')) {
    const p = skipSpaces(piece);
    const eq = p.indexOf('=');
    if (eq < 0) break;
    const key = p.slice(0, eq);
    if (key === 'backend') dev.backend_domname = p.slice(eq + 1);
    else {
      report(`Unknown string \`${key}' in pvcalls spec\n`);
      return fail(1);
    }
  }
  return { ok: true, dev };
}
