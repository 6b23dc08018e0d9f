import { describe, expect, it } from 'vitest';
import { bootTimeline } from '../../lib/guest/os/boot';
import { channelText, HVM, OVMF, PV, PVGRUB, PVH, PYGRUB } from './fixtures';

const lines = (s: string) => s.split('\r\n');
/** kernel console lines without their timestamps */
const bare = (s: string) => lines(s).map((l) => l.replace(/^\[\s*\d+\.\d{6}\] /, ''));

describe('boot timelines are deterministic', () => {
  for (const d of [PV, PVH, HVM, OVMF, PYGRUB, PVGRUB]) {
    it(`${d.name}: same seed, byte-identical; another seed, different jitter`, () => {
      const a = bootTimeline(d);
      const b = bootTimeline({ ...d });
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      const c = bootTimeline({ ...d, seed: 7 });
      expect(JSON.stringify(c.chunks)).not.toBe(JSON.stringify(a.chunks));
      for (let i = 1; i < a.chunks.length; i++) expect(a.chunks[i]!.atMs).toBeGreaterThanOrEqual(a.chunks[i - 1]!.atMs);
    });
  }
});

describe('PV direct boot', () => {
  const t = bootTimeline(PV);
  const pv = channelText(t.chunks, 'pv');

  it('prints the kernel log on hvc0 with the config in it', () => {
    const b = bare(pv);
    expect(lines(pv)[0]).toBe(
      '[    0.000000] Linux version 6.1.0-28-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)',
    );
    expect(b).toContain('Command line: root=/dev/xvda1 ro console=hvc0');
    expect(b).toContain('Kernel command line: root=/dev/xvda1 ro console=hvc0');
    expect(b).toContain('Booting paravirtualized kernel on Xen');
    expect(b).toContain('Hypervisor detected: Xen PV');
    expect(b).toContain('Xen version: 4.20.0 (preserve-AD)');
    // maxmem=2048: Xen's pseudo-physical map covers it all
    expect(b).toContain('Xen: [mem 0x0000000000000000-0x000000000009ffff] usable');
    expect(b).toContain('Xen: [mem 0x0000000000100000-0x000000007fffffff] usable');
    expect(b).toContain('setup_percpu: NR_CPUS:8192 nr_cpumask_bits:4 nr_cpu_ids:4 nr_node_ids:1');
    expect(b).toContain('smp: Brought up 1 node, 2 CPUs');
    expect(b).toContain('printk: console [hvc0] enabled');
    expect(b).toContain('xen_netfront vif-0 eth0: Xen virtual ethernet, MAC 00:16:3e:5f:48:e4');
    expect(b).toContain('xen_netfront vif-0 enX0: renamed from eth0');
    expect(b).toContain('blkfront: xvda: flush diskcache: enabled; persistent grants: enabled; indirect descriptors: enabled; bounce buffer: enabled');
    expect(b).toContain(' xvda: xvda1');
    expect(b).toContain('blkfront: xvdb: flush diskcache: enabled; persistent grants: enabled; indirect descriptors: enabled; bounce buffer: enabled');
    expect(b).toContain('EXT4-fs (xvda1): mounted filesystem with ordered data mode. Quota mode: none.');
    expect(b.some((l) => /^Memory: \d+K\/1048192K available \(/.test(l))).toBe(true);
  });

  it('shows systemd and ends with the login prompt on hvc0', () => {
    expect(pv).toContain('Welcome to \x1b[1mDebian GNU/Linux 12 (bookworm)\x1b[0m!\r\n');
    expect(pv).toContain('[\x1b[0;32m  OK  \x1b[0m] Started serial-getty@hvc0.service - Serial Getty on hvc0.\r\n');
    expect(pv.endsWith('\r\nDebian GNU/Linux 12 pv-guest hvc0\r\n\r\npv-guest login: ')).toBe(true);
    expect(t.chunks.at(-1)!.atMs).toBe(t.doneMs);
    expect(channelText(t.chunks, 'serial')).toBe('');
    expect(channelText(t.chunks, 'xen-debug')).toBe('');
  });

  it('takes PV time, with PV drivers from the start', () => {
    expect(t.doneMs).toBeGreaterThanOrEqual(3000);
    expect(t.doneMs).toBeLessThanOrEqual(5000);
    expect(t.pvUpMs).toBe(t.kernelStartMs);
    expect(t.consoles.gettys).toEqual(['pv']);
    expect(t.dmesg[0]).toMatch(/^\[    0\.000000\] Linux version /);
  });

  it('quiet hides info messages and systemd status, not the login prompt', () => {
    const q = bootTimeline({ ...PV, cmdline: 'root=/dev/xvda1 ro console=hvc0 quiet' });
    const text = channelText(q.chunks, 'pv');
    expect(text).toBe('\r\nDebian GNU/Linux 12 pv-guest hvc0\r\n\r\npv-guest login: ');
    // dmesg still has everything
    expect(q.dmesg.length).toBe(bootTimeline(PV).dmesg.length);
  });

  it('without console= a PV kernel still prefers hvc0', () => {
    const n = bootTimeline({ ...PV, cmdline: 'root=/dev/xvda1 ro' });
    expect(channelText(n.chunks, 'pv')).toContain('Booting paravirtualized kernel on Xen\r\n');
  });
});

describe('PVH boot', () => {
  const t = bootTimeline(PVH);
  const b = bare(channelText(t.chunks, 'pv'));
  it('enters at the PVH entry point and boots as Xen PVH on hvc0', () => {
    expect(b).toContain('xen_pvh: entered at XEN_ELFNOTE_PHYS32_ENTRY with hvm_start_info (no firmware)');
    expect(b).toContain('Booting paravirtualized kernel on Xen PVH');
    expect(b).toContain('Hypervisor detected: Xen HVM');
    // RAM from 0, no BIOS hole; the special pages reserved
    expect(b).toContain('BIOS-e820: [mem 0x0000000000000000-0x000000007fffffff] usable');
    expect(b).toContain('BIOS-e820: [mem 0x00000000feff8000-0x00000000feffffff] reserved');
    expect(b).toContain('smpboot: Allowing 2 CPUs, 0 hotplug CPUs');
    expect(b).toContain('printk: console [hvc0] enabled');
    expect(channelText(t.chunks, 'xen-debug')).toBe('');
  });
  it('is quicker than PV', () => {
    expect(t.doneMs).toBeGreaterThanOrEqual(2000);
    expect(t.doneMs).toBeLessThanOrEqual(4000);
  });
});

describe('HVM with SeaBIOS', () => {
  const t = bootTimeline(HVM);
  const dbg = t.chunks.filter((c) => c.channel === 'xen-debug').map((c) => c.text);
  const serial = channelText(t.chunks, 'serial');

  it('hvmloader and SeaBIOS write debug lines for xl dmesg', () => {
    expect(dbg.slice(0, 5)).toEqual(['HVM Loader', 'Detected Xen v4.20.0', 'Xenbus rings @0xfeffc000, event channel 1', 'System requested SeaBIOS', 'CPU speed is 2394 MHz']);
    expect(dbg).toContain('Multiprocessor initialisation:');
    expect(dbg).toContain(' - CPU0 APIC ID 0 ... done.');
    expect(dbg).toContain(' - CPU1 APIC ID 2 ... done.');
    expect(dbg).toContain('Passed 3 of 3 tests');
    expect(dbg).toContain('Loading SeaBIOS ...');
    expect(dbg).toContain(' [00]: 00000000:00000000 - 00000000:0009fc00: RAM');
    // 2048 MiB less 8 MiB of video RAM, the top 64 KiB for ACPI
    expect(dbg).toContain(' [03]: 00000000:00100000 - 00000000:7f7f0000: RAM');
    expect(dbg).toContain('Invoking SeaBIOS ...');
    expect(dbg).toContain('Machine UUID 7c1f0c52-8f3e-4b4e-9a57-0d6a3c1e2f10');
    expect(dbg).toContain('ata0-0: QEMU HARDDISK ATA-7 Hard-Disk (10240 MiBytes)');
    expect(dbg).toContain('DVD/CD [ata1-0: QEMU DVD-ROM ATAPI-4 DVD/CD]');
    expect(dbg.at(-2)).toBe('Booting from Hard Disk...');
    for (const l of dbg) expect(l).not.toMatch(/[\r\n]/);
  });

  it('the OS talks on ttyS0 (console=ttyS0 from the image), after a GRUB menu', () => {
    expect(serial).toContain('GNU GRUB  version 2.06-13+deb12u1');
    expect(serial).toContain('The highlighted entry will be executed automatically in 5s.');
    const b = bare(serial);
    expect(b.some((l) => /^Command line: BOOT_IMAGE=\/boot\/vmlinuz-6\.1\.0-28-amd64 root=UUID=[0-9a-f-]{36} ro console=tty0 console=ttyS0,115200$/.test(l))).toBe(true);
    expect(b).toContain('DMI: Xen HVM domU, BIOS 4.20.0 03/05/2025');
    expect(b).toContain('Booting paravirtualized kernel on Xen HVM');
    expect(b).toContain('platform_pci_unplug: Netfront and the Xen platform PCI driver have been compiled for this kernel: unplug emulated NICs.');
    expect(b).toContain('00:05: ttyS0 at I/O 0x3f8 (irq = 4, base_baud = 115200) is a 16550A');
    expect(b).toContain('xen_netfront vif-0 eth0: Xen virtual ethernet, MAC 00:16:3e:0a:0b:0c');
    expect(b).toContain('sr 1:0:0:0: [sr0] scsi3-mmc drive: 4x/4x cd/rw xa/form2 tray');
    expect(serial.endsWith('\r\nDebian GNU/Linux 12 hvm-guest ttyS0\r\n\r\nhvm-guest login: ')).toBe(true);
  });

  it('the PV console shows only the getty once PV drivers are up', () => {
    expect(channelText(t.chunks, 'pv')).toBe('\r\nDebian GNU/Linux 12 hvm-guest hvc0\r\n\r\nhvm-guest login: ');
    expect(t.pvUpMs).toBeGreaterThan(t.kernelStartMs);
    expect(t.pvUpMs).toBeLessThan(t.doneMs);
    expect(t.consoles.gettys).toEqual(['pv', 'serial']);
  });

  it('takes 8-15 s', () => {
    expect(t.doneMs).toBeGreaterThanOrEqual(8000);
    expect(t.doneMs).toBeLessThanOrEqual(15000);
  });

  it('without serial="pty" nothing goes to a serial port', () => {
    const n = bootTimeline({ ...HVM, serial: false });
    expect(channelText(n.chunks, 'serial')).toBe('');
    expect(n.consoles.gettys).toEqual(['pv']);
  });

  it('without PV drivers: emulated disks and NIC, no PV console, no pvUp', () => {
    const n = bootTimeline({ ...HVM, pvDrivers: false });
    const b = bare(channelText(n.chunks, 'serial'));
    expect(n.pvUpMs).toBe(-1);
    expect(channelText(n.chunks, 'pv')).toBe('');
    expect(b).toContain('sd 0:0:0:0: [sda] 20971520 512-byte logical blocks: (10.7 GB/10.0 GiB)');
    expect(b).toContain('8139cp 0000:00:04.0 eth0: RTL-8139C+ at 0xf3000000, 00:16:3e:0a:0b:0c, IRQ 28');
    expect(b).toContain('8139cp 0000:00:04.0 ens4: renamed from eth0');
  });
});

describe('HVM with OVMF', () => {
  const t = bootTimeline(OVMF);
  const dbg = t.chunks.filter((c) => c.channel === 'xen-debug').map((c) => c.text);
  it('hvmloader asks for OVMF, which finds the PV disk and NIC', () => {
    expect(dbg).toContain('System requested OVMF');
    expect(dbg).toContain('Invoking OVMF ...');
    expect(dbg).toContain('XenPvBlk: vbd xvda: 10240 MiB, sector size 512');
    expect(dbg).toContain('XenNetDxe: vif/0 mac 00:16:3E:44:55:66');
    expect(dbg.at(-1)).toBe('BdsDxe: starting Boot0001 "UEFI Misc Device" from PciRoot(0x0)/Pci(0x2,0x0)/Xen(0x0)/Disk(0x0)');
  });
  it('is slower than SeaBIOS and shows 4 vCPUs', () => {
    expect(t.doneMs).toBeGreaterThan(bootTimeline(HVM).doneMs);
    expect(t.doneMs).toBeLessThanOrEqual(20000);
    expect(bare(channelText(t.chunks, 'serial'))).toContain('smp: Brought up 1 node, 4 CPUs');
  });
});

describe('boot menus', () => {
  it('pygrub draws its menu and counts down before the kernel', () => {
    const t = bootTimeline(PYGRUB);
    const menu = t.chunks.filter((c) => c.atMs < t.kernelStartMs).map((c) => c.text);
    expect(menu[0]).toContain('    pyGRUB  version 0.6\r\n');
    expect(menu[0]).toContain('Debian GNU/Linux');
    expect(menu[0]).toContain('\x1b[20;12HWill boot selected entry in  5 seconds');
    expect(menu).toContain('\x1b[20;12HWill boot selected entry in  1 seconds');
    expect(t.kernelStartMs).toBeGreaterThanOrEqual(5000);
    const b = bare(channelText(t.chunks, 'pv'));
    expect(b.some((l) => /^Command line: root=UUID=[0-9a-f-]{36} ro console=hvc0$/.test(l))).toBe(true);
    expect(b).toContain('smp: Brought up 1 node, 1 CPU');
    expect(t.doneMs - bootTimeline({ ...PYGRUB, firmware: 'direct', cmdline: 'root=/dev/xvda1 ro console=hvc0' }).doneMs).toBeGreaterThan(4500);
  });

  it('pvgrub is GRUB on the PV console and loads Linux with BOOT_IMAGE=', () => {
    const t = bootTimeline(PVGRUB);
    const pv = channelText(t.chunks, 'pv');
    expect(pv.startsWith('\x1b[H\x1b[2J\r\n                             GNU GRUB  version 2.06-13+deb12u1\r\n')).toBe(true);
    expect(pv).toContain('The highlighted entry will be executed automatically in 1s.');
    expect(pv).toContain('Loading Linux 6.1.0-28-amd64 ...\r\nLoading initial ramdisk ...\r\n');
    expect(bare(pv).some((l) => l.startsWith('Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=UUID='))).toBe(true);
  });
});

describe('golden timings for the fixed seed', () => {
  const cases: [string, typeof PV, number, number, number, number][] = [
    ['pv', PV, 30, 30, 3632, 84],
    ['pvh', PVH, 20, 20, 3124, 84],
    ['hvm seabios', HVM, 8453, 9338, 12676, 208],
    ['hvm ovmf', OVMF, 11961, 12846, 16184, 173],
    ['pv pygrub', PYGRUB, 5180, 5180, 8843, 86],
    ['pv pvgrub', PVGRUB, 6000, 6000, 9663, 87],
  ];
  for (const [name, d, k, pv, done, n] of cases) {
    it(name, () => {
      const t = bootTimeline(d);
      expect([t.kernelStartMs, t.pvUpMs, t.doneMs, t.chunks.length]).toEqual([k, pv, done, n]);
    });
  }
});
