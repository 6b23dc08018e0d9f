/**
 * The pci backend directory libxl keeps for a guest's passed-through
 * functions (libxl_pci.c libxl__create_pci_backend,
 * libxl__device_pci_add_xenstore / _remove_xenstore), and the BDF text
 * forms libxl prints and stores.
 */
import { sprintf } from '../util/printf';
import type { LibxlCtx } from './ctx';
import { XenbusState } from './devices-xenbus';
import type { DevicePci } from './types';

export type Bdf = Pick<DevicePci, 'domain' | 'bus' | 'dev' | 'func'>;

export function bdfText(p: Bdf): string {
  return sprintf('%04x:%02x:%02x.%01x', p.domain ?? 0, p.bus ?? 0, p.dev ?? 0, p.func ?? 0);
}

export function xsBdf(p: Bdf): string {
  return sprintf('%04x-%02x-%02x-%01x', p.domain ?? 0, p.bus ?? 0, p.dev ?? 0, p.func ?? 0);
}

export function shortHex(p: Bdf): string {
  return `${(p.domain ?? 0).toString(16)}:${(p.bus ?? 0).toString(16)}:${(p.dev ?? 0).toString(16)}.${(p.func ?? 0).toString(16)}`;
}

export function sameBdf(a: Bdf, b: Bdf): boolean {
  return (a.domain ?? 0) === (b.domain ?? 0) && (a.bus ?? 0) === (b.bus ?? 0) && (a.dev ?? 0) === (b.dev ?? 0) && (a.func ?? 0) === (b.func ?? 0);
}

export function parseBdfText(s: string): Bdf | undefined {
  const m = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(s);
  if (!m) return undefined;
  return { domain: parseInt(m[1]!, 16), bus: parseInt(m[2]!, 16), dev: parseInt(m[3]!, 16), func: Number(m[4]) };
}

/** One more function in the guest's backend (created with the first). */
export function pciBackendAdd(lx: LibxlCtx, domid: number, pci: DevicePci): void {
  const xs = lx.xs;
  const be = `/local/domain/0/backend/pci/${domid}/0`;
  const fe = `/local/domain/${domid}/device/pci/0`;
  const num = Number(xs.tryRead(`${be}/num_devs`) ?? '0');
  if (num === 0) {
    xs.mkdirPerms(be, ['n0', `r${domid}`]);
    xs.writeAll(be, [
      ['frontend', fe],
      ['frontend-id', String(domid)],
      ['online', '1'],
      ['state', String(XenbusState.Initialising)],
      ['domain', xs.tryRead(`/local/domain/${domid}/name`) ?? ''],
    ]);
    xs.mkdirPerms(fe, [`n${domid}`, 'r0']);
    xs.writeAll(fe, [
      ['backend', be],
      ['backend-id', '0'],
      ['state', String(XenbusState.Initialising)],
    ]);
  }
  const text = bdfText(pci);
  const kv: Array<[string, string]> = [
    [`key-${num}`, text],
    [`dev-${num}`, text],
  ];
  if (pci.vdevfn) kv.push([`vdevfn-${num}`, pci.vdevfn.toString(16)]);
  kv.push(
    [`opts-${num}`, `msitranslate=${pci.msitranslate ? 1 : 0},power_mgmt=${pci.power_mgmt ? 1 : 0},permissive=${pci.permissive ? 1 : 0},rdm_policy=${pci.rdm_policy ?? 'strict'}`],
    [`state-${num}`, String(XenbusState.Initialising)],
    ['num_devs', String(num + 1)],
  );
  xs.writeAll(be, kv);
}

/** One function out; the last one takes the backend and frontend with it. */
export function pciBackendRemove(lx: LibxlCtx, domid: number, pci: DevicePci): void {
  const xs = lx.xs;
  const be = `/local/domain/0/backend/pci/${domid}/0`;
  const num = Number(xs.tryRead(`${be}/num_devs`) ?? '0');
  if (num <= 1) {
    xs.rm(`/local/domain/${domid}/device/pci/0`);
    xs.rm(`/local/domain/0/backend/pci/${domid}`);
    return;
  }
  const keys = ['state', 'key', 'dev', 'vdev', 'opts', 'vdevfn', 'name'];
  let i = 0;
  while (i < num && !sameBdf(parseBdfText(xs.tryRead(`${be}/dev-${i}`) ?? '') ?? {}, pci)) i++;
  for (const k of keys) xs.rm(`${be}/${k}-${i}`);
  for (let j = i + 1; j < num; j++) {
    for (const k of keys) {
      const v = xs.tryRead(`${be}/${k}-${j}`);
      if (v === undefined) continue;
      xs.write(`${be}/${k}-${j - 1}`, v);
      xs.rm(`${be}/${k}-${j}`);
    }
  }
  xs.write(`${be}/num_devs`, String(num - 1));
}
