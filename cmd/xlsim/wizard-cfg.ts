/**
 * The guest config the wizard writes: xl.cfg syntax with a comment above
 * each setting saying what it does, so the file teaches as much as it
 * configures. Pure: answers in, text out (what `xl create -n` must accept).
 */

export type WizardType = 'pv' | 'pvh' | 'hvm';
export type Altp2mChoice = 'disabled' | 'mixed' | 'external' | 'limited';

export interface WizardDisk {
  target: string;
  vdev: string;
  format: 'raw' | 'qcow2';
  access: 'rw' | 'ro';
}

export interface WizardNic {
  bridge: string;
  /** HVM: the emulated card QEMU offers until PV drivers take over */
  model?: 'e1000' | 'rtl8139';
}

export interface WizardAnswers {
  type: WizardType;
  name: string;
  memory: number;
  vcpus: number;
  /** PV/PVH */
  kernel?: string;
  ramdisk?: string;
  cmdline?: string;
  /** HVM */
  firmware?: 'seabios' | 'ovmf';
  disks: WizardDisk[];
  nics: WizardNic[];
  /** HVM: vnc, serial, usb-tablet, stdvga; PV: vfb */
  devices: string[];
  altp2m: Altp2mChoice;
}

/** xl.cfg string literal: the parser takes C-like escapes inside double quotes. */
export function cfgString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export const ALTP2M_COUNT = 10;

export function renderWizardConfig(a: WizardAnswers): string {
  const o: string[] = [];
  const kind = a.type === 'pv' ? 'PV' : a.type === 'pvh' ? 'PVH' : 'HVM';
  o.push(`# ${a.name}: ${kind === 'HVM' ? 'an' : 'a'} ${kind} guest, written by xlsim wizard.`);
  o.push('# Check it with `xl create -n FILE`, start it with `xl create FILE`; see xl.cfg(5).');
  o.push('');
  o.push(
    a.type === 'pv'
      ? '# PV: the guest kernel knows it runs on Xen; no emulated hardware, Xen shares its address space.'
      : a.type === 'pvh'
        ? '# PVH: an HVM container (hardware paging) with PV devices and no QEMU.'
        : '# HVM: a full emulated PC (firmware, QEMU devices); PV drivers can take over later.',
  );
  o.push(`type = ${cfgString(a.type)}`);
  o.push('');
  o.push('# The name xl and xenstore know the guest by (must be unique on the host).');
  o.push(`name = ${cfgString(a.name)}`);
  o.push('');
  o.push('# Initial memory in MiB (maxmem defaults to the same: no populate-on-demand).');
  o.push(`memory = ${a.memory}`);
  o.push('');
  o.push('# Virtual CPUs.');
  o.push(`vcpus = ${a.vcpus}`);
  o.push('');
  if (a.type !== 'hvm') {
    o.push('# The kernel xl loads directly (direct boot, no bootloader); the path is on dom0.');
    o.push(`kernel = ${cfgString(a.kernel ?? '')}`);
    if (a.ramdisk) {
      o.push('# Its initial ramdisk.');
      o.push(`ramdisk = ${cfgString(a.ramdisk)}`);
    }
    if (a.cmdline) {
      o.push('# The kernel command line.');
      o.push(`cmdline = ${cfgString(a.cmdline)}`);
    }
    o.push('');
  } else {
    if (a.firmware === 'ovmf') {
      o.push('# UEFI firmware (OVMF) instead of the default SeaBIOS.');
      o.push('bios = "ovmf"');
    } else {
      o.push('# Legacy BIOS firmware (SeaBIOS, the default for HVM).');
      o.push('bios = "seabios"');
    }
    o.push('');
  }
  o.push('# Disks: target (image or device on dom0), guest device name, format and access.');
  if (a.disks.length === 0) o.push('disk = [ ]');
  else {
    o.push('disk = [');
    for (const d of a.disks) o.push(`    ${cfgString(`format=${d.format}, vdev=${d.vdev}, access=${d.access}, target=${d.target}`)},`);
    o.push(']');
  }
  o.push('');
  o.push('# Network interfaces: each is a vif in the guest, plugged into a bridge in dom0.');
  if (a.nics.length === 0) o.push('vif = [ ]');
  else {
    o.push('vif = [');
    for (const n of a.nics) o.push(`    ${cfgString(n.model ? `bridge=${n.bridge},model=${n.model}` : `bridge=${n.bridge}`)},`);
    o.push(']');
  }
  o.push('');
  const dev = new Set(a.devices);
  if (a.type === 'hvm') {
    o.push('# Graphics card QEMU emulates: "stdvga" (VBE, high resolutions) or "cirrus".');
    o.push(`vga = ${cfgString(dev.has('stdvga') ? 'stdvga' : 'cirrus')}`);
    o.push('# VNC server for the emulated screen (QEMU, in dom0).');
    o.push(`vnc = ${dev.has('vnc') ? 1 : 0}`);
    if (dev.has('serial')) {
      o.push('# An emulated serial port, reachable with `xl console -t serial`.');
      o.push('serial = "pty"');
    }
    if (dev.has('usb-tablet')) {
      o.push('# A USB tablet, so the mouse pointer follows the VNC client.');
      o.push('usb = 1');
      o.push('usbdevice = [ "tablet" ]');
    }
    o.push('');
  } else if (a.type === 'pv' && dev.has('vfb')) {
    o.push('# A PV framebuffer (and keyboard/mouse), served over VNC by a backend in dom0.');
    o.push('vfb = [ "vnc=1" ]');
    o.push('');
  }
  if (a.type !== 'pv') {
    o.push('# altp2m: alternate guest-physical views (EPT views switched by VMFUNC or by an');
    o.push('# external agent). The host needs altp2m=1 on the Xen command line and HAP.');
    o.push(`altp2m = ${cfgString(a.altp2m)}`);
    if (a.altp2m !== 'disabled') {
      o.push('# How many views: libxl defaults to 10 only for HVM; a PVH guest needs it set.');
      o.push(`altp2m_count = ${ALTP2M_COUNT}`);
    }
    o.push('');
  }
  o.push('# What happens when the guest powers off, reboots or crashes.');
  o.push('on_poweroff = "destroy"');
  o.push('on_reboot = "restart"');
  o.push('on_crash = "destroy"');
  return o.join('\n') + '\n';
}

/** A domain name the wizard accepts: what a shell and xenstore both take without quoting. */
export function checkGuestName(s: string): string | true {
  if (s === '') return 'a name is required';
  if (/^\d+$/.test(s)) return 'a name that is a number would be taken for a domain id';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(s)) return "letters, digits, '.', '_' and '-' only, at most 64 characters, starting with a letter or digit";
  if (s === 'Domain-0') return 'Domain-0 is dom0';
  return true;
}

/** A path on dom0 (absolute, no quotes or commas that the disk spec would split on). */
export function checkPath(s: string, what: string): string | true {
  if (!s.startsWith('/')) return `the ${what} must be an absolute path on dom0`;
  if (/[",\s]/.test(s)) return `the ${what} path must not contain spaces, commas or quotes`;
  return true;
}

export function checkBridge(s: string): string | true {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,14}$/.test(s) ? true : 'a bridge name: letters, digits, ".", "_" and "-", at most 15 characters';
}
