/**
 * `xl restore`: twin of main_restore in tools/xl/xl_saverestore.c and the
 * restore branch of create_domain() in tools/xl/xl_vmcontrol.c.
 */
import fs from 'node:fs';
import { domainUnpause } from '../../lib/libxl/domain';
import { startMonitor } from '../../lib/libxl/monitor';
import type { XlContext } from './context';
import { commandHelp } from './help';
import { withLibxl } from './libxl_session';
import { switchForeachOpt } from './opts';
import { StreamReceiver } from './restore_stream';

const LONGS = [
  { name: 'vncviewer', hasArg: 0 as const, val: 'V' },
  { name: 'vncviewer-autopass', hasArg: 0 as const, val: 'A' },
];

export function mainRestore(ctx: XlContext, argv: string[]): number {
  const p = switchForeachOpt(ctx, argv.slice(1), 'FcpdeVA', LONGS, 'restore', 1);
  let paused = false;
  let daemonize = true;
  let monitor = true;
  let debug = false;
  for (const o of p.opts) {
    if (o.opt === 'p') paused = true;
    else if (o.opt === 'd') debug = true;
    else if (o.opt === 'F') daemonize = false;
    else if (o.opt === 'e') {
      daemonize = false;
      monitor = false;
    }
  }
  if (p.args.length !== 1 && p.args.length !== 2) {
    ctx.io.stdout.write(commandHelp('restore'));
    return 1;
  }
  const configFile = p.args.length === 2 ? p.args[0] : undefined;
  const file = p.args[p.args.length - 1]!;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    ctx.io.stderr.write(`Can't open restore file: ${strerror(e)}\n`);
    return 1;
  }
  const rx = new StreamReceiver(ctx, { source: file, incoming: false, debug, ...(configFile !== undefined ? { configFile } : {}) });
  // one buffer for every read (the receiver copies what it keeps), each read placed
  // so that the stream's records are word-aligned in it
  const CHUNK = 1 << 20;
  const buf = Buffer.allocUnsafeSlow(CHUNK + 8);
  for (;;) {
    const at = rx.chunkAlignment;
    const n = fs.readSync(fd, buf, at, CHUNK, null);
    if (n === 0) {
      rx.end();
      break;
    }
    if (!rx.push(buf.subarray(at, at + n), true)) break;
  }
  fs.closeSync(fd);
  if (rx.state !== 'done' || rx.domid === undefined) return 1;
  const domid = rx.domid;
  withLibxl(ctx, (lx) => {
    if (!paused) domainUnpause(lx, domid);
    if (daemonize && monitor) startMonitor(lx, domid, rx.config!, false);
  });
  return 0;
}

function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    default:
      return String(code);
  }
}
