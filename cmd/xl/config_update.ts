/**
 * `xl config-update`: twin of main_config_update() in tools/xl/xl_misc.c.
 * Parses a new config for a running domain and stores its raw text as the
 * domain's "xl" userdata, which the monitor uses at the next reboot.
 */
import { ERROR_LOCK_FAIL } from '../../lib/libxl/errors';
import type { DomainConfig } from '../../lib/libxl/types';
import type { LongOption } from '../../lib/util/getopt';
import type { XlContext } from './context';
import { commandHelp } from './help';
import { switchForeachOpt } from './opts';
import { assembleConfig, hostPhysinfo, loadSession } from './create';
import { parseConfigData, type ParseOptions } from './parse/index';
import { printDomainConfig } from './parse/print';
import { readFileContents } from './parse/readfile';
import { strerror } from './parse/strerror';

const LONGOPTS: LongOption[] = [{ name: 'defconfig', hasArg: 1, val: 'f' }];

export async function mainConfigUpdate(ctx: XlContext, argv: string[], parseOpts: ParseOptions = {}): Promise<number> {
  if (argv.length < 2) {
    ctx.io.stderr.write('xl config-update requires a domain argument\n');
    ctx.io.stdout.write(commandHelp('config-update'));
    return 1;
  }
  ctx.io.stderr.write('WARNING: xl now has better capability to manage domain configuration, avoid using this command when possible\n');

  const domid = await resolveDomain(ctx, argv[1]!);
  let args = argv.slice(2);
  let filename: string | undefined;
  const first = args[0];
  if (first !== undefined && !first.startsWith('-') && !first.includes('=')) {
    filename = first;
    args = args.slice(1);
  }
  let debug = false;
  const p = switchForeachOpt(ctx, args, 'dqf:', LONGOPTS, 'config_update', 0);
  for (const { opt, arg } of p.opts) {
    if (opt === 'd') debug = true;
    else if (opt === 'f') filename = arg;
  }
  let extra = '';
  for (const a of p.args) {
    if (a.includes('=')) extra += a + '\n';
    else if (filename === undefined) filename = a;
    else {
      ctx.io.stdout.write(commandHelp('create'));
      return 2;
    }
  }
  if (filename === undefined) {
    ctx.io.stderr.write('Config file not specified\n');
    return 1;
  }
  const r = readFileContents(ctx.logger, filename);
  if (!r.ok) {
    ctx.io.stderr.write(`Failed to read config file: ${filename}: ${strerror(r.errno)}\n`);
    // main returns ERROR_FAIL (-3): exit status 253
    return 253;
  }
  const data = assembleConfig(r.data, extra);
  // As create: a uuid the config does not give comes from the host's seeded
  // generator (same seed, same commands, same uuids), drawn when the parse
  // is stored, or now when -d prints it first; a dry run stays off the
  // host, random as xl's.
  const { withLibxl } = await loadSession();
  const randomUuid = ctx.dryrun ? undefined : debug ? () => withLibxl(ctx, (lx) => lx.rng.uuid()) : () => undefined;
  const dcfg = parseConfigData(ctx, filename, data, { physinfo: () => hostPhysinfo(ctx), randomUuid, ...parseOpts });
  if (debug || ctx.dryrun) printDomainConfig(ctx, dcfg, ctx.io.stdout, null, true);
  if (!ctx.dryrun) {
    ctx.io.stderr.write(`setting dom${domid} configuration\n`);
    if (await storeXlUserdata(ctx, domid, data.toString('utf8'), dcfg)) {
      ctx.io.stderr.write('failed to update configuration\n');
      return 1;
    }
  }
  return 0;
}

/**
 * find_domain(): an all-digit qualifier is a domid taken on trust (no host
 * access, so `xl -N config-update 3 cfg` works anywhere); a name needs the host.
 */
async function resolveDomain(ctx: XlContext, q: string): Promise<number> {
  const { strtoulDomid, findDomain } = await import('./find_domain');
  if (/^[0-9]*$/.test(q)) return strtoulDomid(q);
  const { withLibxl } = await import('./libxl_session');
  return withLibxl(ctx, (lx) => findDomain(ctx, lx, q));
}

/**
 * libxl_userdata_store(domid, "xl", text): the store first locks a file
 * named after the domain's uuid, so a domid with no domain fails there.
 * The parse goes along for the monitor, which re-reads the text at the
 * next restart (reload_domain_config) and has no parser of its own.
 * Returns libxl's rc (0 or ERROR_LOCK_FAIL).
 */
async function storeXlUserdata(ctx: XlContext, domid: number, text: string, parsed: DomainConfig): Promise<number> {
  const { withLibxl } = await import('./libxl_session');
  const { storeXlConfig } = await import('../../lib/libxl/userdata');
  const { domainInfo } = await import('../../lib/libxl/domain');
  const { libxlLog, where } = await import('../../lib/libxl/log');
  return withLibxl(ctx, (lx) => {
    if (domainInfo(lx, domid).rc) {
      // LOGE, not LOGED: no "Domain N:" prefix
      libxlLog(lx.xtl, 'error', where('libxl_dom.c', 1244, 'libxl__userdata_path'), undefined, `unable to find domain info for domain ${domid}`, 'No such process');
      return ERROR_LOCK_FAIL;
    }
    if (parsed.c_info.uuid === undefined) parsed.c_info.uuid = lx.rng.uuid();
    return storeXlConfig(lx, domid, text, parsed);
  });
}

