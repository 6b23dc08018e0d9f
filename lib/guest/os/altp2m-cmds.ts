/**
 * Lab tools inside the simulated guest for altp2m from the guest's side:
 *   altp2m view | switch VIEW | ve-enable [GFN] | ve-disable   [-c CPU]
 *   peek GFN [-c CPU]     read 8 bytes of a guest-physical page
 *   poke GFN [VALUE] [-c CPU]   write them
 * `switch` executes VMFUNC leaf 0; Xen enables it in the VMCS whenever
 * altp2m is active, whatever the domain's mode, and emulates it on CPUs
 * without VM functions. A view that is not active or not visible, or
 * altp2m not active at all, gives the program a #UD (SIGILL). The others
 * are HVMOP_altp2m calls by the guest, so the mode's rules apply: allowed
 * in mixed, only #VE registration in limited, EPERM in external.
 * peek/poke go through the view the vCPU is on: an access the view
 * forbids is reported to the monitor (the program does not notice, the
 * agent resumes the vCPU) or, with a #VE page and suppress-#VE clear,
 * raised in the guest as a virtualization exception.
 */
import type { GuestHv } from './hvcalls';

export interface ToolResult {
  out: string;
}

const USAGE = 'usage: altp2m view | switch VIEW | ve-enable [GFN] | ve-disable  [-c CPU]\n';
/** 1 MiB: plain RAM in every HVM layout, a fine default #VE info page */
const DEFAULT_VE_GFN = 0x100;

function num(s: string | undefined): number | undefined {
  if (s === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Pulls "-c N" out of the arguments: the vCPU the program is pinned to. */
function cpuOpt(args: string[], nrCpus: number): { cpu: number; rest: string[] } | string {
  const rest: string[] = [];
  let cpu = 0;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c') {
      const n = num(args[++i]);
      if (n === undefined || n >= nrCpus) return `invalid CPU: ${args[i] ?? ''}`;
      cpu = n;
    } else rest.push(args[i]!);
  }
  return { cpu, rest };
}

const hex = (n: number) => `0x${n.toString(16)}`;

export function altp2mTool(hv: GuestHv | undefined, args: string[], nrCpus: number): ToolResult {
  const o = cpuOpt(args, nrCpus);
  if (typeof o === 'string') return { out: `altp2m: ${o}\n` };
  const [sub, arg] = o.rest;
  if (!hv) return { out: 'altp2m: /dev/xen/hypercall: No such device\n' };
  const v = `vCPU${o.cpu}`;
  switch (sub) {
    case 'view': {
      const r = hv.viewOf(o.cpu);
      return { out: r.ok ? `${v}: altp2m view ${r.value}\n` : `altp2m: HVMOP_altp2m get_p2m_idx: ${r.text}\n` };
    }
    case 'switch': {
      const view = num(arg);
      if (view === undefined) return { out: USAGE };
      const r = hv.vmfunc(o.cpu, view);
      if (r.ud) return { out: 'Illegal instruction\n' };
      return { out: `${v}: now on altp2m view ${view} (VMFUNC${r.emulated ? ' emulated by Xen: this CPU has no VM functions' : ''})\n` };
    }
    case 've-enable': {
      const gfn = arg === undefined ? DEFAULT_VE_GFN : num(arg);
      if (gfn === undefined) return { out: USAGE };
      const r = hv.veEnable(o.cpu, gfn);
      return { out: r.ok ? `${v}: #VE info page at gfn ${hex(gfn)}\n` : `altp2m: HVMOP_altp2m vcpu_enable_notify: ${r.text}\n` };
    }
    case 've-disable': {
      const r = hv.veDisable(o.cpu);
      return { out: r.ok ? `${v}: #VE info page dropped\n` : `altp2m: HVMOP_altp2m vcpu_disable_notify: ${r.text}\n` };
    }
    default:
      return { out: USAGE };
  }
}

/** peek / poke: one 8-byte access to a guest-physical page. */
export function memTool(hv: GuestHv | undefined, cmd: 'peek' | 'poke', args: string[], nrCpus: number): ToolResult {
  const o = cpuOpt(args, nrCpus);
  if (typeof o === 'string') return { out: `${cmd}: ${o}\n` };
  const gfn = num(o.rest[0]);
  const value = cmd === 'poke' ? (o.rest[1] === undefined ? 0 : num(o.rest[1])) : 0;
  if (gfn === undefined || value === undefined) return { out: `usage: ${cmd} GFN${cmd === 'poke' ? ' [VALUE]' : ''} [-c CPU]\n` };
  if (!hv) return { out: `${cmd}: /dev/mem: Operation not permitted\n` };
  const seen = hv.access(o.cpu, gfn, cmd === 'peek' ? 'r' : 'w');
  switch (seen.outcome) {
    case 'no-ram':
      return { out: cmd === 'peek' ? `${hex(gfn)}: 0xffffffffffffffff (no RAM)\n` : '' };
    case 've':
      return { out: `${cmd}: #VE: EPT violation on gfn ${hex(gfn)} in altp2m view ${seen.view}\n` };
    case 'crashed':
      return { out: '' };
    case 'done':
      return { out: cmd === 'peek' ? `${hex(gfn)}: 0x0000000000000000\n` : '' };
  }
}
