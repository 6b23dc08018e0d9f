/**
 * Errno values crossing the hypercall surface. Xen returns negative errno;
 * here a failed call is a typed value `{ ok: false, errno }` with the
 * positive Linux number, which libxl maps to its codes and to strerror text.
 */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  ENOMEM: 12,
  EBUSY: 16,
  EEXIST: 17,
  EINVAL: 22,
  ENOSPC: 28,
  ENOSYS: 38,
  EOVERFLOW: 75,
  EOPNOTSUPP: 95,
} as const;

export type ErrnoName = keyof typeof ERRNO;

/** glibc strerror() texts, for libxl/xl messages that append them */
export const STRERROR: Record<ErrnoName, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  ENOMEM: 'Cannot allocate memory',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  EINVAL: 'Invalid argument',
  ENOSPC: 'No space left on device',
  ENOSYS: 'Function not implemented',
  EOVERFLOW: 'Value too large for defined data type',
  EOPNOTSUPP: 'Operation not supported',
};

export interface XenErr {
  ok: false;
  errno: ErrnoName;
  /** what Xen's own log would say (dprintk/gdprintk); also appended to the ring when visible */
  why?: string;
}
export interface XenOk<T> {
  ok: true;
  value: T;
}
export type XenResult<T = void> = XenOk<T> | XenErr;

export function ok(): XenOk<void>;
export function ok<T>(value: T): XenOk<T>;
export function ok<T>(value?: T): XenOk<T | undefined> {
  return { ok: true, value };
}

export function err(errno: ErrnoName, why?: string): XenErr {
  return why === undefined ? { ok: false, errno } : { ok: false, errno, why };
}

export function errnoNumber(e: ErrnoName): number {
  return ERRNO[e];
}
