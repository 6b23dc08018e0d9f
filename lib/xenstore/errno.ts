/**
 * xenstored's answers are errno values (xs_wire.h's xsd_errors table);
 * libxenstore hands them to callers in errno. We return them as values.
 */

export type XsErrno = 'EINVAL' | 'EACCES' | 'EEXIST' | 'EISDIR' | 'ENOENT' | 'ENOMEM' | 'ENOSPC' | 'EIO' | 'ENOTEMPTY' | 'ENOSYS' | 'EROFS' | 'EBUSY' | 'EAGAIN' | 'EISCONN' | 'E2BIG' | 'EPERM';

/** glibc's strerror() for each, as err(3) prints it. */
export const XS_STRERROR: Record<XsErrno, string> = {
  EINVAL: 'Invalid argument',
  EACCES: 'Permission denied',
  EEXIST: 'File exists',
  EISDIR: 'Is a directory',
  ENOENT: 'No such file or directory',
  ENOMEM: 'Cannot allocate memory',
  ENOSPC: 'No space left on device',
  EIO: 'Input/output error',
  ENOTEMPTY: 'Directory not empty',
  ENOSYS: 'Function not implemented',
  EROFS: 'Read-only file system',
  EBUSY: 'Device or resource busy',
  EAGAIN: 'Resource temporarily unavailable',
  EISCONN: 'Transport endpoint is already connected',
  E2BIG: 'Argument list too long',
  EPERM: 'Operation not permitted',
};

/** A failed xenstore operation: the errno and the path it concerned. */
export class XsError {
  constructor(
    readonly errno: XsErrno,
    readonly path: string,
  ) {}
  get message(): string {
    return XS_STRERROR[this.errno];
  }
}

export function isXsError(x: unknown): x is XsError {
  return x instanceof XsError;
}
