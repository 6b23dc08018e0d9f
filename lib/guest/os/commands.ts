/**
 * The commands the guest's shell knows (bash on Debian 12, with the
 * coreutils/procps/iproute2/util-linux/xen-utils a learner reaches for).
 * Each returns what it prints and the effects it has; the line discipline
 * and login live in shell.ts.
 */
import { freeCmd, ipAddr, lsblk, meminfo, cpuinfo, unameCmd, type GuestLive } from './procfs';
import { shutdownSequence, sysrqKey, type KernelEvent } from './sysrq';
import { effectiveCmdline, ktime, type ConsoleSetup } from './consoles';
import { xenstoreList, xenstoreLs, xenstoreRead, type GuestXs } from './xsclient';
import { altp2mTool, memTool } from './altp2m-cmds';
import type { GuestHv } from './hvcalls';
import { KERNEL, type Chunk, type GuestDesc, type OsAction, type TtyChannel } from './types';

/** What the shell may ask of the world it runs in (read-only; effects are returned). */
export interface ShellEnv {
  desc: GuestDesc;
  consoles: ConsoleSetup;
  live(): GuestLive;
  /** the kernel log so far, formatted as dmesg prints it */
  dmesg(): string[];
  xs: GuestXs;
  /** the altp2m instructions and hypercalls, and raw guest-physical accesses */
  hv?: GuestHv;
}

export interface CmdResult {
  out: string;
  later?: Chunk[];
  actions?: OsAction[];
  dmesg?: string[];
  /** the shell stops taking commands: 'busy' until Ctrl-C or `busyUntilMs`, 'down' for good, 'logout' */
  next?: 'busy' | 'down' | 'logout';
  busyUntilMs?: number;
  /** printed when a busy command ends by itself at busyUntilMs */
  busyTail?: string;
}

export const PID = { shell: 612, child: 613 } as const;

const HELP = `xlsim guest shell — commands this simulated Debian guest understands:
  poweroff | halt | reboot | shutdown -h now | shutdown -r now | systemctl poweroff|reboot|halt
  echo c > /proc/sysrq-trigger     crash the kernel (also b o s u h, any SysRq key)
  free [-m|-g|-h]   nproc   uname [-a]   dmesg   ip addr   lsblk   uptime   hostname
  cat /proc/cpuinfo|meminfo|cmdline|version|uptime   cat /sys/hypervisor/type|guest_type
  xenstore-read PATH   xenstore-ls [PATH]   xenstore-list PATH   (with this guest's permissions)
  stress --vm N --vm-bytes SIZE [--timeout Ns]   memhog [-rN] SIZE   dirty guest memory
  altp2m view|switch VIEW|ve-enable [GFN]|ve-disable [-c CPU]   peek GFN   poke GFN [VALUE]
  stress --hdd N [--timeout Ns]    write to the root disk (N x 64 MiB/s, xentop VBD_WR)
  clear   exit | logout   (Ctrl-C stops a running command)
`;

/** "512M", "1G", "4096k", plain bytes → MiB (stress and memhog take these) */
export function parseSize(s: string): number | undefined {
  const m = /^(\d+)([bBkKmMgG]?)$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]!.toLowerCase()) {
    case 'g':
      return n * 1024;
    case 'm':
      return n;
    case 'k':
      return n / 1024;
    default:
      return n / (1024 * 1024);
  }
}

function readFile(env: ShellEnv, path: string): string | undefined {
  const d = env.desc;
  const live = env.live();
  switch (path) {
    case '/proc/cpuinfo':
      return cpuinfo(d, live);
    case '/proc/meminfo':
      return meminfo(d, live);
    case '/proc/cmdline':
      return effectiveCmdline(d) + '\n';
    case '/proc/version':
      return `Linux version ${KERNEL.release} (${KERNEL.builder}) (${KERNEL.compiler}) ${KERNEL.version}\n`;
    case '/proc/uptime': {
      const up = live.uptimeMs / 1000;
      return `${up.toFixed(2)} ${(up * live.onlineVcpus * 0.97).toFixed(2)}\n`;
    }
    case '/etc/hostname':
    case '/proc/sys/kernel/hostname':
      return d.name + '\n';
    case '/etc/debian_version':
      return '12.8\n';
    case '/sys/hypervisor/type':
      return 'xen\n';
    case '/sys/hypervisor/guest_type':
      return d.type.toUpperCase() + '\n';
    default:
      return undefined;
  }
}

function sysrq(env: ShellEnv, key: string, uptimeMs: number): CmdResult {
  const ev: KernelEvent = sysrqKey(env.desc, env.consoles, key, uptimeMs, 'proc');
  const down = ev.actions.length > 0;
  return { out: '', later: ev.chunks, actions: ev.actions, dmesg: ev.dmesg, next: down ? 'down' : undefined };
}

function power(env: ShellEnv, kind: 'poweroff' | 'reboot' | 'halt'): CmdResult {
  const ev = shutdownSequence(env.desc, env.consoles, kind, env.live().uptimeMs);
  return { out: '', later: ev.chunks, actions: ev.actions, dmesg: ev.dmesg, next: 'down' };
}

/** what one `stress --hdd` worker writes a second (write(2) of 1 MiB blocks, then unlink) */
export const HDD_WORKER_BPS = 64 * 1024 * 1024;
/** the virtual disk's write ceiling, however many workers share it */
export const DISK_WRITE_MAX_BPS = 256 * 1024 * 1024;

function ioAction(atMs: number, write: number): OsAction {
  return { atMs, kind: 'io', netTx: 0, netRx: 0, read: 0, write };
}

function stress(env: ShellEnv, args: string[]): CmdResult {
  let vm = 0;
  let hdd = 0;
  let bytes = 256;
  let timeout = 0;
  const bad = (v: string | number): CmdResult => ({ out: `stress: FAIL: [${PID.shell}] (542) invalid number: ${v}\n` });
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = args[i + 1];
    if ((a === '--vm' || a === '-m') && v) (vm = Number(v)), i++;
    else if ((a === '--hdd' || a === '-d') && v) (hdd = Number(v)), i++;
    else if (a === '--vm-bytes' && v) {
      const s = parseSize(v);
      if (s === undefined) return bad(v);
      bytes = s;
      i++;
    } else if (a === '--hdd-bytes' && v) {
      if (parseSize(v) === undefined) return bad(v);
      i++;
    } else if ((a === '--timeout' || a === '-t') && v) (timeout = Number(v.replace(/s$/, ''))), i++;
    else if ((a === '--cpu' || a === '-c' || a === '--io' || a === '-i') && v) i++;
  }
  if (!Number.isInteger(vm) || vm < 0) return bad(vm);
  if (!Number.isInteger(hdd) || hdd < 0) return bad(hdd);
  let out = `stress: info: [${PID.shell}] dispatching hogs: 0 cpu, 0 io, ${vm} vm, ${hdd} hdd\n`;
  if (vm === 0 && hdd === 0) return { out: out + `stress: info: [${PID.shell}] successful run completed in 0s\n` };
  // hdd workers write files on the root filesystem: blkfront turns that into write requests
  const write = Math.min(DISK_WRITE_MAX_BPS, hdd * HDD_WORKER_BPS);
  const wss = vm * bytes;
  const live = env.live();
  const avail = Math.floor((live.allocKiB / 1024) * 0.85) - 160 - live.workloadMiB;
  const rate = vm * Math.min(1024, Math.max(64, bytes * 4));
  if (vm > 0 && wss > avail) {
    const at = 800;
    const k = `Out of memory: Killed process ${PID.child} (stress) total-vm:${Math.round(bytes * 1024 + 3752)}kB, anon-rss:${Math.round(avail * 1024)}kB, file-rss:4kB, shmem-rss:0kB, UID:0 pgtables:${Math.round(avail * 2 + 48)}kB oom_score_adj:0`;
    const stamp = ktime(live.uptimeMs + at);
    const later: Chunk[] = env.consoles.kernel.map((c) => ({ atMs: at, channel: c, text: stamp + k + '\r\n' }));
    const actions: OsAction[] = [
      { atMs: 0, kind: 'workload', dirtyRateMiBs: rate, wssMiB: avail },
      { atMs: at, kind: 'workload', dirtyRateMiBs: 0, wssMiB: 0 },
    ];
    // stress stops every worker once one fails
    if (hdd > 0) actions.splice(1, 0, ioAction(0, write)), actions.push(ioAction(at, 0));
    return {
      out,
      later,
      dmesg: [stamp + k],
      actions,
      next: 'busy',
      busyUntilMs: at + 5,
      busyTail: `stress: FAIL: [${PID.shell}] (425) <-- worker ${PID.child} got signal 9\nstress: WARN: [${PID.shell}] (427) now reaping child worker processes\nstress: FAIL: [${PID.shell}] (461) failed run completed in 1s\n`,
    };
  }
  const actions: OsAction[] = [];
  if (vm > 0) actions.push({ atMs: 0, kind: 'workload', dirtyRateMiBs: rate, wssMiB: wss });
  if (hdd > 0) actions.push(ioAction(0, write));
  if (timeout > 0) {
    if (vm > 0) actions.push({ atMs: timeout * 1000, kind: 'workload', dirtyRateMiBs: 0, wssMiB: 0 });
    if (hdd > 0) actions.push(ioAction(timeout * 1000, 0));
    return { out, actions, next: 'busy', busyUntilMs: timeout * 1000, busyTail: `stress: info: [${PID.shell}] successful run completed in ${timeout}s\n` };
  }
  return { out, actions, next: 'busy' };
}

function memhog(env: ShellEnv, args: string[]): CmdResult {
  let reps = 1;
  let size: number | undefined;
  for (const a of args) {
    if (/^-r\d+$/.test(a)) reps = Number(a.slice(2));
    else size = parseSize(a);
  }
  if (size === undefined) return { out: 'memhog [-fFILE [-rNUM]] size[kmg] [policy [nodeset]]\n' };
  const rate = 512;
  const ms = Math.max(100, Math.round(((size * reps) / rate) * 1000));
  return {
    out: '',
    actions: [
      { atMs: 0, kind: 'workload', dirtyRateMiBs: rate, wssMiB: size },
      { atMs: ms, kind: 'workload', dirtyRateMiBs: 0, wssMiB: 0 },
    ],
    next: 'busy',
    busyUntilMs: ms,
    busyTail: '.'.repeat(Math.min(64, Math.ceil(size / 16)) * reps) + '\n',
  };
}

function uptimeLine(live: GuestLive): string {
  const s = Math.floor(live.uptimeMs / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const up = h > 0 ? `${h}:${String(m).padStart(2, '0')}` : `${m} min`;
  return ` up ${up},  1 user,  load average: 0.00, 0.00, 0.00\n`;
}

/** Run one simple command (argv already split; redirection already taken apart). */
export function runCommand(env: ShellEnv, argv: string[], redirect: string | undefined, tty: TtyChannel): CmdResult {
  const d = env.desc;
  const [cmd, ...args] = argv;
  if (cmd === undefined) return { out: '' };
  switch (cmd) {
    case 'help':
      return { out: HELP };
    case 'echo': {
      const text = args.join(' ');
      if (redirect === '/proc/sysrq-trigger') return text === '' ? { out: '' } : sysrq(env, text[0]!, env.live().uptimeMs);
      if (redirect) return { out: '' };
      return { out: text + '\n' };
    }
    case 'poweroff':
      return power(env, 'poweroff');
    case 'reboot':
      return power(env, 'reboot');
    case 'halt':
      return power(env, 'halt');
    case 'shutdown': {
      const now = args.includes('now') || args.includes('+0');
      if (!now) return { out: 'Shutdown scheduled, use \'shutdown -c\' to cancel.\n' };
      if (args.includes('-r') || args.includes('--reboot')) return power(env, 'reboot');
      if (args.includes('-H') || args.includes('--halt')) return power(env, 'halt');
      return power(env, 'poweroff');
    }
    case 'systemctl':
      if (args[0] === 'poweroff' || args[0] === 'reboot' || args[0] === 'halt') return power(env, args[0]);
      return { out: `Unknown command verb ${args[0] ?? ''}.\n` };
    case 'init':
      if (args[0] === '0') return power(env, 'poweroff');
      if (args[0] === '6') return power(env, 'reboot');
      return { out: '' };
    case 'free': {
      const unit = args.includes('-m') ? 'm' : args.includes('-g') ? 'g' : args.includes('-h') ? 'h' : 'k';
      return { out: freeCmd(d, env.live(), unit) };
    }
    case 'nproc':
      return { out: `${env.live().onlineVcpus}\n` };
    case 'uname': {
      const u = unameCmd(d, args);
      return u === undefined ? { out: `uname: invalid option -- '${(args[0] ?? '').replace(/^-+/, '')[0] ?? ''}'\nTry 'uname --help' for more information.\n` } : { out: u };
    }
    case 'hostname':
      return { out: d.name + '\n' };
    case 'uptime':
      return { out: uptimeLine(env.live()) };
    case 'whoami':
      return { out: 'root\n' };
    case 'id':
      return { out: 'uid=0(root) gid=0(root) groups=0(root)\n' };
    case 'tty':
      return { out: `/dev/${tty === 'pv' ? 'hvc0' : 'ttyS0'}\n` };
    case 'dmesg':
      return { out: env.dmesg().join('\n') + '\n' };
    case 'ip':
      if (args.length === 0) return { out: 'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n' };
      if (['a', 'addr', 'address'].includes(args[0]!)) return { out: ipAddr(d) };
      if (args[0] === 'link' || args[0] === 'l')
        return {
          out: ipAddr(d)
            .split('\n')
            .filter((l) => /^\d+:|link\//.test(l))
            .join('\n') + '\n',
        };
      return { out: `Object "${args[0]}" is unknown, try "ip help".\n` };
    case 'lsblk':
      return { out: lsblk(d, env.live()) };
    case 'cat': {
      let out = '';
      for (const f of args) {
        const c = readFile(env, f);
        out += c ?? `cat: ${f}: No such file or directory\n`;
      }
      return { out };
    }
    case 'xenstore-read':
    case 'xenstore-list':
    case 'xenstore-ls': {
      const r = cmd === 'xenstore-read' ? xenstoreRead(env.xs, d.domid, args) : cmd === 'xenstore-list' ? xenstoreList(env.xs, d.domid, args) : xenstoreLs(env.xs, d.domid, args);
      return { out: r.stdout + r.stderr };
    }
    case 'stress':
      return stress(env, args);
    case 'memhog':
      return memhog(env, args);
    case 'altp2m':
      return altp2mTool(env.hv, args, env.live().onlineVcpus);
    case 'peek':
    case 'poke':
      return memTool(env.hv, cmd, args, env.live().onlineVcpus);
    case 'clear':
      return { out: '\x1b[H\x1b[2J' };
    case 'true':
    case ':':
      return { out: '' };
    case 'exit':
    case 'logout':
      return { out: 'logout\n', next: 'logout' };
    default:
      return { out: `-bash: ${cmd}: command not found\n` };
  }
}
