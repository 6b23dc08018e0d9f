/**
 * parse_config_data(), second stretch: scheduler parameters, memory,
 * xenstore limits, LLC colours, vCPUs and their affinity, grant-table
 * limits and claim mode — the order below is xl's, which fixes the order
 * of warnings on stderr.
 */
import type { Bitmap, XsQuotaItem } from '../../../lib/libxl/types';
import { enumFromString } from '../../../lib/libxl/types';
import { strtoul } from '../../../lib/cfg/cconv';
import { parseCpurange } from './affinity';
import type { ParseEnv } from './env';
import { parseVnuma } from './vnuma';

const INT_MAX = 2147483647;

export function parseXenstoreLimits(env: ParseEnv): void {
  const { x, d } = env;
  const b = d.b_info;
  const fm = x.getLong('xenstore_feature_mask');
  if (fm.rc === 0) b.xenstore_feature_mask = fm.value;

  const q = x.getList('xenstore_quota');
  if (q.rc === 0) {
    const items: XsQuotaItem[] = [];
    for (let i = 0; i < q.value.count; i++) {
      const buf = q.value.item(i);
      if (buf === undefined) {
        env.err(`xl: Can't get element ${i} in Xenstore quota list\n`);
        env.exit(1);
      }
      const eq = buf.indexOf('=');
      if (eq < 0) {
        env.err(`Quota specification "${buf}" lacks "=".\n`);
        env.exit(1);
      }
      const val = buf.slice(eq + 1);
      const r = strtoul(val, 0);
      if (r.erange || val === '' || r.end !== val.length || r.value > 0xffffffffn) {
        env.err(`Quota specification "${buf}" uses illegal value "${val}".\n`);
        env.exit(1);
      }
      items.push({ name: buf.slice(0, eq), val: Number(r.value) });
    }
    b.xenstore_quota.quota = items;
  }
}

export function parseSchedAndMemory(env: ParseEnv): void {
  const { x, d } = env;
  const b = d.b_info;
  for (const key of ['cpu_weight', 'cap', 'period', 'slice', 'latency', 'extratime'] as const) {
    const r = x.getLong(key);
    if (r.rc !== 0) continue;
    const field = key === 'cpu_weight' ? 'weight' : key;
    // C stores into an int
    b.sched_params[field] = toInt(r.value);
  }
  const mem = x.getLong('memory');
  if (mem.rc === 0) b.target_memkb = mem.value * 1024;
  const maxmem = x.getLong('maxmem');
  if (maxmem.rc === 0) b.max_memkb = maxmem.value * 1024;
}

export function parseLlcColors(env: ParseEnv): void {
  const l = env.x.getList('llc_colors');
  if (l.rc !== 0) return;
  const colors: number[] = [];
  for (let i = 0; i < l.value.count; i++) {
    const buf = l.value.item(i);
    if (buf === undefined) {
      env.err(`xl: Can't get element ${i} in LLC color list\n`);
      env.exit(1);
    }
    // sscanf("%u-%u") then sscanf("%u")
    const m2 = /^\s*([+-]?\d+)-\s*([+-]?\d+)/.exec(buf);
    let start: number;
    let end: number;
    if (m2) {
      start = u32(m2[1]!);
      end = u32(m2[2]!);
      if (start > end) {
        env.err(`xl: Start LLC color is greater than end: ${buf}\n`);
        env.exit(1);
      }
    } else {
      const m1 = /^\s*([+-]?\d+)/.exec(buf);
      if (!m1) {
        env.err(`xl: Invalid LLC color range: ${buf}\n`);
        env.exit(1);
      }
      start = end = u32(m1[1]!);
    }
    for (let k = start; k <= end; k++) colors.push(k);
  }
  env.d.b_info.llc_colors = colors;
}

export function parseVcpus(env: ParseEnv): void {
  const { x, d } = env;
  const b = d.b_info;
  let vcpus = 0;
  const v = x.getLong('vcpus');
  if (v.rc === 0) vcpus = v.value;
  // libxl assumes one vCPU when none is asked for, and so does the affinity code
  if (vcpus < 1) vcpus = 1;
  // libxl_cpu_bitmap_alloc takes an int: the long is truncated, a negative
  // result is refused, 0 means "as many as the host has"
  const n = toInt(vcpus);
  if (n < 0) {
    env.ctx.logger.log('error', 'libxl', 'libxl_utils.c:811:libxl_cpu_bitmap_alloc: invalid number of cpus provided');
    env.err('Unable to allocate cpumap\n');
    env.exit(1);
  }
  // bits beyond the map (whole bytes) are silently not set
  const bits = Math.ceil((n === 0 ? env.physinfo.nrCpus : n) / 8) * 8;
  const avail: Bitmap = [];
  for (let i = 0; i < Math.min(vcpus, bits); i++) avail.push(i);
  b.avail_vcpus = avail;

  const mv = x.getLong('maxvcpus');
  if (mv.rc === 0) b.max_vcpus = toInt(mv.value);

  const vuart = x.getString('vuart');
  if (vuart.rc === 0) {
    const t = enumFromString('vuart_type', vuart.value);
    if (t === undefined) {
      env.err(`ERROR: invalid value "${vuart.value}" for "vuart"\n`);
      env.exit(1);
    }
    b.arch_arm.vuart = t;
  }

  parseVnuma(env);

  if (b.max_memkb === undefined && b.target_memkb !== undefined) b.max_memkb = b.target_memkb;
  if (!b.max_vcpus) b.max_vcpus = toInt(vcpus);
  if (b.max_vcpus < vcpus) {
    env.err('xl: maxvcpus < vcpus\n');
    env.exit(1);
  }

  for (const [key, hard] of [['cpus', true], ['cpus_soft', false]] as const) {
    const list = x.getList(key, true);
    if (list.rc === 0) {
      parseVcpuAffinity(env, list.value.count, (i) => list.value.item(i), undefined, hard);
      continue;
    }
    const s = x.getString(key);
    if (s.rc === 0) parseVcpuAffinity(env, 0, () => undefined, s.value, hard);
  }
}

function parseVcpuAffinity(
  env: ParseEnv,
  numCpus: number,
  item: (i: number) => string | undefined,
  buf: string | undefined,
  hard: boolean,
): void {
  const b = env.d.b_info;
  const maxv = b.max_vcpus ?? 0;
  // entries beyond the last vCPU are ignored
  if (buf !== undefined || numCpus > maxv) numCpus = maxv;
  const maps: Bitmap[] = [];
  if (buf === undefined) {
    for (let j = 0; j < numCpus; j++) {
      const s = item(j);
      if (s === undefined) break;
      const m = parseCpurange(env, s);
      if (m === null) env.exit(1);
      maps.push(m);
    }
    // C allocates num_cpus maps; ones not reached stay empty
    while (maps.length < numCpus) maps.push([]);
    b.numa_placement = false;
  } else {
    const m = parseCpurange(env, buf);
    if (m === null) env.exit(1);
    for (let i = 0; i < maxv; i++) maps.push([...m]);
    if (!hard) b.numa_placement = false;
  }
  if (hard) b.vcpu_hard_affinity = maps;
  else b.vcpu_soft_affinity = maps;
}

export function parseGrantLimits(env: ParseEnv): void {
  const { x, d, g } = env;
  const b = d.b_info;
  // a bad value here ends xl silently (dont_warn)
  const limits = [
    ['max_grant_frames', 'max_grant_frames', g.maxGrantFrames],
    ['max_maptrack_frames', 'max_maptrack_frames', g.maxMaptrackFrames],
    ['max_grant_version', 'max_grant_version', g.maxGrantVersion],
  ] as const;
  for (const [key, field, dflt] of limits) {
    const r = x.getBoundedLong(key, 0, INT_MAX, true);
    if (r.rc === 0) b[field] = r.value;
    else if (r.rc === 3 /* ESRCH */) {
      // xl.conf's -1 is libxl's "default" (0xffffffff), i.e. absent
      if (dflt >= 0) b[field] = dflt;
    } else env.exit(1);
  }
  b.claim_mode = env.g.claimMode;
}

function toInt(v: number): number {
  return Number(BigInt.asIntN(32, BigInt(Math.trunc(v))));
}

function u32(s: string): number {
  return Number(BigInt.asUintN(32, BigInt(s)));
}
