/**
 * xentop (tools/xentop/xentop.c): options, batch mode, and the hand-off to
 * the interactive screen.
 *
 * Time: each sample is one short transaction on the host, which brings a
 * real-clock host up to the machine's time. Between batch iterations xentop
 * sleeps -d seconds; on a manual-clock host it does not sleep (nothing would
 * move) and reads the clock as it stands, so runs are deterministic and
 * CPU(%) is 0.0 when no simulated time passed between samples.
 */
import type { Io } from '../io';
import { atoi, topGetopt, type TopLongOpt } from './getopt';
import { defaultTopOptions, newTopState, top, type Sink } from './render';
import { runInteractive } from './interactive';
import { XentopFail, sample, sleepSec, type XentopResult, type XentopSettings } from './session';

const SIGPIPE = 13;

const BUGSTO = 'Report bugs to <xen-devel@lists.xen.org>.\n';

function usage(prog: string): string {
  return (
    `Usage: ${prog} [OPTION]\n` +
    'Displays ongoing information about xen vm resources \n\n' +
    '-h, --help           display this help and exit\n' +
    '-V, --version        output version information and exit\n' +
    '-d, --delay=SECONDS  seconds between updates (default 3)\n' +
    '-n, --networks       output vif network data\n' +
    '-x, --vbds           output vbd block device data\n' +
    '-r, --repeat-header  repeat table header before each domain\n' +
    '-v, --vcpus          output vcpu data\n' +
    '-b, --batch\t     output in batch mode, no user input accepted\n' +
    '-i, --iterations     number of iterations before exiting\n' +
    '-f, --full-name      output the full domain name (not truncated)\n' +
    '-z, --dom0-first     display dom0 first (ignore sorting)\n' +
    '\n' +
    BUGSTO
  );
}

const VERSION_TEXT =
  'xentop 1.0\n' +
  'Written by Judy Fischbach, David Hendricks, Josh Triplett\n' +
  '\n' +
  'Copyright (C) 2005  International Business Machines  Corp\n' +
  'This is free software; see the source for copying conditions.There is NO\n' +
  'warranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\n';

const LONGOPTS: TopLongOpt[] = [
  { name: 'help', hasArg: false, val: 'h' },
  { name: 'version', hasArg: false, val: 'V' },
  { name: 'networks', hasArg: false, val: 'n' },
  { name: 'vbds', hasArg: false, val: 'x' },
  { name: 'repeat-header', hasArg: false, val: 'r' },
  { name: 'vcpus', hasArg: false, val: 'v' },
  { name: 'delay', hasArg: true, val: 'd' },
  { name: 'batch', hasArg: false, val: 'b' },
  { name: 'iterations', hasArg: true, val: 'i' },
  { name: 'full-name', hasArg: false, val: 'f' },
  { name: 'dom0-first', hasArg: false, val: 'z' },
];

async function runBatch(io: Io, o: XentopSettings): Promise<XentopResult> {
  let stop = false;
  let broken = false;
  const onSignal = () => {
    stop = true;
  };
  // A reader that went away ends C xentop with SIGPIPE. The Io swallows
  // EPIPE; a stream that says it broke (`broken`) ends the loop the same way.
  const stdoutBroken = () => (io.stdout as { readonly broken?: boolean }).broken === true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const st = newTopState();
    let oldMs: number | undefined;
    let iterations = o.iterations >>> 0;
    do {
      const s = sample(io);
      let text = '';
      const sink: Sink = { room: () => true, print: (t) => void (text += t) };
      top(sink, o, st, s.node, oldMs === undefined ? 0 : (s.node.wallMs - oldMs) * 1000);
      io.stdout.write(text);
      if (stdoutBroken()) broken = stop = true;
      oldMs = s.node.wallMs;
      if (!o.loop) {
        iterations = (iterations - 1) >>> 0;
        if (iterations === 0) break;
      }
      if (s.clockMode === 'real') await sleepSec(o.delay, () => stop);
      else await sleepSec(0, () => stop);
    } while (!stop);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return broken ? { signal: SIGPIPE } : { code: 0 };
}

/** xentop's main(); `prog` is its argv[0]. */
export async function runXentop(io: Io, args: string[], prog = 'xentop'): Promise<XentopResult> {
  const o: XentopSettings = { ...defaultTopOptions(), delay: 3, loop: true, iterations: 0 };
  for (const ev of topGetopt(prog, args, 'hVnxrvd:bi:fz', LONGOPTS)) {
    if ('complaint' in ev) {
      io.stderr.write(ev.complaint);
      io.stdout.write(usage(prog));
      return { code: 0 };
    }
    switch (ev.opt) {
      case 'h':
        io.stdout.write(usage(prog));
        return { code: 0 };
      case 'V':
        io.stdout.write(VERSION_TEXT);
        return { code: 0 };
      case 'n':
        o.showNetworks = true;
        break;
      case 'x':
        o.showVbds = true;
        break;
      case 'r':
        o.repeatHeader = true;
        break;
      case 'v':
        o.showVcpus = true;
        break;
      case 'd':
        o.delay = atoi(ev.arg ?? '') >>> 0;
        break;
      case 'b':
        o.batch = true;
        break;
      case 'i':
        o.iterations = atoi(ev.arg ?? '') >>> 0;
        o.loop = false;
        break;
      case 'f':
        o.showFullName = true;
        break;
      case 'z':
        o.dom0First = true;
        break;
    }
  }
  try {
    return o.batch ? await runBatch(io, o) : await runInteractive(io, o);
  } catch (e) {
    if (e instanceof XentopFail) {
      io.stderr.write(e.message);
      return { code: 1 };
    }
    throw e;
  }
}

export async function xentopMain(io: Io, args: string[]): Promise<number> {
  const r = await runXentop(io, args);
  // as a shell reports a process killed by a signal
  return 'signal' in r ? 128 + r.signal : r.code;
}
