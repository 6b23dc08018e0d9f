/**
 * The stored domain configuration follows hot-plugged devices
 * (libxl_device.c device_add_domain_config, libxl__device_remove's json
 * update): `xl list -l`, save images and migration streams carry what is
 * attached now, not what the config file said at create.
 */
import type { LibxlCtx } from './ctx';
import { getDomainConfiguration, setDomainConfiguration } from './userdata';
import type { DomainConfig } from './types';

type ListKey = 'disks' | 'nics' | 'pcidevs' | 'vtpms' | 'vkbs' | 'vdispls' | 'vsnds' | 'usbctrls' | 'usbdevs';

/** Replace the entry `same` matches, else append; false when nothing is stored. */
export function configAddDevice<T>(lx: LibxlCtx, domid: number, key: ListKey, dev: T, same: (a: T) => boolean): boolean {
  const cfg = getDomainConfiguration(lx, domid);
  if (!cfg) return false;
  const list = ((cfg as unknown as Record<string, unknown>)[key] as T[] | undefined) ?? [];
  const i = list.findIndex(same);
  if (i >= 0) list[i] = dev;
  else list.push(dev);
  (cfg as unknown as Record<string, unknown>)[key] = list;
  setDomainConfiguration(lx, domid, cfg);
  return true;
}

export function configRemoveDevice<T>(lx: LibxlCtx, domid: number, key: ListKey, same: (a: T) => boolean): void {
  const cfg = getDomainConfiguration(lx, domid);
  if (!cfg) return;
  const list = ((cfg as unknown as Record<string, unknown>)[key] as T[] | undefined) ?? [];
  const kept = list.filter((d) => !same(d));
  if (kept.length === list.length) return;
  (cfg as unknown as Record<string, unknown>)[key] = kept;
  setDomainConfiguration(lx, domid, cfg);
}

export function configDevices<T>(cfg: DomainConfig | undefined, key: ListKey): T[] {
  return (((cfg ?? {}) as unknown as Record<string, unknown>)[key] as T[] | undefined) ?? [];
}
