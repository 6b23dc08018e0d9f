/** xentop clone. Filled in by the devices/schedulers issue. */
import type { Io } from '../io';

export async function xentopMain(io: Io, _args: string[]): Promise<number> {
  io.stderr.write('xentop: not simulated yet\n');
  return 1;
}
