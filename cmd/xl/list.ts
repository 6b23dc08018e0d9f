/**
 * `xl list`, `xl claims`, `xl vm-list`, `xl sharing`: twins of main_list,
 * list_domains, list_domains_details, main_claims, list_vm (tools/xl/xl_info.c)
 * and main_sharing (tools/xl/xl_mem.c).
 */
import type { LongOption } from '../../lib/util/getopt';
import { sprintf } from '../../lib/util/printf';
import { ERROR_DOMAIN_NOTFOUND } from '../../lib/libxl/errors';
import type { Dominfo } from '../../lib/libxl/dominfo';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import {
  cpupoolidToName, domainInfo, domainNodeaffinity, domidToName, listDomain, listVm,
} from '../../lib/libxl/domain';
import type { XlContext } from './context';
import { commandHelp } from './help';
import { switchForeachOpt } from './opts';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';
import { printBitmap } from './bitmap';
import { listDomainsDetails } from './list_details';

const SHUTDOWN_LETTERS = '-rscwS';

interface ListFlags {
  verbose: boolean;
  context: boolean;
  claim: boolean;
  numa: boolean;
  cpupool: boolean;
}

/** One table (header + rows), exactly as list_domains prints it. */
export function formatDomainTable(lx: LibxlCtx, f: ListFlags, infos: readonly Dominfo[]): string {
  let out = 'Name                                        ID   Mem VCPUs\tState\tTime(s)';
  if (f.verbose) out += '   UUID                            Reason-Code\tSecurity Label';
  if (f.context && !f.verbose) out += '   Security Label';
  if (f.claim) out += '  Claimed';
  if (f.cpupool) out += '         Cpupool';
  const nrNodes = f.numa ? lx.xen.physinfo().nr_nodes : 0;
  if (f.numa) out += ' NODE Affinity';
  out += '\n';
  for (const info of infos) {
    const name = domidToName(lx, info.domid) ?? '(null)';
    const reason = info.shutdown ? info.shutdown_reason : 0;
    const letter = reason >= 0 && reason < SHUTDOWN_LETTERS.length ? SHUTDOWN_LETTERS[reason]! : '?';
    out += sprintf(
      '%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f',
      name,
      info.domid,
      Math.floor((info.current_memkb + info.outstanding_memkb) / 1024),
      info.vcpu_online,
      info.running ? 'r' : '-',
      info.blocked ? 'b' : '-',
      info.paused ? 'p' : '-',
      info.shutdown ? 's' : '-',
      letter,
      info.dying ? 'd' : '-',
      // C divides a (float) cast: the seconds carry float precision
      Math.fround(Math.fround(info.cpu_time) / 1e9),
    );
    if (f.verbose) {
      out += ' ' + info.uuid;
      out += info.shutdown ? sprintf(' %8x', reason) : sprintf(' %8s', '-');
    }
    if (f.claim) out += sprintf(' %5lu', Math.floor(info.outstanding_memkb / 1024));
    if (f.verbose || f.context) out += sprintf(' %16s', info.ssid_label ?? '-');
    if (f.cpupool) out += sprintf('%16s', cpupoolidToName(lx, info.cpupool) ?? '(null)');
    if (f.numa) out += ' ' + printBitmap(domainNodeaffinity(lx, info.domid), nrNodes);
    out += '\n';
  }
  return out;
}

const LIST_LONGOPTS: LongOption[] = [
  { name: 'long', hasArg: 0, val: 'l' },
  { name: 'verbose', hasArg: 0, val: 'v' },
  { name: 'context', hasArg: 0, val: 'Z' },
  { name: 'cpupool', hasArg: 0, val: 'c' },
  { name: 'numa', hasArg: 0, val: 'n' },
];

export function mainList(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), 'lvhZcn', LIST_LONGOPTS, 'list', 0);
  const f: ListFlags = { verbose: false, context: false, claim: false, numa: false, cpupool: false };
  let details = false;
  for (const { opt } of p.opts) {
    if (opt === 'l') details = true;
    else if (opt === 'v') f.verbose = true;
    else if (opt === 'Z') f.context = true;
    else if (opt === 'c') f.cpupool = true;
    else if (opt === 'n') f.numa = true;
  }
  if (p.args.length > 1) {
    ctx.io.stdout.write(commandHelp('list'));
    return 1;
  }
  return withLibxl(ctx, (lx) => {
    let infos: Dominfo[];
    if (p.args.length === 0) {
      infos = listDomain(lx);
    } else {
      const domid = findDomain(ctx, lx, p.args[0]!);
      const r = domainInfo(lx, domid);
      if (r.rc === ERROR_DOMAIN_NOTFOUND) {
        ctx.io.stderr.write(`Error: Domain '${p.args[0]!}' does not exist.\n`);
        return 1;
      }
      if (r.rc || !r.info) {
        ctx.io.stderr.write(`libxl_domain_info failed (code ${r.rc}).\n`);
        return 1;
      }
      infos = [r.info];
    }
    ctx.io.stdout.write(details ? listDomainsDetails(lx, infos) : formatDomainTable(lx, f, infos));
    return 0;
  });
}

export function mainClaims(ctx: XlContext, argv: string[]): number {
  switchForeachOpt(ctx, argv.slice(1), '', null, 'claims', 0);
  if (!ctx.globalConfig.claimMode) ctx.io.stderr.write('claim_mode not enabled (see man xl.conf).\n');
  return withLibxl(ctx, (lx) => {
    ctx.io.stdout.write(formatDomainTable(lx, { verbose: false, context: false, claim: true, numa: false, cpupool: false }, listDomain(lx)));
    return 0;
  });
}

export function mainVmList(ctx: XlContext, argv: string[]): number {
  switchForeachOpt(ctx, argv.slice(1), '', null, 'vm-list', 0);
  return withLibxl(ctx, (lx) => {
    let out = 'UUID                                  ID    name\n';
    for (const vm of listVm(lx)) {
      out += sprintf('%s  %d    %-30s\n', vm.uuid, vm.domid, domidToName(lx, vm.domid) ?? '(null)');
    }
    ctx.io.stdout.write(out);
    return 0;
  });
}

export function mainSharing(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'sharing', 0);
  return withLibxl(ctx, (lx) => {
    let infos: Dominfo[];
    if (p.args.length === 0) {
      infos = listDomain(lx);
    } else if (p.args.length === 1) {
      const domid = findDomain(ctx, lx, p.args[0]!);
      const r = domainInfo(lx, domid);
      if (r.rc === ERROR_DOMAIN_NOTFOUND) {
        ctx.io.stderr.write(`Error: Domain '${p.args[0]!}' does not exist.\n`);
        return 1;
      }
      if (r.rc || !r.info) {
        ctx.io.stderr.write(`libxl_domain_info failed (code ${r.rc}).\n`);
        return 1;
      }
      infos = [r.info];
    } else {
      ctx.io.stdout.write(commandHelp('sharing'));
      return 1;
    }
    let out = 'Name                                        ID   Mem Shared\n';
    for (const info of infos) {
      out += sprintf(
        '%-40s %5d %5lu  %5lu\n',
        domidToName(lx, info.domid) ?? '(null)',
        info.domid,
        Math.floor((info.current_memkb + info.outstanding_memkb) / 1024),
        Math.floor(info.shared_memkb / 1024),
      );
    }
    ctx.io.stdout.write(out);
    return 0;
  });
}
