/**
 * The kernel's own messages while a Debian 12 (Linux 6.1) guest boots, per
 * boot path: a PV kernel reads Xen's pseudo-physical map and announces
 * "Booting paravirtualized kernel on Xen"; a PVH kernel enters at its
 * PHYS32 ELF note with a start_info page and no firmware; an HVM kernel sees
 * hvmloader's e820 and DMI tables, unplugs QEMU's emulated disks and NICs,
 * then loads the PV frontends. Values (command line, memory map, vCPUs,
 * disks, NICs) come from the guest description.
 *
 * Times are ms since the kernel started; `level` is the printk level (0
 * emerg .. 7 debug) that the console loglevel filters on.
 */
import { sprintf } from '../../util/printf';
import type { ConsoleSetup } from './consoles';
import { rngFor } from './ids';
import { e820Line, e820Map, kernelMem, KSECT } from './mem';
import { blkName, rootPartition } from './blockdevs';
import { hasPvDrivers, KERNEL, maxvcpusOf, type GuestDesc } from './types';

export interface KLine {
  ms: number;
  level: number;
  text: string;
}

export interface KernelBoot {
  lines: KLine[];
  /** PV frontends (xenbus) are connected: HVM's PV console and control/ nodes work from here */
  pvUpMs: number;
  /** the root filesystem is mounted and /sbin/init starts */
  initMs: number;
}

export function linuxBanner(): string {
  return `Linux version ${KERNEL.release} (${KERNEL.builder}) (${KERNEL.compiler}) ${KERNEL.version}`;
}

/** Linux's ethernet naming for the guest's NICs (systemd 252: enX<devid> for netfront). */
export function ifName(d: GuestDesc, i: number): string {
  if (hasPvDrivers(d)) return `enX${d.nics[i]!.devid}`;
  return `ens${(d.hdtype === 'ahci' ? 5 : 4) + i}`;
}

/** The driver and bus id the kernel names a NIC by. */
function nicDev(d: GuestDesc, i: number): string {
  const n = d.nics[i]!;
  if (hasPvDrivers(d)) return `xen_netfront vif-${n.devid}`;
  return sprintf('%s 0000:00:%02x.0', n.model === 'e1000' ? 'e1000' : '8139cp', (d.hdtype === 'ahci' ? 5 : 4) + i);
}

class Log {
  lines: KLine[] = [];
  t = 0;
  /** the whole boot runs slower or faster by this factor */
  scale = 1;
  constructor(private readonly rng: ReturnType<typeof rngFor>) {}
  /** advance by about `ms` (±25 %) and print */
  p(ms: number, text: string, level = 6): void {
    if (ms > 0) this.t += ms * this.scale * (0.75 + this.rng.float() / 2);
    this.lines.push({ ms: Math.round(this.t * 1000) / 1000, level, text });
  }
}

function early(d: GuestDesc, s: ConsoleSetup, L: Log): void {
  L.p(0, linuxBanner(), 5);
  L.p(0, `Command line: ${s.cmdline}`);
  if (d.type === 'pv') L.p(0, 'Released 0 page(s)');
  L.p(0, 'BIOS-provided physical RAM map:');
  for (const e of e820Map(d)) L.p(0, e820Line(d.type === 'pv' ? 'Xen' : 'BIOS-e820', e));
  L.p(0, 'NX (Execute Disable) protection: active');
  if (d.type === 'hvm') {
    L.p(0, 'SMBIOS 2.4 present.');
    L.p(0, `DMI: Xen HVM domU, BIOS ${d.firmware === 'ovmf' ? '0.0.0 02/06/2015' : `${d.xenVersion} 03/05/2025`}`);
  } else L.p(0, 'DMI not present or invalid.');
  L.p(0, `Hypervisor detected: Xen ${d.type === 'pv' ? 'PV' : 'HVM'}`);
  if (d.type === 'pvh') {
    // not a message Linux prints: it marks the PVH entry point for learners
    L.p(0, 'xen_pvh: entered at XEN_ELFNOTE_PHYS32_ENTRY with hvm_start_info (no firmware)');
  }
  if (d.type !== 'pv') L.p(0, `Xen version ${d.xenVersion.split('.').slice(0, 2).join('.')}.`);
  if (d.type === 'hvm' && hasPvDrivers(d)) {
    L.p(0, 'platform_pci_unplug: Netfront and the Xen platform PCI driver have been compiled for this kernel: unplug emulated NICs.');
    L.p(0, 'platform_pci_unplug: Blkfront and the Xen platform PCI driver have been compiled for this kernel: unplug emulated disks.\nYou might have to change the root device\nfrom /dev/hd[a-d] to /dev/xvd[a-d]\nin your root= kernel command line option');
  }
  const mhz = d.cpu.mhz + (rngFor(d.seed, 'tsc').int(1000) / 1000);
  L.p(0, `tsc: Detected ${mhz.toFixed(3)} MHz processor`);
  const maxPfn = Math.ceil((e820Map(d).filter((e) => e.type === 'usable').at(-1)!.end + 1) / 4096);
  L.p(0, sprintf('last_pfn = %#x max_arch_pfn = 0x400000000', maxPfn));
  if (d.type !== 'pv') L.p(0, 'ACPI: Early table checksum verification disabled');
  L.p(0, `Zone ranges:\n  DMA      [mem 0x0000000000001000-0x0000000000ffffff]\n  DMA32    [mem 0x0000000001000000-${sprintf('0x%016lx', Math.min(maxPfn * 4096, 0x100000000) - 1)}]\n  Normal   ${maxPfn * 4096 > 0x100000000 ? sprintf('[mem 0x0000000100000000-0x%016lx]', maxPfn * 4096 - 1) : 'empty'}`);
  const maxv = maxvcpusOf(d);
  if (d.type !== 'pv') {
    L.p(0, `ACPI: Using ACPI (MADT) for SMP configuration information`);
    L.p(0, `smpboot: Allowing ${maxv} CPUs, ${maxv - d.vcpus} hotplug CPUs`);
  }
  L.p(0, `setup_percpu: NR_CPUS:8192 nr_cpumask_bits:${maxv} nr_cpu_ids:${maxv} nr_node_ids:1`);
  L.p(0, `Booting paravirtualized kernel on Xen${d.type === 'pv' ? '' : d.type === 'pvh' ? ' PVH' : ' HVM'}`);
  if (d.type === 'pv') L.p(0, `Xen version: ${d.xenVersion} (preserve-AD)`);
  L.p(0, `Kernel command line: ${s.cmdline}`, 5);
  const m = kernelMem(d);
  L.p(1, `Memory: ${m.availKiB}K/${m.physKiB}K available (${KSECT.code}K kernel code, ${KSECT.rwdata}K rwdata, ${KSECT.rodata}K rodata, ${KSECT.init}K init, ${KSECT.bss}K bss, ${m.reservedKiB}K reserved, 0K cma-reserved)`);
  L.p(0, `SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=${maxv}, Nodes=1`);
  if (d.type === 'pv') {
    L.p(0, 'Xen: using vcpuop timer interface');
    L.p(0, 'installing Xen timer for CPU 0');
  } else {
    L.p(1, 'xen:events: Using FIFO-based ABI');
    L.p(0, 'xen:events: Xen HVM callback vector for event delivery is enabled');
  }
  L.p(1, 'Console: colour dummy device 80x25');
  if (s.kernel.includes('pv')) L.p(0, 'printk: console [hvc0] enabled');
  if (s.kernel.includes('serial')) L.p(0, 'printk: console [ttyS0] enabled');
}

function smp(d: GuestDesc, L: Log): void {
  L.p(40, 'smp: Bringing up secondary CPUs ...');
  if (d.vcpus > 1) {
    if (d.type === 'pv') for (let c = 1; c < d.vcpus; c++) L.p(1, `installing Xen timer for CPU ${c}`);
    L.p(1, `x86: Booting SMP configuration:\n.... node  #0, CPUs:    ${Array.from({ length: d.vcpus - 1 }, (_, i) => ` #${i + 1}`).join('')}`);
  }
  L.p(5, `smp: Brought up 1 node, ${d.vcpus} CPU${d.vcpus === 1 ? '' : 's'}`);
  L.p(1, `smpboot: Max logical packages: ${maxvcpusOf(d)}`);
  L.p(20, 'devtmpfs: initialized');
  L.p(10, 'xen:grant_table: Grant tables using version 1 layout');
  L.p(1, 'Grant table initialized');
  L.p(30, 'PCI: Using configuration type 1 for base access');
  if (d.type === 'hvm') {
    L.p(20, 'pci 0000:00:01.1: legacy IDE quirk: reg 0x10: [io  0x01f0-0x01f7]');
    L.p(30, 'xen: --> pirq=16 -> irq=9 (gsi=9)');
  }
  L.p(20, 'xen:balloon: Initialising balloon driver');
  L.p(20, 'clocksource: Switched to clocksource xen');
  L.p(60, 'NET: Registered PF_INET protocol family');
  if (d.type === 'hvm') {
    L.p(20, 'Serial: 8250/16550 driver, 4 ports, IRQ sharing enabled');
    if (d.serial) L.p(5, '00:05: ttyS0 at I/O 0x3f8 (irq = 4, base_baud = 115200) is a 16550A');
  }
  if (hasPvDrivers(d)) L.p(30, 'xen:xen_evtchn: Event-channel device installed');
  L.p(40, `Freeing unused kernel image (initmem) memory: ${KSECT.init}K`);
  L.p(2, 'Write protecting the kernel read-only data: 26624k');
  L.p(5, 'Run /init as init process');
}

function devices(d: GuestDesc, L: Log): number {
  let pvUp = 0;
  if (hasPvDrivers(d)) {
    L.p(60, 'xen_netfront: Initialising Xen virtual ethernet driver');
    pvUp = L.t;
    d.nics.forEach((n, i) => {
      // netfront itself is silent about the MAC; this line lets learners match vif to interface
      L.p(3, `xen_netfront vif-${n.devid} eth${i}: Xen virtual ethernet, MAC ${n.mac}`);
    });
    const root = rootPartition(d);
    for (const disk of d.disks) {
      if (d.type === 'hvm' && disk.cdrom) continue;
      const name = blkName(d, disk);
      L.p(8, `blkfront: ${name}: flush diskcache: ${disk.cdrom ? 'disabled' : 'enabled'}; persistent grants: enabled; indirect descriptors: enabled; bounce buffer: enabled`);
      if (root && root.disk === disk && root.partitioned) L.p(4, ` ${name}: ${root.part}`);
    }
  } else {
    d.disks.forEach((disk, i) => {
      if (disk.cdrom) return;
      const name = blkName(d, disk);
      const sectors = (disk.sizeMiB ?? (i === 0 ? 10240 : 20480)) * 2048;
      L.p(40, sprintf('sd 0:0:%d:0: [%s] %d 512-byte logical blocks: (%.1f GB/%.1f GiB)', i, name, sectors, (sectors * 512) / 1e9, sectors / 2097152));
      const root = rootPartition(d);
      if (root && root.disk === disk && root.partitioned) L.p(4, ` ${name}: ${root.part}`);
    });
    d.nics.forEach((n, i) => {
      const slot = nicDev(d, i).split(' ')[1]!;
      if (n.model === 'e1000') L.p(40, `e1000 ${slot} eth${i}: (PCI:33MHz:32-bit) ${n.mac}\ne1000 ${slot} eth${i}: Intel(R) PRO/1000 Network Connection`);
      else L.p(40, `8139cp ${slot} eth${i}: RTL-8139C+ at 0x${(0xf3000000 + i * 0x1000).toString(16)}, ${n.mac}, IRQ ${[28, 32, 36][i % 3]}`);
    });
  }
  if (d.type === 'hvm') {
    const cds = d.disks.filter((x) => x.cdrom);
    if (cds.length > 0) {
      L.p(50, 'scsi host0: ata_piix\nscsi host1: ata_piix');
      cds.forEach((_, i) => {
        L.p(30, `ata2.00: ATAPI: QEMU DVD-ROM, 2.5+, max UDMA/100`);
        L.p(10, `scsi 1:0:${i}:0: CD-ROM            QEMU     QEMU DVD-ROM     2.5+ PQ: 0 ANSI: 5`, 5);
        L.p(10, `sr 1:0:${i}:0: [sr${i}] scsi3-mmc drive: 4x/4x cd/rw xa/form2 tray\ncdrom: Uniform CD-ROM driver Revision: 3.20`);
      });
    }
  }
  return pvUp;
}

/** The kernel log up to init starting, plus what udev/systemd make the kernel say. */
export function kernelBoot(d: GuestDesc, s: ConsoleSetup): KernelBoot {
  const L = new Log(rngFor(d.seed, 'kernel'));
  early(d, s, L);
  L.scale = 2;
  smp(d, L);
  const pvUp = devices(d, L);
  const root = rootPartition(d);
  L.p(250, `EXT4-fs (${root ? root.part : 'xvda'}): mounted filesystem with ordered data mode. Quota mode: none.`);
  const initMs = L.t;
  L.p(120, 'systemd[1]: Inserted module \'autofs4\'');
  L.p(60, `systemd[1]: ${KERNEL.systemd} running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)`);
  L.p(1, 'systemd[1]: Detected virtualization xen.');
  L.p(1, 'systemd[1]: Detected architecture x86-64.');
  L.p(1, `systemd[1]: Hostname set to <${d.name}>.`);
  L.p(200, `EXT4-fs (${root ? root.part : 'xvda'}): re-mounted. Quota mode: none.`);
  d.nics.forEach((n, i) => L.p(90, `${nicDev(d, i)} ${ifName(d, i)}: renamed from eth${i}`));
  return { lines: L.lines, pvUpMs: pvUp, initMs };
}
