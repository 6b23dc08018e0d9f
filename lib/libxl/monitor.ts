/**
 * The simulated "xl create" monitoring process (tools/xl/xl_vmcontrol.c,
 * create_domain's wait loop and handle_domain_death). A real host keeps a
 * daemonised xl per domain; here the monitor is a persisted record that
 * the host's events drive, so on_poweroff/on_reboot/on_crash actions happen
 * at the simulated moment the guest shuts down, whoever is running a
 * command then. Its lines go to /var/log/xen/xl-<name>.log (the name at
 * creation) or, for `create -F`, to a queue the foreground xl prints.
 */
import fs from 'node:fs';
import path from 'node:path';
import { onCommit } from '../../state/session';
import { sprintf } from '../util/printf';
import type { Xtl, XtlLevel } from '../util/xtl';
import type { LibxlCtx } from './ctx';
import { withXtl } from './ctx_util';
import { domainCreateNew } from './create';
import { domainDestroy } from './destroy';
import { domainRename, domainUnpause } from './domain';
import { coreDump } from './coredump';
import { domainConfigFromJson, domainConfigToJson } from './json';
import { retrieveDomainConfiguration, userdataRetrieve, userdataUnlink } from './userdata';
import type { ActionOnShutdown, DomainConfig } from './types';

const NS = 'xl.monitor';
/** the xl sleep(2) before re-creating a rebooted domain */
export const RESTART_DELAY_NS = 2_000_000_000;

export interface MonitorActions {
  on_poweroff: ActionOnShutdown;
  on_reboot: ActionOnShutdown;
  on_watchdog: ActionOnShutdown;
  on_crash: ActionOnShutdown;
  on_soft_reset: ActionOnShutdown;
}

export interface MonitorRecord {
  /** the simulated process id of this xl */
  pid: number;
  /** the domain watched now (changes on restart); -1 between destroy and re-create */
  domid: number;
  /** the name at creation (log file name and restarts) */
  name: string;
  actions: MonitorActions;
  /** absent: daemonised, writing to the log file; present: -F, lines for the foreground xl */
  queue?: string[];
  /** the foreground xl has finished (monitor exited) */
  exited?: boolean;
  exitCode?: number;
  logFile: string;
}

/** get_action_on_shutdown_name: xl's own names for the actions */
export function actionName(a: ActionOnShutdown): string {
  switch (a) {
    case 'destroy':
      return 'destroy';
    case 'restart':
      return 'restart';
    case 'restart_rename':
      return 'rename-restart';
    case 'preserve':
      return 'preserve';
    case 'coredump_destroy':
      return 'coredump-destroy';
    case 'coredump_restart':
      return 'coredump-restart';
    case 'soft_reset':
      return 'soft-reset';
  }
}

export function actionsOf(d: DomainConfig): MonitorActions {
  return {
    on_poweroff: d.on_poweroff ?? 'destroy',
    on_reboot: d.on_reboot ?? 'restart',
    on_watchdog: d.on_watchdog ?? 'destroy',
    on_crash: d.on_crash ?? 'destroy',
    on_soft_reset: d.on_soft_reset ?? 'soft_reset',
  };
}

function key(pid: number): string {
  return String(pid);
}

export function monitors(lx: LibxlCtx): MonitorRecord[] {
  return lx.records.list<MonitorRecord>(NS).map((r) => r.value);
}

export function monitorFor(lx: LibxlCtx, domid: number): MonitorRecord | undefined {
  return monitors(lx).find((m) => m.domid === domid && !m.exited);
}

export function monitorByPid(lx: LibxlCtx, pid: number): MonitorRecord | undefined {
  return lx.records.get<MonitorRecord>(NS, key(pid));
}

function save(lx: LibxlCtx, m: MonitorRecord): void {
  lx.records.put(NS, key(m.pid), m);
}

/** The monitor exits; a foreground one stays until its xl has read the queue. */
function exit(lx: LibxlCtx, m: MonitorRecord, code: number): void {
  if (m.queue) {
    m.exited = true;
    m.exitCode = code;
    save(lx, m);
  } else {
    lx.records.delete(NS, key(m.pid));
  }
}

/** Called by the foreground xl once it printed everything of an exited monitor. */
export function reapMonitor(lx: LibxlCtx, pid: number): void {
  lx.records.delete(NS, key(pid));
}

/** LOG(): a raw line to the log file or the foreground queue */
function log(lx: LibxlCtx, m: MonitorRecord, line: string): void {
  // the monitor's story is the host's story too
  lx.eventLog('xl.monitor', line, m.domid >= 0 ? m.domid : undefined);
  if (m.queue) {
    m.queue.push(line);
    save(lx, m);
    return;
  }
  // written once the transaction commits: a command killed before that
  // leaves no line about what never happened, nor one a re-run repeats
  const file = m.logFile;
  onCommit(() => {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.appendFileSync(file, line + '\n');
    } catch {
      // xl ignores write errors on its log (nowhere to report them)
    }
  });
}

/** The monitor's stderr: libxl's lines land in the same log. */
function monitorXtl(lx: LibxlCtx, m: MonitorRecord): Xtl {
  return {
    log(level: XtlLevel, context: string, message: string, errnoText?: string) {
      if (level === 'debug' || level === 'verbose' || level === 'detail') return;
      log(lx, m, `${context}: ${level}: ${message}${errnoText !== undefined ? `: ${errnoText}` : ''}`);
    },
    progress() {},
  };
}

/** libxl_create_logfile: xl-<name>.log, older ones shifted to .1 ... .10 */
function rotateLog(file: string): void {
  try {
    if (!fs.existsSync(file)) return;
    for (let i = 9; i >= 1; i--) {
      if (fs.existsSync(`${file}.${i}`)) fs.renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    }
    fs.renameSync(file, `${file}.1`);
  } catch {
    // a log that cannot be rotated is appended to instead
  }
}

function nextPid(lx: LibxlCtx): number {
  const n = (lx.records.get<number>('xl', 'nextpid') ?? 4321) + 0;
  lx.records.put('xl', 'nextpid', n + 1);
  return n;
}

/**
 * Start monitoring a freshly created domain (the daemonise step of
 * create_domain). Returns the record; the first line is already logged.
 */
export function startMonitor(lx: LibxlCtx, domid: number, d: DomainConfig, foreground: boolean): MonitorRecord {
  const name = d.c_info.name ?? '';
  const logFile = path.join(lx.files.logDir, `xl-${name}.log`);
  const m: MonitorRecord = { pid: nextPid(lx), domid, name, actions: actionsOf(d), logFile };
  if (foreground) m.queue = [];
  else onCommit(() => rotateLog(logFile));
  save(lx, m);
  log(lx, m, `Waiting for domain ${name} (domid ${domid}) to die [pid ${m.pid}]`);
  return m;
}

/** `-F` xl: take the queued lines (and whether the monitor ended). */
export function drainMonitor(lx: LibxlCtx, pid: number): { lines: string[]; exited: boolean; code: number } {
  const m = monitorByPid(lx, pid);
  if (!m) return { lines: [], exited: true, code: 0 };
  const lines = m.queue ?? [];
  if (m.queue && lines.length > 0) {
    m.queue = [];
    save(lx, m);
  }
  return { lines, exited: m.exited === true, code: m.exitCode ?? 0 };
}

/** reload_domain_config: a config-update text wins, else the stored config with live values */
function reloadConfig(lx: LibxlCtx, m: MonitorRecord, domid: number): DomainConfig | undefined {
  const updated = userdataRetrieve(lx, domid, 'xl-parsed');
  if (updated !== undefined) {
    log(lx, m, '"xl" configuration found, using it\n');
    userdataUnlink(lx, domid, 'xl');
    userdataUnlink(lx, domid, 'xl-parsed');
    const r = domainConfigFromJson(updated);
    if (r.ok) return r.value;
  }
  const cfg = retrieveDomainConfiguration(lx, domid);
  if (!cfg) log(lx, m, `failed to retrieve guest configuration (rc=-3). reusing old configuration`);
  return cfg;
}

/** "-%Y%m%dT%H%MZ" of the host's wall clock */
function renameSuffix(wallMs: number): string {
  const d = new Date(wallMs);
  return sprintf('-%04d%02d%02dT%02d%02dZ', d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes());
}

/**
 * The domain of monitor `m` has shut down (the DOMAIN_SHUTDOWN event):
 * log, pick the action, carry it out.
 */
export function monitorShutdown(lx0: LibxlCtx, m: MonitorRecord): void {
  const lx = withXtl(lx0, monitorXtl(lx0, m));
  const domid = m.domid;
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok || !info.value.shutdown) return;
  const reason = info.value.shutdownCode;
  log(lx, m, sprintf('Domain %u has shut down, reason code %d 0x%x', domid, reason, reason));
  let action: ActionOnShutdown;
  switch (reason) {
    case 0:
      action = m.actions.on_poweroff;
      break;
    case 1:
      action = m.actions.on_reboot;
      break;
    case 2:
      log(lx, m, 'Domain has suspended.');
      log(lx, m, `Continue waiting for domain ${domid}`);
      return;
    case 3:
      action = m.actions.on_crash;
      break;
    case 4:
      action = m.actions.on_watchdog;
      break;
    case 5:
      action = m.actions.on_soft_reset;
      break;
    default:
      log(lx, m, `Unknown shutdown reason code ${reason}. Destroying domain.`);
      action = 'destroy';
  }
  log(lx, m, `Action for shutdown reason code ${reason} is ${actionName(action)}`);

  if (action === 'coredump_destroy' || action === 'coredump_restart') {
    const corefile = path.join(lx.files.dumpDir, m.name);
    log(lx, m, `dumping core to ${corefile}`);
    const rc = coreDump(lx, domid, corefile);
    if (rc) log(lx, m, `core dump failed (rc=${rc}).`);
    action = action === 'coredump_destroy' ? 'destroy' : 'restart';
  }

  let config: DomainConfig | undefined;
  switch (action) {
    case 'preserve':
      log(lx, m, 'Done. Exiting now');
      exit(lx, m, 0);
      return;
    case 'destroy':
    case 'restart': {
      if (action === 'restart') config = reloadConfig(lx, m, domid);
      log(lx, m, `Domain ${domid} needs to be cleaned up: destroying the domain`);
      m.domid = -1;
      save(lx, m);
      domainDestroy(lx, domid);
      if (action === 'destroy') {
        log(lx, m, 'Done. Exiting now');
        exit(lx, m, 0);
        return;
      }
      break;
    }
    case 'restart_rename': {
      config = reloadConfig(lx, m, domid);
      const name = config?.c_info.name ?? m.name;
      const suffix = renameSuffix(lx.wallMs());
      log(lx, m, `Preserving domain ${domid} ${name} with suffix${suffix}`);
      // libxl_domain_preserve: a new uuid and name; the old domain stays
      const rc = domainRename(lx, domid, undefined, name + suffix);
      if (rc) {
        exit(lx, m, 1);
        return;
      }
      const vm = lx.xs.tryRead(`/local/domain/${domid}/vm`);
      const uuid = lx.rng.uuid();
      if (vm) {
        lx.xs.rm(vm);
        lx.xs.mkdirPerms(`/vm/${uuid}`, ['n0', `r${domid}`]);
        lx.xs.write(`/vm/${uuid}/uuid`, uuid);
        lx.xs.write(`/vm/${uuid}/name`, name + suffix);
        lx.xs.write(`/local/domain/${domid}/vm`, `/vm/${uuid}`);
      }
      lx.setDomainHandle(domid, uuid);
      m.domid = -1;
      save(lx, m);
      break;
    }
    case 'soft_reset':
      config = reloadConfig(lx, m, domid);
      break;
  }
  // the reloaded config carries the live name: a renamed guest comes back renamed
  if (config && config.c_info.name !== undefined) {
    m.name = config.c_info.name;
    save(lx, m);
  }
  log(lx, m, 'Done. Rebooting now');
  lx.events.after(RESTART_DELAY_NS, 'xl.monitor.restart', {
    pid: m.pid,
    softResetDomid: action === 'soft_reset' ? domid : -1,
    config: config ? domainConfigToJson(config) : null,
  });
}

export interface RestartPayload {
  pid: number;
  softResetDomid: number;
  config: string | null;
}

/** `goto start` after the 2 s sleep: create the domain again and keep watching. */
export function monitorRestart(lx0: LibxlCtx, p: RestartPayload): void {
  const m = monitorByPid(lx0, p.pid);
  if (!m || m.exited) return;
  const lx = withXtl(lx0, monitorXtl(lx0, m));
  if (p.softResetDomid >= 0) {
    // libxl_domain_soft_reset: the same domid, rebuilt in place
    const domid = p.softResetDomid;
    lx.hooks.softReset(domid);
    log(lx, m, `Waiting for domain ${m.name} (domid ${domid}) to die [pid ${m.pid}]`);
    return;
  }
  const parsed = p.config ? domainConfigFromJson(p.config) : undefined;
  if (!parsed || !parsed.ok) {
    exit(lx, m, 1);
    return;
  }
  const cfg = parsed.value;
  const r = domainCreateNew(lx, cfg);
  if (r.rc || r.domid === undefined) {
    if (r.domid !== undefined) domainDestroy(lx, r.domid);
    exit(lx, m, 1);
    return;
  }
  domainUnpause(lx, r.domid);
  m.domid = r.domid;
  m.actions = actionsOf(cfg);
  save(lx, m);
  log(lx, m, `Waiting for domain ${m.name} (domid ${r.domid}) to die [pid ${m.pid}]`);
}

/** Someone destroyed the domain (DOMAIN_DEATH): the monitor says so and exits. */
export function monitorDomainDied(lx: LibxlCtx, domid: number): void {
  const m = monitorFor(lx, domid);
  if (!m) return;
  log(lx, m, `Domain ${domid} has been destroyed.`);
  exit(lx, m, 0);
}
