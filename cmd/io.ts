/**
 * The process boundary. Every front end writes through an Io so that a
 * command can run in its own process (the normal case) or inside
 * `xlsim shell`, and so tests can capture streams. Writes are synchronous on
 * Linux for files, pipes and TTYs, which keeps stdout/stderr interleaving in
 * the order the code wrote them — as C stdio with xl's flushes does.
 */
import fs from 'node:fs';

export interface OutStream {
  write(s: string | Uint8Array): void;
  readonly isTTY: boolean;
  /** the reader went away (EPIPE): what C tools would die of, by SIGPIPE */
  readonly broken?: boolean;
}

export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdin: NodeJS.ReadStream;
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
}

/**
 * stdout/stderr as file descriptors written with write(2), as C stdio does
 * at exit: no stream objects (creating process.stdout loads Node's stream
 * and net machinery, a noticeable share of a command's start-up), and
 * always synchronous, so the two streams interleave in program order.
 */
function fdStream(fd: 1 | 2): OutStream {
  let tty: boolean | undefined;
  let broken = false;
  return {
    write: (data) => {
      if (broken) return;
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      let off = 0;
      while (off < buf.length) {
        try {
          off += fs.writeSync(fd, buf, off, buf.length - off);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') {
            // a non-blocking pipe is full: wait for the reader
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
            continue;
          }
          // EPIPE (the reader went away, `xl list | head -1`): C xl would be
          // killed by SIGPIPE; the rest of the output has nowhere to go.
          broken = true;
          return;
        }
      }
    },
    get isTTY() {
      tty ??= isatty(fd);
      return tty;
    },
    get broken() {
      return broken;
    },
  };
}

function isatty(fd: number): boolean {
  // node:tty is loaded only when someone asks (it pulls in net)
  const tty = (process as unknown as { getBuiltinModule(id: string): typeof import('node:tty') }).getBuiltinModule('node:tty');
  return tty.isatty(fd);
}

export function processIo(): Io {
  return {
    stdout: fdStream(1),
    stderr: fdStream(2),
    // process.stdin builds a stream (and loads Node's stream modules) when
    // first touched: only the commands that read input pay for it
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Thrown to end a command with a status from deep inside, as C's exit(). */
export class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** A captured Io for tests and in-process runs. */
export function memoryIo(env: Record<string, string | undefined> = {}, cwd = process.cwd()): Io & { outText(): string; errText(): string } {
  let out = '';
  let err = '';
  const dec = new TextDecoder();
  return {
    stdout: { write: (d) => void (out += typeof d === 'string' ? d : dec.decode(d)), isTTY: false },
    stderr: { write: (d) => void (err += typeof d === 'string' ? d : dec.decode(d)), isTTY: false },
    stdin: process.stdin,
    env,
    cwd,
    outText: () => out,
    errText: () => err,
  };
}
