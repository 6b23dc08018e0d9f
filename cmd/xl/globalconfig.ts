/**
 * xl.conf: twin of parse_global_config() in tools/xl/xl.c. Read on every
 * invocation before the command runs.
 */
import type { XlContext } from './context';

export interface XlGlobalConfig {
  autoballoon: 'on' | 'off' | 'auto';
  runHotplugScripts: boolean;
  lockfile: string;
  defaultVifScript?: string;
  defaultBridge?: string;
  defaultGatewaydev?: string;
  defaultBackend?: string;
  outputFormat: 'json' | 'sxp';
  blkdevStart?: string;
  claimMode: boolean;
  maxGrantFrames: number;
  maxMaptrackFrames: number;
  maxGrantVersion: number;
  vmCpumask?: string;
  vmHvmCpumask?: string;
  vmPvCpumask?: string;
  domidPolicy: 'xen' | 'random';
  bootloaderRestrict?: boolean;
  remusNetbufscript?: string;
  coloProxyscript?: string;
}

export function defaultGlobalConfig(): XlGlobalConfig {
  return {
    autoballoon: 'auto',
    runHotplugScripts: true,
    lockfile: '/var/lock/xl',
    outputFormat: 'json',
    claimMode: true,
    maxGrantFrames: -1,
    maxMaptrackFrames: -1,
    maxGrantVersion: -1,
    domidPolicy: 'xen',
  };
}

/** Placeholder until the config language lands: defaults only. */
export function loadGlobalConfig(_ctx: XlContext): XlGlobalConfig {
  return defaultGlobalConfig();
}
