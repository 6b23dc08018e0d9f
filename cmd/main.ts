/**
 * The multi-call entry: one bundle that acts as xl, xlsim, xentop and the
 * xenstore-* tools, chosen by the name it was invoked under (the bin shims
 * pass it; a single executable reached through a symlink uses argv).
 */
import path from 'node:path';
import { processIo, type Io } from './io';
export { memoryIo } from './io';
import { xlMain } from './xl/main';
import { toolFailed } from './failure';
import { runningAsSea, seaConfigDir } from '../state/native';

export type Tool = (io: Io, args: string[]) => Promise<number> | number;

// build.mjs makes two bundles from this entry: the whole multi-call one,
// and one for xl, xentop and the xenstore tools without the lab console
// (yargs, renderers, the wizard), which every xl command would otherwise
// pay to load. In sources and tests the console is always there.
// (The test is spelled out where it is used: esbuild folds the constant
// there and drops the import with the dead branch.)
declare const __XLSIM_XL_ONLY__: boolean | undefined;

async function loadTool(name: string): Promise<Tool | undefined> {
  switch (name) {
    case 'xl':
      return xlMain;
    case 'xlsim':
      if (typeof __XLSIM_XL_ONLY__ === 'undefined' || !__XLSIM_XL_ONLY__) return (await import('./xlsim/main')).xlsimMain;
      return undefined;
    case 'xentop':
      return (await import('./xentop/main')).xentopMain;
    case 'xenstore-ls':
    case 'xenstore-read':
    case 'xenstore-write':
    case 'xenstore-rm':
    case 'xenstore-list': {
      const m = await import('./xenstore/main');
      return (io, args) => m.xenstoreMain(name, io, args);
    }
    default:
      return undefined;
  }
}

export async function runTool(name: string, io: Io, args: string[]): Promise<number> {
  const tool = await loadTool(name);
  if (!tool) {
    io.stderr.write(`xlsim: unknown tool name '${name}' (expected xl, xlsim, xentop or xenstore-*)\n`);
    return 1;
  }
  try {
    return (await tool(io, args)) & 0xff;
  } catch (e) {
    return toolFailed(name, io, e);
  }
}

/** Called by the bin shims with their own name. */
export function run(name: string, args: string[]): void {
  runTool(name, processIo(), args).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${name}: internal error: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

// Run directly: `node dist/xlsim.cjs` (argv[1] is the script), or a single
// executable reached through a symlink. For a SEA, Node resolves execPath to
// the real binary but keeps the invoked name in argv0 (and copies it into
// argv[1]; the arguments start at argv[2] either way), so `xl -> xlsim`
// acts as xl.
if (typeof require !== 'undefined' && require.main === module) {
  const sea = runningAsSea();
  // the shipped profiles travel inside the executable; an explicit
  // XLSIM_CONFIG_DIR (an instructor's own collection) still wins
  if (sea && !process.env.XLSIM_CONFIG_DIR) {
    try {
      const dir = seaConfigDir();
      if (dir) process.env.XLSIM_CONFIG_DIR = dir;
    } catch {
      // nowhere writable: only creating a host needs the profiles, and it
      // reports the missing file itself
    }
  }
  const invoked = path.basename((sea ? process.argv0 : process.argv[1]) ?? process.argv0).replace(/\.(c?js|mjs)$/, '');
  run(invoked === 'xlsim' || invoked === 'main' ? 'xlsim' : invoked, process.argv.slice(2));
}
