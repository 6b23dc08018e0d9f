/**
 * Hosts on disk: creating one from a profile (on first use for "default",
 * or with `xlsim host create`), listing, describing and removing them, and
 * choosing the one commands use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isClockMode, machineWallMs, type ClockMode, type ClockState } from '../lib/sim/clock';
import { parseProfile, type HostProfile } from '../lib/sim/profile';
import { seedState } from '../lib/sim/rng';
import { configDir, defaultXlConfPath, resolveProfilePath } from './configdir';
import { createHostDb, openHostDb, retryBusy } from './db';
import { HostError, translateDbError } from './errors';
import { hostBoot, type HostBoot } from './hooks';
import { HostSession, REC_CLOCK, REC_INFO, REC_PROFILE, REC_RNG, type HostInfo } from './hostsession';
import { hostPaths, isValidHostName, xlsimHome, type Env, type HostPaths } from './paths';

export function checkName(name: string): void {
  if (!isValidHostName(name)) {
    throw new HostError('name', `xlsim: invalid host name '${name}' (letters, digits, '.', '_' and '-', at most 64 characters, not starting with a punctuation mark)`);
  }
}

export interface CreateHostOptions {
  /** a profile name under configs/hosts, or a path to an .ini file (default "default") */
  profile?: string;
  /** where a relative profile path starts (default: process cwd) */
  cwd?: string;
  /** overrides the profile's [clock] seed (else XLSIM_SEED, else the profile) */
  seed?: number;
  /** overrides the profile's [clock] mode (else XLSIM_CLOCK, else the profile) */
  clock?: ClockMode;
  boot?: HostBoot;
  /** an existing host is fine (first use racing with another command) */
  ifMissing?: boolean;
}

export interface CreatedHost {
  name: string;
  paths: HostPaths;
  profile: HostProfile;
  profileFile: string;
  seed: number;
  clock: ClockMode;
  /** false when ifMissing found the host already there */
  created: boolean;
}

function envSeed(env: Env): number | undefined {
  const s = env.XLSIM_SEED;
  if (s === undefined || s === '') return undefined;
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new HostError('profile', `xlsim: XLSIM_SEED='${s}' is not a non-negative integer`);
  return Number(s);
}

function envClock(env: Env): ClockMode | undefined {
  const s = env.XLSIM_CLOCK;
  if (s === undefined || s === '') return undefined;
  if (!isClockMode(s)) throw new HostError('profile', `xlsim: XLSIM_CLOCK='${s}' is not real or manual`);
  return s;
}

function loadProfile(env: Env, cwd: string, profile: string): { profile: HostProfile; file: string } {
  const file = resolveProfilePath(env, cwd, profile);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const shipped = fs.existsSync(path.join(configDir(env), 'hosts'))
      ? fs
          .readdirSync(path.join(configDir(env), 'hosts'))
          .filter((f) => f.endsWith('.ini'))
          .map((f) => f.slice(0, -4))
          .sort()
      : [];
    const hint = shipped.length ? ` (shipped profiles: ${shipped.join(', ')})` : '';
    throw new HostError('profile', `xlsim: cannot read host profile ${file}: ${code === 'ENOENT' ? 'no such file' : String(code ?? e)}${hint}`);
  }
  const r = parseProfile(text, path.basename(file).replace(/\.ini$/, ''));
  if (!r.ok) throw new HostError('profile', `xlsim: host profile ${file} is invalid:\n${r.error.replace(/^/gm, '  ')}`);
  return { profile: r.value, file };
}

function seedXlConf(env: Env, paths: HostPaths): void {
  if (fs.existsSync(paths.xlConf)) return;
  let text: string;
  try {
    text = fs.readFileSync(defaultXlConfPath(env), 'utf8');
  } catch {
    text = '## Global XL config file (xl.conf) of this simulated host\n';
  }
  const tmp = `${paths.xlConf}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, paths.xlConf);
}

/**
 * Creates a host from a profile: its database (built under a temporary name
 * and linked into place only when complete, so a killed or racing creator
 * never leaves half a host), its directory and its xl.conf. The boot
 * routine runs inside the first transaction.
 */
export function createHost(env: Env, name: string, opts: CreateHostOptions = {}): CreatedHost {
  checkName(name);
  const paths = hostPaths(env, name);
  const { profile, file } = loadProfile(env, opts.cwd ?? process.cwd(), opts.profile ?? 'default');
  const seed = opts.seed ?? envSeed(env) ?? profile.clock.seed;
  const clock = opts.clock ?? envClock(env) ?? profile.clock.mode;
  const result: CreatedHost = { name, paths, profile, profileFile: file, seed, clock, created: false };
  if (fs.existsSync(paths.db)) {
    if (opts.ifMissing) return result;
    throw new HostError('exists', `xlsim: host '${name}' already exists`);
  }
  try {
    fs.mkdirSync(paths.logDir, { recursive: true });
    fs.mkdirSync(paths.dumpDir, { recursive: true });
    seedXlConf(env, paths);
  } catch (e) {
    throw new HostError('io', `xlsim: cannot create host '${name}' in ${paths.home}: ${e instanceof Error ? e.message : String(e)}`);
  }
  removeStaleTemps(paths.db);
  const tmp = `${paths.db}.tmp-${process.pid}-${Date.now()}`;
  const h = createHostDb(name, tmp);
  try {
    const wall = machineWallMs();
    const clockState: ClockState = {
      mode: clock,
      nowNs: 0,
      bootEpochMs: clock === 'manual' ? profile.clock.epochMs : Math.floor(wall),
      anchorWallMs: wall,
    };
    const info: HostInfo = { name, profileFile: file, seed, createdEpochMs: clockState.bootEpochMs };
    h.db.exec('BEGIN IMMEDIATE');
    const put = h.db.prepare('INSERT INTO records (key, data) VALUES (?, ?)');
    put.run(REC_PROFILE, JSON.stringify({ ...profile, clock: { ...profile.clock, mode: clock, seed } }));
    put.run(REC_CLOCK, JSON.stringify(clockState));
    put.run(REC_RNG, JSON.stringify(seedState(seed)));
    put.run(REC_INFO, JSON.stringify(info));
    const boot = opts.boot ?? hostBoot();
    if (boot) {
      const s = new HostSession(h, paths, env, wall);
      boot(s);
      s.flush();
    }
    h.db.exec('COMMIT');
    h.close();
  } catch (e) {
    if (h.db.open && h.db.inTransaction) h.db.exec('ROLLBACK');
    h.close();
    removeDbFiles(tmp);
    throw e;
  }
  try {
    fs.linkSync(tmp, paths.db);
    result.created = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      removeDbFiles(tmp);
      throw new HostError('io', `xlsim: cannot create host '${name}': ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!opts.ifMissing) {
      removeDbFiles(tmp);
      throw new HostError('exists', `xlsim: host '${name}' already exists`);
    }
  }
  removeDbFiles(tmp);
  return result;
}

/** Databases left half-built by creators that were killed. */
function removeStaleTemps(db: string): void {
  const dir = path.dirname(db);
  const prefix = `${path.basename(db)}.tmp-`;
  for (const f of fs.readdirSync(dir)) {
    if (!f.startsWith(prefix)) continue;
    const pid = Number(f.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || pidAlive(pid)) continue;
    fs.rmSync(path.join(dir, f), { force: true });
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeDbFiles(db: string): void {
  for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}-journal`]) fs.rmSync(f, { force: true });
}

export function hostExists(env: Env, name: string): boolean {
  return fs.existsSync(hostPaths(env, name).db);
}

/** Host names with a database, sorted. */
export function listHosts(env: Env): string[] {
  const dir = path.join(xlsimHome(env), 'hosts');
  let files: string[];
  try {
    files = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return files
    .filter((f) => f.endsWith('.db'))
    .map((f) => f.slice(0, -3))
    .filter(isValidHostName)
    .sort();
}

/**
 * Removes a host's database and directory. Without `force`, a host that
 * still has guests (domains other than dom0) is kept.
 */
export function removeHost(env: Env, name: string, force = false): void {
  checkName(name);
  const paths = hostPaths(env, name);
  if (!fs.existsSync(paths.db)) throw new HostError('missing', `xlsim: no such host '${name}'`);
  if (!force) {
    const h = openHostDb(name, paths.db);
    let guests: number;
    try {
      guests = h.stmt('SELECT count(*) FROM domains WHERE domid <> 0').pluck().get() as number;
    } finally {
      h.close();
    }
    if (guests > 0) {
      throw new HostError('exists', `xlsim: host '${name}' still has ${guests} guest domain${guests === 1 ? '' : 's'}; use --force to remove it anyway`);
    }
  }
  removeDbFiles(paths.db);
  fs.rmSync(paths.dir, { recursive: true, force: true });
  const cur = path.join(paths.home, 'current');
  try {
    if (fs.readFileSync(cur, 'utf8').trim() === name) fs.rmSync(cur, { force: true });
  } catch {
    // no current host recorded
  }
}

/** Makes `name` the host commands use when XLSIM_HOST is unset. */
export function useHost(env: Env, name: string): void {
  checkName(name);
  if (name !== 'default' && !hostExists(env, name)) throw new HostError('missing', `xlsim: no such host '${name}' (create it with: xlsim host create ${name})`);
  const home = xlsimHome(env);
  fs.mkdirSync(home, { recursive: true });
  const tmp = path.join(home, `current.tmp-${process.pid}`);
  fs.writeFileSync(tmp, `${name}\n`);
  fs.renameSync(tmp, path.join(home, 'current'));
}

export interface HostSummary {
  name: string;
  profile: HostProfile;
  info: HostInfo;
  clock: ClockState;
  domains: number;
  pendingEvents: number;
}

/** Reads a host's description without taking its lock or moving its clock. */
export function peekHost(env: Env, name: string): HostSummary {
  checkName(name);
  const paths = hostPaths(env, name);
  if (!fs.existsSync(paths.db)) throw new HostError('missing', `xlsim: no such host '${name}'`);
  const h = openHostDb(name, paths.db);
  try {
    const rec = <T>(key: string): T => {
      const s = h.stmt('SELECT data FROM records WHERE key = ?').pluck().get(key) as string | undefined;
      if (s === undefined) throw new HostError('corrupt', `xlsim: host '${name}': ${paths.db} has no ${key} record; refusing to use it`);
      return JSON.parse(s) as T;
    };
    return retryBusy(name, () => ({
      name,
      profile: rec<HostProfile>(REC_PROFILE),
      info: rec<HostInfo>(REC_INFO),
      clock: rec<ClockState>(REC_CLOCK),
      domains: h.stmt('SELECT count(*) FROM domains').pluck().get() as number,
      pendingEvents: h.stmt('SELECT count(*) FROM events').pluck().get() as number,
    }));
  } catch (e) {
    throw translateDbError(name, paths.db, e);
  } finally {
    h.close();
  }
}
