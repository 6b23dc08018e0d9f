/** Handlers registered by the devices area (see handlers.ts). */
import type { Handler } from './handlers';
import { mainBlockattach } from './block';
import { mainNetworkattach } from './nic';
import { mainVcpupin } from './vcpu_pin';
import { mainVdisplattach } from './vdispl';
import { mainVkbattach } from './vkb';
import { mainVsndattach } from './vsnd';
import { mainVtpmattach } from './vtpm';

export const devicesHandlers: Record<string, Handler> = {
  main_blockattach: mainBlockattach,
  main_networkattach: mainNetworkattach,
  main_vcpupin: mainVcpupin,
  main_vtpmattach: mainVtpmattach,
  main_vkbattach: mainVkbattach,
  main_vdisplattach: mainVdisplattach,
  main_vsndattach: mainVsndattach,
};
