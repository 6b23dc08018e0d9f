/**
 * The devices QEMU (qemu-xen, machine xenfv) gives an HVM guest for a given
 * configuration, with the argument libxl__build_device_model_args_new adds
 * for each and the xl.cfg key that controls it. The board's interrupt
 * controllers and timers are not here: Xen emulates those (the flags).
 */

export interface QemuDisk {
  vdev: string;
  cdrom: boolean;
  readwrite: boolean;
}

export interface QemuNic {
  devid: number;
  model: string;
  mac: string;
  /** nictype vif_ioemu (the HVM default); plain 'vif' is PV only */
  ioemu: boolean;
}

export interface QemuDesc {
  xenPlatformPci: boolean;
  /** mmio_hole= in MiB, when given */
  mmioHoleMiB?: number;
  vga: 'cirrus' | 'std' | 'qxl' | 'none';
  videoramMiB: number;
  hdtype: 'ide' | 'ahci';
  disks: QemuDisk[];
  nics: QemuNic[];
  usb: boolean;
  usbdevices: string[];
  usbversion: number;
  soundhw?: string;
  serial: string[];
  acpi: boolean;
  nographic: boolean;
  vnc: boolean;
  sdl: boolean;
  spice: boolean;
  boot: string;
  maxVcpus: number;
  availVcpus: number;
  maxmemMiB: number;
  vendorDevice?: 'xenserver';
}

export interface QemuDevice {
  device: string;
  /** the QEMU argument(s), or a note when the device is not emulated */
  arg: string;
  controlledBy: string;
}

/**
 * libxl__device_disk_dev_number's disk index: hdX/sdX/xvdX letters in base 26
 * (a=0, z=25, aa=26), or -1 for a name it does not know.
 */
export function diskIndex(vdev: string): number {
  const dn = /^d(\d+)(?:p\d+)?$/.exec(vdev);
  if (dn) return Number(dn[1]);
  const m = /^(?:hd|sd|xvd)([a-z]+)\d*$/.exec(vdev);
  if (!m) return -1;
  let n = 0;
  for (const ch of m[1]!) n = n * 26 + (ch.charCodeAt(0) - 96);
  return n - 1;
}

const HVM_BELOW_4G_MMIO_START_MIB = 3840;

export function dmDevices(q: QemuDesc): { machine: string; devices: QemuDevice[] } {
  let machine = q.xenPlatformPci ? 'xenfv,suppress-vmdesc=on' : 'pc,accel=xen,suppress-vmdesc=on';
  // libxl only passes a hole bigger than the default one
  if (q.mmioHoleMiB && 4096 - q.mmioHoleMiB <= HVM_BELOW_4G_MMIO_START_MIB) {
    machine += `,max-ram-below-4g=${(4096 - q.mmioHoleMiB) * 1024 * 1024}`;
  }
  const out: QemuDevice[] = [];
  const add = (device: string, arg: string, controlledBy: string) => out.push({ device, arg, controlledBy });

  add('chipset', 'i440FX host bridge, PIIX3 (ISA, IDE, ACPI), PS/2 keyboard and mouse', 'always');
  add(
    'Xen platform device',
    q.xenPlatformPci ? 'xen-platform (part of xenfv): lets PV drivers unplug emulated disks and NICs' : 'absent (machine pc): PV drivers cannot take over',
    'xen_platform_pci',
  );
  switch (q.vga) {
    case 'std':
      add('VGA', `-device VGA,vgamem_mb=${q.videoramMiB}`, 'vga, videoram');
      break;
    case 'cirrus':
      add('VGA', `-device cirrus-vga,vgamem_mb=${q.videoramMiB}`, 'vga, videoram');
      break;
    case 'qxl': {
      const half = Math.floor((q.videoramMiB * 1024) / 2 / 1024);
      add('VGA', `-device qxl-vga,vram_size_mb=${half},ram_size_mb=${half}`, 'vga, videoram');
      break;
    }
    default:
      add('VGA', 'none (no graphics card)', 'vga');
  }
  if (q.disks.some((d) => !d.cdrom && d.vdev.startsWith('sd'))) add('SCSI controller', '-device lsi53c895a', 'an sd* disk');
  if (q.hdtype === 'ahci') add('AHCI controller', '-device ahci,id=ahci0', 'hdtype=ahci');
  for (const d of q.disks) {
    const i = diskIndex(d.vdev);
    if (i < 0) {
      add(`disk ${d.vdev}`, 'PV only (unknown device name)', 'disk vdev');
    } else if (d.cdrom) {
      add(`cdrom ${d.vdev}`, i > 4 ? 'PV only (an emulated CD-ROM must be one of the first 4 disks)' : `-device ide-cd,bus=ide.${Math.floor(i / 2)},unit=${i % 2}`, 'disk devtype=cdrom');
    } else if (d.vdev.startsWith('sd')) {
      add(`disk ${d.vdev}`, `-device scsi-hd,scsi-id=${i}`, 'disk vdev sd*');
    } else if (i < 6 && q.hdtype === 'ahci') {
      add(`disk ${d.vdev}`, `-device ide-hd,bus=ahci0.${i},unit=0 (AHCI)`, 'hdtype=ahci');
    } else if (i < 4) {
      add(`disk ${d.vdev}`, `-drive if=ide,index=${i},media=disk (IDE ${['primary master', 'primary slave', 'secondary master', 'secondary slave'][i]})`, 'hdtype=ide');
    } else {
      add(`disk ${d.vdev}`, 'PV only (only 4 emulated IDE disks)', 'disk vdev');
    }
  }
  for (const n of q.nics) {
    add(
      `NIC ${n.devid}`,
      n.ioemu ? `-device ${n.model},id=nic${n.devid},netdev=net${n.devid},mac=${n.mac}` : 'PV only (vif type=vif)',
      'vif model=, type=',
    );
  }
  if (q.usb || q.usbdevices.length > 0) {
    add('USB', ['-usb', ...q.usbdevices.map((u) => `-usbdevice ${u}`)].join(' '), 'usb, usbdevice');
  } else if (q.usbversion === 1) {
    add('USB', '-device piix3-usb-uhci,id=usb', 'usbversion=1');
  } else if (q.usbversion === 2) {
    add('USB', '-device ich9-usb-ehci1 + 3 ich9-usb-uhciN companions', 'usbversion=2');
  } else if (q.usbversion === 3) {
    add('USB', '-device nec-usb-xhci,id=usb', 'usbversion=3');
  }
  if (q.soundhw) {
    add('sound', q.soundhw.toLowerCase() === 'hda' ? '-device intel-hda -device hda-duplex' : `-device ${q.soundhw.toLowerCase()}`, 'soundhw');
  }
  for (const s of q.serial) add('serial', `-serial ${s} (16550 UART)`, 'serial');
  if (!q.acpi) add('ACPI', '-no-acpi', 'acpi=0');
  if (q.nographic && !q.vnc && !q.sdl) add('display', '-nographic', 'nographic');
  else {
    const shown = [q.vnc ? 'VNC' : '', q.sdl ? 'SDL' : '', q.spice ? 'SPICE' : ''].filter(Boolean);
    add('display', shown.length ? shown.join(', ') : 'none', 'vnc, sdl, spice');
  }
  add('boot order', `-boot order=${q.boot}`, 'boot');
  if (q.maxVcpus > 1) add('CPUs', `-smp ${q.availVcpus},maxcpus=${q.maxVcpus}`, 'vcpus, maxvcpus');
  add('RAM', `-m ${q.maxmemMiB - q.videoramMiB}`, 'maxmem - videoram');
  if (q.vendorDevice === 'xenserver') add('vendor device', '-device xen-pvdevice,device-id=0xc000', 'vendor_device');
  return { machine, devices: out };
}
