/**
 * Handlers of the guest-facing commands: consoles and the keys, buttons
 * and triggers a guest sees (tools/xl/xl_console.c, xl_misc.c, xl_vnc.c).
 */
import type { Handler } from './handlers';

export const consoleHandlers: Record<string, Handler> = {
  main_console: async (ctx, argv) => (await import('./console')).mainConsole(ctx, argv),
  main_button_press: async (ctx, argv) => (await import('./misc')).mainButtonPress(ctx, argv),
  main_vncviewer: async (ctx, argv) => (await import('./misc')).mainVncviewer(ctx, argv),
};
