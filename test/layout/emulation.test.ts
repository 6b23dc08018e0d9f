import { describe, expect, test } from 'vitest';
import { emulationReport } from '../../lib/xen/layout/emulation';
import { emulationDescFromConfig, layoutDescFromConfig } from '../../lib/xen/layout/from-config';
import { renderEmulationText } from '../../lib/xen/layout/render-report';
import { diskIndex } from '../../lib/xen/layout/qemu';
import { hvmInfo, initBuildInfoType, newDomainConfig, type DomainConfig, type DomainType } from '../../lib/libxl/types';

function cfg(type: DomainType, memMiB = 1024): DomainConfig {
  const c = newDomainConfig();
  c.c_info.type = type;
  initBuildInfoType(c.b_info, type);
  c.b_info.max_memkb = memMiB * 1024;
  c.b_info.target_memkb = memMiB * 1024;
  c.b_info.max_vcpus = 2;
  return c;
}

const set = (r: ReturnType<typeof emulationReport>) => r.bits.filter((b) => b.set).map((b) => b.name);

describe('XEN_X86_EMU_* per guest type', () => {
  test('HVM: 0x1ff, everything but USE_PIRQ and VPCI, and Xen accepts it', () => {
    const r = emulationReport(emulationDescFromConfig(cfg('hvm')));
    expect(r.flags).toBe(0x1ff);
    expect(r.flagsHex).toBe('0x1ff');
    expect(r.accepted).toBe(true);
    expect(set(r)).toEqual([
      'XEN_X86_EMU_LAPIC', 'XEN_X86_EMU_HPET', 'XEN_X86_EMU_PM', 'XEN_X86_EMU_RTC', 'XEN_X86_EMU_IOAPIC',
      'XEN_X86_EMU_PIC', 'XEN_X86_EMU_VGA', 'XEN_X86_EMU_IOMMU', 'XEN_X86_EMU_PIT',
    ]);
    expect(r.qemu).toBeDefined();
    expect(r.noQemu).toBeUndefined();
  });

  test('HVM with hvm_pirq=1: 0x3ff', () => {
    const c = cfg('hvm');
    hvmInfo(c.b_info).pirq = true;
    const r = emulationReport(emulationDescFromConfig(c));
    expect(r.flags).toBe(0x3ff);
    expect(r.bits[9]).toMatchObject({ name: 'XEN_X86_EMU_USE_PIRQ', set: true });
    expect(r.options.find((o) => o.option === 'hvm_pirq')).toMatchObject({ value: '1', changesFlags: true });
  });

  test('hpet=0, acpi=0, apic=0, vga="none" do not change the flags', () => {
    const c = cfg('hvm');
    const h = hvmInfo(c.b_info);
    h.hpet = false;
    h.acpi = false;
    h.apic = false;
    h.vga.kind = 'none';
    const r = emulationReport(emulationDescFromConfig(c));
    expect(r.flags).toBe(0x1ff);
    expect(r.bits[1]).toMatchObject({ name: 'XEN_X86_EMU_HPET', set: true });
    for (const k of ['hpet', 'acpi', 'apic']) expect(r.options.find((o) => o.option === k)).toMatchObject({ value: '0', changesFlags: false });
    expect(r.options.find((o) => o.option === 'vga')).toMatchObject({ value: 'none', changesFlags: false });
    // they act elsewhere: QEMU arguments
    expect(r.qemu!.devices.find((d) => d.device === 'ACPI')!.arg).toBe('-no-acpi');
    expect(r.qemu!.devices.find((d) => d.device === 'VGA')!.arg).toBe('none (no graphics card)');
  });

  test('PVH: LAPIC only (0x1), no QEMU', () => {
    const r = emulationReport(emulationDescFromConfig(cfg('pvh')));
    expect(r.flags).toBe(0x1);
    expect(set(r)).toEqual(['XEN_X86_EMU_LAPIC']);
    expect(r.accepted).toBe(true);
    expect(r.qemu).toBeUndefined();
    expect(r.noQemu).toMatch(/no device model/);
    expect(r.interrupts).toMatch(/local APIC only/);
  });

  test('PV: nothing (0), event channels instead of a local APIC', () => {
    const r = emulationReport(emulationDescFromConfig(cfg('pv')));
    expect(r.flags).toBe(0);
    expect(r.flagsHex).toBe('0');
    expect(set(r)).toEqual([]);
    expect(r.accepted).toBe(true);
    expect(r.interrupts).toMatch(/no local APIC/);
    expect(r.interrupts).toMatch(/event channels/);
  });

  test('dom0: PV 0x100 (PIT), PVH 0x411 (LAPIC|IOAPIC|VPCI)', () => {
    const pv = emulationReport({ type: 'pv', hwdom: true });
    expect([pv.flags, pv.accepted]).toEqual([0x100, true]);
    const pvh = emulationReport({ type: 'pvh', hwdom: true });
    expect([pvh.flags, pvh.accepted]).toEqual([0x411, true]);
    expect(set(pvh)).toEqual(['XEN_X86_EMU_LAPIC', 'XEN_X86_EMU_IOAPIC', 'XEN_X86_EMU_VPCI']);
  });

  test('flags Xen would refuse are reported with its message', () => {
    const r = emulationReport({ type: 'pv', flags: 0x1, domid: 5 });
    expect(r.accepted).toBe(false);
    expect(r.refusal).toBe('d5: will not create PV domain with emulators: 0x1');
    expect(r.requested).toBe(0);
  });
});

describe('what QEMU provides for this config', () => {
  test('defaults: xenfv, cirrus 8 MiB, IDE disk, rtl8139 NIC', () => {
    const c = cfg('hvm', 2048);
    c.disks = [{ vdev: 'hda', readwrite: 1 }];
    c.nics = [{ devid: 0, mac: '00:16:3e:01:02:03' }];
    const q = emulationReport(emulationDescFromConfig(c)).qemu!;
    expect(q.machine).toBe('xenfv,suppress-vmdesc=on');
    const arg = (d: string) => q.devices.find((x) => x.device === d)?.arg;
    expect(arg('VGA')).toBe('-device cirrus-vga,vgamem_mb=8');
    expect(arg('disk hda')).toBe('-drive if=ide,index=0,media=disk (IDE primary master)');
    expect(arg('NIC 0')).toBe('-device rtl8139,id=nic0,netdev=net0,mac=00:16:3e:01:02:03');
    expect(arg('RAM')).toBe('-m 2040');
    expect(arg('CPUs')).toBe('-smp 2,maxcpus=2');
    expect(arg('USB')).toBeUndefined();
  });

  test('stdvga, AHCI, an sd disk, a cdrom, e1000, usbversion 3, hda sound, serial, mmio_hole', () => {
    const c = cfg('hvm', 4096);
    const h = hvmInfo(c.b_info);
    h.vga.kind = 'std';
    h.hdtype = 'ahci';
    h.usbversion = 3;
    h.soundhw = 'hda';
    h.serial_list = ['pty'];
    h.mmio_hole_memkb = 1024 * 1024;
    h.xen_platform_pci = false;
    c.disks = [{ vdev: 'xvda', readwrite: 1 }, { vdev: 'sdb', readwrite: 1 }, { vdev: 'hdc', is_cdrom: 1 }, { vdev: 'xvdh', readwrite: 1 }];
    c.nics = [{ devid: 0, model: 'e1000', mac: '00:16:3e:0a:0b:0c' }, { devid: 1, nictype: 'vif' }];
    const q = emulationReport(emulationDescFromConfig(c)).qemu!;
    expect(q.machine).toBe('pc,accel=xen,suppress-vmdesc=on,max-ram-below-4g=3221225472');
    const arg = (d: string) => q.devices.find((x) => x.device === d)?.arg;
    expect(arg('VGA')).toBe('-device VGA,vgamem_mb=16');
    expect(arg('SCSI controller')).toBe('-device lsi53c895a');
    expect(arg('AHCI controller')).toBe('-device ahci,id=ahci0');
    expect(arg('disk xvda')).toBe('-device ide-hd,bus=ahci0.0,unit=0 (AHCI)');
    expect(arg('disk sdb')).toBe('-device scsi-hd,scsi-id=1');
    expect(arg('cdrom hdc')).toBe('-device ide-cd,bus=ide.1,unit=0');
    expect(arg('disk xvdh')).toBe('PV only (only 4 emulated IDE disks)');
    expect(arg('NIC 0')).toBe('-device e1000,id=nic0,netdev=net0,mac=00:16:3e:0a:0b:0c');
    expect(arg('NIC 1')).toBe('PV only (vif type=vif)');
    expect(arg('USB')).toBe('-device nec-usb-xhci,id=usb');
    expect(arg('sound')).toBe('-device intel-hda -device hda-duplex');
    expect(arg('serial')).toBe('-serial pty (16550 UART)');
    expect(arg('Xen platform device')).toMatch(/^absent/);
    expect(arg('RAM')).toBe('-m 4080');
  });

  test('disk names map to libxl disk indexes', () => {
    expect(['hda', 'hdd', 'sda', 'xvdb', 'xvdaa', 'd3p1', 'bogus'].map(diskIndex)).toEqual([0, 3, 0, 1, 26, 3, -1]);
  });
});

describe('paging line and text', () => {
  test('HAP pool by libxl formula, shadow doubles the per-MiB part', () => {
    const r = emulationReport(emulationDescFromConfig(cfg('hvm', 1024)));
    // 4 * (256 * 2 + 1 * 1024) KiB = 6 MiB
    expect(r.paging).toBe('paging: HAP (EPT/NPT), pool 6 MiB (libxl default: 1 MiB x 2 vCPUs + 4 KiB x 1024 MiB)');
    const s = cfg('hvm', 1024);
    s.c_info.hap = false;
    expect(emulationReport(emulationDescFromConfig(s)).paging).toBe('paging: shadow, pool 10 MiB (libxl default: 1 MiB x 2 vCPUs + 8 KiB x 1024 MiB)');
  });

  test('text report names the flags and the options that do not change them', () => {
    const c = cfg('hvm');
    hvmInfo(c.b_info).hpet = false;
    const t = renderEmulationText(emulationReport(emulationDescFromConfig(c)));
    expect(t).toContain('emulation_flags:   0x1ff\n');
    expect(t).toContain('   1 XEN_X86_EMU_HPET       0x002 on  Xen (hpet.c)           HPET timer block at 0xFED00000\n');
    expect(t).toMatch(/\n  hpet +0 +flags unchanged +HVM_PARAM_HPET_ENABLED/);
    expect(t).toContain('QEMU device model: -machine xenfv,suppress-vmdesc=on\n');
  });

  test('the layout desc follows the same config', () => {
    const c = cfg('hvm', 3000);
    hvmInfo(c.b_info).vga.kind = 'std';
    expect(layoutDescFromConfig(c)).toMatchObject({ type: 'hvm', memoryMiB: 3000, maxmemMiB: 3000, videoramMiB: 16, firmware: 'seabios', acpi: true, hpet: true });
  });
});

describe('dom0 options', () => {
  test('dom0 flags come from the Xen command line, not from xl.cfg', () => {
    const r = emulationReport({ type: 'pv', hwdom: true });
    expect(r.options).toEqual([
      {
        option: 'dom0 (Xen command line)',
        value: 'pv',
        effect: 'dom0 is built by Xen, not from xl.cfg: dom0=pvh selects 0x411, a PV dom0 gets 0x100',
        changesFlags: true,
      },
    ]);
    expect(r.notes).toContain('PV dom0: Xen turns the PIT on for the hardware domain (0x100)');
  });
});
