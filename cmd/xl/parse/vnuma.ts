/**
 * vnuma = [ [ "pnode=0", "size=512", "vcpus=0-1", "vdistances=10,20" ], ... ]
 * Twin of parse_vnuma_config() in tools/xl/xl_parse.c: the sum of the node
 * sizes becomes maxmem and the vCPU count must agree with maxvcpus.
 */
import { strtoul, strtok, ULONG_MAX } from '../../../lib/cfg/cconv';
import { splitPair } from '../../../lib/cfg/split';
import type { Bitmap, VnodeInfo } from '../../../lib/libxl/types';
import type { ParseEnv } from './env';

/** parse_ulong(): decimal, junk after the digits tolerated */
export function parseUlong(env: ParseEnv, s: string): number {
  const r = strtoul(s, 10);
  if (r.end === 0 || r.value === ULONG_MAX) {
    env.err(`xl: failed to convert "${s}" to number\n`);
    env.exit(1);
  }
  return Number(r.value);
}

function parseRange(s: string): [number, number] | null {
  const a = strtoul(s, 10);
  if (a.end === 0 || a.value === ULONG_MAX) return null;
  let end = a.end;
  let b = a.value;
  if (s[end] === '-') {
    const r = strtoul(s, 10, end + 1);
    if (r.end === end + 1 || r.value === ULONG_MAX || r.value < a.value) return null;
    b = r.value;
    end = r.end;
  }
  if (end !== s.length) return null;
  return [Number(a.value), Number(b)];
}

export function parseVnuma(env: ParseEnv): void {
  const b = env.d.b_info;
  const l = env.x.getList('vnuma', true);
  if (l.rc !== 0 || l.value.count === 0) return;
  // only now: asking the host for its topology opens the host database
  const nrNodes = env.physinfo.nodeCpus.length;
  const list = l.value;
  const n = list.count;
  const nodes: VnodeInfo[] = [];
  // libxl_cpu_bitmap_alloc(.., max_vcpus): 0 means the host's CPU count; whole bytes
  const vcpuBits = Math.ceil((b.max_vcpus || env.physinfo.nrCpus) / 8) * 8;
  const parsed: Set<number>[] = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ distances: new Array<number>(n).fill(0) });
    parsed.push(new Set());
  }
  let maxVcpus = 0;
  let maxMemkb = 0;
  for (let i = 0; i < n; i++) {
    const p = nodes[i]!;
    const opts = list.itemAsList(i);
    if (!opts) {
      env.err('xl: cannot get vnode config option list\n');
      env.exit(1);
    }
    for (let k = 0; k < opts.count; k++) {
      if (!opts.isString(k)) continue;
      const buf = opts.item(k);
      if (buf === undefined) continue;
      const pair = splitPair(buf, '=', true);
      if (!pair) {
        env.err(`xl: failed to split "${buf}" into pair\n`);
        env.exit(1);
      }
      const [option, value] = pair;
      if (option === 'pnode') {
        const v = parseUlong(env, value);
        if (v >= nrNodes) {
          env.err(`xl: invalid pnode number: ${v}\n`);
          env.exit(1);
        }
        p.pnode = v;
        b.numa_placement = false;
      } else if (option === 'size') {
        const v = parseUlong(env, value);
        p.memkb = v * 1024;
        maxMemkb += p.memkb;
      } else if (option === 'vcpus') {
        for (const spec of strtok(value, ',')) {
          // C ignores parse_range's verdict here and uses whatever it left
          const r = parseRange(spec) ?? [0, -1];
          for (let s = r[0]; s <= r[1]; s++) {
            if (s < vcpuBits) parsed[i]!.add(s);
            maxVcpus++;
          }
        }
      } else if (option === 'vdistances') {
        const vd = strtok(value, ',');
        if (vd.length > n) {
          // C writes past the array here; refuse instead (see xl-cfg.md §9.17)
          env.err(`xlsim: vnuma: more vdistances than vnodes in "${value}"\n`);
          env.exit(1);
        }
        vd.forEach((s, j) => (p.distances![j] = parseUlong(env, s)));
      }
    }
  }
  if (b.max_vcpus) {
    if (b.max_vcpus !== maxVcpus) {
      env.err('xl: vnuma vcpus and maxvcpus= mismatch\n');
      env.exit(1);
    }
  } else {
    if (env.physinfo.nrCpus < maxVcpus) {
      env.err('xl: vnuma specifies more vcpus than pcpus, use maxvcpus= to override this check.\n');
      env.exit(1);
    }
    b.max_vcpus = maxVcpus;
  }
  if (b.max_memkb !== undefined && b.max_memkb !== maxMemkb) {
    env.err('xl: maxmem and vnuma memory size mismatch\n');
    env.exit(1);
  }
  b.max_memkb = maxMemkb;
  nodes.forEach((p, i) => {
    const bits: Bitmap = [...parsed[i]!].sort((a, c) => a - c);
    p.vcpus = bits;
  });
  b.vnuma_nodes = nodes;
}
