/**
 * xlsim host create|list|show|use|remove: the simulated machines. A host
 * is one database under $XLSIM_HOME/hosts; `use` picks the one commands
 * act on when XLSIM_HOST is unset.
 */
import { isClockMode, type ClockMode } from '../../lib/sim/clock';
import { formatSeconds } from '../../lib/sim/timefmt';
import type { HostProfile } from '../../lib/sim/profile';
import { sprintf } from '../../lib/util/printf';
import { createHost, type Session, currentHostName, isHostError, listHosts, peekHost, removeHost, useHost, withHost } from '../../state/session';
import { hostMap, hostMapJson, hostMapSvg, hostMapText } from './host-memory';
import { printJson, writeOutFile } from './out';
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

function list(ctx: XlsimCtx, json: boolean): number {
  const env = ctx.io.env;
  const cur = env.XLSIM_HOST ? undefined : currentHostName(env);
  const out = ctx.io.stdout;
  if (json) {
    let bad = 0;
    const rows = listHosts(env).map((name) => {
      const current = name === (env.XLSIM_HOST ?? cur);
      try {
        const h = peekHost(env, name);
        return { name, current, usable: true, profile: h.profile.name, clock: h.clock.mode, domains: h.domains, description: h.profile.description };
      } catch (e) {
        if (!isHostError(e)) throw e;
        bad = 1;
        return { name, current, usable: false, error: e.message };
      }
    });
    printJson(ctx, rows);
    return bad;
  }
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

interface ShowOpts {
  json: boolean;
  memory: boolean;
  svg?: string;
}

function showData(s: Session): Record<string, unknown> {
  const p = s.profile;
  const hw = p.hardware;
  const next = s.events.next();
  return {
    host: s.hostName,
    profile: p.name,
    description: p.description,
    cpu: { vendor: hw.cpuVendor, model: hw.cpuModel, mhz: hw.cpuMhz },
    topology: { sockets: hw.sockets, cores_per_socket: hw.coresPerSocket, threads_per_core: hw.threadsPerCore, pcpus: hw.nrCpus, numa_nodes: hw.numaNodes },
    memory_mib: hw.memoryMiB,
    features: features(p).split(' '),
    xen: { version: p.xen.fullVersion, scheduler: p.xen.scheduler, cmdline: p.xen.cmdline.raw },
    dom0: { memory_mib: p.dom0.memoryMiB, vcpus: p.dom0.vcpus },
    migration_link_bytes_per_sec: p.migration.bandwidthBytesPerSec,
    clock: { mode: s.clock.mode, now_ns: s.clock.now() },
    seed: p.clock.seed,
    domains: s.domids().length,
    pending_events: s.events.pending().length,
    ...(next ? { next_event: { at_ns: next.at, kind: next.kind } } : {}),
    database: s.paths.db,
  };
}

function showText(s: Session): string {
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
}

async function show(ctx: XlsimCtx, name: string | undefined, o: ShowOpts): Promise<number> {
  if (o.svg !== undefined && !o.memory) return fail(ctx, '--svg draws the host memory map: use it with --memory');
  if (o.svg === '') return fail(ctx, '--svg needs a file name');
  const r = await withHost(
    ctx.io.env,
    (s) => {
      if (!o.memory) return { out: o.json ? showData(s) : showText(s) };
      const map = hostMap(s);
      return {
        out: o.json ? hostMapJson(s.hostName, map) : hostMapText(s.hostName, map),
        svg: o.svg !== undefined ? hostMapSvg(s.hostName, map) : undefined,
        name: s.hostName,
      };
    },
    { host: name },
  );
  if (o.svg !== undefined && r.svg !== undefined) {
    const err = writeOutFile(ctx, o.svg, r.svg);
    if (err) return fail(ctx, err);
    if (!o.json) {
      ctx.io.stdout.write(`Wrote the memory map of host ${r.name} to ${o.svg}\n`);
      return 0;
    }
  }
  if (typeof r.out === 'string') ctx.io.stdout.write(r.out);
  else printJson(ctx, r.out);
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
      .command(
        'list',
        'List hosts (* marks the one in use)',
        (c) => c.option('json', { type: 'boolean', default: false, describe: 'print the data as JSON' }),
        (a) => runHandler(ctx, () => list(ctx, a.json === true)),
      )
      .command(
        'show [name]',
        'Describe a host (default: the one in use); --memory draws where Xen, dom0 and each guest sit in host memory',
        (c) =>
          c
            .positional('name', { type: 'string' })
            .option('memory', { type: 'boolean', default: false, describe: 'show the host memory map (owners, ranges, diagram)' })
            .option('json', { type: 'boolean', default: false, describe: 'print the data as JSON' })
            .option('svg', { type: 'string', describe: 'with --memory: also draw the map as an SVG picture in FILE' }),
        (a) => runHandler(ctx, () => show(ctx, a.name, { json: a.json === true, memory: a.memory === true, ...(a.svg !== undefined ? { svg: String(a.svg) } : {}) })),
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
