/**
 * xlsim shell [--errexit]: xl, xlsim, xentop and xenstore-* commands in one
 * process. On a terminal it is a prompt (history, completion); otherwise it
 * reads commands from stdin and runs each as soon as its line arrives, so
 * `xlsim shell < script` or a pipe saves a process start per command. The
 * shell's status is the last command's.
 */
import readline from 'node:readline';
import type { Io } from '../io';
import { registerXlsimCommands, runHandler, type XlsimCtx } from './registry';
import { disableConnectionCache, enableConnectionCache, flushConnectionCache } from '../../state/conncache';
import { ShellRunner, type RunToolFn, type ShellHooks } from './shell-run';

export interface ShellMainOptions {
  errexit?: boolean;
  /** the tool runner; the multi-call entry's runTool unless a test injects one */
  runTool?: RunToolFn;
  /** prompt even if stdin/stdout are not terminals (tests); default: both are */
  interactive?: boolean;
}

async function scriptShell(io: Io, runner: ShellRunner): Promise<number> {
  const rl = readline.createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of rl) {
      const o = await runner.feed(line);
      if (o.done) return o.status;
    }
  } finally {
    rl.close();
  }
  return runner.finish();
}

export async function shellMain(io: Io, o: ShellMainOptions = {}): Promise<number> {
  // loaded here: the entry imports this file's command table (through
  // xlsim's main), so a static import would be a cycle
  const runTool = o.runTool ?? (await import('../main')).runTool;
  const interactive = o.interactive ?? (Boolean(io.stdin.isTTY) && io.stdout.isTTY);
  const hooks: ShellHooks = {
    // xlsim's commands create, replace and remove host files: no cached
    // connection may outlive the file it was opened on
    beforeCommand: (tool) => {
      if (tool === 'xlsim') flushConnectionCache();
    },
  };
  const runner = new ShellRunner(io, runTool, { errexit: o.errexit ?? false, interactive }, hooks);
  enableConnectionCache();
  try {
    if (!interactive) return await scriptShell(io, runner);
    const { interactiveShell } = await import('./shell-tty');
    return await interactiveShell(io, runner, runTool);
  } finally {
    disableConnectionCache();
  }
}

registerXlsimCommands((y, ctx: XlsimCtx) =>
  y.command(
    'shell',
    'Run xl, xlsim, xentop and xenstore-* commands in one process (a prompt on a terminal, else a script from stdin)',
    (c) =>
      c
        .option('errexit', { alias: 'e', type: 'boolean', default: false, describe: 'stop at the first command that fails (as sh -e)' })
        .example('$0 shell < lab.sh', 'run a script of commands without a process start for each')
        .example('$0 --host lab1 shell', 'a prompt for host lab1'),
    (a) => runHandler(ctx, () => shellMain(ctx.io, { errexit: Boolean(a.errexit) })),
  ),
);
