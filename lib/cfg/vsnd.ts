/**
 * Virtual sound cards: parse_vsnd_item() and helpers in tools/xl/xl_parse.c,
 * shared by the `vsnd = [[...], ...]` key and `xl vsnd-attach`
 * (tools/xl/xl_vsnd.c).
 *
 * An item is `CARD|PCM|STREAM, key=value, ...` (the word case-insensitive).
 * PCM adds a pcm to the card, STREAM a stream to the last pcm (creating one
 * if needed); the parameters apply to the newest element of that kind.
 */
import type { DeviceVsnd, VsndParams, VsndPcm, VsndStream } from '../libxl/types';
import { enumFromString } from '../libxl/types';
import { matchOption, skipSpaces, strcaseeq, strtok, strtoul, toUint32 } from './cconv';
import type { ReportSink } from './report';
import { CRASH, fail, splitStringList, type DevParse } from './split';

/** xl exits on the spot: 1 for a bad pcm format, or crashes on an empty list. */
export type VsndFatal = { exit: number } | 'crash';

/** parse_vsnd_params(): 0 when the token was a common parameter, 1 when it is not one. */
function parseParams(report: ReportSink, params: VsndParams, token: string): number | VsndFatal {
  let v: string | undefined;
  if ((v = matchOption('sample-rates', token)) !== undefined) {
    const rates = splitStringList(v, ';');
    if (!rates) return 'crash';
    params.sample_rates = rates.map((r) => toUint32(strtoul(r, 0).value));
  } else if ((v = matchOption('sample-formats', token)) !== undefined) {
    const formats = splitStringList(v, ';');
    if (!formats) return 'crash';
    const out: NonNullable<VsndParams['sample_formats']> = [];
    for (const f of formats) {
      const e = enumFromString('vsnd_pcm_format', f);
      if (e === undefined) {
        report(`Invalid pcm format: ${f}\n`);
        return { exit: 1 };
      }
      out.push(e);
    }
    params.sample_formats = out;
  } else if ((v = matchOption('channels-min', token)) !== undefined) {
    params.channels_min = toUint32(strtoul(v, 0).value);
  } else if ((v = matchOption('channels-max', token)) !== undefined) {
    params.channels_max = toUint32(strtoul(v, 0).value);
  } else if ((v = matchOption('buffer-size', token)) !== undefined) {
    params.buffer_size = toUint32(strtoul(v, 0).value);
  } else {
    return 1;
  }
  return 0;
}

function lastPcm(vsnd: DeviceVsnd): VsndPcm | undefined {
  return vsnd.pcms?.[vsnd.pcms.length - 1];
}

function streamParam(report: ReportSink, vsnd: DeviceVsnd, token: string): number | VsndFatal {
  const pcm = lastPcm(vsnd);
  if (!pcm) {
    report('No vsnd pcm device\n');
    return -1;
  }
  const stream: VsndStream | undefined = pcm.streams?.[pcm.streams.length - 1];
  if (!stream) {
    report('No vsnd stream\n');
    return -1;
  }
  const r = parseParams(report, stream.params, token);
  if (r !== 1) return r;
  let v: string | undefined;
  if ((v = matchOption('unique-id', token)) !== undefined) stream.unique_id = v;
  else if ((v = matchOption('type', token)) !== undefined) {
    const t = enumFromString('vsnd_stream_type', v);
    if (t === undefined) {
      report(`Invalid stream type: ${v}\n`);
      return -1;
    }
    stream.type = t;
  } else {
    report(`Invalid parameter: ${token}\n`);
    return -1;
  }
  return 0;
}

function pcmParam(report: ReportSink, vsnd: DeviceVsnd, token: string): number | VsndFatal {
  const pcm = lastPcm(vsnd);
  if (!pcm) {
    report('No pcm device\n');
    return -1;
  }
  const r = parseParams(report, pcm.params, token);
  if (r !== 1) return r;
  const v = matchOption('name', token);
  if (v === undefined) {
    report(`Invalid parameter: ${token}\n`);
    return -1;
  }
  pcm.name = v;
  return 0;
}

function cardParam(report: ReportSink, vsnd: DeviceVsnd, token: string): number | VsndFatal {
  const r = parseParams(report, vsnd.params, token);
  if (r !== 1) return r;
  let v: string | undefined;
  if ((v = matchOption('backend', token)) !== undefined) vsnd.backend_domname = v;
  else if ((v = matchOption('short-name', token)) !== undefined) vsnd.short_name = v;
  else if ((v = matchOption('long-name', token)) !== undefined) vsnd.long_name = v;
  else {
    report(`Invalid parameter: ${token}\n`);
    return -1;
  }
  return 0;
}

function createItem(report: ReportSink, vsnd: DeviceVsnd, key: string): number {
  if (strcaseeq(key, 'card')) return 0;
  if (strcaseeq(key, 'pcm')) {
    (vsnd.pcms ??= []).push({ params: {} });
    return 0;
  }
  if (strcaseeq(key, 'stream')) {
    if (!vsnd.pcms?.length) (vsnd.pcms ??= []).push({ params: {} });
    const pcm = lastPcm(vsnd)!;
    (pcm.streams ??= []).push({ params: {} });
    return 0;
  }
  report(`Invalid key: ${key}\n`);
  return -1;
}

/**
 * parse_vsnd_item(): applies one item to `vsnd`. Returns 0, -1 after a
 * message ("Invalid key: %s", "Invalid parameter: %s", "Invalid stream
 * type: %s"), or a VsndFatal. vsnd-attach exits with -1 as status 255; a
 * config file exits 1.
 */
export function parseVsndItem(report: ReportSink, vsnd: DeviceVsnd, spec: string): number | VsndFatal {
  let key: string | undefined;
  for (const piece of strtok(spec, ',')) {
    const token = skipSpaces(piece);
    let r: number | VsndFatal;
    if (key === undefined) {
      key = token;
      r = createItem(report, vsnd, key);
    } else if (strcaseeq(key, 'card')) r = cardParam(report, vsnd, token);
    else if (strcaseeq(key, 'pcm')) r = pcmParam(report, vsnd, token);
    else if (strcaseeq(key, 'stream')) r = streamParam(report, vsnd, token);
    else r = 0;
    if (r !== 0) return r;
  }
  return 0;
}

/** One card of `vsnd = [[item, item, ...], ...]`: every error exits 1. */
export function parseVsndCard(report: ReportSink, items: readonly string[], devid: number): DevParse<DeviceVsnd> {
  const vsnd: DeviceVsnd = { devid, params: {} };
  for (const item of items) {
    const r = parseVsndItem(report, vsnd, item);
    if (r === 'crash') return CRASH;
    if (r !== 0) return fail(1);
  }
  return { ok: true, dev: vsnd };
}
