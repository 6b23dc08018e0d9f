/**
 * on_poweroff / on_reboot / on_watchdog / on_crash / on_soft_reset: xl's
 * own action names (parse_action_on_shutdown in tools/xl/xl_parse.c),
 * matched case-sensitively, mapped to libxl_action_on_shutdown.
 */
import type { ActionOnShutdown } from '../../../lib/libxl/types';
import type { ParseEnv } from './env';

const ACTIONS: Record<string, ActionOnShutdown> = {
  destroy: 'destroy',
  restart: 'restart',
  'rename-restart': 'restart_rename',
  preserve: 'preserve',
  'coredump-destroy': 'coredump_destroy',
  'coredump-restart': 'coredump_restart',
  'soft-reset': 'soft_reset',
};

/** xl's name of a libxl action (get_action_on_shutdown_name) */
export function actionName(a: ActionOnShutdown): string {
  for (const [n, v] of Object.entries(ACTIONS)) if (v === a) return n;
  return a;
}

export function parseActionOnShutdown(s: string): ActionOnShutdown | undefined {
  return Object.prototype.hasOwnProperty.call(ACTIONS, s) ? ACTIONS[s] : undefined;
}

export function parseActions(env: ParseEnv): void {
  const keys = [
    ['on_poweroff', 'destroy'],
    ['on_reboot', 'restart'],
    ['on_watchdog', 'destroy'],
    ['on_crash', 'destroy'],
    ['on_soft_reset', 'soft-reset'],
  ] as const;
  for (const [key, dflt] of keys) {
    const r = env.x.getString(key);
    const buf = r.rc === 0 ? r.value : dflt;
    const a = parseActionOnShutdown(buf);
    if (a === undefined) {
      env.err(`Unknown ${key} action "${buf}" specified\n`);
      env.exit(1);
    }
    // destroy is the IDL init value: absent in our representation
    if (a === 'destroy') delete env.d[key];
    else env.d[key] = a;
  }
}
