/**
 * The non-dry-run half of `xl vcpu-pin` (tools/xl/xl_vcpu.c, vcpupin):
 * apply parsed hard/soft maps to one vCPU or all. The option and cpulist
 * parsing live with the command (vcpu_pin.ts); this runs the libxl calls
 * and prints xl's failure messages. Returns the exit status.
 */
import { listVcpu, setVcpuaffinity } from '../../lib/libxl/vcpu';
import type { XlContext } from './context';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';

export interface VcpuPinRequest {
  /** the domain as typed (resolved with find_domain) */
  domain: string;
  /** a vCPU number, or -1 for "all" */
  vcpu: number;
  /** undefined: leave as is ("-") */
  hard: number[] | undefined;
  soft: number[] | undefined;
}

export function applyVcpuPin(ctx: XlContext, req: VcpuPinRequest): number {
  return withLibxl(ctx, (lx) => {
    const domid = findDomain(ctx, lx, req.domain);
    if (req.vcpu !== -1) {
      if (setVcpuaffinity(lx, domid, req.vcpu, req.hard, req.soft)) {
        ctx.io.stderr.write(`Could not set affinity for vcpu \`${req.vcpu}'.\n`);
        return 1;
      }
      return 0;
    }
    const vcpus = listVcpu(lx, domid);
    if (!vcpus) {
      ctx.io.stderr.write('libxl_list_vcpu failed.\n');
      return 1;
    }
    for (const v of vcpus) {
      if (setVcpuaffinity(lx, domid, v.vcpu, req.hard, req.soft)) {
        ctx.io.stderr.write('Could not set affinity.\n');
        return 0;
      }
    }
    return 0;
  });
}
