/**
 * The xl migration protocol as tools/xl/xl.h fixes it: the byte strings the
 * two ends exchange around the libxl stream, and the transport command
 * ("rune") xl hands to `sh -c`. Nothing here does I/O; cmd/xl drives the
 * pipes.
 *
 * Conversation (receiver R on the far side of the transport, sender S):
 *   R→S banner (no NUL) · S→R xl header + libxl stream · R→S ready (NUL) ·
 *   S→R go (NUL) · R→S report (NUL) + status byte ·
 *   on a non-zero status only: R→S go again (the sender may resume).
 */

export const MIGRATE_RECEIVER_BANNER = Buffer.from('xl migration receiver ready, send binary domain data.\n', 'latin1');
/** sent with its terminating NUL, as sizeof() of the C string is */
export const MIGRATE_RECEIVER_READY = Buffer.from('domain received, ready to unpause\0', 'latin1');
export const MIGRATE_PERMISSION_TO_GO = Buffer.from('domain is yours, you are cleared to unpause\0', 'latin1');
export const MIGRATE_REPORT = Buffer.from('my copy unpause results are as follows\0', 'latin1');

/** What xl names the two copies while both exist. */
export function incomingName(name: string): string {
  return `${name}--incoming`;
}
export function migratedAwayName(name: string): string {
  return `${name}--migratedaway`;
}

/** -v lowers xl's level from progress towards debug at most this many times */
const MAX_VERBOSE = 4;

export interface RuneOptions {
  /** the -s argument, "ssh" by default; "" means: the host argument is the whole command */
  sshCommand: string;
  host: string;
  /** -t given, or the sender's stderr is a terminal */
  passTty: boolean;
  /** -T given */
  timestamps: boolean;
  /** the number of -v the sender was given */
  verbose: number;
  /** -e or -F: the receiver does not daemonize */
  noDaemonize: boolean;
  debug: boolean;
  paused: boolean;
}

/** The receiver's xl arguments after `xl` (global options then the command and its flags). */
export function receiverArgs(o: Omit<RuneOptions, 'sshCommand' | 'host'>): string[] {
  const a: string[] = [];
  if (o.passTty) a.push('-t');
  if (o.timestamps) a.push('-T');
  if (o.verbose > 0) a.push('-' + 'v'.repeat(Math.min(o.verbose, MAX_VERBOSE)));
  a.push('migrate-receive');
  if (o.noDaemonize) a.push('-e');
  if (o.debug) a.push('-d');
  if (o.paused) a.push('-p');
  return a;
}

/**
 * xl's rune: `"exec %s %s xl%s%s%.*s migrate-receive%s%s%s"`. The verbose
 * part is " -" plus one v per level below the default (-v given), cut to
 * nothing when no -v was given.
 */
export function migrationRune(o: RuneOptions): string {
  if (o.sshCommand === '') return o.host;
  const verbose = o.verbose > 0 ? ' -' + 'v'.repeat(Math.min(o.verbose, MAX_VERBOSE)) : '';
  return (
    `exec ${o.sshCommand} ${o.host} xl` +
    (o.passTty ? ' -t' : '') +
    (o.timestamps ? ' -T' : '') +
    verbose +
    ' migrate-receive' +
    (o.noDaemonize ? ' -e' : '') +
    (o.debug ? ' -d' : '') +
    (o.paused ? ' -p' : '')
  );
}

/**
 * The receiver's stderr lines at which the sender, relaying them as ssh
 * would, lines up its own output: each is printed by the receiver before
 * the byte string the sender waits for next, so waiting for the line as
 * well gives the order a terminal shows.
 */
export const RECEIVER_SYNC = {
  ready: 'migration target: Ready to receive domain.',
  parsing: 'Parsing config from ',
  /** the receiver has the stream's headers */
  restoring: 'xc: info: Restoring domain',
  transferComplete: 'migration target: Transfer complete, requesting permission to start domain.',
  started: 'migration target: Domain started successsfully.',
  /** printed after the failure report: the sender's reaction comes first */
  failing: 'migration target: Failure, destroying our copy.',
  cleanedUp: 'migration target: Cleanup OK, granting sender permission to resume.',
} as const;
