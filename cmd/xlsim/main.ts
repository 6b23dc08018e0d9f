/**
 * The lab console of xlsim: a modern CLI (yargs) over the simulated hosts.
 * Commands live in the files commands.ts imports; this file builds the
 * parser, routes yargs' own output to the Io, and returns the status.
 */
import yargs, { type Argv } from 'yargs';
import { installHostHooks } from '../../lib/libxl/compose';
import type { Io } from '../io';
import { xlsimCompleter } from './complete';
import './commands';
import { xlsimRegistrars, type XlsimCtx } from './registry';

export async function xlsimMain(io: Io, args: string[]): Promise<number> {
  // Hosts created or first used here boot through the upper layers' hooks.
  installHostHooks();
  const ctx: XlsimCtx = { io, exitCode: 0 };
  let y: Argv<{}> = yargs()
    .scriptName('xlsim')
    .usage(
      '$0 <command> [options]\n\nThe lab console of xlsim: simulated Xen hosts, their clock, guests and internals. Every command takes --host NAME to act on another host.',
    )
    .option('host', { type: 'string', global: true, describe: 'act on this host (default: $XLSIM_HOST, else the one chosen with host use)' })
    // --host only redirects where the handlers look, as XLSIM_HOST would (a bad
    // name is refused by the host layer with its own message)
    .middleware((argv) => {
      if (typeof argv.host === 'string') ctx.io = { ...io, env: { ...io.env, XLSIM_HOST: argv.host } };
    })
    .strict()
    .demandCommand(1, 'Give a command (see xlsim --help).')
    .recommendCommands()
    .version(false)
    .help()
    .alias('h', 'help')
    .exitProcess(false)
    .wrap(Math.min(100, io.stdout.isTTY ? (process.stdout.columns ?? 80) : 80));
  for (const r of xlsimRegistrars()) y = r(y, ctx);
  // last, so help lists it after the lab's own commands
  y = y.completion('completion', 'Print a bash completion script (add it to ~/.bashrc; zsh: autoload bashcompinit first)', xlsimCompleter(io.env));
  let failed = false;
  let text = '';
  await y.parseAsync(args, {}, (err: Error | undefined, _argv: unknown, output: string) => {
    failed = err !== undefined && err !== null;
    text = output;
  });
  if (failed) {
    if (text) io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    return 1;
  }
  if (text) io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return ctx.exitCode;
}
