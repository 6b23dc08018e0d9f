/**
 * `xl migrate-receive`: twin of main_migrate_receive / migrate_receive in
 * tools/xl/xl_migrate.c. Runs at the far end of the migration transport:
 * stdin carries the stream and the sender's GO, stdout the receiver's
 * replies, stderr reaches the sender's terminal (through ssh, or relayed by
 * the sender when the target is a simulated host).
 *
 * Each host access is its own short transaction (StreamReceiver's steps,
 * then rename and unpause at GO), so the receiver never holds its host while
 * it waits on the pipe.
 */
import fs from 'node:fs';
import { domainDestroy } from '../../lib/libxl/destroy';
import { domainRename, domainUnpause } from '../../lib/libxl/domain';
import { ERROR_FAIL } from '../../lib/libxl/errors';
import { libxlLog, where } from '../../lib/libxl/log';
import { MIGRATE_PERMISSION_TO_GO, MIGRATE_RECEIVER_BANNER, MIGRATE_RECEIVER_READY, MIGRATE_REPORT } from '../../lib/libxl/migrate';
import { startMonitor } from '../../lib/libxl/monitor';
import { dropPageImage } from '../../lib/libxl/save-pages';
import { sprintf } from '../../lib/util/printf';
import type { XlContext } from './context';
import { commandHelp } from './help';
import { withLibxl } from './libxl_session';
import { switchForeachOpt } from './opts';
import { StreamReceiver } from './restore_stream';

const LONGS = [
  { name: 'colo', hasArg: 0 as const, val: 'COLO' },
  { name: 'coloft-script', hasArg: 1 as const, val: 'COLOFT' },
  { name: 'userspace-colo-proxy', hasArg: 0 as const, val: 'UPROXY' },
];

/** A file descriptor read and written with blocking semantics (a pipe or socket may be non-blocking). */
export class SyncFd {
  private pending: Buffer = Buffer.alloc(0);
  private scratch: Buffer = Buffer.alloc(0);
  constructor(private readonly fd: number) {}

  /** bytes already read past what was consumed (the stream reader's remainder) */
  unread(b: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([b, this.pending]) : b;
  }

  /** next chunk (its own memory), or null at EOF/error */
  read(max = 1 << 20): Buffer | null {
    const b = this.readTransient(max);
    return b && b.buffer === this.scratch.buffer ? Buffer.from(b) : b;
  }

  /**
   * next chunk, or null at EOF/error, as a view of one buffer every read
   * reuses: valid until the next read (a 16 GiB guest's stream then costs
   * no fresh memory per megabyte)
   */
  readTransient(max = 1 << 20, at = 0): Buffer | null {
    if (this.pending.length) {
      const b = this.pending;
      this.pending = Buffer.alloc(0);
      return b;
    }
    // at: where the chunk starts in the (8-aligned) buffer, for the reader's alignment
    if (this.scratch.length < max + at) this.scratch = Buffer.allocUnsafeSlow(max + 8);
    const buf = this.scratch;
    for (;;) {
      try {
        const n = fs.readSync(this.fd, buf, at, max, null);
        return n === 0 ? null : buf.subarray(at, at + n);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          sleepMs(1);
          continue;
        }
        if (code === 'EINTR') continue;
        return null;
      }
    }
  }

  /** exactly n bytes: the data, or 'eof' if the stream ended first, or 'error' */
  readExactly(n: number): Buffer | 'eof' {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const b = this.read(n - got);
      if (!b) return 'eof';
      if (b.length > n - got) {
        this.unread(b.subarray(n - got));
        parts.push(b.subarray(0, n - got));
        got = n;
      } else {
        parts.push(b);
        got += b.length;
      }
    }
    return Buffer.concat(parts);
  }

  /** true when all was written */
  writeAll(b: Buffer): boolean {
    let off = 0;
    while (off < b.length) {
      try {
        off += fs.writeSync(this.fd, b, off, b.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          sleepMs(1);
          continue;
        }
        if (code === 'EINTR') continue;
        return false;
      }
    }
    return true;
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** libxl_read_exactly plus the comparison of migrate_read_fixedmessage (rune is null at the receiver) */
function readFixedMessage(ctx: XlContext, fd: SyncFd, msg: Buffer, what: string): boolean {
  const stream = 'migration stream';
  const got = fd.readExactly(msg.length);
  if (got === 'eof') {
    libxlLog(ctx.logger, 'error', where('libxl_utils.c', 507, 'libxl_read_exactly'), undefined, `file/stream truncated reading ${what} from ${stream}`);
    return false;
  }
  if (!got.equals(msg)) {
    ctx.io.stderr.write(`${stream} contained unexpected data instead of ${what}\n`);
    return false;
  }
  return true;
}

/** libxl_write_exactly on the ack stream; the error line if the sender went away */
function writeAck(ctx: XlContext, fd: SyncFd, b: Buffer, what: string): boolean {
  if (fd.writeAll(b)) return true;
  libxlLog(ctx.logger, 'error', where('libxl_utils.c', 508, 'libxl_write_exactly'), undefined, `failed to write ${what} from migration ack stream`, 'Broken pipe');
  return false;
}

export function mainMigrateReceive(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), 'Fedrp', LONGS, 'migrate-receive', 0);
  let debug = false;
  let daemonize = true;
  let monitor = true;
  let paused = false;
  let checkpointed = false;
  for (const o of p.opts) {
    if (o.opt === 'F') daemonize = false;
    else if (o.opt === 'e') {
      daemonize = false;
      monitor = false;
    } else if (o.opt === 'd') debug = true;
    else if (o.opt === 'p') paused = true;
    else if (o.opt === 'r' || o.opt === 'COLO') checkpointed = true;
  }
  if (p.args.length !== 0) {
    ctx.io.stdout.write(commandHelp('migrate-receive'));
    return 1;
  }
  if (checkpointed) {
    ctx.io.stderr.write('xlsim: Remus and COLO checkpointed streams are not simulated\n');
    return 1;
  }
  return migrateReceive(ctx, { debug, monitor: daemonize && monitor, paused });
}

interface ReceiveOpts {
  debug: boolean;
  monitor: boolean;
  paused: boolean;
}

function migrateReceive(ctx: XlContext, o: ReceiveOpts): number {
  const input = new SyncFd(0);
  const output = new SyncFd(1);
  ctx.io.stderr.write('migration target: Ready to receive domain.\n');
  if (!writeAck(ctx, output, MIGRATE_RECEIVER_BANNER, 'banner')) return 1;

  const rx = new StreamReceiver(ctx, { source: '<incoming migration stream>', incoming: true, debug: o.debug });
  for (;;) {
    const b = input.readTransient(1 << 20, rx.chunkAlignment);
    if (!b) {
      rx.end();
      break;
    }
    // the reader copies what it keeps of a chunk: the next read reuses its memory
    if (!rx.push(b, true)) break;
  }
  if (rx.state !== 'done' || rx.domid === undefined) {
    ctx.io.stderr.write(sprintf('migration target: Domain creation failed (code %d).\n', rx.rc || ERROR_FAIL));
    return 1;
  }
  const domid = rx.domid;
  const incoming = rx.config!.c_info.name;
  const common = rx.commonName;
  input.unread(rx.remainder());
  if (o.monitor) withLibxl(ctx, (lx) => void startMonitor(lx, domid, rx.config!, false));

  ctx.io.stderr.write('migration target: Transfer complete, requesting permission to start domain.\n');
  // xl exits here and when GO never comes leaving the paused copy behind;
  // nothing may be left on this host when the sender is gone, so it goes
  if (!writeAck(ctx, output, MIGRATE_RECEIVER_READY, 'ready message')) {
    destroyCopy(ctx, domid);
    return 1;
  }

  let rc = 0;
  if (!readFixedMessage(ctx, input, MIGRATE_PERMISSION_TO_GO, 'GO message')) rc = 1;
  else {
    ctx.io.stderr.write('migration target: Got permission, starting domain.\n');
    rc = withLibxl(ctx, (lx) => {
      if (common !== undefined) {
        const r = domainRename(lx, domid, incoming, common);
        if (r) return r;
      }
      if (!o.paused) return domainUnpause(lx, domid);
      return 0;
    });
    if (!rc) ctx.io.stderr.write('migration target: Domain started successsfully.\n');
  }

  const status = Buffer.from([(-rc) & 0xff]);
  if (!writeAck(ctx, output, MIGRATE_REPORT, 'success/failure report') || !writeAck(ctx, output, status, 'success/failure code')) {
    if (rc) destroyCopy(ctx, domid);
    return 1;
  }
  if (rc) {
    ctx.io.stderr.write('migration target: Failure, destroying our copy.\n');
    const rc2 = destroyCopy(ctx, domid);
    if (rc2) {
      ctx.io.stderr.write(sprintf('migration target: Failed to destroy our copy (code %d).\n', rc2));
      return 1;
    }
    ctx.io.stderr.write('migration target: Cleanup OK, granting sender permission to resume.\n');
    if (!writeAck(ctx, output, MIGRATE_PERMISSION_TO_GO, 'permission to sender to have domain back')) return 1;
  }
  return 0;
}

function destroyCopy(ctx: XlContext, domid: number): number {
  return withLibxl(ctx, (lx) => {
    const r = domainDestroy(lx, domid);
    dropPageImage(lx, domid);
    return r;
  });
}
