/**
 * Handlers registered by the devices area (see handlers.ts). Loaded when
 * the command runs, so other commands do not pay for the spec parsers.
 */
import type { Handler } from './handlers';

export const devicesHandlers: Record<string, Handler> = {
  main_blockattach: async (ctx, argv) => (await import('./block')).mainBlockattach(ctx, argv),
  main_blocklist: async (ctx, argv) => (await import('./block')).mainBlocklist(ctx, argv),
  main_blockdetach: async (ctx, argv) => (await import('./block')).mainBlockdetach(ctx, argv),
  main_networklist: async (ctx, argv) => (await import('./nic')).mainNetworklist(ctx, argv),
  main_networkdetach: async (ctx, argv) => (await import('./nic')).mainNetworkdetach(ctx, argv),
  main_cd_insert: async (ctx, argv) => (await import('./cdrom')).mainCdInsert(ctx, argv),
  main_cd_eject: async (ctx, argv) => (await import('./cdrom')).mainCdEject(ctx, argv),
  main_pcilist: async (ctx, argv) => (await import('./pci')).mainPcilist(ctx, argv),
  main_pciattach: async (ctx, argv) => (await import('./pci')).mainPciattach(ctx, argv),
  main_pcidetach: async (ctx, argv) => (await import('./pci')).mainPcidetach(ctx, argv),
  main_pciassignable_add: async (ctx, argv) => (await import('./pci')).mainPciassignableAdd(ctx, argv),
  main_pciassignable_remove: async (ctx, argv) => (await import('./pci')).mainPciassignableRemove(ctx, argv),
  main_pciassignable_list: async (ctx, argv) => (await import('./pci')).mainPciassignableList(ctx, argv),
  main_vtpmlist: async (ctx, argv) => (await import('./vtpm')).mainVtpmlist(ctx, argv),
  main_vtpmdetach: async (ctx, argv) => (await import('./vtpm')).mainVtpmdetach(ctx, argv),
  main_vkblist: async (ctx, argv) => (await import('./vkb')).mainVkblist(ctx, argv),
  main_vkbdetach: async (ctx, argv) => (await import('./vkb')).mainVkbdetach(ctx, argv),
  main_channellist: async (ctx, argv) => (await import('./channel')).mainChannellist(ctx, argv),
  main_vdispllist: async (ctx, argv) => (await import('./vdispl')).mainVdispllist(ctx, argv),
  main_vdispldetach: async (ctx, argv) => (await import('./vdispl')).mainVdispldetach(ctx, argv),
  main_vsndlist: async (ctx, argv) => (await import('./vsnd')).mainVsndlist(ctx, argv),
  main_vsnddetach: async (ctx, argv) => (await import('./vsnd')).mainVsnddetach(ctx, argv),
  main_networkattach: async (ctx, argv) => (await import('./nic')).mainNetworkattach(ctx, argv),
  main_vcpupin: async (ctx, argv) => (await import('./vcpu_pin')).mainVcpupin(ctx, argv),
  main_vtpmattach: async (ctx, argv) => (await import('./vtpm')).mainVtpmattach(ctx, argv),
  main_vkbattach: async (ctx, argv) => (await import('./vkb')).mainVkbattach(ctx, argv),
  main_vdisplattach: async (ctx, argv) => (await import('./vdispl')).mainVdisplattach(ctx, argv),
  main_vsndattach: async (ctx, argv) => (await import('./vsnd')).mainVsndattach(ctx, argv),
  main_usbctrl_attach: async (ctx, argv) => (await import('./usb')).mainUsbctrlAttach(ctx, argv),
  main_usbctrl_detach: async (ctx, argv) => (await import('./usb')).mainUsbctrlDetach(ctx, argv),
  main_usbdev_attach: async (ctx, argv) => (await import('./usb')).mainUsbdevAttach(ctx, argv),
  main_usbdev_detach: async (ctx, argv) => (await import('./usb')).mainUsbdevDetach(ctx, argv),
  main_usblist: async (ctx, argv) => (await import('./usb')).mainUsblist(ctx, argv),
};
