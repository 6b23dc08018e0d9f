/** Guests and a fake world for the guest OS tests. */
import { bootDmesg } from '../../lib/guest/os/boot';
import type { ShellEnv } from '../../lib/guest/os/commands';
import { consoleSetup } from '../../lib/guest/os/consoles';
import type { GuestLive } from '../../lib/guest/os/procfs';
import type { GuestDesc } from '../../lib/guest/os/types';
import type { XsListResult, XsReadResult } from '../../lib/guest/os/xsclient';

const base = { xenVersion: '4.20.0', cpu: { vendor: 'Intel' as const, mhz: 2394 }, seed: 42 };

export const PV: GuestDesc = {
  ...base,
  type: 'pv',
  firmware: 'direct',
  name: 'pv-guest',
  domid: 3,
  memoryMiB: 1024,
  maxmemMiB: 2048,
  vcpus: 2,
  maxvcpus: 4,
  kernel: '/boot/vmlinuz-6.1.0-xen',
  ramdisk: '/boot/initrd.img-6.1.0-xen',
  cmdline: 'root=/dev/xvda1 ro console=hvc0',
  disks: [
    { vdev: 'xvda', target: '/dev/vg0/pv-guest-root' },
    { vdev: 'xvdb', target: '/var/lib/xen/images/pv-guest-data.qcow2' },
  ],
  nics: [{ devid: 0, mac: '00:16:3e:5f:48:e4', bridge: 'xenbr0' }],
};

export const PVH: GuestDesc = {
  ...base,
  type: 'pvh',
  firmware: 'direct',
  name: 'pvh-guest',
  domid: 4,
  memoryMiB: 2048,
  vcpus: 2,
  kernel: '/boot/vmlinuz-6.1.0-xen',
  cmdline: 'root=/dev/xvda1 ro console=hvc0',
  disks: [{ vdev: 'xvda', target: '/dev/vg0/pvh-guest-root' }],
  nics: [{ devid: 0, mac: '00:16:3e:11:22:33', bridge: 'xenbr0' }],
};

export const HVM: GuestDesc = {
  ...base,
  type: 'hvm',
  firmware: 'seabios',
  name: 'hvm-guest',
  domid: 5,
  memoryMiB: 2048,
  vcpus: 2,
  cmdline: '',
  serial: true,
  disks: [
    { vdev: 'xvda', target: '/var/lib/xen/images/hvm-guest.img' },
    { vdev: 'hdc', target: '/srv/iso/debian-12-amd64-netinst.iso', cdrom: true },
  ],
  nics: [{ devid: 0, mac: '00:16:3e:0a:0b:0c', bridge: 'xenbr0' }],
  uuid: '7c1f0c52-8f3e-4b4e-9a57-0d6a3c1e2f10',
};

export const OVMF: GuestDesc = { ...HVM, firmware: 'ovmf', name: 'hvm-uefi', domid: 6, memoryMiB: 4096, vcpus: 4, hdtype: 'ahci', nics: [{ devid: 0, mac: '00:16:3e:44:55:66', model: 'e1000', bridge: 'xenbr0' }] };

export const PYGRUB: GuestDesc = { ...PV, firmware: 'pygrub', name: 'pv-pygrub', domid: 7, memoryMiB: 1024, maxmemMiB: 1024, vcpus: 1, maxvcpus: 1, kernel: undefined, cmdline: '', disks: [PV.disks[0]!] };
export const PVGRUB: GuestDesc = { ...PYGRUB, firmware: 'pvgrub64', name: 'pv-pvgrub', domid: 8 };

/** A xenstore with the guest's permissions: it may read its own home and nothing of dom0's. */
export function fakeXs(domid: number, tree: Record<string, string>) {
  const home = `/local/domain/${domid}`;
  const visible = (p: string) => p === home || p.startsWith(home + '/');
  const exists = (p: string) => p in tree || Object.keys(tree).some((k) => k.startsWith(p + '/'));
  return {
    read(p: string): XsReadResult {
      if (!visible(p)) return { errno: 'EACCES' };
      if (!exists(p)) return { errno: 'ENOENT' };
      return { value: tree[p] ?? '' };
    },
    list(p: string): XsListResult {
      if (!visible(p)) return { errno: 'EACCES' };
      if (!exists(p)) return { errno: 'ENOENT' };
      const pre = p + '/';
      const names: string[] = [];
      for (const k of Object.keys(tree)) {
        if (!k.startsWith(pre)) continue;
        const n = k.slice(pre.length).split('/')[0]!;
        if (!names.includes(n)) names.push(n);
      }
      return { names };
    },
  };
}

export function makeEnv(d: GuestDesc, live: Partial<GuestLive> = {}, tree: Record<string, string> = {}): ShellEnv {
  const l: GuestLive = { allocKiB: d.memoryMiB * 1024, onlineVcpus: d.vcpus, uptimeMs: 123_456, workloadMiB: 0, disks: d.disks, ...live };
  return { desc: d, consoles: consoleSetup(d), live: () => l, dmesg: () => bootDmesg(d), xs: fakeXs(d.domid, tree) };
}

/** All text of one channel, concatenated. */
export function channelText(chunks: { channel: string; text: string }[], ch: string): string {
  return chunks
    .filter((c) => c.channel === ch)
    .map((c) => c.text)
    .join('');
}
