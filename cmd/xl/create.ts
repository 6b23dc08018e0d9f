/**
 * `xl create`: twin of main_create() and the front half of create_domain()
 * in tools/xl/xl_vmcontrol.c — argument handling, assembling the config
 * text (file + command-line overrides), parsing it, applying xl.conf's
 * affinity masks and the dry-run / debug print. Building the domain on the
 * simulated host happens in createDomainOnHost().
 */
import { ERROR_FAIL, ERROR_INVAL } from '../../lib/libxl/errors';
import type { LongOption } from '../../lib/util/getopt';
import type { XlContext } from './context';
import { commandHelp } from './help';
import { switchForeachOpt } from './opts';
import { parseConfigData, type ParseOptions } from './parse/index';
import { applyGlobalAffinityMasks } from './parse/affinity';
import { printDomainConfig } from './parse/print';
import { readFileContents } from './parse/readfile';
import { physinfoOf, type ParsePhysinfo } from './parse/env';
import { strerror } from './parse/strerror';
import type { DomainConfig } from '../../lib/libxl/types';
import { hint } from './parse/hint';

// libxl error codes that create_domain returns and main_create negates

export interface CreateOptions {
  configFile?: string;
  consoleAutoconnect: boolean;
  debug: boolean;
  daemonize: boolean;
  ignoreGlobalAffinityMasks: boolean;
  monitor: boolean;
  paused: boolean;
  quiet: boolean;
  vnc: boolean;
  vncAutopass: boolean;
  /** key=value arguments, each followed by "\n" */
  extraConfig: string;
}

const CREATE_LONGOPTS: LongOption[] = [
  { name: 'defconfig', hasArg: 1, val: 'f' },
  { name: 'dryrun', hasArg: 0, val: 'n' },
  { name: 'ignore-global-affinity-masks', hasArg: 0, val: 'i' },
  { name: 'quiet', hasArg: 0, val: 'q' },
  { name: 'vncviewer', hasArg: 0, val: 'V' },
  { name: 'vncviewer-autopass', hasArg: 0, val: 'A' },
];

/** Config text exactly as create_domain hands it to the parser. */
export function assembleConfig(file: Buffer, extra: string): Buffer {
  if (!extra) return file;
  return Buffer.concat([file, Buffer.from(`\n${extra}\n`, 'latin1')]);
}

export async function mainCreate(ctx: XlContext, argv: string[], parseOpts: ParseOptions = {}): Promise<number> {
  const o: CreateOptions = {
    consoleAutoconnect: false,
    debug: false,
    daemonize: true,
    ignoreGlobalAffinityMasks: false,
    monitor: true,
    paused: false,
    quiet: false,
    vnc: false,
    vncAutopass: false,
    extraConfig: '',
  };
  let args = argv.slice(1);
  const first = args[0];
  if (first !== undefined && !first.startsWith('-') && !first.includes('=')) {
    o.configFile = first;
    args = args.slice(1);
  }
  const p = switchForeachOpt(ctx, args, 'AFVcdef:inpq', CREATE_LONGOPTS, 'create', 0);
  for (const { opt, arg } of p.opts) {
    switch (opt) {
      case 'A':
        o.vnc = o.vncAutopass = true;
        break;
      case 'F':
        o.daemonize = false;
        break;
      case 'V':
        o.vnc = true;
        break;
      case 'c':
        o.consoleAutoconnect = true;
        break;
      case 'd':
        o.debug = true;
        break;
      case 'e':
        o.daemonize = false;
        o.monitor = false;
        break;
      case 'f':
        o.configFile = arg;
        break;
      case 'i':
        o.ignoreGlobalAffinityMasks = true;
        break;
      case 'n':
        ctx.dryrun = true;
        break;
      case 'p':
        o.paused = true;
        break;
      case 'q':
        o.quiet = true;
        break;
    }
  }
  for (const a of p.args) {
    if (a.includes('=')) {
      o.extraConfig += a + '\n';
    } else if (o.configFile === undefined) {
      o.configFile = a;
    } else {
      ctx.io.stdout.write(commandHelp('create'));
      return 2;
    }
  }
  const rc = await createDomain(ctx, o, parseOpts);
  return rc < 0 ? -rc : 0;
}

/** The part of create_domain() up to the dry-run print; returns a libxl rc. */
async function createDomain(ctx: XlContext, o: CreateOptions, parseOpts: ParseOptions): Promise<number> {
  if (o.configFile === undefined) {
    ctx.io.stderr.write('Config file not specified and none in save file\n');
    return ERROR_INVAL;
  }
  const source = o.configFile;
  let data: Buffer;
  if (source === '/dev/null') {
    data = Buffer.alloc(0);
  } else {
    const r = readFileContents(ctx.logger, source);
    if (!r.ok) {
      ctx.io.stderr.write(`Failed to read config file: ${source}: ${strerror(r.errno)}\n`);
      return ERROR_FAIL;
    }
    data = r.data;
  }
  data = assembleConfig(data, o.extraConfig);
  if (!o.quiet) ctx.io.stderr.write(`Parsing config from ${source}\n`);

  // A real create needs the simulated host; a dry run only when a key asks
  // about the host's CPUs (the host's code is then loaded, not before: it is
  // most of what a dry run would otherwise initialise).
  if (!ctx.dryrun || (parseOpts.physinfo === undefined && mayAskHost(ctx, data))) await loadSession();
  // one lazy look at the host, shared by the parser and the global masks
  const physinfo = physinfoOf({ physinfo: parseOpts.physinfo ?? (() => hostPhysinfo(ctx)) });
  // A real create takes the uuid from the host's seeded generator (same
  // seed, same uuids): libxl draws it inside the create transaction, unless
  // -d must print the config first. A dry run stays off the host, random as
  // xl's.
  const randomUuid = ctx.dryrun ? undefined : o.debug ? () => session!.withLibxl(ctx, (lx) => lx.rng.uuid()) : () => undefined;
  const onSyntaxError = () => {
    // the usual cause: name=guest instead of 'name="guest"' on the command line
    if (/(^|[\n;])\s*[a-z][a-z0-9_.]*\s*\+?=\s*[A-Za-z/]/.test(o.extraConfig)) {
      hint(ctx, `settings after the file name are config text: quote strings, e.g. 'name="guest"'`);
    }
  };
  const parse = (): DomainConfig => {
    const d = parseConfigData(ctx, source, data, { randomUuid, onSyntaxError, ...parseOpts, physinfo });
    if (!o.ignoreGlobalAffinityMasks) applyGlobalAffinityMasks(ctx, d, physinfo);
    return d;
  };
  let dcfg: DomainConfig;
  try {
    dcfg = parse();
  } catch (e) {
    // a corner mayAskHost does not foresee (a vcpus= that truncates to 0):
    // load the host and parse again
    if (!(e instanceof NeedsHost)) throw e;
    await loadSession();
    dcfg = parse();
  }

  if (o.debug || ctx.dryrun) {
    printDomainConfig(ctx, dcfg, o.debug && !ctx.dryrun ? ctx.io.stderr : ctx.io.stdout, null, false);
  }
  if (ctx.dryrun) return 0;
  const rc = await createDomainOnHost(ctx, dcfg, o);
  // an exit status (positive) or a libxl error code (negative): both end as -rc
  return rc > 0 ? -rc : rc;
}

type Session = typeof import('./libxl_session');
let session: Session | undefined;

/** The simulated host's libxl (and everything behind it), loaded on first need. */
export async function loadSession(): Promise<Session> {
  return (session ??= await import('./libxl_session'));
}

/** hostPhysinfo asked before loadSession(): the caller loads it and tries again. */
class NeedsHost extends Error {}

/** Could parsing this config (or applying xl.conf's masks) ask about the host's CPUs? */
function mayAskHost(ctx: XlContext, data: Buffer): boolean {
  const g = ctx.globalConfig;
  if (g.vmCpumask !== undefined || g.vmHvmCpumask !== undefined || g.vmPvCpumask !== undefined) return true;
  return /\b(cpus|cpus_soft|vnuma)\b/.test(data.toString('latin1'));
}

/**
 * libxl_get_physinfo + libxl_get_cpu_topology of the simulated host. Only
 * the keys that need it (cpus=, vnuma=, xl.conf masks) open the host, so a
 * plain dry run stays cheap.
 */
export function hostPhysinfo(ctx: XlContext): ParsePhysinfo {
  if (!session) throw new NeedsHost('the host is not loaded');
  return session.withLibxl(ctx, (lx) => {
    const p = lx.xen.physinfo();
    const nodeCpus: number[][] = Array.from({ length: p.nr_nodes }, () => []);
    for (const t of lx.xen.cpuTopology()) (nodeCpus[t.node] ??= []).push(t.cpu);
    return { nrCpus: p.max_cpu_id + 1, nodeCpus };
  });
}

/**
 * Building and starting the domain on the simulated host: libxl's create
 * sequence and the monitor (create_domain.ts). Returns 0, a positive exit
 * status, or a negative libxl error code (main_create exits with its
 * negation, e.g. ERROR_FAIL → 3).
 */
export async function createDomainOnHost(ctx: XlContext, dcfg: DomainConfig, opts: CreateOptions): Promise<number> {
  return (await import('./create_domain')).createDomainOnHost(ctx, dcfg, opts);
}
