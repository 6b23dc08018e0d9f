/** xenstore-* tool clones. Filled in by the simulated-host issue. */
import type { Io } from '../io';

export async function xenstoreMain(name: string, io: Io, _args: string[]): Promise<number> {
  io.stderr.write(`${name}: not simulated yet\n`);
  return 1;
}
