/**
 * CPU affinity as xl handles it: parse_cpurange() of tools/xl/xl_parse.c
 * (CPULIST strings of `cpus`, `cpus_soft` and xl.conf's vm.*cpumask) and
 * apply_global_affinity_masks() of tools/xl/xl_vcpu.c, which create_domain
 * runs before the dry-run print.
 */
import type { Bitmap, DomainConfig } from '../../../lib/libxl/types';
import type { XlContext } from '../context';
import { Exit } from '../../io';
import { DEFAULT_PHYSINFO, type ParseEnv, type ParsePhysinfo } from './env';
import { CpuMap, parseCpurange as parseCpurangeLib, type HostTopology } from '../../../lib/cfg/cpulist';

function topo(phys: ParsePhysinfo): HostTopology {
  return { nrCpus: phys.nrCpus, cpusOfNode: phys.nodeCpus };
}

/** CPULIST → bitmap; xl's message is printed and null returned on error. */
export function cpurange(err: (s: string) => void, phys: ParsePhysinfo, cpu: string): Bitmap | null {
  const map = CpuMap.forHost(topo(phys));
  if (parseCpurangeLib(err, topo(phys), cpu, map)) return null;
  return map.toList();
}

export function parseCpurange(env: ParseEnv, cpu: string): Bitmap | null {
  return cpurange(env.err, env.physinfo, cpu);
}

/**
 * xl.conf vm.cpumask / vm.hvm.cpumask / vm.pv.cpumask ANDed into every
 * vCPU's hard affinity (creating all-CPU maps first if the config had none).
 */
export function applyGlobalAffinityMasks(ctx: XlContext, d: DomainConfig, physinfo: () => ParsePhysinfo = () => DEFAULT_PHYSINFO): void {
  const g = ctx.globalConfig;
  // masks left unset are "all CPUs": ANDing with them changes nothing
  if (g.vmCpumask === undefined && g.vmHvmCpumask === undefined && g.vmPvCpumask === undefined) return;
  const phys = physinfo();
  const err = (s: string) => ctx.io.stderr.write(s);
  const all = CpuMap.forHost(topo(phys));
  all.setAny();
  const full: Bitmap = all.toList();
  const bits = full.length;
  const mask = (s: string | undefined): Bitmap => {
    if (s === undefined) return full;
    // xl.conf parse errors were reported when xl.conf was read; xl keeps what it got
    return cpurange(() => {}, phys, s) ?? [];
  };
  const vm = mask(g.vmCpumask);
  const typeMask = d.b_info.type === 'pv' ? mask(g.vmPvCpumask) : mask(g.vmHvmCpumask);
  const isFull = (m: Bitmap) => m.length === bits;
  const b = d.b_info;
  if ((b.vcpu_hard_affinity ?? []).length === 0) {
    if (isFull(vm) && isFull(typeMask)) return;
    b.vcpu_hard_affinity = Array.from({ length: b.max_vcpus ?? 0 }, () => [...full]);
  }
  const vmSet = new Set(vm);
  const tSet = new Set(typeMask);
  b.vcpu_hard_affinity = (b.vcpu_hard_affinity ?? []).map((t) => {
    const r = t.filter((c) => vmSet.has(c) && tSet.has(c));
    if (r.length === 0) {
      err('vcpu hard affinity map is empty\n');
      throw new Exit(1);
    }
    return r;
  });
}
