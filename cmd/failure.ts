/**
 * How a tool ends when its code throws: C's exit() (Exit) with its status,
 * a host that cannot be used with one clear line, anything else as an
 * internal error — never a stack trace for the user.
 */
import { Exit, type Io } from './io';
import { isHostError } from '../state/errors';

/** The exit status for `e`, thrown by tool `name`, after saying what the user needs to know. */
export function toolFailed(name: string, io: Io, e: unknown): number {
  if (e instanceof Exit) return e.code & 0xff;
  // A host that cannot be used (newer schema, corrupt file, lock held too
  // long) is the user's to fix: one clear line, never a stack trace.
  if (isHostError(e)) {
    io.stderr.write(e.message.endsWith('\n') ? e.message : e.message + '\n');
    return e.exitCode;
  }
  // Never a stack trace for the user; the message says where to look.
  const msg = e instanceof Error ? e.message : String(e);
  io.stderr.write(`${name}: internal error: ${msg}\n`);
  if (io.env.XLSIM_DEBUG && e instanceof Error && e.stack) io.stderr.write(e.stack + '\n');
  return 1;
}
