/**
 * The public surface of state/: upper layers import from here.
 *
 *   withHost(env, fn, opts)     one command = one transaction on the current host
 *   openHost(env, opts)         a handle for commands that loop over short transactions
 *   createHost / listHosts / removeHost / useHost / hostExists
 *   registerEventHandler(kind, fn), setHostBoot(fn)   hooks for the upper layers
 *   Session, SessionClock, ...  what fn receives (session-types.ts)
 *   HostError                   a refusal to print as is (message) and exit with (exitCode)
 */
export * from './errors';
export * from './hooks';
export * from './session-types';
export { REC_CLOCK, REC_INFO, REC_PROFILE, REC_RNG, type HostInfo } from './hostsession';
export { withHost, withHostSync, openHost, ensureHost, onCommit, HostHandle, type WithHostOptions } from './host';
export { createHost, listHosts, removeHost, hostExists, useHost, peekHost, type HostSummary, type CreateHostOptions, type CreatedHost } from './hosts';
export { hostPaths, currentHostName, xlsimHome, isValidHostName, type Env, type HostPaths } from './paths';
