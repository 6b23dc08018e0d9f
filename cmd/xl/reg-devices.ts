/**
 * Handlers registered by the devices area (see handlers.ts). Loaded when
 * the command runs, so other commands do not pay for the spec parsers.
 */
import type { Handler } from './handlers';

export const devicesHandlers: Record<string, Handler> = {
  main_blockattach: async (ctx, argv) => (await import('./block')).mainBlockattach(ctx, argv),
  main_networkattach: async (ctx, argv) => (await import('./nic')).mainNetworkattach(ctx, argv),
  main_vcpupin: async (ctx, argv) => (await import('./vcpu_pin')).mainVcpupin(ctx, argv),
  main_vtpmattach: async (ctx, argv) => (await import('./vtpm')).mainVtpmattach(ctx, argv),
  main_vkbattach: async (ctx, argv) => (await import('./vkb')).mainVkbattach(ctx, argv),
  main_vdisplattach: async (ctx, argv) => (await import('./vdispl')).mainVdisplattach(ctx, argv),
  main_vsndattach: async (ctx, argv) => (await import('./vsnd')).mainVsndattach(ctx, argv),
};
