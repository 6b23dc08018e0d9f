/**
 * Device structs of libxl_types.idl (libxl_device_*), fields in IDL order.
 * Only the order, types and init values matter here: they decide the JSON.
 */

import { ArrayOf, Enum, Struct, Sub, T, field, type IdlStruct } from './idl';
import { NIC_COLO_FIELDS } from './idl-device-types';

export const vnc_info = Struct('vnc_info', [
  ['enable', T.defbool],
  ['listen', T.string],
  ['passwd', T.string],
  ['display', T.integer],
  ['findunused', T.defbool],
]);

export const sdl_info = Struct('sdl_info', [
  ['enable', T.defbool],
  ['opengl', T.defbool],
  ['display', T.string],
  ['xauthority', T.string],
]);

export const device_vfb = Struct('device_vfb', [
  ['backend_domid', T.domid],
  ['backend_domname', T.string],
  ['devid', T.devid],
  ['vnc', Sub(vnc_info)],
  ['sdl', Sub(sdl_info)],
  ['keymap', T.string],
]);

export const device_vkb = Struct('device_vkb', [
  ['backend_domid', T.domid],
  ['backend_domname', T.string],
  ['devid', T.devid],
  ['backend_type', Enum('vkb_backend')],
  ['unique_id', T.string],
  ['feature_disable_keyboard', T.bool],
  ['feature_disable_pointer', T.bool],
  ['feature_abs_pointer', T.bool],
  ['feature_raw_pointer', T.bool],
  ['feature_multi_touch', T.bool],
  ['width', T.uint32],
  ['height', T.uint32],
  ['multi_touch_width', T.uint32],
  ['multi_touch_height', T.uint32],
  ['multi_touch_num_contacts', T.uint32],
]);

export const device_virtio = Struct('device_virtio', [
  ['backend_domid', T.domid],
  ['backend_domname', T.string],
  ['type', T.string],
  ['transport', Enum('virtio_transport')],
  ['grant_usage', T.defbool],
  ['devid', T.devid],
  ['irq', T.uint32],
  ['base', T.uint64],
]);

export const device_disk = Struct('device_disk', [
  ['backend_domid', T.domid],
  ['backend_domname', T.string],
  ['pdev_path', T.string],
  ['vdev', T.string],
  ['backend', Enum('disk_backend')],
  ['format', Enum('disk_format')],
  ['script', T.string],
  ['removable', T.integer],
  ['readwrite', T.integer],
  ['is_cdrom', T.integer],
  ['direct_io_safe', T.bool],
  ['discard_enable', T.defbool],
  ['specification', Enum('disk_specification')],
  ['transport', Enum('disk_transport')],
  ['irq', T.uint32],
  ['base', T.uint64],
  ['colo_enable', T.defbool],
  ['colo_restore_enable', T.defbool],
  ['colo_host', T.string],
  ['colo_port', T.integer],
  ['colo_export', T.string],
  ['active_disk', T.string],
  ['hidden_disk', T.string],
  ['trusted', T.defbool],
  ['grant_usage', T.defbool],
]);

export const device_nic = Struct('device_nic', [
  ['backend_domid', T.domid],
  ['backend_domname', T.string],
  ['devid', T.devid],
  ['mtu', T.integer],
  ['vlan', T.string],
  ['model', T.string],
  ['mac', T.mac],
  ['ip', T.string],
  ['bridge', T.string],
  ['ifname', T.string],
  ['script', T.string],
  ['nictype', Enum('nic_type')],
  ['rate_bytes_per_interval', T.uint64],
  ['rate_interval_usecs', T.uint32],
  ['gatewaydev', T.string],
  ...NIC_COLO_FIELDS.map((n) => field(n, T.string)),
  ['trusted', T.defbool],
]);

export const device_pci = Struct('device_pci', [
  ['func', T.uint8],
  ['dev', T.uint8],
  ['bus', T.uint8],
  ['domain', T.integer],
  ['vdevfn', T.uint32],
  ['vfunc_mask', T.uint32],
  ['msitranslate', T.bool],
  ['power_mgmt', T.bool],
  ['permissive', T.bool],
  ['seize', T.bool],
  ['rdm_policy', Enum('rdm_reserve_policy')],
  ['name', T.string],
]);

export const device_rdm = Struct('device_rdm', [
  ['start', T.uint64],
  ['size', T.uint64],
  ['policy', Enum('rdm_reserve_policy')],
]);

export const device_usbctrl = Struct('device_usbctrl', [
  ['type', Enum('usbctrl_type')],
  ['devid', T.devid],
  ['version', T.integer],
  ['ports', T.integer],
  ['backend_domid', T.domid],
  ['backend_domname', T.string],
]);

export const device_usbdev = Struct('device_usbdev', [
  ['ctrl', T.devid],
  ['port', T.integer],
  ['u', {
    kind: 'union', keyvar: 'type', keyEnum: 'usbdev_type',
    members: [{ name: 'hostdev', struct: Struct(null, [['hostbus', T.uint8], ['hostaddr', T.uint8]]) }],
  }],
]);

export const device_dtdev = Struct('device_dtdev', [['path', T.string]]);

export const device_vtpm = Struct('device_vtpm', [
  ['backend_domid', T.domid],
  ['backend_domname', T.string],
  ['devid', T.devid],
  ['uuid', T.uuid],
]);

export const device_p9 = Struct('device_p9', [
  ['backend_domid', T.domid],
  ['backend_domname', T.string],
  ['tag', T.string],
  ['path', T.string],
  ['security_model', T.string],
  ['devid', T.devid],
  ['type', Enum('p9_type')],
  ['max_space', T.integer],
  ['max_files', T.integer],
  ['max_open_files', T.integer],
  ['auto_delete', T.bool],
]);

export const device_pvcallsif = Struct('device_pvcallsif', [
  ['backend_domid', T.domid],
  ['backend_domname', T.string],
  ['devid', T.devid],
]);

export const device_channel = Struct('device_channel', [
  ['backend_domid', T.domid],
  ['backend_domname', T.string],
  ['devid', T.devid],
  ['name', T.string],
  ['u', {
    kind: 'union', keyvar: 'connection', keyEnum: 'channel_connection',
    members: [
      { name: 'unknown', struct: null },
      { name: 'pty', struct: null },
      { name: 'socket', struct: Struct(null, [['path', T.string]]) },
    ],
  }],
]);

export const connector_param = Struct('connector_param', [
  ['unique_id', T.string],
  ['width', T.uint32],
  ['height', T.uint32],
]);

export const device_vdispl = Struct('device_vdispl', [
  ['backend_domid', T.domid],
  ['backend_domname', T.string],
  ['devid', T.devid],
  ['be_alloc', T.bool],
  ['connectors', ArrayOf(Sub(connector_param))],
]);

export const vsnd_params = Struct('vsnd_params', [
  ['sample_rates', ArrayOf(T.uint32)],
  ['sample_formats', ArrayOf(Enum('vsnd_pcm_format'))],
  ['channels_min', T.uint32],
  ['channels_max', T.uint32],
  ['buffer_size', T.uint32],
]);

export const vsnd_stream = Struct('vsnd_stream', [
  ['unique_id', T.string],
  ['type', Enum('vsnd_stream_type')],
  ['params', Sub(vsnd_params)],
]);

export const vsnd_pcm = Struct('vsnd_pcm', [
  ['name', T.string],
  ['params', Sub(vsnd_params)],
  ['streams', ArrayOf(Sub(vsnd_stream))],
]);

export const device_vsnd = Struct('device_vsnd', [
  ['backend_domid', T.domid],
  ['backend_domname', T.string],
  ['devid', T.devid],
  ['short_name', T.string],
  ['long_name', T.string],
  ['params', Sub(vsnd_params)],
  ['pcms', ArrayOf(Sub(vsnd_pcm))],
]);

/** libxl_device_<kind> descriptors by kind (see DeviceKind in types.ts). */
export const DEVICE_STRUCTS: Readonly<Record<string, IdlStruct>> = {
  disk: device_disk,
  nic: device_nic,
  pci: device_pci,
  rdm: device_rdm,
  dtdev: device_dtdev,
  vfb: device_vfb,
  vkb: device_vkb,
  virtio: device_virtio,
  vtpm: device_vtpm,
  p9: device_p9,
  pvcallsif: device_pvcallsif,
  vdispl: device_vdispl,
  vsnd: device_vsnd,
  channel: device_channel,
  usbctrl: device_usbctrl,
  usbdev: device_usbdev,
};
