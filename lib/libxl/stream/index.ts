// Save-file and migration-stream format (xl header, libxl v2, libxc v3 with xlsim's
// page tokens). Pure: bytes in, bytes out; no I/O, no state, no hypercalls.
export * from './format';
export * from './errors';
export * from './digest';
export * from './memory';
export * from './xl-header';
export * from './writer';
export * from './events';
export * from './reader';
export * from './blobs';
export * from './compose';
export { PAGE_DATA_MAX_LENGTH } from './xc-records';
