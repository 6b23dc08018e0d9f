// Typed refusals of a save file / migration stream. The reader never throws on
// input: every problem becomes one of these, carrying the text the real tool prints
// (xl's own message where xl has one, libxl's or libxc's log text where they
// would report it, otherwise an xlsim message) so the command layer only prints.

export type StreamErrorCode =
  /** EOF inside some item; `message` says which (xl/libxl/libxc wording). */
  | 'truncated'
  /** xl: the optional data is shorter than the config length it announces. */
  | 'savefile-truncated'
  | 'bad-magic'
  | 'bad-byteorder'
  | 'unsupported-mandatory-flags'
  /** xl header without the STREAMv2 flag: a pre-4.6 stream xlsim cannot convert. */
  | 'legacy-stream'
  /** libxl/libxc header fields: ident, marker, id, version, endianness, domain type, page size. */
  | 'bad-header'
  /** Record length above REC_LENGTH_MAX or impossible for its type. */
  | 'record-too-long'
  /** Mandatory record this layer does not know, or that this domain type does not take. */
  | 'unknown-record'
  /** Body inconsistent with its own length/fields. */
  | 'malformed-record'
  | 'batch-too-large'
  | 'pfn-out-of-range'
  | 'unknown-page-type'
  /** Record in a place the stream grammar does not allow. */
  | 'out-of-order'
  /** The stream ended (END) without a record it must carry. */
  | 'missing-record'
  | 'digest-mismatch'
  /** push()/finish() after the reader already failed or finished. */
  | 'reader-closed';

/** Which component of real Xen reports this (selects the log prefix the caller prints). */
export type StreamErrorOrigin = 'xl' | 'libxl' | 'xc' | 'xlsim';

export interface StreamError {
  readonly code: StreamErrorCode;
  readonly origin: StreamErrorOrigin;
  readonly message: string;
  /** Offset in the stream (from the first byte fed to the reader) of the offending item. */
  readonly offset: number;
  /**
   * EOF while xl itself reads the save header: xl then dies through CHK_ERRNOVAL
   * with `xl: fatal error: xl_vmcontrol.c:<line>: <xlFatal>` after libxl's message.
   */
  readonly xlFatal?: string;
}

export function streamError(
  code: StreamErrorCode,
  origin: StreamErrorOrigin,
  message: string,
  offset: number,
): StreamError {
  return { code, origin, message, offset };
}

/** Misuse of the writer API by the caller (a program bug, not bad input). */
export class StreamUsageError extends Error {
  override readonly name = 'StreamUsageError';
}

/** C's %#x for values up to 2^53 (pfns are 52-bit); 0 prints as "0" like glibc. */
export const hex = (n: number): string => (n === 0 ? '0' : '0x' + n.toString(16));
export const hex8 = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');
