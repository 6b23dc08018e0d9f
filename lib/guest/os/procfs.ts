/**
 * What the guest's informational commands print, from its description and
 * live numbers the caller passes in (`GuestLive`): free, /proc/meminfo,
 * /proc/cpuinfo, uname, nproc, ip addr, lsblk. Formats follow procps-ng 4.0
 * (free), Linux 6.1 (/proc files), iproute2 6.1 and util-linux 2.38 (lsblk).
 *
 * Public API:
 *   interface GuestLive { allocKiB; onlineVcpus; uptimeMs; workloadMiB; disks }
 *   memStats(d, live): MemStats       — the numbers free and meminfo agree on (KiB)
 *   freeCmd(d, live, unit: 'k'|'m'|'g'|'h'): string
 *   meminfo(d, live), cpuinfo(d, live), unameCmd(d, flags), ipAddr(d), lsblk(d, live)
 * All return text with \n line endings (the shell converts for the tty).
 */
import { sprintf } from '../../util/printf';
import { blkMajMin, blkName, rootPartition } from './blockdevs';
import { rngFor } from './ids';
import { ifName } from './linux-boot';
import { memTotalKiB } from './mem';
import { KERNEL, type GuestDesc, type OsDisk } from './types';

export interface GuestLive {
  /** the domain's current allocation (KiB): what the balloon driver left the kernel */
  allocKiB: number;
  /** vCPUs online (cpu/N/availability) */
  onlineVcpus: number;
  /** ms since the kernel started */
  uptimeMs: number;
  /** resident memory of a running workload (stress/memhog), MiB */
  workloadMiB: number;
  /** the disks now attached (the config's plus hot-plugged ones) */
  disks: OsDisk[];
}

export interface MemStats {
  total: number;
  free: number;
  available: number;
  used: number;
  buffers: number;
  cached: number;
  shared: number;
  slab: number;
}

export function memStats(d: GuestDesc, live: GuestLive): MemStats {
  const total = memTotalKiB(d, live.allocKiB);
  const jitter = rngFor(d.seed, 'meminfo').int(8192);
  const base = 98_304 + 4096 * live.onlineVcpus + jitter;
  const cached = Math.min(118_784 + jitter * 3, Math.floor(total / 6));
  const buffers = Math.min(9_216 + (jitter >> 2), Math.floor(total / 64));
  const slab = 38_912 + (jitter >> 1);
  const used = Math.min(total - 16_384, base + live.workloadMiB * 1024);
  const free = Math.max(8_192, total - used - cached - buffers);
  const available = Math.min(total, free + Math.floor(cached * 0.8) + buffers);
  return { total, free, available, used, buffers, cached, shared: 1_024 + (jitter >> 4), slab };
}

function scaleFree(kib: number, unit: 'k' | 'm' | 'g' | 'h'): string {
  if (unit === 'k') return String(kib);
  if (unit === 'm') return String(Math.floor(kib / 1024));
  if (unit === 'g') return String(Math.floor(kib / 1048576));
  if (kib < 1024) return `${kib}Ki`;
  if (kib < 1048576) return `${(kib / 1024).toFixed(kib < 10240 ? 1 : 0)}Mi`;
  return `${(kib / 1048576).toFixed(1)}Gi`;
}

export function freeCmd(d: GuestDesc, live: GuestLive, unit: 'k' | 'm' | 'g' | 'h'): string {
  const m = memStats(d, live);
  const f = (n: number) => scaleFree(n, unit);
  let s = '               total        used        free      shared  buff/cache   available\n';
  s += sprintf('%-8s %11s %11s %11s %11s %11s %11s\n', 'Mem:', f(m.total), f(m.used), f(m.free), f(m.shared), f(m.buffers + m.cached), f(m.available));
  s += sprintf('%-8s %11s %11s %11s\n', 'Swap:', f(0), f(0), f(0));
  return s;
}

export function meminfo(d: GuestDesc, live: GuestLive): string {
  const m = memStats(d, live);
  const anon = m.used - m.slab - 12_288;
  const rows: [string, number][] = [
    ['MemTotal', m.total],
    ['MemFree', m.free],
    ['MemAvailable', m.available],
    ['Buffers', m.buffers],
    ['Cached', m.cached],
    ['SwapCached', 0],
    ['Active', Math.floor(m.cached / 2) + anon],
    ['Inactive', Math.ceil(m.cached / 2) + m.buffers],
    ['Active(anon)', anon],
    ['Inactive(anon)', 0],
    ['Active(file)', Math.floor(m.cached / 2)],
    ['Inactive(file)', Math.ceil(m.cached / 2) + m.buffers],
    ['Unevictable', 0],
    ['Mlocked', 0],
    ['SwapTotal', 0],
    ['SwapFree', 0],
    ['Dirty', 28],
    ['Writeback', 0],
    ['AnonPages', anon],
    ['Mapped', 44_212],
    ['Shmem', m.shared],
    ['KReclaimable', Math.floor(m.slab / 2)],
    ['Slab', m.slab],
    ['SReclaimable', Math.floor(m.slab / 2)],
    ['SUnreclaim', Math.ceil(m.slab / 2)],
    ['KernelStack', 1_936 + 96 * live.onlineVcpus],
    ['PageTables', 2_348],
    ['CommitLimit', Math.floor(m.total / 2)],
    ['Committed_AS', m.used + 42_000],
    ['VmallocTotal', 34_359_738_367],
    ['VmallocUsed', 11_264],
    ['VmallocChunk', 0],
    ['Percpu', 648 * live.onlineVcpus],
    ['HardwareCorrupted', 0],
    ['AnonHugePages', 0],
  ];
  let s = '';
  for (const [k, v] of rows) s += sprintf('%-16s%8d kB\n', k + ':', v);
  s += 'HugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\nHugePages_Surp:        0\n';
  s += sprintf('%-16s%8d kB\n', 'Hugepagesize:', 2048);
  s += sprintf('%-16s%8d kB\n', 'Hugetlb:', 0);
  return s;
}

const CPU_MODEL = {
  Intel: { family: 6, model: 106, stepping: 6, name: 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz', cache: '49152 KB', microcode: '0xd0003a5' },
  AMD: { family: 25, model: 1, stepping: 1, name: 'AMD EPYC 7543 32-Core Processor', cache: '512 KB', microcode: '0xa0011d1' },
} as const;

function cpuFlags(d: GuestDesc): string {
  const common = 'fpu de tsc msr pae mce cx8 apic sep mca cmov pat clflush mmx fxsr sse sse2';
  const pv = d.type === 'pv';
  const hv = `${common}${pv ? '' : ' pse36'} ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm abm`;
  return hv + (pv ? ' fsgsbase bmi1 avx2 bmi2 erms rdseed adx clflushopt sha_ni xsaveopt xsavec xgetbv1' : ' fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid rdseed adx smap clflushopt sha_ni xsaveopt xsavec xgetbv1 arat');
}

export function cpuinfo(d: GuestDesc, live: GuestLive): string {
  const c = CPU_MODEL[d.cpu.vendor];
  const mhz = d.cpu.mhz + rngFor(d.seed, 'tsc').int(1000) / 1000;
  let s = '';
  for (let i = 0; i < live.onlineVcpus; i++) {
    s += `processor\t: ${i}\n`;
    s += `vendor_id\t: ${d.cpu.vendor === 'Intel' ? 'GenuineIntel' : 'AuthenticAMD'}\n`;
    s += `cpu family\t: ${c.family}\nmodel\t\t: ${c.model}\nmodel name\t: ${c.name}\nstepping\t: ${c.stepping}\n`;
    s += `microcode\t: ${c.microcode}\n`;
    s += `cpu MHz\t\t: ${mhz.toFixed(3)}\ncache size\t: ${c.cache}\n`;
    s += `physical id\t: 0\nsiblings\t: ${live.onlineVcpus}\ncore id\t\t: ${i}\ncpu cores\t: ${live.onlineVcpus}\n`;
    s += `apicid\t\t: ${d.type === 'pv' ? i : i * 2}\ninitial apicid\t: ${d.type === 'pv' ? i : i * 2}\n`;
    s += `fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 13\nwp\t\t: yes\n`;
    s += `flags\t\t: ${cpuFlags(d)}\n`;
    s += `bugs\t\t: spectre_v1 spectre_v2 spec_store_bypass swapgs\n`;
    s += `bogomips\t: ${(mhz * 2).toFixed(2)}\nclflush size\t: 64\ncache_alignment\t: 64\n`;
    s += `address sizes\t: 46 bits physical, 48 bits virtual\npower management:\n\n`;
  }
  return s;
}

/** uname with its flags (-a, -s, -n, -r, -v, -m, -o); undefined for an unknown flag. */
export function unameCmd(d: GuestDesc, flags: string[]): string | undefined {
  const f = new Set<string>();
  for (const a of flags) {
    if (a === '--all') f.add('a');
    else if (/^-[asnrvmpio]+$/.test(a)) for (const ch of a.slice(1)) f.add(ch);
    else return undefined;
  }
  if (f.has('a')) return `Linux ${d.name} ${KERNEL.release} ${KERNEL.version} x86_64 GNU/Linux\n`;
  if (f.size === 0) f.add('s');
  const parts: string[] = [];
  if (f.has('s')) parts.push('Linux');
  if (f.has('n')) parts.push(d.name);
  if (f.has('r')) parts.push(KERNEL.release);
  if (f.has('v')) parts.push(KERNEL.version);
  if (f.has('m')) parts.push('x86_64');
  if (f.has('p')) parts.push('unknown');
  if (f.has('i')) parts.push('unknown');
  if (f.has('o')) parts.push('GNU/Linux');
  return parts.join(' ') + '\n';
}

/** The EUI-64 link-local address SLAAC derives from a MAC. */
function linkLocal(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  b[0] = b[0]! ^ 0x02;
  const w = [(b[0]! << 8) | b[1]!, (b[2]! << 8) | 0xff, (0xfe << 8) | b[3]!, (b[4]! << 8) | b[5]!];
  return `fe80::${w.map((x) => x.toString(16)).join(':')}/64`;
}

export function ipAddr(d: GuestDesc): string {
  let s = '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n';
  s += '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n';
  s += '    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n';
  s += '    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n';
  d.nics.forEach((n, i) => {
    const name = ifName(d, i);
    s += `${i + 2}: ${name}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc ${d.type === 'hvm' && d.pvDrivers === false ? 'pfifo_fast' : 'mq'} state UP group default qlen 1000\n`;
    s += `    link/ether ${n.mac} brd ff:ff:ff:ff:ff:ff\n`;
    if (n.ipv4) {
      const [addr, len] = n.ipv4.split('/');
      const p = Number(len ?? 24);
      const a = addr!.split('.').map(Number);
      const ip = ((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0;
      const bcast = (ip | (p >= 32 ? 0 : 0xffffffff >>> p)) >>> 0;
      const bs = [bcast >>> 24, (bcast >>> 16) & 255, (bcast >>> 8) & 255, bcast & 255].join('.');
      s += `    inet ${addr}/${p} brd ${bs} scope global ${name}\n       valid_lft forever preferred_lft forever\n`;
    }
    s += `    inet6 ${linkLocal(n.mac)} scope link \n       valid_lft forever preferred_lft forever\n`;
  });
  return s;
}

function humanSize(mib: number): string {
  if (mib >= 1024 && mib % 1024 === 0) return `${mib / 1024}G`;
  if (mib >= 1024) return `${(mib / 1024).toFixed(1).replace(/\.0$/, '')}G`;
  return `${mib}M`;
}

export function lsblk(d: GuestDesc, live: GuestLive): string {
  const dd: GuestDesc = { ...d, disks: live.disks };
  const root = rootPartition(dd);
  const rows: string[][] = [['NAME', 'MAJ:MIN', 'RM', 'SIZE', 'RO', 'TYPE', 'MOUNTPOINTS']];
  const disks = [...live.disks].sort((a, b) => (blkName(dd, a) < blkName(dd, b) ? -1 : 1));
  for (const disk of disks) {
    const i = live.disks.indexOf(disk);
    const name = blkName(dd, disk);
    const size = disk.cdrom ? (disk.sizeMiB ?? 628) : (disk.sizeMiB ?? (i === 0 ? 10240 : 20480));
    const rom = name.startsWith('sr');
    const ro = disk.readonly || disk.cdrom ? '1' : '0';
    const whole = root && root.disk === disk && !root.partitioned;
    rows.push([name, blkMajMin(dd, disk), disk.cdrom ? '1' : '0', humanSize(size), ro, rom ? 'rom' : 'disk', whole ? '/' : '']);
    if (root && root.disk === disk && root.partitioned) {
      rows.push(['└─' + root.part, blkMajMin(dd, disk, 1), '0', humanSize(size - 1), '0', 'part', '/']);
    }
  }
  const w = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...r[c]!].length)));
  // util-linux left-aligns NAME/TYPE/MOUNTPOINTS, right-aligns the numbers (MAJ:MIN on its colon)
  const majw = Math.max(...rows.slice(1).map((r) => r[1]!.indexOf(':')));
  return (
    rows
      .map((r, ri) => {
        const name = r[0]! + ' '.repeat(w[0]! - [...r[0]!].length);
        const mm = ri === 0 ? r[1]!.padEnd(w[1]!) : (' '.repeat(majw - r[1]!.indexOf(':')) + r[1]!).padEnd(w[1]!);
        return [name, mm, r[2]!.padStart(2), r[3]!.padStart(Math.max(5, w[3]!)), r[4]!.padStart(2), r[5]!.padEnd(4), r[6]!].join(' ');
      })
      .join('\n') + '\n'
  );
}
