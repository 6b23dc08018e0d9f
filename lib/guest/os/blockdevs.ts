/**
 * How the guest names the disks of its config. blkfront turns a vdev into
 * an xvd name by its position (hda, sda and xvda all become xvda — the
 * emulated majors are translated, docs/man/xen-vbd-interface.7); an HVM
 * guest's CD-ROM stays on QEMU's emulated IDE (PV drivers never unplug it)
 * and shows up as sr0; an HVM guest without PV drivers sees emulated sdX.
 */
import { effectiveCmdline } from './consoles';
import { hasPvDrivers, type GuestDesc, type OsDisk } from './types';

function letters(i: number): string {
  return i < 26 ? String.fromCharCode(97 + i) : letters(Math.floor(i / 26) - 1) + String.fromCharCode(97 + (i % 26));
}

/** The disk's position (0 = a) in its vdev. */
export function vdevIndex(vdev: string): number {
  const m = /^(?:xvd|hd|sd)([a-z]+)$/.exec(vdev);
  if (!m) {
    const n = /^d(\d+)/.exec(vdev);
    return n ? Number(n[1]) : 0;
  }
  let v = 0;
  for (const c of m[1]!) v = v * 26 + (c.charCodeAt(0) - 96);
  return v - 1;
}

export function blkName(d: GuestDesc, disk: OsDisk): string {
  if (d.type === 'hvm' && disk.cdrom) return `sr${d.disks.filter((x) => x.cdrom).indexOf(disk)}`;
  if (d.type === 'hvm' && !hasPvDrivers(d)) return `sd${letters(d.disks.filter((x) => !x.cdrom).indexOf(disk))}`;
  return `xvd${letters(vdevIndex(disk.vdev))}`;
}

export function blkMajMin(d: GuestDesc, disk: OsDisk, part = 0): string {
  const name = blkName(d, disk);
  if (name.startsWith('sr')) return `11:${name.slice(2)}`;
  if (name.startsWith('sd')) return `8:${vdevIndex(name) * 16 + part}`;
  return `202:${vdevIndex(name) * 16 + part}`;
}

export interface RootPart {
  disk: OsDisk;
  /** the root device's name: a partition (xvda1) or the whole disk */
  part: string;
  partitioned: boolean;
}

/** Which disk holds / (from root= on the command line; else the first hard disk's first partition). */
export function rootPartition(d: GuestDesc): RootPart | null {
  const disks = d.disks.filter((x) => !x.cdrom);
  if (disks.length === 0) return null;
  const m = /(?:^|\s)root=\/dev\/([a-z]+)(\d*)(?:\s|$)/.exec(effectiveCmdline(d));
  if (m) {
    const disk = disks.find((x) => blkName(d, x) === m[1]);
    if (disk) return { disk, part: m[1]! + m[2]!, partitioned: m[2] !== '' };
  }
  const disk = disks[0]!;
  return { disk, part: blkName(d, disk) + '1', partitioned: true };
}
