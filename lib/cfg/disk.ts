/**
 * Disk specifications (xl-disk-configuration(5)): the twin of xlu_disk_parse()
 * in tools/libs/util/libxlu_disk.c and the actions of libxlu_disk_l.l.
 *
 * Several argv words (`xl block-attach dom a b c`) feed one disk; the state
 * that carries between them (positional slot, "access given", "deprecated
 * prefix seen", first error) lives in DiskParseState. Each word is scanned
 * separately (disk-lexer.ts), and scanning stops after the first word that
 * produced an error.
 */
import type { DeviceDisk, DiskBackend, DiskFormat, DiskSpecification } from '../libxl/types';
import { atoi } from './cconv';
import { scanDiskSpec, type DiskToken } from './disk-lexer';
import type { ReportSink } from './report';

/**
 * On failure `exitCode` is what xl exits with: 1 (EXIT_FAILURE) for every
 * parse error, 2 when the generated flex scanner jams (it calls exit(2)
 * itself, after printing "flex scanner jammed").
 */
export type DiskParseResult = { ok: true; disk: DeviceDisk } | { ok: false; exitCode: number };

interface DiskParseState {
  report: ReportSink;
  source: string;
  /** the word being scanned (C: dpc->spec), quoted in every message */
  spec: string | undefined;
  err: boolean;
  jammed: boolean;
  accessSet: boolean;
  hadDeprPrefix: boolean;
  disk: DeviceDisk;
}

function diskErr(st: DiskParseState, erroneous: string | undefined, message: string): void {
  const near = erroneous !== undefined ? `: near \`${erroneous}'` : '';
  st.report(`${st.source}: config parsing error in disk specification: ${message}${near} in \`${st.spec ?? '(null)'}'\n`);
  st.err = true;
}

type StrField = 'backend_domname' | 'pdev_path' | 'vdev' | 'script' | 'colo_host' | 'colo_export' | 'active_disk' | 'hidden_disk';

/** A string may be given once; an empty first value may be replaced silently. */
function saveString(st: DiskParseState, what: string, field: StrField, value: string): void {
  const cur = st.disk[field];
  if (cur !== undefined && cur !== '') {
    diskErr(st, value, `${what} respecified`);
    return;
  }
  st.disk[field] = value;
}

/** An enum may be set again only to the same value. */
function setEnum<F extends 'format' | 'backend' | 'specification'>(st: DiskParseState, field: F, str: string, value: NonNullable<DeviceDisk[F]>): void {
  const cur = st.disk[field];
  if (cur !== undefined && cur !== 'unknown' && cur !== value) {
    diskErr(st, str, `${field} respecified`);
    return;
  }
  (st.disk as Record<F, unknown>)[field] = value;
}

const FORMATS: Record<string, DiskFormat> = { '': 'raw', raw: 'raw', qcow: 'qcow', qcow2: 'qcow2', vhd: 'vhd', empty: 'empty', qed: 'qed' };
const BACKENDS: Record<string, DiskBackend> = { phy: 'phy', tap: 'tap', qdisk: 'qdisk', standalone: 'standalone' };
const SPECIFICATIONS: Record<string, DiskSpecification> = { xen: 'xen', virtio: 'virtio' };

function lookup<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

function setFormat(st: DiskParseState, str: string): void {
  const f = lookup(FORMATS, str);
  if (f === undefined) diskErr(st, str, 'unknown value for format');
  else setEnum(st, 'format', str, f);
}

function setAccess(st: DiskParseState, str: string): void {
  if (str === 'r' || str === 'ro') st.disk.readwrite = 0;
  else if (str === 'rw' || str === 'w' || str === '') st.disk.readwrite = 1;
  else diskErr(st, str, 'unknown value for access');
}

/** `vdev:cdrom` / `vdev:disk` in a positional slot; false when there is no colon. */
function vdevAndDevtype(st: DiskParseState, str: string): boolean {
  const colon = str.lastIndexOf(':');
  if (colon < 0) return false;
  saveString(st, 'vdev', 'vdev', str.slice(0, colon));
  const type = str.slice(colon + 1);
  if (type === 'cdrom') st.disk.is_cdrom = 1;
  else if (type === 'disk') st.disk.is_cdrom = 0;
  else diskErr(st, type, 'unknown deprecated type');
  return true;
}

const stripComma = (t: string): string => (t.endsWith(',') ? t.slice(0, -1) : t);
const fromEquals = (t: string): string => t.slice(t.indexOf('=') + 1);

function positional(st: DiskParseState, text: string): boolean {
  const d = st.disk;
  if (st.err) {
    // an earlier error in this word: later positionals would only add noise
  } else if (d.pdev_path === undefined) {
    saveString(st, 'target', 'pdev_path', text);
  } else if (!st.hadDeprPrefix && (d.format === undefined || d.format === 'unknown')) {
    if (d.pdev_path === '' && vdevAndDevtype(st, text)) d.format = 'empty';
    else setFormat(st, text);
  } else if (d.vdev === undefined) {
    if (!vdevAndDevtype(st, text)) saveString(st, 'vdev', 'vdev', text);
  } else if (!st.accessSet) {
    st.accessSet = true;
    setAccess(st, text);
  } else {
    diskErr(st, text, 'too many positional parameters');
    return false;
  }
  return true;
}

function action(st: DiskParseState, tok: DiskToken): boolean {
  const d = st.disk;
  const t = tok.text;
  switch (tok.kind) {
    case 'ws':
      return true;
    case 'format':
      setFormat(st, fromEquals(stripComma(t)));
      return true;
    case 'cdrom':
    case 'devtype-cdrom':
      d.is_cdrom = 1;
      return true;
    case 'devtype-disk':
      d.is_cdrom = 0;
      return true;
    case 'devtype-bad':
      diskErr(st, t, 'unknown value for type');
      return true;
    case 'access':
      setAccess(st, fromEquals(stripComma(t)));
      return true;
    case 'backend':
      saveString(st, 'backend', 'backend_domname', fromEquals(stripComma(t)));
      return true;
    case 'backendtype': {
      const v = fromEquals(stripComma(t));
      const b = lookup(BACKENDS, v);
      if (b === undefined) diskErr(st, v, 'unknown value for backendtype');
      else setEnum(st, 'backend', v, b);
      return true;
    }
    case 'specification': {
      const v = fromEquals(stripComma(t));
      const sp = lookup(SPECIFICATIONS, v);
      if (sp === undefined) diskErr(st, v, 'unknown value for specification');
      else setEnum(st, 'specification', v, sp);
      return true;
    }
    case 'vdev':
      saveString(st, 'vdev', 'vdev', fromEquals(stripComma(t)));
      return true;
    case 'script':
      saveString(st, 'script', 'script', fromEquals(stripComma(t)));
      return true;
    case 'direct-io-safe':
      d.direct_io_safe = true;
      return true;
    case 'discard':
      d.discard_enable = true;
      return true;
    case 'no-discard':
      d.discard_enable = false;
      return true;
    case 'colo':
      d.colo_enable = true;
      return true;
    case 'no-colo':
      d.colo_enable = false;
      return true;
    case 'colo-host':
      saveString(st, 'colo-host', 'colo_host', fromEquals(stripComma(t)));
      return true;
    case 'colo-port': {
      const v = fromEquals(stripComma(t));
      const port = atoi(v);
      if (port) d.colo_port = port;
      else diskErr(st, v, 'unknown value for colo_port');
      return true;
    }
    case 'colo-export':
      saveString(st, 'colo-export', 'colo_export', fromEquals(stripComma(t)));
      return true;
    case 'active-disk':
      saveString(st, 'active-disk', 'active_disk', fromEquals(stripComma(t)));
      return true;
    case 'hidden-disk':
      saveString(st, 'hidden-disk', 'hidden_disk', fromEquals(stripComma(t)));
      return true;
    case 'trusted':
      d.trusted = true;
      return true;
    case 'untrusted':
      d.trusted = false;
      return true;
    case 'grant-usage-1':
      d.grant_usage = true;
      return true;
    case 'grant-usage-0':
      d.grant_usage = false;
      return true;
    case 'target':
      saveString(st, 'target', 'pdev_path', fromEquals(stripComma(t)));
      return true;
    case 'unknown-param':
      diskErr(st, t, 'unknown parameter');
      return true;
    case 'prefix-format':
      st.hadDeprPrefix = true;
      setFormat(st, t.slice(0, -1));
      return true;
    case 'prefix-script':
      st.hadDeprPrefix = true;
      saveString(st, 'script', 'script', `block-${t.slice(0, -1)}`);
      return true;
    case 'prefix-ignored':
      st.hadDeprPrefix = true;
      return true;
    case 'prefix-unknown':
      diskErr(st, t, 'unknown deprecated disk prefix');
      return false;
    case 'positional':
      return positional(st, stripComma(t));
    case 'lexerr':
      diskErr(st, t, 'bad disk syntax');
      return false;
    case 'jam':
      st.report('flex scanner jammed\n');
      st.jammed = true;
      return false;
  }
}

/**
 * xlu_disk_parse(): parses the words of one disk spec into a fresh
 * libxl_device_disk. Every diagnostic goes to `report` as
 * `<source>: config parsing error in disk specification: <msg>[: near `<text>'] in `<spec>'`
 * (source = the config file name, or "command line" for block-attach).
 * On failure xl exits with status 1 (parse_disk_config_multistring).
 */
export function xluDiskParse(report: ReportSink, source: string, specs: readonly string[]): DiskParseResult {
  const st: DiskParseState = {
    report,
    source,
    spec: undefined,
    err: false,
    jammed: false,
    accessSet: false,
    hadDeprPrefix: false,
    disk: { readwrite: 1 },
  };
  for (const spec of specs) {
    st.spec = spec;
    scanDiskSpec(spec, (tok) => action(st, tok));
    if (st.jammed) return { ok: false, exitCode: 2 };
    if (st.err) return { ok: false, exitCode: 1 };
  }
  const d = st.disk;
  if (d.format === undefined || d.format === 'unknown') d.format = 'raw';
  if (d.is_cdrom) {
    d.removable = 1;
    d.readwrite = 0;
    if (d.pdev_path === undefined || d.pdev_path === '') d.format = 'empty';
  }
  if (d.vdev === undefined) {
    diskErr(st, undefined, 'no vdev specified');
    return { ok: false, exitCode: 1 };
  }
  if (d.pdev_path === undefined && !d.removable) {
    diskErr(st, undefined, 'no target specified (and device not removable)');
    return { ok: false, exitCode: 1 };
  }
  return { ok: true, disk: normalizeDisk(d) };
}

/** Drops the fields whose value is the IDL default, so "absent = default" holds. */
function normalizeDisk(d: DeviceDisk): DeviceDisk {
  const out: DeviceDisk = { ...d };
  if (out.readwrite === 0) delete out.readwrite;
  if (out.is_cdrom === 0) delete out.is_cdrom;
  return out;
}
