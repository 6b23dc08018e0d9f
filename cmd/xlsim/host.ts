/**
 * xlsim host create|list|show|use|remove: the simulated machines. A host
 * is one database under $XLSIM_HOME/hosts; `use` picks the one commands
 * act on when XLSIM_HOST is unset.
 */
import { isClockMode, type ClockMode } from '../../lib/sim/clock';
import { formatSeconds } from '../../lib/sim/timefmt';
import type { HostProfile } from '../../lib/sim/profile';
import { sprintf } from '../../lib/util/printf';
import { createHost, currentHostName, isHostError, listHosts, peekHost, removeHost, useHost, withHost } from '../../state/session';
import { fail, registerXlsimCommands, runHandler, type XlsimCtx } from './registry';

function parseSeed(s: string | undefined): number | undefined | null {
  if (s === undefined) return undefined;
  return /^\d+$/.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : null;
}

function features(p: HostProfile): string {
  const hw = p.hardware;
  const f: string[] = [];
  f.push(hw.hap ? (hw.cpuVendor === 'Intel' ? 'hap(ept)' : 'hap(npt)') : 'shadow-only');
  if (hw.vmfunc) f.push('vmfunc');
  if (hw.pml) f.push('pml');
  if (p.xen.cmdline.altp2m) f.push('altp2m');
  return f.join(' ');
}

function rate(bps: number): string {
  const mbit = (bps * 8) / 1e6;
  return mbit >= 1000 && mbit % 1000 === 0 ? `${mbit / 1000} Gbit/s` : `${Number(mbit.toFixed(3))} Mbit/s`;
}

async function create(ctx: XlsimCtx, name: string, profile: string | undefined, seedText: string | undefined, clockText: string | undefined): Promise<number> {
  const seed = parseSeed(seedText);
  if (seed === null) return fail(ctx, `--seed '${seedText}' is not a non-negative integer`);
  if (clockText !== undefined && !isClockMode(clockText)) return fail(ctx, `--clock '${clockText}' is not real or manual`);
  const r = createHost(ctx.io.env, name, { profile, cwd: ctx.io.cwd, seed, clock: clockText as ClockMode | undefined });
  ctx.io.stdout.write(sprintf("Created host '%s' (profile %s, clock %s, seed %d)\n", r.name, r.profile.name, r.clock, r.seed));
  return 0;
}

function list(ctx: XlsimCtx): number {
  const env = ctx.io.env;
  const cur = env.XLSIM_HOST ? undefined : currentHostName(env);
  const out = ctx.io.stdout;
  out.write(sprintf('  %-20s %-12s %-7s %7s  %s\n', 'NAME', 'PROFILE', 'CLOCK', 'DOMAINS', 'DESCRIPTION'));
  let status = 0;
  for (const name of listHosts(env)) {
    const mark = name === (env.XLSIM_HOST ?? cur) ? '*' : ' ';
    try {
      const h = peekHost(env, name);
      out.write(sprintf('%s %-20s %-12s %-7s %7d  %s\n', mark, name, h.profile.name, h.clock.mode, h.domains, h.profile.description));
    } catch (e) {
      if (!isHostError(e)) throw e;
      out.write(sprintf('%s %-20s %-12s %-7s %7s  %s\n', mark, name, '-', '-', '-', '(unusable, see xlsim host show)'));
      status = 1;
    }
  }
  return status;
}

async function show(ctx: XlsimCtx, name: string | undefined): Promise<number> {
  const text = await withHost(
    ctx.io.env,
    (s) => {
      const p = s.profile;
      const hw = p.hardware;
      const line = (k: string, v: string | number) => sprintf('%-16s%s\n', `${k}:`, String(v));
      const next = s.events.next();
      return (
        line('host', s.hostName) +
        line('profile', p.description ? `${p.name} (${p.description})` : p.name) +
        line('cpu', sprintf('%s, %s, %d MHz', hw.cpuVendor, hw.cpuModel, hw.cpuMhz)) +
        line('topology', sprintf('%d socket(s) x %d core(s) x %d thread(s) = %d pCPUs, %d NUMA node(s)', hw.sockets, hw.coresPerSocket, hw.threadsPerCore, hw.nrCpus, hw.numaNodes)) +
        line('memory', `${hw.memoryMiB} MiB`) +
        line('features', features(p)) +
        line('xen', `${p.xen.fullVersion}, scheduler ${p.xen.scheduler}`) +
        line('xen cmdline', p.xen.cmdline.raw) +
        line('dom0', `${p.dom0.memoryMiB} MiB, ${p.dom0.vcpus} vCPU(s)`) +
        line('migration link', rate(p.migration.bandwidthBytesPerSec)) +
        line('clock', `${s.clock.mode}, ${formatSeconds(s.clock.now())} s since boot`) +
        line('seed', p.clock.seed) +
        line('domains', s.domids().length) +
        line('pending events', next ? `${s.events.pending().length} (next at ${formatSeconds(next.at)} s: ${next.kind})` : '0') +
        line('database', s.paths.db)
      );
    },
    { host: name },
  );
  ctx.io.stdout.write(text);
  return 0;
}

registerXlsimCommands((y, ctx) =>
  y.command('host', 'Manage simulated hosts (create, list, show, use, remove)', (h) =>
    h
      .command(
        'create <name>',
        'Create a host from a profile',
        (c) =>
          c
            .positional('name', { type: 'string', demandOption: true, describe: 'host name' })
            .option('profile', { type: 'string', describe: 'profile name under configs/hosts, or path to an .ini file', default: undefined })
            .option('seed', { type: 'string', describe: 'seed of the host random generator (default: the profile)' })
            .option('clock', { type: 'string', choices: ['real', 'manual'], describe: 'clock mode (default: the profile)' }),
        (a) => runHandler(ctx, () => create(ctx, String(a.name), a.profile, a.seed, a.clock)),
      )
      .command('list', 'List hosts (* marks the one in use)', {}, () => runHandler(ctx, () => list(ctx)))
      .command(
        'show [name]',
        'Describe a host (default: the one in use)',
        (c) => c.positional('name', { type: 'string' }),
        (a) => runHandler(ctx, () => show(ctx, a.name)),
      )
      .command(
        'use <name>',
        'Make a host the one commands use when XLSIM_HOST is unset',
        (c) => c.positional('name', { type: 'string', demandOption: true }),
        (a) =>
          runHandler(ctx, () => {
            useHost(ctx.io.env, String(a.name));
            ctx.io.stdout.write(sprintf("Using host '%s'\n", String(a.name)));
            return 0;
          }),
      )
      .command(
        'remove <name>',
        'Delete a host and everything on it',
        (c) => c.positional('name', { type: 'string', demandOption: true }).option('force', { type: 'boolean', alias: 'f', describe: 'remove even if guests exist' }),
        (a) =>
          runHandler(ctx, () => {
            removeHost(ctx.io.env, String(a.name), a.force === true);
            ctx.io.stdout.write(sprintf("Removed host '%s'\n", String(a.name)));
            return 0;
          }),
      )
      .demandCommand(1, 'Give a host subcommand (create, list, show, use, remove).'),
  ),
);
