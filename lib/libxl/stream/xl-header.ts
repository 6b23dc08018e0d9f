// The xl save-file header (tools/xl/xl.h struct save_file_header and the optional
// data that follows it), written by `xl save` / `xl migrate` and checked by
// create_domain() when restoring. Checks run in xl's order, so the caller can print
// "Loading new save file ..." exactly when xl does: after magic and byte order,
// before the mandatory-flags check.

import { streamError, type StreamError } from './errors';
import {
  XL_BYTEORDER_VALUE,
  XL_HEADER_SIZE,
  XL_MAGIC,
  XL_MANDATORY_FLAG_ALL,
  XL_MANDATORY_FLAG_JSON,
  XL_MANDATORY_FLAG_STREAMV2,
} from './format';

export interface XlHeaderInfo {
  readonly mandatoryFlags: number;
  readonly optionalFlags: number;
  readonly optionalDataLen: number;
}

export interface XlConfig {
  /** Config bytes as stored (for JSON: the text and its terminating NUL). */
  readonly data: Buffer;
  /** XL_MANDATORY_FLAG_JSON set: the config is libxl_domain_config JSON, else xl config text. */
  readonly json: boolean;
  /** The config as text, up to the first NUL. */
  readonly text: string;
}

/**
 * The header and optional data for a save file. `config` is the JSON text (a NUL is
 * appended as xl does); null writes no config (xl's " Savefile will not contain xl
 * domain config" case: flags STREAMv2 only, optional data = a zero length word).
 */
export function writeSaveHeader(config: string | Buffer | null): { bytes: Buffer; info: XlHeaderInfo } {
  let cfg: Buffer;
  if (config === null) cfg = Buffer.alloc(0);
  else {
    const body = typeof config === 'string' ? Buffer.from(config, 'utf8') : config;
    cfg = body.length && body[body.length - 1] === 0 ? body : Buffer.concat([body, Buffer.alloc(1)]);
  }
  const optLen = 4 + cfg.length;
  const mandatory = XL_MANDATORY_FLAG_STREAMV2 | (cfg.length ? XL_MANDATORY_FLAG_JSON : 0);
  const out = Buffer.alloc(XL_HEADER_SIZE + optLen);
  XL_MAGIC.copy(out, 0);
  out.writeUInt32LE(XL_BYTEORDER_VALUE, 32);
  out.writeUInt32LE(mandatory, 36);
  out.writeUInt32LE(0, 40);
  out.writeUInt32LE(optLen, 44);
  out.writeUInt32LE(cfg.length, 48);
  cfg.copy(out, 52);
  return { bytes: out, info: { mandatoryFlags: mandatory, optionalFlags: 0, optionalDataLen: optLen } };
}

/** `"Saving to %s new xl format (info 0x%x/0x%x/%u)"` — for the caller's stderr line. */
export function savingMessage(target: string, info: XlHeaderInfo): string {
  return `Saving to ${target} new xl format (info 0x${info.mandatoryFlags.toString(16)}/0x${info.optionalFlags.toString(16)}/${info.optionalDataLen})`;
}

/** `"Loading new save file %s (new xl fmt info 0x%x/0x%x/%u)"`. */
export function loadingMessage(source: string, info: XlHeaderInfo): string {
  return `Loading new save file ${source} (new xl fmt info 0x${info.mandatoryFlags.toString(16)}/0x${info.optionalFlags.toString(16)}/${info.optionalDataLen})`;
}

/** `" Savefile contains xl domain config%s"`. */
export function containsConfigMessage(info: XlHeaderInfo): string {
  return ` Savefile contains xl domain config${info.mandatoryFlags & XL_MANDATORY_FLAG_JSON ? ' in JSON format' : ''}`;
}

/** strerror(EPROTO) and the stringified CHK_ERRNOVAL argument of create_domain()'s reads. */
export const XL_FATAL_HEADER = 'Protocol error: libxl_read_exactly( ctx, restore_fd, &hdr, sizeof(hdr), restore_source, "header")';
export const XL_FATAL_OPTDATA =
  'Protocol error: libxl_read_exactly( ctx, restore_fd, optdata_begin, hdr.optional_data_len, restore_source, "optdata")';

/** libxl_read_exactly's EOF text. */
export function truncatedReading(what: string, source: string): string {
  return `file/stream truncated reading ${what} from ${source}`;
}

/** The 48 fixed bytes: magic, byte order (the info is returned even when flags are bad). */
export function checkXlFixedHeader(
  b: Buffer,
): { ok: true; info: XlHeaderInfo; flagsError: StreamError | null } | { ok: false; error: StreamError } {
  if (!b.subarray(0, 32).equals(XL_MAGIC)) {
    return { ok: false, error: streamError('bad-magic', 'xl', 'File has wrong magic number - corrupt or for a different tool?', 0) };
  }
  if (b.readUInt32LE(32) !== XL_BYTEORDER_VALUE) {
    return { ok: false, error: streamError('bad-byteorder', 'xl', 'File has wrong byte order', 32) };
  }
  const info: XlHeaderInfo = {
    mandatoryFlags: b.readUInt32LE(36),
    optionalFlags: b.readUInt32LE(40),
    optionalDataLen: b.readUInt32LE(44),
  };
  const bad = (info.mandatoryFlags & ~XL_MANDATORY_FLAG_ALL) >>> 0;
  let flagsError: StreamError | null = null;
  if (bad) {
    flagsError = streamError(
      'unsupported-mandatory-flags',
      'xl',
      `Savefile has mandatory flag(s) 0x${bad.toString(16)} which are not supported; need newer xl`,
      36,
    );
  } else if (!(info.mandatoryFlags & XL_MANDATORY_FLAG_STREAMV2)) {
    // Real xl hands such a file to libxl's legacy conversion helper (a python
    // script converting the pre-4.6 format); there is no such format in xlsim.
    flagsError = streamError('legacy-stream', 'xlsim', 'legacy (pre-v2) save stream: conversion is not supported by xlsim', 36);
  }
  return { ok: true, info, flagsError };
}

/** The optional data: u32 config length then the config; any tail is ignored, as xl does. */
export function parseXlOptData(
  opt: Buffer,
  info: XlHeaderInfo,
  offset: number,
): { ok: true; config: XlConfig | null } | { ok: false; error: StreamError } {
  if (opt.length === 0) return { ok: true, config: null };
  const truncated = streamError('savefile-truncated', 'xl', 'Savefile truncated.', offset);
  if (opt.length < 4) return { ok: false, error: truncated };
  const len = opt.readUInt32LE(0);
  if (len > opt.length - 4) return { ok: false, error: truncated };
  if (len === 0) return { ok: true, config: null };
  const data = opt.subarray(4, 4 + len);
  const nul = data.indexOf(0);
  return {
    ok: true,
    config: {
      data,
      json: (info.mandatoryFlags & XL_MANDATORY_FLAG_JSON) !== 0,
      text: data.subarray(0, nul < 0 ? data.length : nul).toString('utf8'),
    },
  };
}

export type SaveHeaderResult =
  | { ok: true; info: XlHeaderInfo; config: XlConfig | null; consumed: number }
  /** `info` is present when xl would already have printed its "Loading ..." line. */
  | { ok: false; error: StreamError; info?: XlHeaderInfo };

/** Reads the xl header from the start of a save file held in `buf` (may hold more). */
export function readSaveHeader(buf: Buffer, source = '<stream>'): SaveHeaderResult {
  if (buf.length < XL_HEADER_SIZE) {
    return { ok: false, error: { ...streamError('truncated', 'libxl', truncatedReading('header', source), 0), xlFatal: XL_FATAL_HEADER } };
  }
  const fixed = checkXlFixedHeader(buf);
  if (!fixed.ok) return fixed;
  const { info } = fixed;
  if (fixed.flagsError) return { ok: false, error: fixed.flagsError, info };
  const end = XL_HEADER_SIZE + info.optionalDataLen;
  if (buf.length < end) {
    return {
      ok: false,
      error: { ...streamError('truncated', 'libxl', truncatedReading('optdata', source), XL_HEADER_SIZE), xlFatal: XL_FATAL_OPTDATA },
      info,
    };
  }
  const opt = parseXlOptData(buf.subarray(XL_HEADER_SIZE, end), info, XL_HEADER_SIZE);
  if (!opt.ok) return { ok: false, error: opt.error, info };
  return { ok: true, info, config: opt.config, consumed: end };
}
