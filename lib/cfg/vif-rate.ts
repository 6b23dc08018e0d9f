/**
 * vif `rate=RATE[@INTERVAL]`: the twin of xlu_vif_parse_rate() in
 * tools/libs/util/libxlu_vif.c. Arithmetic is done in BigInt because the C
 * code works in uint64 and its overflow checks are part of the verdict.
 */
import { strtoul } from './cconv';
import type { ReportSink } from './report';

const BYTES_PER_SEC_RE = /^[0-9]+[GMK]?[Bb]\/s$/;
const INTERVAL_RE = /^[0-9]+[mu]?s?$/;
const UINT32_MAX = 0xffffffffn;
const UINT64_MAX = (1n << 64n) - 1n;

export interface VifRate {
  rate_bytes_per_interval: number;
  rate_interval_usecs: number;
}

/** EINVAL / EOVERFLOW in C; xl exits 1 for both (parse_vif_rate). */
export type VifRateResult = { ok: true; rate: VifRate } | { ok: false; error: 'EINVAL' | 'EOVERFLOW' };

function vifErr(report: ReportSink, source: string, msg: string, text: string): void {
  report(`${source}: config parsing error in vif: ${msg} in \`${text}'\n`);
}

function bytesPerSec(report: ReportSink, source: string, bytes: string): bigint | 'EINVAL' | 'EOVERFLOW' {
  if (!BYTES_PER_SEC_RE.test(bytes)) {
    vifErr(report, source, 'invalid rate', bytes);
    return 'EINVAL';
  }
  const r = strtoul(bytes, 0);
  let v = r.value;
  if (v === 0n || v > UINT32_MAX || r.erange) {
    vifErr(report, source, 'rate overflow', bytes);
    return 'EOVERFLOW';
  }
  const unit = bytes[r.end];
  if (unit === 'G') v *= 1000000000n;
  else if (unit === 'M') v *= 1000000n;
  else if (unit === 'K') v *= 1000n;
  // a base-0 number stops early at an octal-invalid digit; the unit test
  // then looks at whatever follows, exactly as the C pointer arithmetic does
  if (unit === 'b' || bytes[r.end + 1] === 'b') v /= 8n;
  return v;
}

function intervalUsecs(report: ReportSink, source: string, interval: string): bigint | 'EINVAL' | 'EOVERFLOW' {
  if (!INTERVAL_RE.test(interval)) {
    vifErr(report, source, 'invalid replenishment interval', interval);
    return 'EINVAL';
  }
  const r = strtoul(interval, 0);
  let v = r.value;
  if (v === 0n || v > UINT32_MAX || r.erange) {
    vifErr(report, source, 'replenishment interval overflow', interval);
    return 'EOVERFLOW';
  }
  const unit = interval[r.end];
  // no suffix means seconds, whatever xl-network-configuration(5) says
  if (unit === 's' || unit === undefined) v *= 1000000n;
  else if (unit === 'm') v *= 1000n;
  if (v > UINT32_MAX) {
    vifErr(report, source, 'replenishment interval overflow', interval);
    return 'EOVERFLOW';
  }
  return v;
}

/**
 * xlu_vif_parse_rate(): `source` is the config file name or "command line".
 * Messages: `<source>: config parsing error in vif: <msg> in `<text>'`.
 */
export function xluVifParseRate(report: ReportSink, source: string, rate: string): VifRateResult {
  const at = rate.indexOf('@');
  const ratePart = at < 0 ? rate : rate.slice(0, at);
  const intervalPart = at < 0 ? undefined : rate.slice(at + 1);
  if (ratePart === '') {
    vifErr(report, source, 'no rate specified', rate);
    return { ok: false, error: 'EINVAL' };
  }
  const bps = bytesPerSec(report, source, ratePart);
  if (typeof bps === 'string') return { ok: false, error: bps };
  let interval = 50000n;
  if (intervalPart !== undefined) {
    const iv = intervalUsecs(report, source, intervalPart);
    if (typeof iv === 'string') return { ok: false, error: iv };
    interval = iv;
  }
  if (bps > UINT64_MAX / interval) {
    vifErr(report, source, 'rate overflow', rate);
    return { ok: false, error: 'EOVERFLOW' };
  }
  return {
    ok: true,
    rate: { rate_bytes_per_interval: Number((bps * interval) / 1000000n), rate_interval_usecs: Number(interval) },
  };
}
