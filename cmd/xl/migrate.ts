/**
 * `xl migrate`: twin of main_migrate / migrate_domain / migrate_do_preamble
 * in tools/xl/xl_migrate.c.
 *
 * The live stream is produced in a transaction on this host that is then
 * rolled back: the guest keeps running here, in the database, until the
 * target has the whole domain. Only at the handshake's ready message is it
 * suspended and renamed away, and only after the target reports a good
 * start is it destroyed. A sender killed before the target acknowledged
 * the transfer therefore leaves the guest running here, and the receiver,
 * seeing its stdin end, removes its incomplete copy. (Killed between that
 * acknowledgement and GO, it leaves `<name>--migratedaway` suspended here
 * and nothing there: the window real xl has too.)
 */
import type { LibxlCtx } from '../../lib/libxl/ctx';
import { ERROR_FAIL, ERROR_GUEST_TIMEDOUT } from '../../lib/libxl/errors';
import { domainDestroy } from '../../lib/libxl/destroy';
import { domainRename, domidToName, nameToDomid } from '../../lib/libxl/domain';
import { nullXtl, type Xtl, type XtlLevel } from '../../lib/util/xtl';
import { ctxInSession, installHostHooks } from '../../lib/libxl/compose';
import { libxlLog, where } from '../../lib/libxl/log';
import {
  MIGRATE_PERMISSION_TO_GO,
  MIGRATE_RECEIVER_BANNER,
  MIGRATE_RECEIVER_READY,
  MIGRATE_REPORT,
  RECEIVER_SYNC,
  incomingName,
  migratedAwayName,
  migrationRune,
  receiverArgs,
} from '../../lib/libxl/migrate';
import { domainResume } from '../../lib/libxl/pvcontrol';
import { domainSuspendToStream, suspendGuest, type SaveStats } from '../../lib/libxl/save';
import { recordTransfer, type TransferOutcome } from '../../lib/libxl/transfers';
import { dropPageImage } from '../../lib/libxl/save-pages';
import { savingMessage, writeSaveHeader } from '../../lib/libxl/stream';
import { sprintf } from '../../lib/util/printf';
import { currentHostName, hostExists, isValidHostName, withHostSync } from '../../state/session';
import { Exit } from '../io';
import type { XlContext } from './context';
import { findDomain } from './find_domain';
import { withLibxl } from './libxl_session';
import { StdioXtl } from './log';
import { childReport, MigrationChild, readFixed, type SyncSink } from './migrate_transport';
import { switchForeachOpt } from './opts';
import { saveDomainCoreBegin } from './save';
import { waitSuspended } from './suspend_wait';
import { domainSuspended, saveSuspendFailed, suspendOnlyStart } from '../../lib/libxl/suspend';

const LONGS = [
  { name: 'debug', hasArg: 0 as const, val: 'DEBUG' },
  { name: 'live', hasArg: 0 as const, val: 'LIVE' },
];

interface MigrateOpts {
  domid: number;
  /** common_domname */
  name: string | undefined;
  host: string;
  rune: string;
  /** the receiver's arguments when the target is a simulated host reached without -s */
  simulated: string[] | null;
  /** -s was not given and the host is no simulated host: what ssh would do */
  unknownHost: boolean;
  debug: boolean;
  preserveDomid: boolean;
  configFile: string | undefined;
  /** xl_migrate.c's saved config (save_domain_core_begin) */
  json: string;
  /**
   * The target is a simulated host other than this one: its receiver is
   * started early (see mainMigrate) and the stream goes out as it is made
   * (see produceStream).
   */
  elsewhere: boolean;
  /** the transport, when it was started early */
  child: MigrationChild | undefined;
}

export async function mainMigrate(ctx: XlContext, argv: string[]): Promise<number> {
  const p = switchForeachOpt(ctx, argv.slice(1), 'FC:s:epD', LONGS, 'migrate', 2);
  let configFile: string | undefined;
  let ssh = 'ssh';
  let sGiven = false;
  let daemonize = true;
  let debug = false;
  let paused = false;
  let preserveDomid = false;
  for (const o of p.opts) {
    if (o.opt === 'C') configFile = o.arg;
    else if (o.opt === 's') {
      ssh = o.arg ?? '';
      sGiven = true;
    } else if (o.opt === 'F' || o.opt === 'e') daemonize = false;
    else if (o.opt === 'p') paused = true;
    else if (o.opt === 'D') preserveDomid = true;
    else if (o.opt === 'DEBUG') debug = true;
  }
  const host = p.args[1]!;
  const flags = {
    passTty: ctx.progressCR || ctx.io.stderr.isTTY,
    timestamps: ctx.timestamps,
    verbose: ctx.verbose,
    noDaemonize: !daemonize,
    debug,
    paused,
  };
  const rune = migrationRune({ sshCommand: ssh, host, ...flags });
  const known = !sGiven && isValidHostName(host) && hostExists(ctx.io.env, host);
  const simulated = known ? receiverArgs(flags) : null;
  // xl starts the transport once it has the domain and its config. A
  // simulated receiver on another host starts first instead, while xl looks
  // them up (its start-up is most of a migration's wall time); it reads
  // nothing and leaves nothing until the stream comes, and if xl gives up
  // first it is sent away unheard (xl's own messages are the same).
  const elsewhere = simulated !== null && host !== currentHostName(ctx.io.env);
  const early = elsewhere ? startChild(ctx, { host, rune, simulated, unknownHost: false }) : undefined;
  let found: { domid: number; name: string | undefined; json: string };
  try {
    found = withLibxl(ctx, (lx) => {
      const id = findDomain(ctx, lx, p.args[0]!);
      return { domid: id, name: domidToName(lx, id), json: saveDomainCoreBegin(ctx, lx, id, preserveDomid, configFile) };
    });
  } catch (e) {
    await early?.abandon();
    throw e;
  }
  return migrateDomain(ctx, {
    ...found,
    host,
    rune,
    simulated,
    elsewhere,
    unknownHost: !sGiven && !known,
    debug,
    preserveDomid,
    configFile,
    child: early,
  });
}

function startChild(ctx: XlContext, o: Pick<MigrateOpts, 'host' | 'rune' | 'simulated' | 'unknownHost'>): MigrationChild {
  const env = { ...ctx.io.env };
  if (o.simulated) return new MigrationChild({ kind: 'simulated', host: o.host, args: o.simulated, env }, ctx.io.stderr);
  if (o.unknownHost) {
    // what `exec ssh <host> ...` does for a name that resolves nowhere
    const cmd = `printf 'ssh: Could not resolve hostname %s: Name or service not known\\n' "$1" >&2; exit 255`;
    return new MigrationChild({ kind: 'shell', command: `set -- ${shellQuote(o.host)}; ${cmd}`, env }, ctx.io.stderr);
  }
  return new MigrationChild({ kind: 'shell', command: o.rune, env }, ctx.io.stderr);
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

interface Produced {
  rc: number;
  /** the stream as the writer framed it, slab by slab (never copied into one buffer); empty when it was sent as made */
  stream: Buffer[];
  streamBytes: number;
  /** bytes of the stream written before the guest was asked to suspend */
  suspendOffset: number;
  stats?: SaveStats;
  /** the stream stopped at the suspend request, which the guest cannot answer at once */
  unanswered?: boolean;
  name: string | undefined;
  /** simulated time on this host when the suspend began */
  at: number;
}

/**
 * What libxc logs while the stream is made, kept until the point of the
 * conversation where xl prints it (progress is dropped: xl hides it for
 * the whole suspend).
 */
class DeferredXtl implements Xtl {
  private readonly lines: Array<[XtlLevel, string, string, string | undefined]> = [];
  log(level: XtlLevel, context: string, message: string, errnoText?: string): void {
    this.lines.push([level, context, message, errnoText]);
  }
  progress(): void {}
  replay(to: Xtl): void {
    for (const [level, context, message, errnoText] of this.lines) to.log(level, context, message, errnoText);
  }
}

/**
 * libxl_domain_suspend(LIVE) in a transaction rolled back afterwards (see
 * the file comment), its log lines kept for later. Either into memory, while
 * the transport starts up, the stream sent once the receiver has answered;
 * or, given `send`, straight into the pipe as it is made, as libxc does.
 * The second holds this host's lock while it waits on the receiver, so it
 * is only for a receiver on another host (on the same one it would wait
 * for that lock to create its copy: a deadlock).
 */
function produceStream(ctx: XlContext, domid: number, debug: boolean, fd: number | undefined, xtl: Xtl, send?: SyncSink): Produced {
  installHostHooks();
  return withHostSync(ctx.io.env, (s) => {
    const res = ctxInSession(s, xtl, (lx) => {
      const parts: Buffer[] = [];
      let len = 0;
      let suspendOffset = -1;
      const at = lx.now();
      const out = domainSuspendToStream(
        lx,
        domid,
        (b) => {
          len += b.length;
          if (send) send.write(b);
          else parts.push(b); // the writer hands over fresh buffers, never reused
        },
        {
          live: true,
          debug,
          // the transaction is rolled back: storing the advanced page image would be wasted
          persistImage: false,
          sinkWritesAtOnce: send !== undefined,
          ...(fd !== undefined ? { fd } : {}),
          onSuspend: (at) => void (suspendOffset = at),
        },
      );
      return {
        rc: out.rc,
        stream: parts,
        streamBytes: len,
        suspendOffset: suspendOffset < 0 ? len : suspendOffset,
        ...('stats' in out ? { stats: out.stats } : {}),
        ...('unanswered' in out ? { unanswered: true } : {}),
        name: domidToName(lx, domid),
        at,
      };
    });
    s.discard();
    return res;
  });
}

/**
 * The suspend request of a live migration whose guest cannot answer at once
 * (paused, or without PV drivers connected): libxl waits up to 60 s for the
 * acknowledgement on this host, then withdraws it and the save fails with
 * ERROR_GUEST_TIMEDOUT, so xl leaves the guest as it was. A guest unpaused
 * meanwhile may answer late; the live rounds already sent were made in a
 * transaction since rolled back and cannot be carried on then, so it is
 * resumed and the migration fails as a plain save error.
 */
async function suspendUnanswered(ctx: XlContext, domid: number): Promise<number> {
  const s = await waitSuspended(ctx, withLibxl(ctx, (lx) => suspendOnlyStart(lx, domid)));
  return withLibxl(ctx, (lx) => {
    if (s.rc === 0 && domainSuspended(lx, domid)) {
      domainResume(lx, domid);
      return ERROR_FAIL;
    }
    return saveSuspendFailed(lx, domid, s.rc, s.responded);
  });
}

/** What libxc and libxl print when the stream's pipe breaks under the save helper. */
function reportWriteFailure(ctx: XlContext, domid: number, responded: boolean): number {
  ctx.logger.log('error', 'xc', 'Failed to write page data to stream (32 = Broken pipe)', 'Internal error');
  ctx.logger.log('error', 'xc', 'Save failed (32 = Broken pipe)', 'Internal error');
  libxlLog(
    ctx.logger,
    'error',
    where('libxl_stream_write.c', 347, 'libxl__xc_domain_save_done'),
    domid,
    `saving domain: ${responded ? 'domain responded to suspend request' : 'domain did not respond to suspend request'}`,
    'Broken pipe',
  );
  return responded ? ERROR_FAIL : ERROR_GUEST_TIMEDOUT;
}

async function migrateDomain(ctx: XlContext, o: MigrateOpts): Promise<number> {
  const { domid, rune, json } = o;
  const ch = o.child ?? startChild(ctx, o);
  const produceLog = new DeferredXtl();
  // a simulated receiver on another host: the stream goes out as it is made
  const sink = o.elsewhere ? ch.syncSink() : null;
  let prod = sink ? undefined : produceStream(ctx, domid, o.debug, ch.sendFd, produceLog);

  // migrate_do_preamble
  await ch.relayUntil(RECEIVER_SYNC.ready);
  if (!(await readFixed(ctx, ch, MIGRATE_RECEIVER_BANNER, 'banner', rune))) {
    ch.closeSend();
    await childReport(ctx, ch);
    throw new Exit(1);
  }
  const hdr = writeSaveHeader(json);
  const headerOk = await ch.write(hdr.bytes);
  ctx.io.stderr.write(savingMessage('migration stream', hdr.info) + '\n');

  const failedResume = async (): Promise<number> => {
    ch.closeSend();
    await childReport(ctx, ch);
    reapIncoming(ctx, o, ch);
    ctx.io.stderr.write('Migration failed, resuming at sender.\n');
    // the guest was never suspended in this host's state (see produceStream)
    return 1;
  };
  const failedSuspend = async (): Promise<number> => {
    ch.closeSend();
    await childReport(ctx, ch);
    reapIncoming(ctx, o, ch);
    ctx.io.stderr.write('Migration failed, failed to suspend at sender.\n');
    return 1;
  };

  if (headerOk) await ch.relayUntil(RECEIVER_SYNC.parsing);
  const logger = ctx.logger instanceof StdioXtl ? ctx.logger : undefined;
  if (logger) logger.hideProgress = true;
  // the lines of a stream made ahead come now; one made now prints them as it goes
  // (what the receiver prints meanwhile is relayed after them either way)
  produceLog.replay(ctx.logger);
  // (without a header the receiver reads nothing more: the stream is made for the outcome and dropped)
  if (sink && !headerOk) sink.broken = true;
  try {
    prod ??= produceStream(ctx, domid, o.debug, ch.sendFd, ctx.logger, sink ?? undefined);
  } finally {
    sink?.end();
  }
  /** how much of the stream the receiver was given */
  const sendStream = async (p: Produced): Promise<number> => (sink ? sink.written : headerOk ? ch.writeAllCounted(p.stream) : 0);
  /** the sending host's record of this migration, once the stream has gone out whole */
  const recordIn = (lx: LibxlCtx, outcome: TransferOutcome): void => {
    if (!prod.stats) return;
    const subject = { kind: 'migrate' as const, domid, name: prod.name ?? '', to: o.host, at: prod.at, live: true, headerBytes: hdr.bytes.length, outcome };
    recordTransfer(lx, subject, prod.stats);
  };
  const record = (outcome: TransferOutcome): void => {
    if (prod.stats) withLibxl(ctx, (lx) => recordIn(lx, outcome));
  };
  let rc = prod.rc;
  if (prod.unanswered) {
    // the live rounds went out; libxl now asks the guest and waits it out
    if (headerOk && (await sendStream(prod)) === prod.streamBytes) await ch.relayUntil(RECEIVER_SYNC.restoring);
    rc = await suspendUnanswered(ctx, domid);
  } else if (!rc) {
    const written = await sendStream(prod);
    if (written < prod.streamBytes) {
      // the receiver is gone: let its last words reach the terminal first
      await ch.waitExit(2000);
      // the guest answered the suspend request only if the stream got that far
      rc = reportWriteFailure(ctx, domid, written >= prod.suspendOffset);
    }
  }
  if (rc) {
    ctx.io.stderr.write(sprintf('migration sender: libxl_domain_suspend failed (rc=%d)\n', rc));
    return rc === ERROR_GUEST_TIMEDOUT ? failedSuspend() : failedResume();
  }

  await ch.relayUntil(RECEIVER_SYNC.transferComplete);
  if (!(await readFixed(ctx, ch, MIGRATE_RECEIVER_READY, 'ready message', rune))) {
    record('failed');
    return failedResume();
  }
  if (logger) logger.hideProgress = false;

  ctx.io.stderr.write('migration sender: Target has acknowledged transfer.\n');
  const common = prod.name;
  // the guest stops here now: suspended (its final pass is on the target) and renamed away
  const renamed = withHostSync(ctx.io.env, (s) =>
    ctxInSession(s, ctx.logger, (lx) => {
      if (common !== undefined) {
        const r = domainRename(lx, domid, common, migratedAwayName(common));
        if (r) return r;
      }
      suspendGuest(lx, domid);
      if (prod.stats) s.log('migrate', migrationSummary(o.host, prod.stats), domid);
      return 0;
    }),
  );
  if (renamed) return failedResume();

  ctx.io.stderr.write('migration sender: Giving target permission to start.\n');
  const goOk = await ch.write(MIGRATE_PERMISSION_TO_GO);
  if (!goOk) {
    record('failed');
    return failedBadly(ctx, ch);
  }
  await ch.relayUntil(RECEIVER_SYNC.started, [RECEIVER_SYNC.failing]);
  if (!(await readFixed(ctx, ch, MIGRATE_REPORT, 'success/failure report message', rune))) {
    record('failed');
    return failedBadly(ctx, ch);
  }
  const st = await ch.readExactly(1);
  if (st === 'eof') {
    record('failed');
    libxlLog(ctx.logger, 'error', where('libxl_utils.c', 507, 'libxl_read_exactly'), undefined, 'file/stream truncated reading success/failure status from migration ack stream');
    return failedBadly(ctx, ch);
  }
  const status = st.readInt8(0);
  if (status) {
    record('failed');
    ctx.io.stderr.write(sprintf('migration sender: Target reports startup failure (status code %d).\n', status));
    await ch.relayUntil(RECEIVER_SYNC.cleanedUp);
    if (!(await readFixed(ctx, ch, MIGRATE_PERMISSION_TO_GO, 'permission for sender to resume', rune))) return failedBadly(ctx, ch);
    ctx.io.stderr.write('migration sender: Trying to resume at our end.\n');
    const r = withLibxl(ctx, (lx) => {
      if (common !== undefined) domainRename(lx, domid, migratedAwayName(common), common);
      return domainResume(lx, domid);
    });
    if (!r) ctx.io.stderr.write('migration sender: Resumed OK.\n');
    ctx.io.stderr.write('Migration failed due to problems at target.\n');
    await ch.waitExit(2000);
    ch.release();
    throw new Exit(1);
  }
  ctx.io.stderr.write('migration sender: Target reports successful startup.\n');
  withLibxl(ctx, (lx) => {
    recordIn(lx, 'completed');
    domainDestroy(lx, domid);
    dropPageImage(lx, domid);
  });
  ctx.io.stderr.write('Migration successful.\n');
  // the receiver has nothing more to say; its exit is not waited for, as xl does not
  await ch.waitExit(2000);
  ch.release();
  return 0;
}

/**
 * A receiver killed before GO cannot remove the paused `<name>--incoming`
 * it made (real xl leaves it behind). When the target is a simulated host
 * and the receiver process is gone, the sender, the only survivor, removes
 * it, so that the target is left as it was.
 */
function reapIncoming(ctx: XlContext, o: MigrateOpts, ch: MigrationChild): void {
  if (!o.simulated || o.name === undefined || !ch.exited) return;
  const orphan = incomingName(o.name);
  installHostHooks();
  withHostSync(
    ctx.io.env,
    (s) =>
      ctxInSession(s, nullXtl, (lx) => {
        const r = nameToDomid(lx, orphan);
        if (r.rc === 0 && r.domid > 0) {
          domainDestroy(lx, r.domid);
          dropPageImage(lx, r.domid);
          s.log('migrate', `removed ${orphan} left by a receiver that died`, r.domid);
        }
      }),
    { host: o.host },
  );
}

async function failedBadly(ctx: XlContext, ch: MigrationChild): Promise<number> {
  ch.relayPending();
  ctx.io.stderr.write(
    '** Migration failed during final handshake **\n' +
      'Domain state is now undefined !\n' +
      'Please CHECK AT BOTH ENDS for running instances, before renaming and\n' +
      ' resuming at most one instance.  Two simultaneous instances of the domain\n' +
      ' would probably result in SEVERE DATA LOSS and it is now your\n' +
      ' responsibility to avoid that.  Sorry.\n',
  );
  ch.closeSend();
  await childReport(ctx, ch);
  return 1;
}

/** The host's event log keeps what xl does not print: the pre-copy rounds and the downtime. */
export function migrationSummary(host: string, st: SaveStats): string {
  const live = st.rounds.filter((r) => r.live && r.sent > 0).length;
  const sent = st.rounds.map((r) => r.sent).join('+');
  return sprintf(
    'live migration to %s: %d live iteration(s), pages sent %s, downtime %.1f ms, total %.1f ms (%s log-dirty); log-dirty traps: %d %s',
    host,
    live,
    sent,
    st.downtimeNs / 1e6,
    st.totalNs / 1e6,
    st.mode,
    st.traps,
    st.mode === 'shadow' ? 'shadow faults' : st.mode === 'hap' ? 'EPT violations' : 'PML buffer-full exits',
  );
}
