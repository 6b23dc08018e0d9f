/**
 * The hypervisor's boot messages for a simulated host: the lines Xen 4.20
 * prints on the way from the bootloader to dom0, with values computed from
 * the profile so they agree with `xl info`. Deterministic: no clock, no
 * randomness.
 */
import { loglvlBanner } from './console';
import type { ConsoleLevel, XenDomainData, XenHostData } from './types';

export interface BootLine {
  text: string;
  level: ConsoleLevel;
}

const hex16 = (n: number) => n.toString(16).padStart(16, '0');

function cpuidLine(host: XenHostData): string {
  return host.vendor === 'Intel'
    ? 'CPU Vendor: Intel, Family 6 (0x6), Model 106 (0x6a), Stepping 6 (raw 000606a6)'
    : 'CPU Vendor: AMD, Family 25 (0x19), Model 1 (0x1), Stepping 1 (raw 00a00f11)';
}

function e820(host: XenHostData): string[] {
  const ramTop = host.totalPages * 4096 + 0x100000000 - 0xc0000000;
  const rows: [number, number, string][] = [
    [0x0, 0x9bfff, 'usable'],
    [0x9c000, 0xfffff, 'reserved'],
    [0x100000, 0xbfffffff - 0x1000000, 'usable'],
    [0xbf000000, 0xbfffffff, 'ACPI data'],
    [0xfec00000, 0xfee00fff, 'reserved'],
    [0xff000000, 0xffffffff, 'reserved'],
  ];
  if (ramTop > 0x100000000) rows.push([0x100000000, ramTop - 1, 'usable']);
  return rows.map(([a, b, t]) => ` [${hex16(a)}, ${hex16(b)}] (${t})`);
}

function schedulerLines(host: XenHostData): string[] {
  switch (host.scheduler) {
    case 'credit':
      return ['Using scheduler: SMP Credit Scheduler (credit)'];
    case 'rtds':
      return ['Using scheduler: SMP RTDS Scheduler (rtds)'];
    case 'null':
      return ['Using scheduler: null Scheduler (null)'];
    case 'arinc653':
      return ['Using scheduler: ARINC 653 Scheduler (arinc653)'];
    default:
      return [
        'Using scheduler: SMP Credit Scheduler rev2 (credit2)',
        'Initializing Credit2 scheduler',
        ' load_precision_shift: 18',
        ' load_window_shift: 30',
        ' underload_balance_tolerance: 0',
        ' overload_balance_tolerance: -3',
        ' runqueues arrangement: socket',
        ' cap enforcement granularity: 10ms',
        'load tracking window length 1073741824 ns',
      ];
  }
}

function hvmLines(host: XenHostData): string[] {
  const out: string[] = [];
  if (host.vendor === 'Intel') {
    out.push('VMX: Supported advanced features:');
    out.push(' - APIC MMIO access virtualisation');
    out.push(' - APIC TPR shadow');
    if (host.caps.hap) out.push(' - Extended Page Tables (EPT)');
    out.push(' - Virtual-Processor Identifiers (VPID)');
    out.push(' - Virtual NMI');
    out.push(' - MSR direct-access bitmap');
    out.push(' - Unrestricted Guest');
    out.push(' - APIC Register Virtualization');
    out.push(' - Virtual Interrupt Delivery');
    out.push(' - Posted Interrupt Processing');
    if (host.caps.vmfunc) out.push(' - VM Functions');
    out.push(' - Virtualisation Exceptions');
    if (host.caps.pml) out.push(' - Page Modification Logging');
    out.push('HVM: ASIDs enabled.');
    out.push('HVM: VMX enabled');
  } else {
    out.push('SVM: Supported advanced features:');
    out.push(' - Nested Page Tables (NPT)');
    out.push(' - Last Branch Record (LBR) Virtualisation');
    out.push(' - Next-RIP Saved on #VMEXIT');
    out.push(' - VMCB Clean Bits');
    out.push(' - DecodeAssists');
    out.push(' - Pause-Intercept Filter');
    out.push(' - TSC Rate MSR');
    out.push('HVM: ASIDs enabled.');
    out.push('HVM: SVM enabled');
  }
  if (host.caps.hap) {
    out.push('HVM: Hardware Assisted Paging (HAP) detected');
    out.push('HVM: HAP page sizes: 4kB, 2MB, 1GB');
  } else {
    out.push('HVM: Hardware Assisted Paging (HAP) not detected');
  }
  return out;
}

function numaLines(host: XenHostData): string[] {
  if (host.nodes.length <= 1) return ['No NUMA configuration found', 'Faking a node at 0000000000000000-' + hex16(host.totalPages * 4096 + 0x40000000)];
  const out: string[] = [];
  let base = 0;
  for (const n of host.nodes) {
    out.push(`SRAT: Node ${n.id} PXM ${n.id} [${hex16(base)}, ${hex16(base + n.pages * 4096 - 1)}]`);
    base += n.pages * 4096;
  }
  out.push(`NUMA: Using 20 for the hash shift`);
  return out;
}

function dom0Lines(host: XenHostData, dom0: XenDomainData, pvh: boolean): string[] {
  const pages = dom0.totPages;
  const allocStart = 0x840000000;
  const out: string[] = [];
  if (pvh) {
    out.push('*** Building a PVH Dom0 ***');
    out.push(`Dom0 memory allocation stats:`);
    out.push(`order 18 allocations: ${Math.floor(pages / 262144)}`);
    out.push(`order  9 allocations: ${Math.floor((pages % 262144) / 512)}`);
    out.push(`order  0 allocations: ${pages % 512}`);
    out.push('ELF: phdr: paddr=0x1000000 memsz=0x1a2c000');
    out.push('ELF: memory: 0x1000000 -> 0x302c000');
  } else {
    out.push('*** Building a PV Dom0 ***');
    out.push(' Xen  kernel: 64-bit, lsb');
    out.push(' Dom0 kernel: 64-bit, PAE, lsb, paddr 0x1000000 -> 0x302c000');
    out.push('PHYSICAL MEMORY ARRANGEMENT:');
    out.push(` Dom0 alloc.:   ${hex16(allocStart)}->${hex16(allocStart + 0x4000000)} (${pages} pages to be allocated)`);
    out.push(' Init. ramdisk: 000000087e9f0000->000000087ffff9ca');
    out.push('VIRTUAL MEMORY ARRANGEMENT:');
    out.push(' Loaded kernel: ffffffff81000000->ffffffff8302c000');
    out.push(` Phys-Mach map: 0000008000000000->${hex16(0x8000000000 + pages * 8)}`);
    out.push(' Start info:    ffffffff8302c000->ffffffff8302c4b8');
    out.push(' Page tables:   ffffffff8302d000->ffffffff83048000');
    out.push(' Boot stack:    ffffffff83048000->ffffffff83049000');
    out.push(' TOTAL:         ffffffff80000000->ffffffff83400000');
    out.push(' ENTRY ADDRESS: ffffffff82a4d1c0');
  }
  out.push(`Dom0 has maximum ${dom0.maxVcpus} VCPUs`);
  return out;
}

export function bootLog(host: XenHostData, dom0: XenDomainData, pvh: boolean): BootLine[] {
  const v = host.version;
  const mhz = Math.floor(host.cpuKhz / 1000);
  const sysRamKb = host.totalPages * 4;
  const lines: BootLine[] = [];
  const info = (text: string) => lines.push({ text, level: 'info' });
  const dbg = (text: string) => lines.push({ text, level: 'debug' });

  info(`Xen version ${v.major}.${v.minor}${v.extra} (${v.compileBy}@${v.compileDomain}) (${v.compiler}) debug=${v.debug ? 'y' : 'n'} ${v.compileDate}`);
  info(`Latest ChangeSet: ${v.changeset}`);
  info(`build-id: ${v.buildId}`);
  info('Bootloader: GRUB 2.06-13+deb12u1');
  info(`Command line: ${host.commandline}`);
  info('Xen image load base address: 0xa6800000');
  info('Video information:');
  info(' VGA is text mode 80x25, font 8x16');
  info('Disc information:');
  info(' Found 1 MBR signatures');
  info(' Found 1 EDD information structures');
  info(cpuidLine(host));
  info('Xen-e820 RAM map:');
  for (const l of e820(host)) info(l);
  info(`System RAM: ${Math.floor(sysRamKb / 1024)}MB (${sysRamKb}kB)`);
  for (const l of numaLines(host)) info(l);
  info('Domain heap initialised');
  if (host.conringSize > 16 * 1024) info(`Allocated console ring of ${host.conringSize / 1024} KiB.`);
  info('ACPI: 32/64X FACS address mismatch in FADT - bf7fd000/0000000000000000, using 32');
  info(`ACPI: RSDP 000F0410, 0024 (r2 XLSIM )`);
  info('Using APIC driver x2apic_mixed');
  info(`xstate: size: 0xa88 and states: 0x2e7`);
  for (const l of schedulerLines(host)) info(l);
  info(`Platform timer is 24.000MHz HPET`);
  info(`Detected ${mhz}.${String(host.cpuKhz % 1000).padStart(3, '0')} MHz processor.`);
  if (host.caps.directio) {
    info(host.vendor === 'Intel' ? 'Intel VT-d iommu 0 supported page sizes: 4kB, 2MB, 1GB' : 'AMD-Vi: IOMMU 0 Enabled.');
    info('I/O virtualisation enabled');
    info(` - Dom0 mode: Relaxed`);
  } else {
    info('I/O virtualisation disabled');
  }
  info('Interrupt remapping enabled');
  info(`nr_sockets: ${host.sockets}`);
  info('Enabled directed EOI with ioapic_ack_old on!');
  info('Enabling APIC mode.  Using 1 I/O APICs');
  info('ENABLING IO-APIC IRQs');
  info(' -> Using old ACK method');
  info(`TSC deadline timer enabled`);
  info(`Allocated ${host.nrCpus > 64 ? 'dynamic' : 'static'} per-CPU areas`);
  for (const l of hvmLines(host)) info(l);
  if (host.opts.altp2m) info('altp2m: enabled');
  info(`Brought up ${host.nrCpus} CPUs`);
  info(`Scheduling granularity: cpu, 1 CPU per sched-resource`);
  dbg(`mtrr: your CPUs had inconsistent variable MTRR settings`);
  info('NX (Execute Disable) protection active');
  info(`d0 has maximum ${Math.max(416, 32 + host.nrCpus * 8)} PIRQs`);
  for (const l of dom0Lines(host, dom0, pvh)) info(l);
  info('Initial low memory virq threshold set at 0x4000 pages.');
  info('Scrubbing Free RAM in background');
  info(`Std. Loglevel: ${loglvlBanner(host.opts.logLower, host.opts.logUpper)}`);
  info(`Guest Loglevel: ${loglvlBanner(host.opts.guestLower, host.opts.guestUpper)}`);
  info(`*** Serial input to DOM0 (type 'CTRL-a' three times to switch input)`);
  info('Freed 2048kB init memory');
  return lines;
}
