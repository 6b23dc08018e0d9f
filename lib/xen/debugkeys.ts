/**
 * XEN_SYSCTL_debug_keys: each key runs its handler, whose output goes to
 * the console ring (xl prints nothing). The handler table is the one an x86
 * release build registers; keys without a handler are ignored silently.
 */
import { bitmapList } from './cpumask';
import { loglvlName } from './console';
import type { XenCore } from './core';
import { ok, type XenResult } from './errno';
import type { XenDomainData, XenHostData } from './types';
import { vcpuRunning } from './vcpu-time';
import { shadowEnabled } from './paging';
import { blowAllShadowTables } from './paging-ops';

interface KeyDesc {
  desc: string;
  /** build/hardware condition */
  when?: (h: XenHostData) => boolean;
}

const intel = (h: XenHostData) => h.vendor === 'Intel';
const amd = (h: XenHostData) => h.vendor === 'AMD';
const debugBuild = (h: XenHostData) => h.version.debug;

const KEYS: Record<string, KeyDesc[]> = {
  '*': [{ desc: 'print all diagnostics' }],
  '+': [{ desc: 'increase log level threshold' }],
  '-': [{ desc: 'decrease log level threshold' }],
  '0': [{ desc: 'dump Dom0 registers' }],
  '?': [{ desc: 'show system information' }],
  A: [{ desc: 'toggle alternative key handling' }],
  C: [{ desc: 'trigger a crashdump' }],
  D: [{ desc: 'dump VT-x EPT tables', when: (h) => intel(h) && h.caps.hap }],
  G: [{ desc: 'toggle host/guest log level adjustment' }],
  H: [{ desc: 'dump heap info' }],
  I: [{ desc: 'dump HVM irq info' }],
  M: [{ desc: 'dump MSI state' }],
  N: [{ desc: 'trigger an NMI' }],
  O: [{ desc: 'toggle shadow audits', when: debugBuild }],
  Q: [{ desc: 'dump PCI devices' }],
  R: [{ desc: 'reboot machine' }],
  S: [{ desc: 'reset shadow pagetables', when: debugBuild }],
  V: [
    { desc: 'dump iommu info', when: (h) => intel(h) && h.caps.directio },
    { desc: 'dump IOMMU intremap tables', when: (h) => amd(h) && h.caps.directio },
  ],
  a: [{ desc: 'dump timer queues' }],
  c: [{ desc: 'dump ACPI Cx structures' }],
  d: [{ desc: 'dump registers' }],
  e: [{ desc: 'dump evtchn info' }],
  g: [{ desc: 'print grant table usage' }],
  h: [{ desc: 'show this message' }],
  i: [{ desc: 'dump interrupt bindings' }],
  m: [{ desc: 'memory info' }],
  n: [{ desc: 'NMI statistics' }],
  o: [{ desc: 'dump iommu page tables', when: (h) => h.caps.directio }],
  q: [{ desc: 'dump domain (and guest debug) info' }],
  r: [{ desc: 'dump run queues' }],
  s: [{ desc: 'dump softtsc stats' }],
  t: [{ desc: 'display multi-cpu clock info' }],
  u: [{ desc: 'dump NUMA info' }],
  v: [
    { desc: 'dump VT-x VMCSs', when: intel },
    { desc: 'dump AMD-V VMCBs', when: amd },
  ],
  w: [{ desc: 'synchronously dump console ring buffer (dmesg)' }],
  x: [{ desc: 'print livepatch info' }],
  z: [{ desc: 'dump IOAPIC info' }],
};

export function keyDescription(host: XenHostData, key: string): string | undefined {
  return KEYS[key]?.find((k) => !k.when || k.when(host))?.desc;
}

/** Registered keys in ASCII order. */
export function registeredKeys(host: XenHostData): string[] {
  return Object.keys(KEYS)
    .filter((k) => keyDescription(host, k) !== undefined)
    .sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0));
}

function handleHex(uuid: string): string {
  return uuid.toLowerCase();
}

function dumpDomain(out: string[], d: XenDomainData, host: XenHostData, now: number): void {
  const pause = d.controllerPause + (d.dying !== 'alive' ? 1 : 0) + (d.shutdown !== 'none' ? 1 : 0);
  out.push(`General information for domain ${d.domid}:`);
  out.push(`    refcnt=${3 + d.extraRefs} dying=${d.dying === 'alive' ? 0 : d.dying === 'dying' ? 1 : 2} pause_count=${pause}`);
  out.push(
    `    nr_pages=${d.totPages} xenheap_pages=${d.hvm ? 0 : 5} shared_pages=${d.sharedPages} paged_pages=${d.pagedPages} dirty_cpus={${bitmapList(
      d.vcpus.filter((v) => vcpuRunning(d, v, now)).map((v) => v.cpu),
    )}} max_pages=${d.maxPages}`,
  );
  out.push(`    handle=${handleHex(d.handle)} vm_assist=${d.vmAssist.toString(16).padStart(8, '0')}`);
  const paging = pagingAssistance(d);
  if (paging) out.push(`    paging assistance: ${paging}`);
  out.push(`Rangesets belonging to domain ${d.domid}:`);
  if (d.hwdom) {
    out.push('    I/O Ports  { 0-1f, 22-3f, 44-60, 62-9f, a2-cfb, d00-ffff }');
    out.push('    I/O Memory { 0-febff, fec01-fedff, fee01-ffffffffff }');
    out.push(`    Interrupts { 1-${Math.max(23, 31 + host.nrCpus * 8)} }`);
  } else {
    out.push('    I/O Ports  { }');
    out.push('    I/O Memory { }');
    out.push('    Interrupts { }');
  }
  out.push(`Memory pages belonging to domain ${d.domid}:`);
  if (d.totPages >= 10 && d.dying !== 'dead') out.push('    DomPage list too long to display');
  if (d.hvm) out.push(`    PoD entries=${d.podEntries} cachesize=${d.podCache}`);
  if (!d.hvm) {
    out.push(`    XenPage 0000000000${(0x84a000 + d.domid * 16).toString(16)}: caf=c000000000000002, taf=e400000000000002`);
  }
  const nodes = new Set<number>();
  for (const v of d.vcpus) for (const c of v.hardAffinity) nodes.add(host.pcpus[c]?.node ?? 0);
  out.push(`NODE affinity for domain ${d.domid}: [${bitmapList([...nodes])}]`);
  out.push(`VCPU information and callbacks for domain ${d.domid}:`);
  for (const v of d.vcpus) {
    const running = vcpuRunning(d, v, now);
    out.push(`  UNIT${v.id} affinities: hard={${bitmapList(v.hardAffinity)}} soft={${bitmapList(v.softAffinity)}}`);
    out.push(`    VCPU${v.id}: CPU${v.cpu} [has=${running ? 'T' : 'F'}] poll=0 upcall_pend=00 upcall_mask=00 `);
    const vpause = (v.pausedForShutdown ? 1 : 0) + (d.dying !== 'alive' ? 1 : 0);
    const flags = (v.blocked ? 1 : 0) | (v.online ? 0 : 0x10);
    out.push(`    pause_count=${vpause} pause_flags=${flags.toString(16)}`);
    if (d.pagingMode === 'hap') out.push('    paging assistance: hap, 4 levels');
    else if (shadowEnabled(d)) out.push('    paging assistance: shadowed 4-on-4');
    out.push('No periodic timer');
  }
}

/** paging_dump_domain_info: the mode bits, in Xen's order, each followed by a space */
function pagingAssistance(d: XenDomainData): string | undefined {
  const logDirty = d.paging?.logDirty !== undefined;
  if (d.pagingMode === 'none' && !logDirty) return undefined;
  const words: string[] = [];
  if (shadowEnabled(d)) words.push('shadow');
  if (d.pagingMode === 'hap') words.push('hap');
  if (d.hvm) words.push('refcounts');
  if (logDirty) words.push('log_dirty');
  if (d.hvm) words.push('translate', 'external');
  return words.map((w) => `${w} `).join('');
}

function dumpDomains(x: XenCore, key: string): string[] {
  const now = x.now();
  const out = [`'${key}' pressed -> dumping domain info (now = ${now - x.host.bootNs})`];
  const doms = x.all();
  for (const d of doms) dumpDomain(out, d, x.host, now);
  for (const d of doms) {
    for (const v of d.vcpus) out.push(`Notifying guest ${d.domid}:${v.id} (virq 1, port ${v.online ? 1 + v.id * 6 : 0})`);
  }
  return out;
}

function regs(out: string[], host: XenHostData, cpu: number, ctx: string): void {
  const r = (n: number) => (0xffff82d040000000 + n * 0x1000).toString(16);
  const v = host.version;
  out.push(`*** Dumping CPU${cpu} ${ctx} state: ***`);
  out.push(`----[ Xen-${v.major}.${v.minor}${v.extra}  x86_64  debug=${v.debug ? 'y' : 'n'}  Not tainted ]----`);
  out.push(`CPU:    ${cpu}`);
  out.push(`RIP:    e008:[<${r(cpu % 7)}>] arch/x86/acpi/cpu_idle.c#acpi_idle_do_entry+0xb1/0xc0`);
  out.push(`RFLAGS: 0000000000000246   CONTEXT: hypervisor`);
  out.push(`rax: 0000000000000000   rbx: 0000000000000000   rcx: 0000000000000008`);
  out.push(`rdx: 0000000000000000   rsi: ffff830000000000   rdi: ffff83${cpu.toString(16).padStart(2, '0')}3fffd4c0`);
  out.push(`cr0: 000000008005003b   cr4: 00000000003526e0`);
  out.push(`cr3: 00000008409e1000   cr2: 0000000000000000`);
}

function dumpRegisters(x: XenCore, key: string): string[] {
  const out = [`'${key}' pressed -> dumping registers`, ''];
  const host = x.host;
  const now = x.now();
  const onCpu = new Map<number, string>();
  for (const d of x.all()) for (const v of d.vcpus) if (vcpuRunning(d, v, now)) onCpu.set(v.cpu, `d${d.domid}v${v.id}`);
  for (const c of host.pcpus) {
    regs(out, host, c.id, 'host');
    const g = onCpu.get(c.id);
    if (g) out.push(`*** Dumping CPU${c.id} guest state (${g}): ***`);
  }
  return out;
}

function dumpRunq(x: XenCore, key: string): string[] {
  const host = x.host;
  const now = x.now();
  const out = [`'${key}' pressed -> dumping run queues`];
  out.push(`sched_smt_power_savings: disabled`);
  out.push(`NOW=${now - host.bootNs}`);
  for (const pool of host.cpupools) {
    out.push(`CPUs info:`);
    out.push(`Cpupool ${pool.id}:`);
    out.push(`Cpus: ${bitmapList(pool.cpus)}`);
    out.push(`Scheduling granularity: cpu, 1 CPU per sched-resource`);
    out.push(`Scheduler: ${host.scheduler === 'credit' ? 'SMP Credit Scheduler (credit)' : 'SMP Credit Scheduler rev2 (credit2)'}`);
    out.push(`Active queues: ${host.sockets}`);
    out.push(`Domain info:`);
    for (const d of x.all().filter((dd) => dd.cpupool === pool.id && dd.dying === 'alive')) {
      out.push(`\tDomain: ${d.domid} w ${d.sched.weight} c ${d.sched.cap} v ${d.vcpus.length}`);
      for (const v of d.vcpus) {
        out.push(`\t  ${d.domid}: [${d.domid}.${v.id}] flags=${vcpuRunning(d, v, now) ? 2 : 0} cpu=${v.cpu} credit=10500000 [w=${d.sched.weight}] load=${Math.round(((v.load ?? d.load) * 262144))} (~${Math.round((v.load ?? d.load) * 100)}%)`);
      }
    }
  }
  return out;
}

function memInfo(x: XenCore): string[] {
  const h = x.host;
  const out = ['Physical memory information:', '    Xen heap: 0kB free'];
  for (const n of h.nodes) out.push(`    heap[node=${n.id}]: ${Math.floor((h.freePages * n.pages) / h.totalPages) * 4}kB free`);
  out.push(`    Dom heap: ${h.freePages * 4}kB free`);
  return out;
}

function systemInfo(x: XenCore, key: string): string[] {
  const h = x.host;
  const v = h.version;
  return [
    `'${key}' pressed -> showing system information`,
    `Xen version ${v.major}.${v.minor}${v.extra} (${v.compileBy}@${v.compileDomain}) (${v.compiler}) debug=${v.debug ? 'y' : 'n'} ${v.compileDate}`,
    `Latest ChangeSet: ${v.changeset}`,
    `build-id: ${v.buildId}`,
    `Command line: ${h.commandline}`,
  ];
}

/** The lines one key produces, plus its side effects on the host. */
function runKey(x: XenCore, key: string): string[] {
  const host = x.host;
  switch (key) {
    case 'h': {
      const out = [`'h' pressed -> showing installed handlers`];
      for (const k of registeredKeys(host)) {
        out.push(` key '${k}' (ascii '${k.charCodeAt(0).toString(16).padStart(2, '0')}') => ${keyDescription(host, k)}`);
      }
      return out;
    }
    case 'q':
      return dumpDomains(x, key);
    case 'd':
      return dumpRegisters(x, key);
    case 'r':
      return dumpRunq(x, key);
    case '0':
      return [`'0' pressed -> dumping Dom0's registers`, ...x.all().filter((d) => d.hwdom).flatMap((d) => d.vcpus.map((vv) => `*** Dumping Dom${d.domid} vcpu#${vv.id} state: ***`))];
    case 'm':
      return memInfo(x);
    case '?':
      return systemInfo(x, key);
    case 't':
      return [`Synced stime skew: max=0ns avg=0ns samples=1 current=0ns`, `Synced cycles skew: max=0 avg=0 samples=1 current=0`];
    case 'u':
      return [
        `'u' pressed -> dumping numa info (now = ${x.now() - host.bootNs})`,
        ...host.nodes.map((n) => `NODE${n.id} start->${n.id * n.pages} size->${n.pages} free->${Math.floor((x.host.freePages * n.pages) / host.totalPages)}`),
      ];
    case 'H':
      return [`'H' pressed -> dumping heap info (now = ${x.now() - host.bootNs})`, ...host.nodes.map((n) => `heap[node=${n.id}][zone=40] -> ${Math.floor((host.freePages * n.pages) / host.totalPages)} pages`)];
    case 'e':
      return [`'e' pressed -> dumping event-channel info`];
    case 'I':
      return [`'I' pressed -> dumping HVM irq info`];
    case 'c':
      return [`'c' pressed -> printing ACPI Cx structures`];
    case 'w':
      return [`'w' pressed -> dumping console ring buffer (dmesg)`];
    case 'C':
      return [`'C' pressed -> triggering crashdump`];
    case 'R':
      return [`'R' pressed -> rebooting machine`];
    case 'S':
      blowAllShadowTables(x);
      return [`'S' pressed -> blowing all shadow tables`];
    case 'O': {
      const on = !host.opts.shadowAudit;
      if (on) host.opts.shadowAudit = true;
      else delete host.opts.shadowAudit;
      x.hostChanged();
      return [`shadow_audit_key shadow_audit_enable=${on ? 1 : 0}`];
    }
    case '+':
    case '-': {
      const o = host.opts;
      const guest = hostGuestToggle(host);
      let lower = guest ? o.guestLower : o.logLower;
      let upper = guest ? o.guestUpper : o.logUpper;
      if (key === '+') lower++;
      else if (lower > 0) lower--;
      if (upper < lower) upper = lower;
      if (guest) [o.guestLower, o.guestUpper] = [lower, upper];
      else [o.logLower, o.logUpper] = [lower, upper];
      x.hostChanged();
      return [`'${key}' pressed -> ${guest ? 'guest' : 'standard'} log level: ${loglvlName(lower)} (rate limited ${loglvlName(upper)})`];
    }
    case 'G': {
      const on = !hostGuestToggle(host);
      guestToggle.set(host, on);
      return [`'G' pressed -> ${on ? 'guest' : 'standard'} log level adjustments enabled`];
    }
    case 'A':
      return [`'A' pressed -> using alternative key handling`];
    case '*': {
      const out = [`'*' pressed -> firing all diagnostic keyhandlers`];
      for (const k of ['d', 'q', 'r', 'm', 'u', 'H', 'e', 'I', 'c']) {
        out.push(`[${k}: ${keyDescription(host, k)}]`);
        out.push(...runKey(x, k));
      }
      out.push(`[h: show this message]`);
      return out;
    }
    default:
      return [];
  }
}

// The +/- keys act on the host or guest threshold depending on 'G'; Xen
// keeps that toggle in memory only, so it does not outlive a command here.
const guestToggle = new WeakMap<XenHostData, boolean>();
function hostGuestToggle(h: XenHostData): boolean {
  return guestToggle.get(h) ?? false;
}

export interface DebugKeysOutcome {
  /** 'R' asks the machine to reboot */
  reboot: boolean;
}

/**
 * Run the keys in order. Output is printed in "log everything" mode, as
 * handle_keypress does, so it enters the ring whatever the threshold.
 */
export function debugKeys(x: XenCore, keys: string): XenResult<DebugKeysOutcome> {
  let reboot = false;
  for (const k of keys) {
    if (keyDescription(x.host, k) === undefined) continue;
    for (const line of runKey(x, k)) x.logAlways(line);
    if (k === 'R') reboot = true;
  }
  return ok({ reboot });
}
