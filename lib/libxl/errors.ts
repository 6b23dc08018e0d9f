/**
 * libxl's error codes (libxl_types.idl, libxl_error). xl prints them as
 * numbers ("destroy failed (rc=-21)") and create negates them for its exit
 * status, so the values are part of the observable behaviour.
 */
export const ERROR_NONSPECIFIC = -1;
export const ERROR_FAIL = -3;
export const ERROR_NI = -4;
export const ERROR_NOMEM = -5;
export const ERROR_INVAL = -6;
export const ERROR_GUEST_TIMEDOUT = -8;
export const ERROR_TIMEDOUT = -9;
export const ERROR_NOPARAVIRT = -10;
export const ERROR_NOT_READY = -11;
export const ERROR_LOCK_FAIL = -15;
export const ERROR_JSON_CONFIG_EMPTY = -16;
export const ERROR_DEVICE_EXISTS = -17;
export const ERROR_DOMAIN_NOTFOUND = -21;
export const ERROR_ABORTED = -22;
export const ERROR_NOTFOUND = -23;
/** QEMU answered a QMP command with GenericError */
export const ERROR_QMP_GENERIC_ERROR = -28;

/** 0 on success, else one of the ERROR_* values */
export type LibxlRc = number;
