/** The xlsim lab console (yargs). Filled in by the host and guest issues. */
import type { Io } from '../io';

export async function xlsimMain(io: Io, _args: string[]): Promise<number> {
  io.stderr.write('xlsim: the lab console is not built yet\n');
  return 1;
}
