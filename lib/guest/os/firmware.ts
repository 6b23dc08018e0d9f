/**
 * What an HVM guest's firmware writes to the debug port 0xe9 before the OS
 * starts: hvmloader (Xen's own loader, tools/firmware/hvmloader) then
 * SeaBIOS or OVMF. Xen turns each line into `(d<N>) <text>` in its console
 * ring. hvmloader's messages follow its printf formats; the PCI BARs, E820
 * table and drives are computed from the guest's config.
 *
 * Output: lines with a time (ms since the domain was first unpaused), and the
 * time the firmware hands over to the boot sector / EFI loader.
 */
import { sprintf } from '../../util/printf';
import { e820Map } from './mem';
import { rngFor } from './ids';
import type { GuestDesc, OsDisk } from './types';

export interface FwLine {
  ms: number;
  text: string;
}

export interface FirmwareRun {
  lines: FwLine[];
  /** the firmware jumps to the OS loader */
  handoffMs: number;
}

/** PCI slots on QEMU's xenfv machine as hvmloader enumerates them. */
function nicSlot(i: number, d: GuestDesc): number {
  return (d.hdtype === 'ahci' ? 5 : 4) + i;
}

/** hvmloader's PRIllx: high 32 bits %x, low 32 bits %08x */
function llx(n: number): string {
  return sprintf('%x%08x', Math.floor(n / 0x1_0000_0000), n % 0x1_0000_0000);
}

function diskSizeMiB(disk: OsDisk, i: number): number {
  return disk.sizeMiB ?? (i === 0 ? 10240 : 20480);
}

/** The IDE position an emulated disk gets (hd[a-d] / xvd[a-d] → ata0-0 .. ata1-1). */
function idePos(vdev: string): number {
  const m = /^(?:hd|xvd|sd)([a-z])$/.exec(vdev);
  return m ? m[1]!.charCodeAt(0) - 97 : 0;
}

function hvmloader(d: GuestDesc, bios: 'SeaBIOS' | 'OVMF'): string[] {
  const [maj, min] = d.xenVersion.split('.');
  const extra = d.xenVersion.slice(`${maj}.${min}`.length);
  const L: string[] = ['HVM Loader', `Detected Xen v${maj}.${min}${extra}`, 'Xenbus rings @0xfeffc000, event channel 1'];
  L.push(`System requested ${bios}`, `CPU speed is ${d.cpu.mhz} MHz`, 'Relocating guest memory for lowmem MMIO space disabled');
  L.push('PCI-ISA link 0 routed to IRQ5', 'PCI-ISA link 1 routed to IRQ10', 'PCI-ISA link 2 routed to IRQ11', 'PCI-ISA link 3 routed to IRQ5');
  L.push('pci dev 01:2 INTD->IRQ5', 'pci dev 01:3 INTA->IRQ10', 'pci dev 02:0 INTA->IRQ11');
  d.nics.forEach((_, i) => L.push(sprintf('pci dev %02x:0 INTA->IRQ%d', nicSlot(i, d), [5, 10, 11][i % 3]!)));
  if (d.hdtype === 'ahci') L.push('pci dev 05:0 INTA->IRQ5');
  // BARs are placed largest first, from the bottom of the MMIO hole
  L.push(`pci dev 02:0 bar 14 size ${llx(0x1000000)}: 0f0000008`, `pci dev 03:0 bar 10 size ${llx(0x2000000)}: 0f1000008`);
  let mmio = 0xf3000000;
  d.nics.forEach((n, i) => {
    const size = n.model === 'e1000' ? 0x20000 : 0x100;
    L.push(sprintf('pci dev %02x:0 bar %s size %s: 0%08x', nicSlot(i, d), n.model === 'e1000' ? '10' : '14', llx(size), mmio));
    mmio += Math.max(size, 0x1000);
  });
  L.push(`pci dev 03:0 bar 14 size ${llx(0x1000)}: 0${sprintf('%08x', mmio)}`);
  L.push(`pci dev 02:0 bar 10 size ${llx(0x100)}: 00000c001`);
  d.nics.forEach((n, i) => {
    if (n.model !== 'e1000') L.push(sprintf('pci dev %02x:0 bar 10 size %s: 00000c%x01', nicSlot(i, d), llx(0x100), i + 1));
  });
  L.push(`pci dev 01:1 bar 20 size ${llx(0x10)}: 00000c${(d.nics.length + 1).toString(16)}01`);
  L.push('Multiprocessor initialisation:');
  for (let c = 0; c < d.vcpus; c++) L.push(` - CPU${c} APIC ID ${c * 2} ... done.`);
  L.push('Testing HVM environment:', 'Using scratch memory at 400000');
  L.push(' - REP INSB across page boundaries ... passed', ' - REP INSW across page boundaries ... passed', ' - GS base MSRs and SWAPGS ... passed', 'Passed 3 of 3 tests');
  L.push('Writing SMBIOS tables ...', `Loading ${bios} ...`);
  if (d.vcpus > 1) L.push('Creating MP tables ...');
  L.push('Loading ACPI ...', 'vm86 TSS at fc100680', 'BIOS map:');
  L.push(bios === 'SeaBIOS' ? ' 10000-100e3: Scratch space' : ' 10000-10fff: Scratch space');
  L.push(bios === 'SeaBIOS' ? ' c0000-fffff: Main BIOS' : ' fffe0000-ffffffff: Main BIOS');
  L.push('E820 table:');
  let n = 0;
  let prevEnd = 0;
  for (const e of e820Map(d)) {
    const end = e.end + 1;
    if (e.start > prevEnd && n > 0) {
      L.push(sprintf(' HOLE: %08x:%08x - %08x:%08x', Math.floor(prevEnd / 2 ** 32), prevEnd >>> 0, Math.floor(e.start / 2 ** 32), e.start >>> 0));
    }
    const kind = e.type === 'usable' ? 'RAM' : e.type === 'ACPI data' ? 'ACPI' : e.type === 'ACPI NVS' ? 'NVS' : 'RESERVED';
    L.push(sprintf(' [%02d]: %08x:%08x - %08x:%08x: %s', n++, Math.floor(e.start / 2 ** 32), e.start >>> 0, Math.floor(end / 2 ** 32), end >>> 0, kind));
    prevEnd = end;
  }
  L.push(`Invoking ${bios} ...`);
  return L;
}

function seabios(d: GuestDesc, romBoot: boolean): string[] {
  const L: string[] = ['SeaBIOS (version rel-1.16.3-0-g3d33c746)', 'BUILD: gcc: (GCC) 12.2.0 binutils: (GNU Binutils for Debian) 2.40'];
  L.push('', 'Found Xen hypervisor signature at 40000000', 'Running on QEMU (i440fx)', 'xen: copy e820...', 'Relocating init from 0x000d7b00 to 0x3f7ab420 (size 82656)');
  L.push(`Found ${6 + d.nics.length + (d.hdtype === 'ahci' ? 1 : 0)} PCI devices (max PCI bus is 00)`);
  L.push('Allocated Xen hypercall page at 3f7ff000', `Detected Xen v${d.xenVersion}`, 'xen: copy BIOS tables...');
  L.push('Copying SMBIOS from 0x00010020 to 0x000f6e20', 'Copying MPTABLE from 0xfc001200/fc001210 to 0x000f6d00', 'Copying PIR from 0x00010040 to 0x000f6c80', 'Copying ACPI RSDP from 0x000100c0 to 0x000f6c50');
  L.push('table(50434146)=0xfc00a370 (via xsdt)', 'Using pmtimer, ioport 0xb008', 'Scan for VGA option rom', 'Running option rom at c000:0003', 'pmm call arg1=0', 'Turning on vga text mode console');
  L.push('SeaBIOS (version rel-1.16.3-0-g3d33c746)');
  if (d.uuid) L.push(`Machine UUID ${d.uuid}`);
  if (d.hdtype === 'ahci') {
    L.push('AHCI controller at 00:05.0, iobase 0xf3040000, irq 5');
  } else {
    L.push('ATA controller 1 at 1f0/3f4/0 (irq 14 dev 9)', 'ATA controller 2 at 170/374/0 (irq 15 dev 9)');
  }
  d.disks.forEach((disk, i) => {
    const pos = d.hdtype === 'ahci' ? `AHCI/${i}` : `ata${idePos(disk.vdev) >> 1}-${idePos(disk.vdev) & 1}`;
    if (disk.cdrom) L.push(`DVD/CD [${pos}: QEMU DVD-ROM ATAPI-4 DVD/CD]`);
    else L.push(`${pos}: QEMU HARDDISK ATA-7 Hard-Disk (${diskSizeMiB(disk, i)} MiBytes)`);
    if (!disk.cdrom) L.push(`Searching bootorder for: /pci@i0cf8/*@1,1/drive@${idePos(disk.vdev) >> 1}/disk@${idePos(disk.vdev) & 1}`);
  });
  L.push('PS2 keyboard initialized', 'All threads complete.', 'Scan for option roms');
  d.nics.forEach((_, i) => L.push(sprintf('Running option rom at c%x00:0003', 9 + i), sprintf('pmm call arg1=1'), sprintf('Searching bootorder for: /pci@i0cf8/*@%x', nicSlot(i, d))));
  L.push('', 'Press ESC for boot menu.', '', 'Searching bootorder for: HALT');
  const first = d.disks.find((x) => !x.cdrom);
  if (first) {
    const sectors = diskSizeMiB(first, 0) * 2048;
    L.push(`drive 0x000f6bf0: PCHS=16383/16/63 translation=lba LCHS=1024/255/63 s=${sectors}`);
  }
  L.push('Space available for UMB: ca800-ef000, f6000-f6b90', 'Returned 258048 bytes of ZoneHigh', `e820 map has ${e820Map(d).length} items:`);
  e820Map(d).forEach((e, i) => {
    const t = e.type === 'usable' ? 1 : e.type === 'ACPI data' ? 3 : e.type === 'ACPI NVS' ? 4 : 2;
    L.push(sprintf('  %d: %016lx - %016lx = %d %s', i, e.start, e.end + 1, t, ['', 'RAM', 'RESERVED', 'ACPI', 'NVS'][t]!));
  });
  if (romBoot) L.push('Booting from ROM...');
  else L.push('enter handle_19:', '  NULL', 'Booting from Hard Disk...', 'Booting from 0000:7c00');
  return L;
}

function ovmf(d: GuestDesc): string[] {
  const L: string[] = ['SecCoreStartupWithStack(0xFFFCC000, 0x820000)', 'Platform PEIM Loaded', 'Detected Xen version 4.' + d.xenVersion.split('.')[1]];
  L.push(`Memory: ${d.memoryMiB} MiB (PEI installed), reserved 0x1000000 for page tables`, 'DXE IPL Entry', 'Loading DXE CORE at 0x003F3A9000 EntryPoint=0x003F3BA2C0');
  L.push('XenBusDxe: Xen platform device found', 'XenPvBlkDxe: Initialising for Xen PV block devices');
  d.disks.forEach((disk, i) => {
    if (!disk.cdrom) L.push(sprintf('XenPvBlk: vbd %s: %d MiB, sector size 512', disk.vdev, diskSizeMiB(disk, i)));
  });
  d.nics.forEach((n) => L.push(`XenNetDxe: vif/${n.devid} mac ${n.mac.toUpperCase()}`));
  L.push('PlatformBootManagerAfterConsole', 'BdsDxe: loading Boot0001 "UEFI Misc Device" from PciRoot(0x0)/Pci(0x2,0x0)/Xen(0x0)/Disk(0x0)');
  L.push('BdsDxe: starting Boot0001 "UEFI Misc Device" from PciRoot(0x0)/Pci(0x2,0x0)/Xen(0x0)/Disk(0x0)');
  return L;
}

/**
 * hvmloader then the BIOS. Lines are spread over the firmware's run time
 * with seeded jitter; SeaBIOS takes ~2 s, OVMF ~5.5 s.
 */
/** `romBoot`: QEMU direct kernel boot (kernel= on an HVM guest): SeaBIOS runs the linuxboot ROM. */
export function firmwareRun(d: GuestDesc, romBoot = false): FirmwareRun {
  const bios = d.firmware === 'ovmf' ? 'OVMF' : 'SeaBIOS';
  const rng = rngFor(d.seed, 'firmware');
  const lines: FwLine[] = [];
  let t = 40;
  for (const text of hvmloader(d, bios)) {
    lines.push({ ms: t, text });
    t += 2 + rng.int(4);
  }
  const body = bios === 'OVMF' ? ovmf(d) : seabios(d, romBoot);
  const span = bios === 'OVMF' ? 5200 : 1700;
  const step = span / body.length;
  body.forEach((text, i) => lines.push({ ms: Math.round(t + 80 + i * step + rng.int(Math.max(1, Math.floor(step / 2)))), text }));
  return { lines, handoffMs: Math.round(t + 80 + span + 60) };
}
