/**
 * vif specifications (xl-network-configuration(5)): the twin of
 * parse_nic_config() in tools/xl/xl_parse.c and set_default_nic_values() in
 * tools/xl/xl_nic.c.
 *
 * The callers differ in how they cut a spec into tokens, which is observable:
 *   - a config file's `vif = [ "a,b" ]` item is split with strtok(",") and
 *     leading spaces are skipped: splitVifItem();
 *   - `xl network-attach dom ARG...` hands each argv word over whole, commas
 *     and all.
 * and in what a bad token means: in a config file only a message (creation
 * goes on), for network-attach exit 1. `rate=`, `devid=` and `mtu=` errors
 * exit 1 from inside the parser in both cases.
 */
import type { DeviceNic, NicColoField } from '../libxl/types';
import { NIC_COLO_FIELDS } from '../libxl/types';
import { skipSpaces, strtok, strtoul, toInt32, toUint32, ULONG_MAX } from './cconv';
import type { ReportSink } from './report';
import { xluVifParseRate } from './vif-rate';

/** xl.conf's vif.default.* settings (tools/xl/xl.c globals). */
export interface VifDefaults {
  script?: string;
  bridge?: string;
  gatewaydev?: string;
  backend?: string;
}

/** A new nic as libxl_device_nic_init() + set_default_nic_values() leave it. */
export function newNicWithDefaults(defaults: VifDefaults): DeviceNic {
  const nic: DeviceNic = {};
  if (defaults.script !== undefined) nic.script = defaults.script;
  if (defaults.bridge !== undefined) nic.bridge = defaults.bridge;
  if (defaults.gatewaydev !== undefined) nic.gatewaydev = defaults.gatewaydev;
  if (defaults.backend !== undefined) nic.backend_domname = defaults.backend;
  return nic;
}

/**
 * The result of one token: `ok`; `bad` (parse_nic_config returned 1 — a
 * message was printed); `exit` (xl calls exit(code) on the spot).
 */
export type NicTokenResult = { kind: 'ok' } | { kind: 'bad' } | { kind: 'exit'; code: number };

export interface NicParseEnv {
  report: ReportSink;
  /** XLU_Config's source: the config file name, or "command line" */
  source: string;
}

/**
 * Strings that parse_nic_config() stores verbatim, as [key, field]. The colo
 * keys are the field names except `forwarddev` (→ coloft_forwarddev). Order
 * matters only for shared prefixes, and the C chain tests them in this order.
 */
const STRING_KEYS: ReadonlyArray<readonly [string, keyof DeviceNic]> = [
  ['bridge', 'bridge'],
  ['netdev', 'gatewaydev'],
  ['gatewaydev', 'gatewaydev'],
  ['ip', 'ip'],
  ['script', 'script'],
  ['backend', 'backend_domname'],
  ['vifname', 'ifname'],
  ['model', 'model'],
];

const COLO_KEYS: ReadonlyArray<readonly [string, NicColoField]> = NIC_COLO_FIELDS.map(
  (f) => [f === 'coloft_forwarddev' ? 'forwarddev' : f, f] as const,
);

/** parse_ulong(): decimal, no digits or ULONG_MAX → message and exit 1. */
function parseUlong(env: NicParseEnv, s: string): bigint | undefined {
  const r = strtoul(s, 10);
  if (r.end === 0 || r.value === ULONG_MAX) {
    env.report(`xl: failed to convert "${s}" to number\n`);
    return undefined;
  }
  return r.value;
}

/**
 * `mac=`: six strtoul(…, 16) fields, each ≤ 255 after truncation to
 * unsigned int, separated by any single character. The C code steps over one
 * character after each field even at the end of the token, so a short MAC
 * reads on into whatever follows the token in memory; `following` is that
 * text (the rest of the config item after the token's delimiter, or the next
 * argv words) — beyond it the parse fails.
 */
function parseMac(value: string, following: string): string | undefined {
  const buf = `${value}\0${following}`;
  let at = 0;
  const bytes: number[] = [];
  for (let i = 0; i < 6; i++) {
    if (at > buf.length) return undefined;
    const r = strtoul(buf, 16, at);
    const v = toUint32(r.value);
    if (r.end === at || v > 255) return undefined;
    bytes.push(v);
    at = r.end + 1;
  }
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * parse_nic_config(): applies one token to `nic`.
 * @param following text after the token in the C buffer (see parseMac)
 */
export function parseNicToken(nic: DeviceNic, env: NicParseEnv, token: string, following = ''): NicTokenResult {
  const opt = (key: string): string | undefined => (token.startsWith(key + '=') ? token.slice(key.length + 1) : undefined);
  let v: string | undefined;
  if ((v = opt('type')) !== undefined) {
    if (v === 'vif') nic.nictype = 'vif';
    else if (v === 'ioemu') nic.nictype = 'vif_ioemu';
    else {
      env.report('Invalid parameter `type\'.\n');
      return { kind: 'bad' };
    }
    return { kind: 'ok' };
  }
  if ((v = opt('mac')) !== undefined) {
    const mac = parseMac(v, following);
    if (mac === undefined) {
      env.report('Invalid parameter `mac\'.\n');
      return { kind: 'bad' };
    }
    nic.mac = mac;
    return { kind: 'ok' };
  }
  for (const [key, field] of STRING_KEYS) {
    if ((v = opt(key)) !== undefined) {
      if (key === 'netdev') env.report('the netdev parameter is deprecated, please use gatewaydev instead\n');
      (nic as Record<string, unknown>)[field] = v;
      return { kind: 'ok' };
    }
  }
  if ((v = opt('rate')) !== undefined) {
    const r = xluVifParseRate(env.report, env.source, v);
    if (!r.ok) return { kind: 'exit', code: 1 };
    nic.rate_bytes_per_interval = r.rate.rate_bytes_per_interval;
    nic.rate_interval_usecs = r.rate.rate_interval_usecs;
    return { kind: 'ok' };
  }
  for (const [key, field] of COLO_KEYS) {
    if ((v = opt(key)) !== undefined) {
      nic[field] = v;
      return { kind: 'ok' };
    }
  }
  if (opt('accel') !== undefined) {
    env.report('the accel parameter for vifs is currently not supported\n');
    return { kind: 'ok' };
  }
  if ((v = opt('devid')) !== undefined || (v = opt('mtu')) !== undefined) {
    const isDevid = token.startsWith('devid=');
    const n = parseUlong(env, v);
    if (n === undefined) return { kind: 'exit', code: 1 };
    // both fields are C ints
    if (isDevid) nic.devid = toInt32(n);
    else nic.mtu = toInt32(n);
    return { kind: 'ok' };
  }
  if ((v = opt('vlan')) !== undefined) {
    nic.vlan = v;
    return { kind: 'ok' };
  }
  if (token === 'trusted') {
    nic.trusted = true;
    return { kind: 'ok' };
  }
  if (token === 'untrusted') {
    nic.trusted = false;
    return { kind: 'ok' };
  }
  env.report(`unrecognized argument \`${token}'\n`);
  return { kind: 'bad' };
}

/**
 * How a config file's vif item is cut: strtok(",") pieces with leading
 * spaces skipped, each with the text that follows it in the buffer.
 */
export function splitVifItem(item: string): Array<{ token: string; following: string }> {
  const out: Array<{ token: string; following: string }> = [];
  let at = 0;
  for (const piece of strtok(item, ',')) {
    const start = item.indexOf(piece, at);
    const end = start + piece.length;
    out.push({ token: skipSpaces(piece), following: item.slice(end + 1) });
    at = end;
  }
  return out;
}

/**
 * One `vif = [...]` item of a config file: defaults first, then every token;
 * bad tokens only print (their status is ignored, as in parse_config_data),
 * fatal ones are returned for the caller to exit with.
 */
export function parseVifItem(env: NicParseEnv, defaults: VifDefaults, item: string): { nic: DeviceNic; exitCode?: number } {
  const nic = newNicWithDefaults(defaults);
  for (const { token, following } of splitVifItem(item)) {
    const r = parseNicToken(nic, env, token, following);
    if (r.kind === 'exit') return { nic, exitCode: r.code };
  }
  return { nic };
}
