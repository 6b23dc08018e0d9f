/**
 * Why a host cannot be used. The message is one stderr-ready line (no
 * trailing newline) that front ends print as is, then exit with `exitCode`:
 * a database problem is the user's to fix, never a stack trace.
 */

export type HostErrorKind =
  | 'newer' // written by a newer xlsim
  | 'foreign' // not an xlsim host database
  | 'corrupt' // SQLite says the file is damaged
  | 'missing' // no such host
  | 'exists' // host create of a name in use
  | 'name' // not a valid host name
  | 'profile' // the host profile is invalid
  | 'busy' // the lock stayed taken
  | 'io'; // the file system refused

export class HostError extends Error {
  readonly exitCode = 1;
  constructor(
    readonly kind: HostErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

export function isHostError(e: unknown): e is HostError {
  return e instanceof HostError;
}

interface SqliteLikeError {
  code?: unknown;
  message?: unknown;
}

/** SQLITE_CORRUPT*, SQLITE_NOTADB: the file is damaged or not a database. */
export function isCorruptionError(e: unknown): boolean {
  const code = (e as SqliteLikeError | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

export function isBusyError(e: unknown): boolean {
  const code = (e as SqliteLikeError | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** The file system refused: read-only, full, vanished, or an I/O error. */
export function isIoError(e: unknown): boolean {
  const code = (e as SqliteLikeError | null)?.code;
  return typeof code === 'string' && /^SQLITE_(READONLY|CANTOPEN|IOERR|FULL|PERM|AUTH)/.test(code);
}

export function ioError(hostName: string, file: string, e: unknown): HostError {
  const why = e instanceof Error ? e.message : String(e);
  return new HostError('io', `xlsim: host '${hostName}': cannot use ${file}: ${why}`);
}

/** A SQLite failure as the user should see it, or the error unchanged. */
export function translateDbError(hostName: string, file: string, e: unknown): unknown {
  if (isCorruptionError(e)) return corruptError(hostName, file, e);
  if (isIoError(e)) return ioError(hostName, file, e);
  return e;
}

export function corruptError(hostName: string, file: string, e: unknown): HostError {
  const why = e instanceof Error ? e.message : String(e);
  return new HostError('corrupt', `xlsim: host '${hostName}': ${file} is corrupted (${why}); refusing to use it`);
}
