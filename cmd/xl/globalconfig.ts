/**
 * xl.conf: twin of parse_global_config() and its caller in main() of
 * tools/xl/xl.c. Read on every invocation before the command runs.
 *
 * The host's xl.conf (hostPaths().xlConf) stands for /etc/xen/xl.conf and is
 * named by its real path in messages, so a user can find the file to fix.
 */
import { Exit } from '../io';
import type { XlContext } from './context';
import { hostPaths } from '../../state/paths';
import {
  INT_MAX,
  cfgStrerror,
  xluCfgGetBoundedLong,
  xluCfgGetDefbool,
  xluCfgGetLongBigint,
  xluCfgGetString,
  xluCfgInit,
  xluCfgReplaceString,
  type XluConfig,
} from '../../lib/cfg/config';
import { toInt32 } from '../../lib/cfg/cconv';
import { CpuMap, parseCpurange, type HostTopology } from '../../lib/cfg/cpulist';
import { readFileContents } from './parse/readfile';
import { strerror } from './parse/strerror';

export interface XlGlobalConfig {
  /** 'auto' is resolved against the Xen command line by autoAutoballoon() */
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
  /** -1: not set (xl's int default) */
  maxGrantFrames: number;
  maxMaptrackFrames: number;
  maxGrantVersion: number;
  /** CPULIST strings; undefined means "all CPUs" (libxl_bitmap_set_any) */
  vmCpumask?: string;
  vmHvmCpumask?: string;
  vmPvCpumask?: string;
  domidPolicy: 'xen' | 'random';
  /** undefined: libxl's default (the defbool was never set) */
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

/**
 * auto_autoballoon(): "auto" means balloon dom0 unless the hypervisor was
 * booted with a dom0_mem= that xl recognises (the regex of xl.c, POSIX ERE;
 * only whether it matches matters, so a JS regex gives the same verdict).
 */
export function autoAutoballoon(xenCommandline: string): boolean {
  const size = '-?[0-9]+[bBkKmMgGtT]?';
  const re = new RegExp(`(^| )dom0_mem=((|min:|max:)(${size}|(${size}\\+)?[0-9]{1,2}%),?)+($| )`);
  return !re.test(xenCommandline);
}

// Only the messages of parse_cpurange() matter at start-up (the strings are
// kept and applied at create time), and they do not depend on the host.
const SYNTAX_ONLY_TOPOLOGY: HostTopology = { nrCpus: 8, cpusOfNode: [[0, 1, 2, 3, 4, 5, 6, 7]] };

function checkCpumask(ctx: XlContext, mask: string): void {
  parseCpurange((s) => ctx.io.stderr.write(s), SYNTAX_ONLY_TOPOLOGY, mask, CpuMap.forHost(SYNTAX_ONLY_TOPOLOGY));
}

/** main(): read the file (a missing one is reported, then treated as empty) and parse it. */
export function loadGlobalConfig(ctx: XlContext): XlGlobalConfig {
  const path = hostPaths(ctx.io.env).xlConf;
  const r = readFileContents(ctx.logger, path);
  let data: Uint8Array = new Uint8Array(0);
  if (r.ok) data = r.data;
  else ctx.io.stderr.write(`Failed to read config file: ${path}: ${strerror(r.errno)}\n`);
  return parseGlobalConfig(ctx, path, data);
}

/** parse_global_config(): every key, in xl's order (the order of its messages). */
export function parseGlobalConfig(ctx: XlContext, source: string, data: string | Uint8Array): XlGlobalConfig {
  const err = (s: string) => ctx.io.stderr.write(s);
  const g = defaultGlobalConfig();
  const config: XluConfig = xluCfgInit(err, source);
  const rd = config.readData(data);
  if (!rd.ok) {
    err(`Failed to parse config file: ${cfgStrerror(rd.errno)}\n`);
    throw new Exit(1);
  }
  const str = (key: string) => {
    const v = xluCfgGetString(config, key, false);
    return v.ok ? v.value : undefined;
  };
  // xl stores these longs in C ints
  const int = (key: string) => {
    const v = xluCfgGetLongBigint(config, key, false);
    return v.ok ? toInt32(v.value) : undefined;
  };

  const ab = str('autoballoon');
  if (ab !== undefined) {
    if (ab === 'on' || ab === '1') g.autoballoon = 'on';
    else if (ab === 'off' || ab === '0') g.autoballoon = 'off';
    else if (ab === 'auto') g.autoballoon = 'auto';
    else err('invalid autoballoon option');
  }

  const hotplug = int('run_hotplug_scripts');
  if (hotplug !== undefined) g.runHotplugScripts = hotplug !== 0;

  g.lockfile = str('lockfile') ?? '/var/lock/xl';

  const vifscript = str('vifscript');
  if (vifscript !== undefined) {
    err('the global config option vifscript is deprecated, please switch to vif.default.script\n');
    g.defaultVifScript = vifscript;
  }
  g.defaultVifScript = str('vif.default.script') ?? g.defaultVifScript;

  const bridge = str('defaultbridge');
  if (bridge !== undefined) {
    err('the global config option defaultbridge is deprecated, please switch to vif.default.bridge\n');
    g.defaultBridge = bridge;
  }
  g.defaultBridge = str('vif.default.bridge') ?? g.defaultBridge;

  const gatewaydev = str('vif.default.gatewaydev');
  if (gatewaydev !== undefined) g.defaultGatewaydev = gatewaydev;
  const backend = str('vif.default.backend');
  if (backend !== undefined) g.defaultBackend = backend;

  const fmt = str('output_format');
  if (fmt !== undefined) {
    if (fmt === 'json') g.outputFormat = 'json';
    else if (fmt === 'sxp') g.outputFormat = 'sxp';
    else err(`invalid default output format "${fmt}"\n`);
  }

  const blkdev = str('blkdev_start');
  if (blkdev !== undefined) g.blkdevStart = blkdev;

  const claim = int('claim_mode');
  if (claim !== undefined) g.claimMode = claim !== 0;

  const netbuf = xluCfgReplaceString(config, 'remus.default.netbufscript', false);
  if (netbuf.ok) g.remusNetbufscript = netbuf.value;
  const proxy = xluCfgReplaceString(config, 'colo.default.proxyscript', false);
  if (proxy.ok) g.coloProxyscript = proxy.value;

  // a bad value here ends xl silently (dont_warn, then exit(1))
  const grant = (key: string): number | undefined => {
    const v = xluCfgGetBoundedLong(config, key, 0, INT_MAX, true);
    if (v.ok) return v.value;
    if (v.errno !== 'ESRCH') throw new Exit(1);
    return undefined;
  };
  g.maxGrantFrames = grant('max_grant_frames') ?? g.maxGrantFrames;
  g.maxMaptrackFrames = grant('max_maptrack_frames') ?? g.maxMaptrackFrames;
  g.maxGrantVersion = grant('max_grant_version') ?? g.maxGrantVersion;

  g.vmCpumask = str('vm.cpumask');
  if (g.vmCpumask !== undefined) checkCpumask(ctx, g.vmCpumask);
  g.vmHvmCpumask = str('vm.hvm.cpumask');
  if (g.vmHvmCpumask !== undefined) checkCpumask(ctx, g.vmHvmCpumask);
  g.vmPvCpumask = str('vm.pv.cpumask');
  if (g.vmPvCpumask !== undefined) checkCpumask(ctx, g.vmPvCpumask);

  const domid = str('domid_policy');
  if (domid !== undefined) {
    if (domid === 'xen') g.domidPolicy = 'xen';
    else if (domid === 'random') g.domidPolicy = 'random';
    else err('invalid domid_policy option');
  }

  const restrict = xluCfgGetDefbool(config, 'bootloader_restrict', false);
  if (restrict.ok) g.bootloaderRestrict = restrict.value;

  return g;
}
