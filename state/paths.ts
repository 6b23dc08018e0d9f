/**
 * Where a simulated host lives on disk.
 *
 *   $XLSIM_HOME                      default $XDG_STATE_HOME/xlsim, else ~/.local/state/xlsim
 *   $XLSIM_HOME/hosts/<name>.db      the host: hypervisor, xenstore, clock, events (SQLite)
 *   $XLSIM_HOME/hosts/<name>/        the host's own filesystem, mirroring a real dom0:
 *       xl.conf                      /etc/xen/xl.conf
 *       log/                         /var/log/xen (xl-<guest>.log monitor logs, console logs)
 *       dump/                        /var/lib/xen/dump (core files)
 *   $XLSIM_HOME/current              the host chosen by `xlsim host use` (one line)
 *
 * XLSIM_HOST picks the host for one command; otherwise `current`, else "default".
 */
import fs from 'node:fs';
import path from 'node:path';
import { lazyOs } from './builtin';

export type Env = Record<string, string | undefined>;

export function xlsimHome(env: Env): string {
  if (env.XLSIM_HOME) return path.resolve(env.XLSIM_HOME);
  const base = env.XDG_STATE_HOME ? env.XDG_STATE_HOME : path.join(env.HOME ?? lazyOs().homedir(), '.local', 'state');
  return path.join(base, 'xlsim');
}

const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isValidHostName(name: string): boolean {
  return HOST_NAME.test(name);
}

export function currentHostName(env: Env): string {
  if (env.XLSIM_HOST) return env.XLSIM_HOST;
  try {
    const cur = fs.readFileSync(path.join(xlsimHome(env), 'current'), 'utf8').trim();
    if (cur && isValidHostName(cur)) return cur;
  } catch {
    // no current host chosen
  }
  return 'default';
}

export interface HostPaths {
  name: string;
  home: string;
  db: string;
  dir: string;
  xlConf: string;
  logDir: string;
  dumpDir: string;
}

export function hostPaths(env: Env, name = currentHostName(env)): HostPaths {
  const home = xlsimHome(env);
  const dir = path.join(home, 'hosts', name);
  return {
    name,
    home,
    db: path.join(home, 'hosts', `${name}.db`),
    dir,
    xlConf: path.join(dir, 'xl.conf'),
    logDir: path.join(dir, 'log'),
    dumpDir: path.join(dir, 'dump'),
  };
}
