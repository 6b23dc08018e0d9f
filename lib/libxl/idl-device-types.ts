/**
 * Device structures of libxl_domain_config (twins of libxl_device_* in
 * tools/libs/light/libxl_types.idl). Field names are the IDL names verbatim.
 * Every scalar field is optional: absent means the IDL init value (devid -1,
 * rdm policy invalid, ...) or zero/NULL/"<default>" when the IDL gives none.
 * Nested structs are required because in C they are embedded, never NULL;
 * the new*() factories in types.ts build them.
 *
 * Import these through types.ts.
 */

import type { Defbool, Domid, Devid, Mac, Uuid } from './idl-builtin-types';
import type { EnumValue } from './idl-enums';

export type DiskFormat = EnumValue<'disk_format'>;
export type DiskBackend = EnumValue<'disk_backend'>;
export type DiskSpecification = EnumValue<'disk_specification'>;
export type DiskTransport = EnumValue<'disk_transport'>;
export type NicType = EnumValue<'nic_type'>;
export type P9Type = EnumValue<'p9_type'>;
export type ChannelConnection = EnumValue<'channel_connection'>;
export type VkbBackend = EnumValue<'vkb_backend'>;
export type VirtioTransport = EnumValue<'virtio_transport'>;
export type RdmReservePolicy = EnumValue<'rdm_reserve_policy'>;
export type UsbctrlType = EnumValue<'usbctrl_type'>;
export type UsbdevType = EnumValue<'usbdev_type'>;
export type VsndPcmFormat = EnumValue<'vsnd_pcm_format'>;
export type VsndStreamType = EnumValue<'vsnd_stream_type'>;

/** libxl_vnc_info (also used by type.hvm) */
export interface VncInfo {
  enable?: Defbool;
  listen?: string;
  passwd?: string;
  display?: number;
  findunused?: Defbool;
}

/** libxl_sdl_info */
export interface SdlInfo {
  enable?: Defbool;
  opengl?: Defbool;
  display?: string;
  xauthority?: string;
}

/** libxl_device_disk */
export interface DeviceDisk {
  backend_domid?: Domid;
  backend_domname?: string;
  pdev_path?: string;
  vdev?: string;
  backend?: DiskBackend;
  format?: DiskFormat;
  script?: string;
  removable?: number;
  readwrite?: number;
  is_cdrom?: number;
  direct_io_safe?: boolean;
  discard_enable?: Defbool;
  specification?: DiskSpecification;
  transport?: DiskTransport;
  irq?: number;
  base?: number;
  colo_enable?: Defbool;
  colo_restore_enable?: Defbool;
  colo_host?: string;
  colo_port?: number;
  colo_export?: string;
  active_disk?: string;
  hidden_disk?: string;
  trusted?: Defbool;
  grant_usage?: Defbool;
}

/** The ~50 COLO string fields of libxl_device_nic, in IDL order. */
export const NIC_COLO_FIELDS = [
  'coloft_forwarddev',
  'colo_sock_mirror_id', 'colo_sock_mirror_ip', 'colo_sock_mirror_port',
  'colo_sock_compare_pri_in_id', 'colo_sock_compare_pri_in_ip', 'colo_sock_compare_pri_in_port',
  'colo_sock_compare_sec_in_id', 'colo_sock_compare_sec_in_ip', 'colo_sock_compare_sec_in_port',
  'colo_sock_compare_notify_id', 'colo_sock_compare_notify_ip', 'colo_sock_compare_notify_port',
  'colo_sock_redirector0_id', 'colo_sock_redirector0_ip', 'colo_sock_redirector0_port',
  'colo_sock_redirector1_id', 'colo_sock_redirector1_ip', 'colo_sock_redirector1_port',
  'colo_sock_redirector2_id', 'colo_sock_redirector2_ip', 'colo_sock_redirector2_port',
  'colo_filter_mirror_queue', 'colo_filter_mirror_outdev',
  'colo_filter_redirector0_queue', 'colo_filter_redirector0_indev', 'colo_filter_redirector0_outdev',
  'colo_filter_redirector1_queue', 'colo_filter_redirector1_indev', 'colo_filter_redirector1_outdev',
  'colo_compare_pri_in', 'colo_compare_sec_in', 'colo_compare_out', 'colo_compare_notify_dev',
  'colo_sock_sec_redirector0_id', 'colo_sock_sec_redirector0_ip', 'colo_sock_sec_redirector0_port',
  'colo_sock_sec_redirector1_id', 'colo_sock_sec_redirector1_ip', 'colo_sock_sec_redirector1_port',
  'colo_filter_sec_redirector0_queue', 'colo_filter_sec_redirector0_indev',
  'colo_filter_sec_redirector0_outdev',
  'colo_filter_sec_redirector1_queue', 'colo_filter_sec_redirector1_indev',
  'colo_filter_sec_redirector1_outdev',
  'colo_filter_sec_rewriter0_queue',
  'colo_checkpoint_host', 'colo_checkpoint_port',
] as const;
export type NicColoField = (typeof NIC_COLO_FIELDS)[number];

/** libxl_device_nic */
export type DeviceNic = {
  backend_domid?: Domid;
  backend_domname?: string;
  devid?: Devid;
  mtu?: number;
  vlan?: string;
  model?: string;
  mac?: Mac;
  ip?: string;
  bridge?: string;
  ifname?: string;
  script?: string;
  nictype?: NicType;
  rate_bytes_per_interval?: number;
  rate_interval_usecs?: number;
  gatewaydev?: string;
  trusted?: Defbool;
} & { [K in NicColoField]?: string };

/** libxl_device_pci */
export interface DevicePci {
  func?: number;
  dev?: number;
  bus?: number;
  domain?: number;
  vdevfn?: number;
  vfunc_mask?: number;
  msitranslate?: boolean;
  power_mgmt?: boolean;
  permissive?: boolean;
  seize?: boolean;
  rdm_policy?: RdmReservePolicy;
  name?: string;
}

/** libxl_device_rdm */
export interface DeviceRdm {
  start?: number;
  size?: number;
  policy?: RdmReservePolicy;
}

/** libxl_device_dtdev */
export interface DeviceDtdev {
  path?: string;
}

/** libxl_device_vfb */
export interface DeviceVfb {
  backend_domid?: Domid;
  backend_domname?: string;
  devid?: Devid;
  vnc: VncInfo;
  sdl: SdlInfo;
  keymap?: string;
}

/** libxl_device_vkb */
export interface DeviceVkb {
  backend_domid?: Domid;
  backend_domname?: string;
  devid?: Devid;
  backend_type?: VkbBackend;
  unique_id?: string;
  feature_disable_keyboard?: boolean;
  feature_disable_pointer?: boolean;
  feature_abs_pointer?: boolean;
  feature_raw_pointer?: boolean;
  feature_multi_touch?: boolean;
  width?: number;
  height?: number;
  multi_touch_width?: number;
  multi_touch_height?: number;
  multi_touch_num_contacts?: number;
}

/** libxl_device_virtio */
export interface DeviceVirtio {
  backend_domid?: Domid;
  backend_domname?: string;
  type?: string;
  transport?: VirtioTransport;
  grant_usage?: Defbool;
  devid?: Devid;
  irq?: number;
  base?: number;
}

/** libxl_device_vtpm */
export interface DeviceVtpm {
  backend_domid?: Domid;
  backend_domname?: string;
  devid?: Devid;
  uuid?: Uuid;
}

/** libxl_device_p9 */
export interface DeviceP9 {
  backend_domid?: Domid;
  backend_domname?: string;
  tag?: string;
  path?: string;
  security_model?: string;
  devid?: Devid;
  type?: P9Type;
  max_space?: number;
  max_files?: number;
  max_open_files?: number;
  auto_delete?: boolean;
}

/** libxl_device_pvcallsif */
export interface DevicePvcallsif {
  backend_domid?: Domid;
  backend_domname?: string;
  devid?: Devid;
}

/** The `socket` member of libxl_device_channel's `connection` union. */
export interface ChannelSocket {
  path?: string;
}

/**
 * libxl_device_channel. `connection` keys the union `u`; only `socket` has a
 * member struct, emitted as `"connection.socket": {"path": ...}`.
 */
export interface DeviceChannel {
  backend_domid?: Domid;
  backend_domname?: string;
  devid?: Devid;
  name?: string;
  connection?: ChannelConnection;
  u?: ChannelSocket;
}

/** libxl_connector_param */
export interface ConnectorParam {
  unique_id?: string;
  width?: number;
  height?: number;
}

/** libxl_device_vdispl */
export interface DeviceVdispl {
  backend_domid?: Domid;
  backend_domname?: string;
  devid?: Devid;
  be_alloc?: boolean;
  connectors?: ConnectorParam[];
}

/** libxl_vsnd_params */
export interface VsndParams {
  sample_rates?: number[];
  sample_formats?: VsndPcmFormat[];
  channels_min?: number;
  channels_max?: number;
  buffer_size?: number;
}

/** libxl_vsnd_stream */
export interface VsndStream {
  unique_id?: string;
  type?: VsndStreamType;
  params: VsndParams;
}

/** libxl_vsnd_pcm */
export interface VsndPcm {
  name?: string;
  params: VsndParams;
  streams?: VsndStream[];
}

/** libxl_device_vsnd */
export interface DeviceVsnd {
  backend_domid?: Domid;
  backend_domname?: string;
  devid?: Devid;
  short_name?: string;
  long_name?: string;
  params: VsndParams;
  pcms?: VsndPcm[];
}

/** libxl_device_usbctrl */
export interface DeviceUsbctrl {
  type?: UsbctrlType;
  devid?: Devid;
  version?: number;
  ports?: number;
  backend_domid?: Domid;
  backend_domname?: string;
}

/** The `hostdev` member of libxl_device_usbdev's union. */
export interface UsbdevHostdev {
  hostbus?: number;
  hostaddr?: number;
}

/**
 * libxl_device_usbdev. `type` keys the union `u`; usbdev_type has no value 0,
 * so an unset type emits no union key at all (the generated switch has no case).
 */
export interface DeviceUsbdev {
  ctrl?: Devid;
  port?: number;
  type?: UsbdevType;
  u?: UsbdevHostdev;
}
