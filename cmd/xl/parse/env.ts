/**
 * What every part of the config parser shares: the accessors, the config
 * under construction, xl's globals (xl.conf), stderr, and the exit path.
 */
import { Exit } from '../../io';
import type { XlContext } from '../context';
import type { XlGlobalConfig } from '../globalconfig';
import type { DomainConfig } from '../../../lib/libxl/types';
import type { Xlu } from './xlu';

/** Host facts the parser consults (libxl_get_physinfo / topology). */
export interface ParsePhysinfo {
  /** number of pCPUs (libxl_get_max_cpus) */
  nrCpus: number;
  /** pCPUs of each NUMA node */
  nodeCpus: number[][];
}

export interface ParseOptions {
  /** libxl_uuid_generate; defaults to crypto.randomUUID */
  /** undefined from it: leave the uuid unset (libxl draws it when it creates the domain) */
  randomUuid?: () => string | undefined;
  /** libxl_ms_vm_genid_generate: 16 random bytes */
  randomBytes?: (n: number) => number[];
  /**
   * libxl_get_physinfo + topology, asked for only when a key needs the host
   * (cpus, cpus_soft, vnuma, xl.conf CPU masks); default: DEFAULT_PHYSINFO
   */
  physinfo?: ParsePhysinfo | (() => ParsePhysinfo);
  /** called after "Failed to parse config", before the exit (for hints) */
  onSyntaxError?: () => void;
}

export interface ParseEnv {
  readonly ctx: XlContext;
  readonly g: XlGlobalConfig;
  readonly x: Xlu;
  readonly d: DomainConfig;
  readonly opts: ParseOptions;
  readonly physinfo: ParsePhysinfo;
  /** fprintf(stderr, ...) */
  err(s: string): void;
  /** exit(code) */
  exit(code: number): never;
}

/** the host facts, fetched at most once */
export function physinfoOf(opts: ParseOptions): () => ParsePhysinfo {
  let cached: ParsePhysinfo | undefined;
  return () => {
    const p = opts.physinfo;
    cached ??= typeof p === 'function' ? p() : (p ?? DEFAULT_PHYSINFO);
    return cached;
  };
}

export function makeEnv(ctx: XlContext, x: Xlu, d: DomainConfig, opts: ParseOptions): ParseEnv {
  const phys = physinfoOf(opts);
  return {
    ctx,
    g: ctx.globalConfig,
    x,
    d,
    opts,
    get physinfo() {
      return phys();
    },
    err: (s) => ctx.io.stderr.write(s),
    exit: (code) => {
      throw new Exit(code);
    },
  };
}

// The default host profile's shape (configs/hosts/default.ini), for callers without a host.
export const DEFAULT_PHYSINFO: ParsePhysinfo = { nrCpus: 8, nodeCpus: [[0, 1, 2, 3, 4, 5, 6, 7]] };

/** exit(-ERROR_FAIL) */
export const EXIT_ERROR_FAIL = 3;
