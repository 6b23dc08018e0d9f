/**
 * The migration transport process of tools/xl/xl_migrate.c
 * (create_migration_child, migration_child_report): a child whose stdin and
 * stdout are pipes to xl. For a simulated target host the child is this
 * program's own `xl migrate-receive` on that host, and its stderr comes
 * through xl (as ssh forwards a remote stderr) so that the lines of both
 * ends appear in the order a terminal shows them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runningAsSea } from '../../state/native';
import type { OutStream } from '../io';
import { libxlLog, where } from '../../lib/libxl/log';
import type { XlContext } from './context';

export interface TransportSpec {
  kind: 'simulated' | 'shell';
  /** simulated: the target host name and the receiver's xl arguments */
  host?: string;
  args?: string[];
  /** shell: the command line given to sh -c */
  command?: string;
  env: Record<string, string | undefined>;
}

export type ChildStatus = { code: number; signal: null } | { code: null; signal: NodeJS.Signals };

/** How to start this program as xl: the single executable, or the bin shim beside the bundle. */
function selfAsXl(args: string[]): { file: string; args: string[]; argv0?: string } {
  if (runningAsSea()) return { file: process.execPath, args, argv0: 'xl' };
  const bundle = typeof __filename === 'string' ? __filename : '';
  const shim = path.join(path.dirname(bundle), '..', 'bin', 'xl.cjs');
  if (bundle && fs.existsSync(shim)) return { file: process.execPath, args: [shim, ...args] };
  return { file: process.execPath, args: ['-e', `require(${JSON.stringify(bundle)}).run('xl', process.argv.slice(1))`, ...args] };
}

/** What xl writes a stream into the transport through (MigrationChild.syncSink). */
export interface SyncSink {
  write(b: Buffer): void;
  /** the stream is over: the descriptor goes back to non-blocking */
  end(): void;
  written: number;
  broken: boolean;
}

/** the descriptor under one of the child's pipes */
function fdOf(stream: unknown): number | undefined {
  const h = (stream as { _handle?: { fd?: unknown } } | null)?._handle;
  return typeof h?.fd === 'number' && h.fd >= 0 ? h.fd : undefined;
}

const waitCell = new Int32Array(new SharedArrayBuffer(4));

/** a moment for the far end to drain a full pipe (50 us: shorter than it takes to fill it again) */
function pipeWait(): void {
  Atomics.wait(waitCell, 0, 0, 0.05);
}

export class MigrationChild {
  readonly child: ChildProcess;
  readonly relayed: boolean;
  private out: Buffer[] = [];
  private outLen = 0;
  private outEnded = false;
  private errBuf = '';
  private errEnded = true;
  private status: ChildStatus | undefined;
  private wakers: Array<() => void> = [];
  private writeBroken = false;

  constructor(spec: TransportSpec, private readonly stderr: OutStream) {
    if (spec.kind === 'simulated') {
      const s = selfAsXl(spec.args ?? []);
      this.child = spawn(s.file, s.args, {
        env: { ...spec.env, XLSIM_HOST: spec.host },
        stdio: ['pipe', 'pipe', 'pipe'],
        ...(s.argv0 ? { argv0: s.argv0 } : {}),
      });
      this.relayed = true;
      this.errEnded = false;
      this.child.stderr!.on('data', (b: Buffer) => {
        this.errBuf += b.toString('latin1');
        this.wake();
      });
      this.child.stderr!.on('end', () => {
        this.errEnded = true;
        this.wake();
      });
    } else {
      this.child = spawn('sh', ['-c', spec.command ?? ''], { env: spec.env, stdio: ['pipe', 'pipe', 'inherit'] });
      this.relayed = false;
    }
    this.child.stdout!.on('data', (b: Buffer) => {
      this.out.push(b);
      this.outLen += b.length;
      this.wake();
    });
    this.child.stdout!.on('end', () => {
      this.outEnded = true;
      this.wake();
    });
    this.child.stdout!.on('error', () => {
      this.outEnded = true;
      this.wake();
    });
    this.child.stdin!.on('error', () => {
      this.writeBroken = true;
    });
    this.child.on('error', () => {
      this.outEnded = true;
      this.errEnded = true;
      this.status ??= { code: 127, signal: null };
      this.wake();
    });
    this.child.on('exit', (code, signal) => {
      this.status = signal ? { code: null, signal } : { code: code ?? 0, signal: null };
      this.wake();
    });
  }

  /** the process has ended (its status is known) */
  get exited(): boolean {
    return this.status !== undefined;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** xl's end of the pipe to the transport's stdin (libxc's "fd" detail line) */
  get sendFd(): number | undefined {
    return fdOf(this.child.stdin);
  }

  private wake(): void {
    const w = this.wakers;
    this.wakers = [];
    for (const f of w) f();
  }

  private changed(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakers.push(resolve);
      if (timeoutMs !== undefined) setTimeout(resolve, timeoutMs).unref();
    });
  }

  /** exactly n bytes from the child's stdout, or 'eof' */
  async readExactly(n: number): Promise<Buffer | 'eof'> {
    while (this.outLen < n && !this.outEnded) await this.changed();
    if (this.outLen < n) return 'eof';
    const all = Buffer.concat(this.out);
    this.out = all.length > n ? [all.subarray(n)] : [];
    this.outLen = all.length - n;
    return all.subarray(0, n);
  }

  /** true when every byte went into the pipe */
  async write(b: Buffer): Promise<boolean> {
    return (await this.writeCounted(b)) === b.length;
  }

  /** how many bytes went into the pipe before it broke (b.length when all did) */
  async writeCounted(b: Buffer): Promise<number> {
    const CHUNK = 1 << 16;
    for (let off = 0; off < b.length; off += CHUNK) {
      if (this.writeBroken || this.child.stdin!.destroyed) return off;
      const ok = await new Promise<boolean>((resolve) => {
        this.child.stdin!.write(b.subarray(off, Math.min(b.length, off + CHUNK)), (err) => resolve(!err));
      });
      if (!ok) {
        this.writeBroken = true;
        return off;
      }
    }
    return b.length;
  }

  /**
   * writeCounted over consecutive buffers: the bytes that went in before the
   * pipe broke. As libxc's write_exactly: straight into the descriptor
   * through syncSink(), so the count is what the kernel took; xl has nothing
   * else to do meanwhile. Without the descriptor, through the stream a piece
   * at a time.
   */
  async writeAllCounted(bufs: readonly Buffer[]): Promise<number> {
    const sink = this.syncSink();
    if (!sink) return this.writeAllAsync(bufs);
    try {
      for (const b of bufs) {
        if (sink.broken) break;
        sink.write(b);
      }
    } finally {
      sink.end();
    }
    return sink.written;
  }

  /**
   * Synchronous writes into the transport, as libxc writes its records (a
   * stream sent while it is made, or one made ahead): each buffer is in the
   * pipe before the call returns, so the caller may reuse its memory. The
   * descriptor is made blocking meanwhile (as libxc's is), so xl sleeps in
   * the kernel while the pipe is full and wakes as soon as the receiver has
   * read; end() gives it back to libuv. Where it cannot be, a full pipe is
   * polled, and while waiting what a relayed receiver prints is taken off
   * its pipe for relaying later, so that it never blocks on a full stderr
   * while xl waits on a full stdin. (A blocked write cannot do that: the
   * receiver prints a few lines while it reads, far from filling its
   * stderr.) Once the pipe breaks the rest is dropped; `written` is what the
   * kernel took. Null without the descriptor, or with writes still queued.
   */
  syncSink(): SyncSink | null {
    const fd = this.sendFd;
    const errFd = fdOf(this.child.stderr);
    if (fd === undefined || this.child.stdin!.writableLength > 0) return null;
    const handle = (this.child.stdin as unknown as { _handle?: { setBlocking?: (on: boolean) => number } })._handle;
    let blocking = false;
    const sink: SyncSink = {
      written: 0,
      broken: this.writeBroken,
      end: () => {
        if (blocking) handle!.setBlocking!(false);
        blocking = false;
      },
      write: (b) => {
        if (!blocking && !sink.broken && typeof handle?.setBlocking === 'function') blocking = handle.setBlocking(true) === 0;
        let off = 0;
        while (!sink.broken && off < b.length) {
          try {
            off += fs.writeSync(fd, b, off, b.length - off);
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            if (code === 'EAGAIN') {
              if (errFd === undefined || !this.drainStderr(errFd)) pipeWait();
            } else if (code !== 'EINTR') {
              sink.broken = this.writeBroken = true;
            }
          }
        }
        sink.written += off;
      },
    };
    return sink;
  }

  /** reads what the receiver's stderr pipe holds (it is non-blocking); false when it held nothing */
  private drainStderr(fd: number): boolean {
    const buf = Buffer.allocUnsafe(1 << 12);
    let got = false;
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, buf.length, null);
      } catch {
        return got; // EAGAIN: empty for now (the event loop sees the rest, and the end)
      }
      if (n === 0) return got;
      this.errBuf += buf.toString('latin1', 0, n);
      got = true;
    }
  }

  private async writeAllAsync(bufs: readonly Buffer[]): Promise<number> {
    let done = 0;
    for (const b of bufs) {
      const n = await this.writeCounted(b);
      done += n;
      if (n < b.length) break;
    }
    return done;
  }

  /** close(send_fd) */
  closeSend(): void {
    this.child.stdin!.end();
  }

  /** relays whole lines; stops after a line `until` calls 'after', or before one it calls 'before' */
  private relayLines(until?: (line: string) => 'after' | 'before' | undefined): boolean {
    for (;;) {
      const nl = this.errBuf.indexOf('\n');
      if (nl < 0) return false;
      const line = this.errBuf.slice(0, nl);
      const v = until?.(line);
      if (v === 'before') return true;
      this.errBuf = this.errBuf.slice(nl + 1);
      this.stderr.write(Buffer.from(line + '\n', 'latin1'));
      if (v === 'after') return true;
    }
  }

  /**
   * Relays the receiver's stderr up to and including the first line that
   * starts with `after`, or up to (not including) one that starts with a
   * `before` prefix, or to its end. A no-op when stderr is inherited.
   */
  async relayUntil(after: string, before: readonly string[] = []): Promise<void> {
    if (!this.relayed) return;
    const pred = (l: string): 'after' | 'before' | undefined =>
      l.startsWith(after) ? 'after' : before.some((b) => l.startsWith(b)) ? 'before' : undefined;
    for (;;) {
      if (this.relayLines(pred)) return;
      if (this.errEnded) break;
      await this.changed();
    }
    this.flushPartial();
  }

  /** what has arrived so far */
  relayPending(): void {
    if (this.relayed) this.relayLines();
  }

  private flushPartial(): void {
    if (this.errBuf) {
      this.stderr.write(Buffer.from(this.errBuf, 'latin1'));
      this.errBuf = '';
    }
  }

  /**
   * Waits (at most `ms`, as migration_child_report's two seconds) for the
   * child to exit, relaying the rest of its stderr; its status, or
   * undefined if it is still running.
   */
  async waitExit(ms: number): Promise<ChildStatus | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      this.relayPending();
      if (this.status && this.errEnded) break;
      const left = deadline - Date.now();
      if (left <= 0) break;
      await this.changed(left);
    }
    this.relayPending();
    if (this.errEnded) this.flushPartial();
    return this.status;
  }

  /**
   * A transport started before xl knew it would migrate, no longer wanted:
   * it sees its input end and gives up; nothing it prints is relayed.
   */
  async abandon(): Promise<void> {
    this.closeSend();
    const deadline = Date.now() + 2000;
    for (let left = 2000; !(this.status && this.errEnded) && left > 0; left = deadline - Date.now()) await this.changed(left);
    this.errBuf = '';
    this.detach();
  }

  /** lets xl exit without the transport (detached if it is still running) */
  release(): void {
    if (!this.exited) this.detach();
  }

  /** stop listening so the process can exit (the child may live on, as ssh would) */
  detach(): void {
    this.child.stdout!.destroy();
    this.child.stderr?.destroy();
    this.child.stdin!.destroy();
    this.child.unref();
  }
}

/** migrate_read_fixedmessage on the sender (the rune is always known here) */
export async function readFixed(ctx: XlContext, ch: MigrationChild, msg: Buffer, what: string, rune: string): Promise<boolean> {
  const stream = 'migration receiver stream';
  const got = await ch.readExactly(msg.length);
  if (got === 'eof') {
    ch.relayPending();
    libxlLog(ctx.logger, 'error', where('libxl_utils.c', 507, 'libxl_read_exactly'), undefined, `file/stream truncated reading ${what} from ${stream}`);
    return false;
  }
  if (!got.equals(msg)) {
    ctx.io.stderr.write(`${stream} contained unexpected data instead of ${what}\n`);
    ctx.io.stderr.write(`(command run was: ${rune} )\n`);
    return false;
  }
  return true;
}

/** migration_child_report: up to two seconds for the transport to exit; a bad status is reported */
export async function childReport(ctx: XlContext, ch: MigrationChild): Promise<void> {
  const st = await ch.waitExit(2000);
  if (!st) {
    ctx.io.stderr.write(`migration child [${ch.pid}] not exiting, no longer waiting (exit status will be unreported)\n`);
    ch.detach();
    return;
  }
  const msg = exitStatusText(st);
  if (msg) libxlLog(ctx.logger, 'info', where('libxl_exec.c', st.signal ? 127 : 117, 'libxl_report_child_exitstatus'), undefined, `migration transport process [${ch.pid}] ${msg}`);
}

function exitStatusText(st: ChildStatus): string | undefined {
  if (st.signal) return `died due to fatal signal ${SIGNAL_TEXT[st.signal] ?? st.signal}`;
  return st.code ? `exited with error status ${st.code}` : undefined;
}

const SIGNAL_TEXT: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'Killed',
  SIGTERM: 'Terminated',
  SIGINT: 'Interrupt',
  SIGPIPE: 'Broken pipe',
  SIGSEGV: 'Segmentation fault',
  SIGHUP: 'Hangup',
};
