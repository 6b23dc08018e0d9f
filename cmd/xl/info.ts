/**
 * `xl info`, `xl dmesg`, `xl uptime`, `xl debug-keys`, `xl set-parameters`:
 * twins of main_info/print_info, main_dmesg, main_uptime (tools/xl/xl_info.c)
 * and main_debug_keys, main_set_parameters (tools/xl/xl_misc.c).
 */
import type { LongOption } from '../../lib/util/getopt';
import { sprintf, type PrintfArg } from '../../lib/util/printf';
import type { LibxlCtx } from '../../lib/libxl/ctx';
import { domidToName, listVm, vmStartTime } from '../../lib/libxl/domain';
import type { XlContext } from './context';
import { switchForeachOpt } from './opts';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';

/** maybe_printf: with a field name, only matching lines, and only their value */
class InfoPrinter {
  out = '';
  constructor(private readonly filter: string | undefined) {}
  line(fmt: string, ...args: PrintfArg[]): void {
    const s = sprintf(fmt, ...args);
    if (this.filter === undefined) {
      this.out += s;
      return;
    }
    if (!s.startsWith(this.filter)) return;
    const colon = s.indexOf(':');
    if (colon >= 0 && s[colon + 1] === ' ') this.out += s.slice(colon + 2);
  }
  raw(s: string): void {
    this.out += s;
  }
}

function printInfo(lx: LibxlCtx, pr: InfoPrinter, numa: boolean): void {
  const u = lx.uname();
  pr.line('host                   : %s\n', u.nodename);
  pr.line('release                : %s\n', u.release);
  pr.line('version                : %s\n', u.version);
  pr.line('machine                : %s\n', u.machine);

  const pi = lx.xen.physinfo();
  pr.line('nr_cpus                : %d\n', pi.nr_cpus);
  pr.line('max_cpu_id             : %d\n', pi.max_cpu_id);
  pr.line('nr_nodes               : %d\n', pi.nr_nodes);
  pr.line('cores_per_socket       : %d\n', pi.cores_per_socket);
  pr.line('threads_per_core       : %d\n', pi.threads_per_core);
  pr.line('cpu_mhz                : %d.%03d\n', Math.floor(pi.cpu_khz / 1000), pi.cpu_khz % 1000);
  const hw = [...pi.hw_cap, 0, 0, 0, 0, 0, 0, 0, 0].slice(0, 8);
  pr.line('hw_caps                : %08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x\n', ...hw);
  const c = pi.caps;
  pr.line(
    'virt_caps              :%s%s%s%s%s%s%s%s%s%s%s\n',
    c.pv ? ' pv' : '',
    c.hvm ? ' hvm' : '',
    c.hvm && c.directio ? ' hvm_directio' : '',
    c.pv && c.directio ? ' pv_directio' : '',
    c.hap ? ' hap' : '',
    c.shadow ? ' shadow' : '',
    c.iommuHapPtShare ? ' iommu_hap_pt_share' : '',
    c.vmtrace ? ' vmtrace' : '',
    c.vpmu ? ' vpmu' : '',
    c.gnttabV1 ? ' gnttab-v1' : '',
    c.gnttabV2 ? ' gnttab-v2' : '',
  );
  const perMib = 256;
  pr.line('total_memory           : %lu\n', Math.floor(pi.total_pages / perMib));
  pr.line('free_memory            : %lu\n', Math.floor((pi.free_pages - pi.outstanding_pages) / perMib));
  pr.line('sharing_freed_memory   : %lu\n', Math.floor(pi.sharing_freed_pages / perMib));
  pr.line('sharing_used_memory    : %lu\n', Math.floor(pi.sharing_used_frames / perMib));
  pr.line('outstanding_claims     : %lu\n', Math.floor(pi.outstanding_pages / perMib));
  pr.line('free_cpus              : %d\n', lx.xen.freeCpus().length);

  if (numa) {
    pr.raw('cpu_topology           :\n');
    pr.raw('cpu:    core    socket     node\n');
    for (const t of lx.xen.cpuTopology()) pr.raw(sprintf('%3d:    %4d     %4d     %4d\n', t.cpu, t.core, t.socket, t.node));
    pr.raw('device topology        :\n');
    pr.raw('device           node\n');
    // the simulated host has no PCI devices with NUMA affinity
    pr.raw('No device topology data available\n');
    pr.raw('numa_info              :\n');
    pr.raw('node:    memsize    memfree    distances\n');
    for (const n of lx.xen.numaInfo()) {
      let l = sprintf('%4d:    %6lu     %6lu      %d', n.node, Math.floor(n.sizeBytes / 2 ** 20), Math.floor(n.freeBytes / 2 ** 20), n.dists[0] ?? 10);
      for (const d of n.dists.slice(1)) l += sprintf(',%d', d);
      pr.raw(l + '\n');
    }
  }

  const v = lx.xen.versionInfo();
  pr.line('xen_major              : %d\n', v.major);
  pr.line('xen_minor              : %d\n', v.minor);
  pr.line('xen_extra              : %s\n', v.extra);
  pr.line('xen_version            : %d.%d%s\n', v.major, v.minor, v.extra);
  pr.line('xen_caps               : %s\n', v.capabilities);
  pr.line('xen_scheduler          : %s\n', v.scheduler);
  pr.line('xen_pagesize           : %u\n', v.pagesize);
  pr.line('platform_params        : virt_start=0x%lx\n', v.virtStart);
  pr.line('xen_changeset          : %s\n', v.changeset);
  pr.line('xen_commandline        : %s\n', v.commandline);
  pr.line('cc_compiler            : %s\n', v.compiler);
  pr.line('cc_compile_by          : %s\n', v.compileBy);
  pr.line('cc_compile_domain      : %s\n', v.compileDomain);
  pr.line('cc_compile_date        : %s\n', v.compileDate);
  pr.line('build_id               : %s\n', v.buildId);
  pr.line('xend_config_format     : 4\n');
}

export function mainInfo(ctx: XlContext, argv: string[]): number {
  const longs: LongOption[] = [{ name: 'numa', hasArg: 0, val: 'n' }];
  const p = switchForeachOpt(ctx, argv.slice(1), 'n', longs, 'info', 0);
  const numa = p.opts.some((o) => o.opt === 'n');
  const filter = !numa && p.args.length > 0 ? p.args[0] : undefined;
  return withLibxl(ctx, (lx) => {
    const pr = new InfoPrinter(filter);
    printInfo(lx, pr, numa);
    ctx.io.stdout.write(pr.out);
    return 0;
  });
}

export function mainDmesg(ctx: XlContext, argv: string[]): number {
  const longs: LongOption[] = [{ name: 'clear', hasArg: 0, val: 'c' }];
  const p = switchForeachOpt(ctx, argv.slice(1), 'c', longs, 'dmesg', 0);
  const clear = p.opts.some((o) => o.opt === 'c');
  return withLibxl(ctx, (lx) => {
    const lines = lx.xen.readConsole(clear);
    ctx.io.stdout.write(lines.map((l) => l + '\n').join(''));
    return 0;
  });
}

export function uptimeToString(uptime: number, short: boolean): string {
  const day = Math.floor(uptime / 86400);
  uptime -= day * 86400;
  const hour = Math.floor(uptime / 3600);
  uptime -= hour * 3600;
  const min = Math.floor(uptime / 60);
  const sec = uptime - min * 60;
  if (short) {
    if (day > 1) return sprintf('%d days, %2d:%02d', day, hour, min);
    if (day === 1) return sprintf('%d day, %2d:%02d', day, hour, min);
    return sprintf('%2d:%02d', hour, min);
  }
  if (day > 1) return sprintf('%d days, %2d:%02d:%02d', day, hour, min, sec);
  if (day === 1) return sprintf('%d day, %2d:%02d:%02d', day, hour, min, sec);
  return sprintf('%2d:%02d:%02d', hour, min, sec);
}

export function mainUptime(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), 's', null, 'uptime', 0);
  const short = p.opts.some((o) => o.opt === 's');
  return withLibxl(ctx, (lx) => {
    const doms = p.args.map((a) => findDomain(ctx, lx, a));
    const nowSec = Math.floor(lx.wallMs() / 1000);
    const d = new Date(nowSec * 1000);
    // the host's local time is UTC: the simulated dom0 has no other zone
    const nowStr = sprintf('%02d:%02d:%02d', d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
    let out = short ? '' : sprintf('%-33s %4s %s\n', 'Name', 'ID', 'Uptime');
    const row = (domid: number, uptime: number): void => {
      const name = domidToName(lx, domid) ?? '(null)';
      out += short
        ? sprintf(' %s up %s, %s (%d)\n', nowStr, uptimeToString(uptime, true), name, domid)
        : sprintf('%-33s %4d %s\n', name, domid, uptimeToString(uptime, false));
    };
    const dom0 = (): void => row(0, Math.floor(lx.now() / 1e9));
    const domU = (domid: number): void => {
      const st = vmStartTime(lx, domid);
      if (st === undefined) return;
      // uint32 arithmetic, as in C
      row(domid, (nowSec - st) >>> 0);
    };
    if (doms.length === 0) {
      dom0();
      for (const vm of listVm(lx)) if (vm.domid !== 0) domU(vm.domid);
    } else {
      for (const id of doms) (id === 0 ? dom0 : domU)(id);
    }
    ctx.io.stdout.write(out);
    return 0;
  });
}

export function mainDebugKeys(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'debug-keys', 1);
  const keys = p.args[0]!;
  return withLibxl(ctx, (lx) => {
    if (!lx.xen.debugKeys(keys)) {
      ctx.io.stderr.write(`cannot send debug keys: ${keys}\n`);
      return 1;
    }
    return 0;
  });
}

export function mainSetParameters(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), '', null, 'set-parameters', 1);
  const params = p.args[0]!;
  return withLibxl(ctx, (lx) => {
    if (!lx.xen.setParameters(params)) {
      ctx.io.stderr.write(`cannot set parameters: ${params}\n`);
      return 1;
    }
    return 0;
  });
}
