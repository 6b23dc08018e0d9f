/**
 * The composition root: how the layers meet on one host session.
 *
 *   state/ session ─┬─ SessionXenStorage → Xen, the hypercall surface (lib/xen)
 *                   ├─ xenstore (dom0's view)
 *                   ├─ event queue ← handlers (event_handlers.ts: guest model, xl monitor)
 *                   └─ records → libxl userdata, domid history, monitors, guests
 *
 * Also the host's first boot: Xen and dom0 from the profile, dom0's xenstore
 * entries (what xen-init-dom0 writes), and the hypervisor log.
 */
import { registerEventHandler, setHostBoot, withHostSync, type Session, type WithHostOptions } from '../../state/session';
import type { Env } from '../../state/paths';
import { nullXtl, type Xtl } from '../util/xtl';
import { bootXen } from '../xen/boot';
import { encodeDomainRecord } from '../xen/record';
import { Xen } from '../xen/xen';
import type { GuestHooks, LibxlCtx } from './ctx';
import { withXtl } from './ctx_util';
import { guestHooksFor, installEventHandlers, type LibxlEventHandler } from './event_handlers';
import { SessionRecords } from './records';
import { SessionXenStorage, REC_XEN_HOST } from './xen_storage';
import { makeXenPort } from './xenport';

interface SessionCtx {
  lx: LibxlCtx;
  storage: SessionXenStorage;
}

const perSession = new WeakMap<Session, SessionCtx>();

/** The ctx of a session (built once per session), with `xtl` for this caller. */
export function ctxOf(s: Session, xtl: Xtl = nullXtl): LibxlCtx {
  let sc = perSession.get(s);
  if (!sc) {
    const storage = new SessionXenStorage(s);
    const hv = new Xen(storage);
    const records = new SessionRecords(s);
    let hooks: GuestHooks | undefined;
    const base: LibxlCtx = {
      xtl,
      hv,
      xen: makeXenPort(hv),
      xs: s.xs,
      events: s.events,
      rng: s.rng,
      records,
      files: { name: s.hostName, logDir: s.paths.logDir, dumpDir: s.paths.dumpDir, consoleLog: s.profile.consoleLog === true },
      // made on first use: `xl list` of a host at rest never needs them
      get hooks() {
        return (hooks ??= guestHooksFor(() => base));
      },
      now: () => s.clock.now(),
      wallMs: () => s.clock.wallMs(),
      uname: () => ({
        nodename: s.hostName,
        release: '6.1.0-28-amd64',
        version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)',
        machine: 'x86_64',
      }),
      eventLog: (kind, text, domid) => s.log(kind, text, domid),
      migrationLinkBps: s.profile.migration.bandwidthBytesPerSec,
      pciHost: { inventory: s.profile.pci ?? [], iommu: s.profile.iommu ?? true },
      setDomainHandle: (domid, uuid) => {
        const d = storage.domain(domid);
        if (!d) return;
        d.handle = uuid;
        storage.putDomain(d);
      },
    };
    sc = { lx: base, storage };
    perSession.set(s, sc);
  }
  return xtl === sc.lx.xtl ? sc.lx : withXtl(sc.lx, xtl);
}

/** Write back what the session's hypervisor objects changed. */
export function flushCtx(s: Session): void {
  perSession.get(s)?.storage.flush();
}

function handle(kind: string, fn: LibxlEventHandler): void {
  registerEventHandler(kind, (s, payload, ev) => {
    fn(ctxOf(s), payload, ev);
    flushCtx(s);
  });
}

/** The host's first boot: Xen, dom0, and what xen-init-dom0 puts in xenstore. */
export function bootHost(s: Session): void {
  const p = s.profile;
  const booted = bootXen({
    sockets: p.hardware.sockets,
    coresPerSocket: p.hardware.coresPerSocket,
    threadsPerCore: p.hardware.threadsPerCore,
    nodes: p.hardware.numaNodes,
    memoryMiB: p.hardware.memoryMiB,
    vendor: p.hardware.cpuVendor,
    mhz: p.hardware.cpuMhz,
    hap: p.hardware.hap,
    vmfunc: p.hardware.vmfunc,
    pml: p.hardware.pml,
    xenVersion: p.xen.version,
    cmdline: p.xen.cmdline.raw,
    scheduler: p.xen.scheduler,
    dom0Vcpus: p.dom0.vcpus,
    ...(p.xen.debug ? { debug: true } : {}),
    bootWallSec: Math.floor(s.clock.bootEpochMs / 1000),
    bootNs: 0,
  });
  // Without dom0_mem= dom0 boots with everything; a profile's [dom0] memory
  // is where its kernel left itself (ballooned down at boot), so the rest
  // is free for guests and autoballoon still has something to take.
  const wantPages = p.dom0.memoryMiB * 256;
  if (!/(^|\s)dom0_mem=/.test(booted.host.commandline) && wantPages > 0 && wantPages < booted.dom0.totPages) {
    booted.host.freePages += booted.dom0.totPages - wantPages;
    booted.dom0.totPages = wantPages;
  }
  s.putRecord(REC_XEN_HOST, booted.host);
  s.putDomainRecord(0, encodeDomainRecord(booted.dom0));
  const xs = s.xs;
  xs.writePerms('/local/domain/0/name', 'Domain-0', ['n0']);
  xs.writePerms('/local/domain/0/domid', '0', ['n0']);
  xs.mkdirPerms('/local/domain/0/backend', ['n0']);
  xs.mkdirPerms('/vm', ['n0']);
  xs.mkdirPerms('/libxl', ['n0']);
  xs.writePerms('/tool/xenstored/domid', '0', ['n0']);
  xs.writePerms('/tool/xenconsoled/domid', '0', ['n0']);
  s.log('host.boot', `Xen ${booted.host.version.major}.${booted.host.version.minor}${booted.host.version.extra} booted, dom0 with ${booted.dom0.totPages / 256} MiB`, 0);
}

let installed = false;

/** Registers the event handlers and the boot routine (once per process). */
export function installHostHooks(): void {
  if (installed) return;
  installed = true;
  setHostBoot(bootHost);
  installEventHandlers(handle);
}

export interface CtxOptions {
  env: Env;
  xtl: Xtl;
  host?: WithHostOptions;
}

/**
 * One libxl_ctx for one command: a host transaction (clock advanced, due
 * events run), `fn`, write-back, commit.
 */
export function withCtx<T>(o: CtxOptions, fn: (lx: LibxlCtx) => T): T {
  installHostHooks();
  return withHostSync(
    o.env,
    (s) => {
      const lx = ctxOf(s, o.xtl);
      const r = fn(lx);
      flushCtx(s);
      return r;
    },
    o.host,
  );
}

/** The same inside a session someone else opened (xlsim commands, waiting loops). */
export function ctxInSession<T>(s: Session, xtl: Xtl, fn: (lx: LibxlCtx) => T): T {
  installHostHooks();
  const r = fn(ctxOf(s, xtl));
  flushCtx(s);
  return r;
}
