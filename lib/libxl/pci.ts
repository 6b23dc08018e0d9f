/**
 * PCI pass-through (libxl_pci.c) against the host's simulated PCI
 * inventory (the profile's [pci] section). What a real host keeps in sysfs
 * — which driver a function is bound to, whether Xen quarantined it — is a
 * host record here; what libxl keeps in xenstore is in xenstore as on a
 * real host: /libxl/pci/<dddd-bb-dd-f>/{name,driver_path,domid} and the
 * pci backend /local/domain/0/backend/pci/<domid>/0 with key-N/dev-N/
 * vdevfn-N/opts-N/state-N and num_devs.
 *
 * Ownership follows Xen's rule: a function belongs to dom0, to the
 * quarantine (DOMID_IO, after pci-assignable-add) or to one guest; a guest
 * gives it back to the quarantine when it detaches it or dies.
 */
import type { PciHostDevice } from '../sim/profile';
import type { LibxlCtx } from './ctx';
import { configAddDevice, configRemoveDevice } from './devices-config';
import { domainTypeOf } from './devices-vbd';
import { ERROR_FAIL, ERROR_INVAL, ERROR_NOTFOUND } from './errors';
import { libxlLog, where } from './log';
import { bdfText, parseBdfText, pciBackendAdd, pciBackendRemove, sameBdf, shortHex, xsBdf, type Bdf } from './pci-backend';
import type { DevicePci } from './types';

const SYSFS_NS = 'pci.sysfs';
const INFO = '/libxl/pci';

interface SysfsState {
  /** bound driver ('' = none) */
  driver: string;
  /** assigned to DOMID_IO */
  quarantined: boolean;
}

export interface PciHostInfo {
  inventory: readonly PciHostDevice[];
  iommu: boolean;
}

function children(lx: LibxlCtx, path: string): string[] {
  const r = lx.xs.directory(path);
  return Array.isArray(r) ? r : [];
}

export class PciHost {
  constructor(
    private readonly lx: LibxlCtx,
    private readonly host: PciHostInfo,
  ) {}

  private device(p: Bdf): PciHostDevice | undefined {
    return this.host.inventory.find((d) => sameBdf(d, p));
  }

  private sysfs(p: Bdf): SysfsState | undefined {
    const dev = this.device(p);
    if (!dev) return undefined;
    return this.lx.records.get<SysfsState>(SYSFS_NS, bdfText(p)) ?? { driver: dev.driver, quarantined: dev.driver === 'pciback' };
  }

  private putSysfs(p: Bdf, st: SysfsState): void {
    this.lx.records.put(SYSFS_NS, bdfText(p), st);
  }

  private infoRead(p: Bdf, node: string): string | undefined {
    return this.lx.xs.tryRead(`${INFO}/${xsBdf(p)}/${node}`);
  }

  private infoWrite(p: Bdf, node: string, value: string): void {
    if (!this.lx.xs.exists(INFO)) this.lx.xs.mkdirPerms(INFO, ['n0']);
    this.lx.xs.write(`${INFO}/${xsBdf(p)}/${node}`, value);
  }

  private infoRemove(p: Bdf, node: string): void {
    const dir = `${INFO}/${xsBdf(p)}`;
    this.lx.xs.rm(`${dir}/${node}`);
    if (children(this.lx, dir).length === 0) this.lx.xs.rm(dir);
    if (children(this.lx, INFO).length === 0) this.lx.xs.rm(INFO);
  }

  /** The live guest a function is passed through to, if any. */
  ownerOf(p: Bdf): number | undefined {
    for (const d of children(this.lx, '/local/domain/0/backend/pci')) {
      const domid = Number(d);
      if (!this.lx.hv.getdomaininfo(domid).ok) continue;
      if (this.pciList(domid).some((x) => sameBdf(x, p))) return domid;
    }
    return undefined;
  }

  private name2bdf(pci: DevicePci): number {
    for (const e of children(this.lx, INFO)) {
      const m = /^([0-9a-f]{4})-([0-9a-f]{2})-([0-9a-f]{2})-([0-7])$/.exec(e);
      if (!m) continue;
      const p = { domain: parseInt(m[1]!, 16), bus: parseInt(m[2]!, 16), dev: parseInt(m[3]!, 16), func: Number(m[4]) };
      if (this.infoRead(p, 'name') === pci.name) {
        Object.assign(pci, p);
        return 0;
      }
    }
    return ERROR_NOTFOUND;
  }

  private err(line: number, func: string, msg: string, errnoText?: string, level: 'error' | 'warning' | 'info' = 'error', domid?: number): void {
    libxlLog(this.lx.xtl, level, where('libxl_pci.c', line, func), domid, msg, errnoText);
  }

  /** libxl_device_pci_assignable_add */
  assignableAdd(pci: DevicePci, rebind: boolean): number {
    const F = 'libxl__device_pci_assignable_add';
    if (pci.name !== undefined) {
      if (pci.name.length > 64) {
        this.err(778, F, 'Name too long');
        return ERROR_FAIL;
      }
      if (!/^[\x21-\x7e]*$/.test(pci.name)) {
        this.err(784, F, 'Names may only include printable characters');
        return ERROR_FAIL;
      }
    }
    const st = this.sysfs(pci);
    const bdf = bdfText(pci);
    if (!st) {
      this.err(793, F, `Couldn't lstat /sys/bus/pci/devices/${bdf}`, 'No such file or directory');
      return ERROR_FAIL;
    }
    if (st.driver === 'pciback') {
      this.err(803, F, `${bdf} already assigned to pciback`, undefined, 'warning');
    } else {
      if (rebind) {
        if (st.driver) this.infoWrite(pci, 'driver_path', `/sys/bus/pci/drivers/${st.driver}`);
        else {
          const dp = this.infoRead(pci, 'driver_path');
          if (dp !== undefined) this.err(820, F, `${bdf} not bound to a driver, will be rebound to ${dp}`, undefined, 'info');
          else this.err(823, F, `${bdf} not bound to a driver, will not be rebound.`, undefined, 'warning');
        }
      } else if (this.infoRead(pci, 'driver_path') !== undefined) this.infoRemove(pci, 'driver_path');
      st.driver = 'pciback';
    }
    if (pci.name) this.infoWrite(pci, 'name', pci.name);
    else if (this.infoRead(pci, 'name') !== undefined) this.infoRemove(pci, 'name');
    // xc_assign_device(DOMID_IO): refused while a guest owns the function
    if (this.ownerOf(pci) !== undefined) {
      this.putSysfs(pci, st);
      this.err(849, F, `failed to quarantine ${bdf}`);
      return ERROR_FAIL;
    }
    st.quarantined = true;
    this.putSysfs(pci, st);
    return 0;
  }

  /** libxl_device_pci_assignable_remove; ERROR_NOTFOUND when a name matches nothing */
  assignableRemove(pci: DevicePci, rebind: boolean): number {
    const F = 'libxl__device_pci_assignable_remove';
    if (pci.name !== undefined) {
      const rc = this.name2bdf(pci);
      if (rc) return rc;
    }
    const bdf = bdfText(pci);
    const st = this.sysfs(pci);
    // xc_deassign_device(DOMID_IO): only a quarantined function comes back
    if (!st || !st.quarantined || this.ownerOf(pci) !== undefined) {
      this.err(907, F, `failed to de-quarantine ${bdf}`);
      return ERROR_FAIL;
    }
    st.quarantined = false;
    if (st.driver === 'pciback') st.driver = '';
    else this.err(918, F, 'Not bound to pciback', undefined, 'warning');
    const dp = this.infoRead(pci, 'driver_path');
    if (dp !== undefined) {
      if (rebind) {
        this.err(926, F, `Rebinding to driver at ${dp}`, undefined, 'info');
        st.driver = dp.replace(/^.*\//, '');
        this.infoRemove(pci, 'driver_path');
      }
    } else if (rebind) {
      this.err(939, F, "Couldn't find path for original driver; not rebinding", undefined, 'warning');
    }
    this.putSysfs(pci, st);
    if (this.infoRead(pci, 'name') !== undefined) this.infoRemove(pci, 'name');
    return 0;
  }

  /** libxl_device_pci_assignable_list: bound to pciback and not given to a guest */
  assignableList(): DevicePci[] {
    const out: DevicePci[] = [];
    for (const d of this.host.inventory) {
      const st = this.sysfs(d);
      if (st?.driver !== 'pciback') continue;
      if (this.infoRead(d, 'domid') !== undefined && this.ownerOf(d) !== undefined) continue;
      const p: DevicePci = { domain: d.domain, bus: d.bus, dev: d.dev, func: d.func };
      const name = this.infoRead(d, 'name');
      if (name !== undefined) p.name = name;
      out.push(p);
    }
    return out;
  }

  private assignable(pci: Bdf): boolean {
    return this.assignableList().some((p) => sameBdf(p, pci));
  }

  /** libxl_device_pci_list: undefined when the domain has no pci backend */
  pciList(domid: number): DevicePci[] {
    const be = `/local/domain/0/backend/pci/${domid}/0`;
    const num = this.lx.xs.tryRead(`${be}/num_devs`);
    if (num === undefined) return [];
    const out: DevicePci[] = [];
    for (let i = 0; i < Number(num); i++) {
      const p = parseBdfText(this.lx.xs.tryRead(`${be}/dev-${i}`) ?? '');
      if (!p) continue;
      const v = this.lx.xs.tryRead(`${be}/vdevfn-${i}`);
      out.push({ ...p, vdevfn: v === undefined ? 0 : parseInt(v, 16) });
    }
    return out;
  }

  /** The slot QEMU gives a new pass-through function: the lowest one nothing uses. */
  private qemuSlot(domid: number): number {
    const used = new Set<number>([0, 1, 2, 3]);
    let slot = 4;
    for (const id of children(this.lx, `/libxl/${domid}/device/vif`)) {
      if (this.lx.xs.tryRead(`/libxl/${domid}/device/vif/${id}/type`) === 'vif_ioemu') used.add(slot++);
    }
    for (const p of this.pciList(domid)) used.add((p.vdevfn ?? 0) >> 3);
    let s = 4;
    while (used.has(s)) s++;
    return s;
  }

  private addFailed(domid: number, pci: DevicePci, rc: number): number {
    const who = pci.name !== undefined ? `'${pci.name}'` : shortHex(pci);
    this.err(1820, 'device_pci_add_done', `libxl__device_pci_add failed for PCI device ${who} (rc ${rc})`, undefined, 'error', domid);
    if (this.infoRead(pci, 'domid') === String(domid)) this.infoRemove(pci, 'domid');
    libxlLog(this.lx.xtl, 'error', where('libxl_device.c', 1500, 'device_addrm_aocomplete'), undefined, 'unable to add device');
    return rc;
  }

  /** libxl_device_pci_add for a running domain */
  pciAdd(domid: number, pci: DevicePci): number {
    const F = 'libxl__device_pci_add';
    if (pci.name !== undefined) {
      const rc = this.name2bdf(pci);
      if (rc) return this.addFailed(domid, pci, rc);
    }
    const type = domainTypeOf(this.lx, domid, F);
    if (type === undefined) return this.addFailed(domid, pci, ERROR_FAIL);
    if (type === 'hvm') {
      const owner = this.ownerOf(pci);
      if (!this.host.iommu || !this.device(pci) || owner !== undefined) {
        this.err(1669, F, `PCI device ${bdfText(pci)} ${this.host.iommu ? 'already assigned to a different guest' : 'cannot be assigned - no IOMMU'}?`, undefined, 'error', domid);
        return this.addFailed(domid, pci, -1);
      }
    }
    if (pci.rdm_policy === undefined || pci.rdm_policy === 'invalid') pci.rdm_policy = 'strict';
    if (pci.seize && this.sysfs(pci)?.driver !== 'pciback') {
      const rc = this.assignableAdd(pci, true);
      if (rc) return this.addFailed(domid, pci, rc);
    }
    if (!this.assignable(pci)) {
      this.err(1688, F, `PCI device ${shortHex(pci)} is not assignable`, undefined, 'error', domid);
      return this.addFailed(domid, pci, ERROR_FAIL);
    }
    this.infoWrite(pci, 'domid', String(domid));
    if (type === 'hvm' && !pci.vdevfn) pci.vdevfn = this.qemuSlot(domid) << 3;
    const st = this.sysfs(pci)!;
    st.quarantined = false;
    this.putSysfs(pci, st);
    pciBackendAdd(this.lx, domid, pci);
    const stored: DevicePci = { ...pci };
    delete stored.name;
    configAddDevice<DevicePci>(this.lx, domid, 'pcidevs', stored, (p) => sameBdf(p, pci));
    return 0;
  }

  /** libxl_device_pci_remove / libxl_device_pci_destroy */
  pciRemove(domid: number, pci: DevicePci): number {
    const list = this.pciList(domid);
    const fail = (rc: number): number => {
      libxlLog(this.lx.xtl, 'error', where('libxl_device.c', 1500, 'device_addrm_aocomplete'), undefined, 'unable to remove device');
      return rc;
    };
    if (pci.name !== undefined && this.name2bdf(pci)) return fail(ERROR_NOTFOUND);
    if (list.length === 0) return fail(ERROR_FAIL);
    if (!list.some((p) => sameBdf(p, pci))) {
      this.err(1978, 'do_pci_remove', 'PCI device not attached to this domain', undefined, 'error', domid);
      return fail(ERROR_INVAL);
    }
    pciBackendRemove(this.lx, domid, pci);
    if (this.infoRead(pci, 'domid') !== undefined) this.infoRemove(pci, 'domid');
    const st = this.sysfs(pci);
    if (st) {
      // Xen hands a deassigned function back to the quarantine
      st.quarantined = true;
      this.putSysfs(pci, st);
    }
    configRemoveDevice<DevicePci>(this.lx, domid, 'pcidevs', (p) => sameBdf(p, pci));
    return 0;
  }

  /** libxl__device_pci_destroy_all: a dying domain gives its functions back */
  destroyAll(domid: number): void {
    for (const p of this.pciList(domid)) {
      if (this.infoRead(p, 'domid') !== undefined) this.infoRemove(p, 'domid');
      const st = this.sysfs(p);
      if (st) {
        st.quarantined = true;
        this.putSysfs(p, st);
      }
    }
  }
}

export { ERROR_INVAL };

/**
 * libxl__device_pci_destroy_all, for the domain destroy path: the dying
 * guest's functions go back to the quarantine and libxl forgets the owner.
 * Needs no inventory: only functions libxl already touched are recorded.
 */
export function pciDestroyAll(lx: LibxlCtx, domid: number): void {
  const be = `/local/domain/0/backend/pci/${domid}/0`;
  const num = Number(lx.xs.tryRead(`${be}/num_devs`) ?? '0');
  for (let i = 0; i < num; i++) {
    const p = parseBdfText(lx.xs.tryRead(`${be}/dev-${i}`) ?? '');
    if (!p) continue;
    const dir = `${INFO}/${xsBdf(p)}`;
    if (lx.xs.tryRead(`${dir}/domid`) === String(domid)) {
      lx.xs.rm(`${dir}/domid`);
      if (children(lx, dir).length === 0) lx.xs.rm(dir);
      if (children(lx, INFO).length === 0) lx.xs.rm(INFO);
    }
    const st = lx.records.get<SysfsState>(SYSFS_NS, bdfText(p));
    if (st) lx.records.put(SYSFS_NS, bdfText(p), { ...st, quarantined: true });
  }
}
