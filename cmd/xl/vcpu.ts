/**
 * `xl vcpu-list`, `xl vcpu-set`: twins of vcpulist / print_vcpuinfo and
 * main_vcpuset / vcpuset in tools/xl/xl_vcpu.c.
 */
import type { LongOption } from '../../lib/util/getopt';
import { sprintf } from '../../lib/util/printf';
import { domainInfo, domidToName, listDomain } from '../../lib/libxl/domain';
import { listVcpu, setVcpuonline } from '../../lib/libxl/vcpu';
import { ERROR_DOMAIN_NOTFOUND } from '../../lib/libxl/errors';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';
import { printBitmap } from './bitmap';

export function mainVcpulist(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'vcpu-list', 0);
  return withLibxl(ctx, (lx) => {
    const nrCpus = lx.xen.physinfo().max_cpu_id + 1;
    ctx.io.stdout.write(sprintf('%-32s %5s %5s %5s %5s %9s %s\n', 'Name', 'ID', 'VCPU', 'CPU', 'State', 'Time(s)', 'Affinity (Hard / Soft)'));
    const print = (domid: number): void => {
      const vcpus = listVcpu(lx, domid);
      if (!vcpus) return;
      let out = '';
      const name = domidToName(lx, domid) ?? '(null)';
      for (const v of vcpus) {
        out += sprintf('%-32s %5u %5u', name, domid, v.vcpu);
        if (!v.online) out += sprintf('%5c %3c%cp ', '-', '-', '-');
        else out += sprintf('%5u %3c%c- ', v.cpu, v.running ? 'r' : '-', v.blocked ? 'b' : '-');
        out += sprintf('%9.1f  ', Math.fround(Math.fround(v.timeNs) / 1e9));
        out += printBitmap(v.hard, nrCpus) + ' / ' + printBitmap(v.soft, nrCpus) + '\n';
      }
      ctx.io.stdout.write(out);
    };
    if (p.args.length === 0) {
      for (const d of listDomain(lx)) print(d.domid);
    } else {
      for (const a of p.args) print(findDomain(ctx, lx, a));
    }
    return 0;
  });
}

const VCPUSET_LONGOPTS: LongOption[] = [{ name: 'ignore-host', hasArg: 0, val: 'i' }];

/** strtoul: leading blanks, optional sign, digits; endptr == start when none */
function strtoul(s: string): { value: number; ok: boolean } {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(s);
  if (!m) return { value: 0, ok: false };
  const v = Number(m[2]);
  return { value: m[1] === '-' ? 2 ** 64 - v : v, ok: true };
}

export function mainVcpuset(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), 'i', VCPUSET_LONGOPTS, 'vcpu-set', 2);
  const checkHost = !p.opts.some((o) => o.opt === 'i');
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, p.args[0]!);
    const { value: count, ok } = strtoul(p.args[1]!);
    if (!ok || count > 0x7fffffff) {
      ctx.io.stderr.write('Error: Invalid argument.\n');
      return 1;
    }
    if (checkHost) {
      const hostCpus = lx.xen.physinfo().max_cpu_id + 1;
      const r = domainInfo(lx, domid);
      if (r.rc || !r.info) return 1;
      if (count > r.info.vcpu_online && count > hostCpus) {
        ctx.io.stderr.write(
          `You are overcommmitting! You have ${hostCpus} physical CPUs and want ${count} vCPUs! Aborting, use --ignore-host to continue\n`,
        );
        return 1;
      }
    }
    const rc = setVcpuonline(lx, domid, count);
    if (rc === ERROR_DOMAIN_NOTFOUND) ctx.io.stderr.write(`Domain ${domid} does not exist.\n`);
    else if (rc) ctx.io.stderr.write(`libxl_set_vcpuonline failed domid=${domid} max_vcpus=${count}, rc: ${rc}\n`);
    return rc ? 1 : 0;
  });
}
