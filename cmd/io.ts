/**
 * The process boundary. Every front end writes through an Io so that a
 * command can run in its own process (the normal case) or inside
 * `xlsim shell`, and so tests can capture streams. Writes are synchronous on
 * Linux for files, pipes and TTYs, which keeps stdout/stderr interleaving in
 * the order the code wrote them — as C stdio with xl's flushes does.
 */

export interface OutStream {
  write(s: string | Uint8Array): void;
  readonly isTTY: boolean;
}

export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdin: NodeJS.ReadStream;
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
}

function wrap(s: NodeJS.WriteStream): OutStream {
  return {
    write: (data) => {
      s.write(data);
    },
    get isTTY() {
      return s.isTTY === true;
    },
  };
}

export function processIo(): Io {
  return {
    stdout: wrap(process.stdout),
    stderr: wrap(process.stderr),
    stdin: process.stdin,
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
