/**
 * `xl vcpu-pin`: twin of main_vcpupin() in tools/xl/xl_vcpu.c.
 *
 * Only the dry run (`xl -N vcpu-pin`) is simulated so far: it parses the
 * CPU lists against the simulated host's topology and prints
 * `cpumap: <hard>[ <soft>]`, which tools/xl/check-xl-vcpupin-parse tests.
 */
import { strtol } from '../../lib/cfg/cconv';
import { bitmapText, CpuMap, parseCpurange, type HostTopology } from '../../lib/cfg/cpulist';
import type { XlContext } from './context';
import { resolveDomid } from './block';
import { withLibxl } from './libxl_session';
import { switchForeachOpt } from './opts';

/**
 * What libxl_get_max_cpus() and libxl_node_to_cpumap() tell xl about the
 * host: CPU count (max_cpu_id + 1) and each node's CPUs.
 */
export function hostTopology(ctx: XlContext): HostTopology {
  return withLibxl(ctx, (lx) => {
    const p = lx.xen.physinfo();
    const cpusOfNode: number[][] = Array.from({ length: p.nr_nodes }, () => []);
    for (const t of lx.xen.cpuTopology()) (cpusOfNode[t.node] ??= []).push(t.cpu);
    return { nrCpus: p.max_cpu_id + 1, cpusOfNode };
  });
}

/** The real pinning needs the simulated host; kept in one place so it can be replaced. */
function vcpuPinOnHost(ctx: XlContext): number {
  ctx.io.stderr.write("xlsim: 'xl vcpu-pin' without -N is not simulated yet\n");
  return 1;
}

export function mainVcpupin(ctx: XlContext, argv: string[]): number {
  let force = false;
  const r = switchForeachOpt(
    ctx,
    argv.slice(1),
    'fi',
    [
      { name: 'force', hasArg: 0, val: 'f' },
      { name: 'ignore-global-affinity-masks', hasArg: 0, val: 'i' },
    ],
    'vcpu-pin',
    3,
  );
  for (const o of r.opts) if (o.opt === 'f') force = true;
  const [dom, vcpu, hardStr] = r.args as [string, string, string];
  const softStr = r.args[3];
  const domid = resolveDomid(ctx, dom, 'find_domain');
  if (domid === undefined) return 1;

  const v = strtol(vcpu, 10);
  if (v.end === 0 || v.value < 0n) {
    if (vcpu !== 'all') {
      ctx.io.stderr.write(`Error: Invalid argument ${vcpu} as VCPU.\n`);
      return 1;
    }
    if (force) {
      ctx.io.stderr.write("Error: --force and 'all' as VCPU not allowed.\n");
      return 1;
    }
  }

  const topo = hostTopology(ctx);
  const report = (s: string): void => ctx.io.stderr.write(s);
  let hard: CpuMap | undefined;
  let soft: CpuMap | undefined;
  if (hardStr !== '-') {
    hard = CpuMap.forHost(topo);
    if (parseCpurange(report, topo, hardStr, hard)) return 1;
  }
  if (softStr !== undefined && softStr !== '-') {
    soft = CpuMap.forHost(topo);
    if (parseCpurange(report, topo, softStr, soft)) return 1;
  }

  if (ctx.dryrun) {
    let line = 'cpumap: ' + (hard ? bitmapText(hard, topo.nrCpus) : '-');
    if (soft) line += ' ' + bitmapText(soft, topo.nrCpus);
    ctx.io.stdout.write(line + '\n');
    return 0;
  }
  return vcpuPinOnHost(ctx);
}
