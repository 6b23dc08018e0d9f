/**
 * The multi-call entry: one bundle that acts as xl, xlsim, xentop and the
 * xenstore-* tools, chosen by the name it was invoked under (the bin shims
 * pass it; a single executable reached through a symlink uses argv).
 */
import path from 'node:path';
import { processIo, Exit, type Io } from './io';
import { xlMain } from './xl/main';

export type Tool = (io: Io, args: string[]) => Promise<number> | number;

async function loadTool(name: string): Promise<Tool | undefined> {
  switch (name) {
    case 'xl':
      return xlMain;
    case 'xlsim':
      return (await import('./xlsim/main')).xlsimMain;
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
    if (e instanceof Exit) return e.code & 0xff;
    // Never a stack trace for the user; the message says where to look.
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr.write(`${name}: internal error: ${msg}\n`);
    if (io.env.XLSIM_DEBUG && e instanceof Error && e.stack) io.stderr.write(e.stack + '\n');
    return 1;
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

// Run directly (node dist/xlsim.cjs, or a single executable behind a symlink):
// the invoked name decides the tool.
if (typeof require !== 'undefined' && require.main === module) {
  const invoked = path.basename(process.argv[1] ?? process.argv0).replace(/\.(c?js|mjs)$/, '');
  run(invoked === 'xlsim' || invoked === 'main' ? 'xlsim' : invoked, process.argv.slice(2));
}
