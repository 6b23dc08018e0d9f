/**
 * Constructors for the libxl types: the twins of the generated
 * libxl_<type>_init functions. Scalars with init values stay absent (absence
 * *is* the init value in our representation); what must exist is every nested
 * struct, because C embeds them and libxl's JSON always emits them.
 * Import these through types.ts.
 */

import type {
  DeviceChannel, DeviceDisk, DeviceDtdev, DeviceNic, DevicePci, DeviceP9, DevicePvcallsif, DeviceRdm,
  DeviceUsbctrl, DeviceUsbdev, DeviceVdispl, DeviceVfb, DeviceVirtio, DeviceVkb, DeviceVsnd, DeviceVtpm,
  VsndParams, VsndPcm, VsndStream,
} from './idl-device-types';
import type {
  DomainBuildInfo, DomainConfig, DomainCreateInfo, DomainSchedParams, DomainType, HvmBuildInfo,
  PvBuildInfo, PvhBuildInfo, VnodeInfo,
} from './types';

export function newDomainCreateInfo(): DomainCreateInfo {
  return {};
}

export function newDomainSchedParams(): DomainSchedParams {
  return {};
}

/** libxl_domain_build_info_init: type stays invalid until initBuildInfoType(). */
export function newDomainBuildInfo(): DomainBuildInfo {
  return {
    sched_params: {},
    arch_arm: { arm_sci: {} },
    arch_x86: {},
    xenstore_quota: {},
  };
}

export function newDomainConfig(): DomainConfig {
  return { c_info: newDomainCreateInfo(), b_info: newDomainBuildInfo() };
}

export function newHvmBuildInfo(): HvmBuildInfo {
  return { vga: {}, vnc: {}, sdl: {}, spice: {}, rdm: {} };
}

export function newPvBuildInfo(): PvBuildInfo {
  return {};
}

export function newPvhBuildInfo(): PvhBuildInfo {
  return {};
}

/**
 * libxl_domain_build_info_init_type: select the union member. Like the C
 * function (which asserts), the type may be chosen only once.
 */
export function initBuildInfoType(b: DomainBuildInfo, type: DomainType): DomainBuildInfo {
  const current = b.type ?? 'invalid';
  if (current !== 'invalid' && current !== type)
    throw new Error(`initBuildInfoType: build info is already ${current}, cannot become ${type}`);
  if (current === type && b.u !== undefined) return b;
  b.type = type;
  if (type === 'hvm') b.u = newHvmBuildInfo();
  else if (type === 'pv') b.u = newPvBuildInfo();
  else if (type === 'pvh') b.u = newPvhBuildInfo();
  else delete b.u;
  return b;
}

function member<T>(b: DomainBuildInfo, type: DomainType, make: () => T): T {
  if ((b.type ?? 'invalid') !== type)
    throw new Error(`b_info.u.${type} accessed while b_info.type is ${b.type ?? 'invalid'}`);
  if (b.u === undefined) b.u = make() as HvmBuildInfo | PvBuildInfo | PvhBuildInfo;
  return b.u as T;
}

/** b_info.u.hvm; b_info.type must be 'hvm' (creates the member if missing). */
export function hvmInfo(b: DomainBuildInfo): HvmBuildInfo {
  const h = member(b, 'hvm', newHvmBuildInfo);
  // A member built by hand may lack the embedded structs; C always has them.
  h.vga ??= {};
  h.vnc ??= {};
  h.sdl ??= {};
  h.spice ??= {};
  h.rdm ??= {};
  return h;
}

/** b_info.u.pv; b_info.type must be 'pv'. */
export function pvInfo(b: DomainBuildInfo): PvBuildInfo {
  return member(b, 'pv', newPvBuildInfo);
}

/** b_info.u.pvh; b_info.type must be 'pvh'. */
export function pvhInfo(b: DomainBuildInfo): PvhBuildInfo {
  return member(b, 'pvh', newPvhBuildInfo);
}

export const newDeviceDisk = (): DeviceDisk => ({});
export const newDeviceNic = (): DeviceNic => ({});
export const newDevicePci = (): DevicePci => ({});
export const newDeviceRdm = (): DeviceRdm => ({});
export const newDeviceDtdev = (): DeviceDtdev => ({});
export const newDeviceVfb = (): DeviceVfb => ({ vnc: {}, sdl: {} });
export const newDeviceVkb = (): DeviceVkb => ({});
export const newDeviceVirtio = (): DeviceVirtio => ({});
export const newDeviceVtpm = (): DeviceVtpm => ({});
export const newDeviceP9 = (): DeviceP9 => ({});
export const newDevicePvcallsif = (): DevicePvcallsif => ({});
export const newDeviceVdispl = (): DeviceVdispl => ({});
export const newVsndParams = (): VsndParams => ({});
export const newVsndStream = (): VsndStream => ({ params: {} });
export const newVsndPcm = (): VsndPcm => ({ params: {} });
export const newDeviceVsnd = (): DeviceVsnd => ({ params: {} });
export const newDeviceChannel = (): DeviceChannel => ({});
export const newDeviceUsbctrl = (): DeviceUsbctrl => ({});
export const newDeviceUsbdev = (): DeviceUsbdev => ({});
export const newVnodeInfo = (): VnodeInfo => ({});

/** libxl_defbool_to_string: the text libxl's JSON and xl's sxp output use. */
export function defboolToString(d: boolean | undefined): 'True' | 'False' | '<default>' {
  return d === true ? 'True' : d === false ? 'False' : '<default>';
}
