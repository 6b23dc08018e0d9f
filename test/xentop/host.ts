/**
 * A manual-clock host with guests, driven through the built tools (run
 * `node build.mjs` first), for the xentop scenarios.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runTool, tmpHome, type RunOptions, type RunResult } from '../helpers/cli';

export interface TopHost {
  home: string;
  env: Record<string, string>;
  run(tool: string, args: string[], opts?: RunOptions): RunResult;
  guest(name: string, cfg: string): void;
}

export function topHost(): TopHost {
  const home = tmpHome('xlsim-xentop-');
  const env = { XLSIM_HOME: home, XLSIM_HOST: 'lab' };
  const run = (tool: string, args: string[], opts: RunOptions = {}) =>
    runTool(tool, args, { cwd: home, ...opts, env: { ...env, ...opts.env } });
  const made = run('xlsim', ['host', 'create', 'lab', '--clock', 'manual', '--seed', '1']);
  if (made.code !== 0) throw new Error(`host create failed: ${made.stderr}`);
  return {
    home,
    env,
    run,
    guest(name, cfg) {
      const f = path.join(home, `${name}.cfg`);
      fs.writeFileSync(f, `name = "${name}"\nkernel = "/boot/vmlinuz"\n${cfg}`);
      const r = run('xl', ['create', f]);
      if (r.code !== 0) throw new Error(`create ${name} failed: ${r.stderr}`);
    },
  };
}

/** The lab every scenario starts from: two guests, 30 s after boot. */
export function twoGuestHost(): TopHost {
  const h = topHost();
  h.guest('g1', 'memory = 512\nvcpus = 2\nvif = [ "bridge=xenbr0" ]\ndisk = [ "/srv/g1.img,raw,xvda,rw" ]\n');
  h.guest('guest-two', 'memory = 256\n');
  const r = h.run('xlsim', ['clock', 'advance', '30s']);
  if (r.code !== 0) throw new Error(`clock advance failed: ${r.stderr}`);
  return h;
}
