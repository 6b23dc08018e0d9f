/**
 * `xl help` output: twin of help() in tools/xl/xl.c. Generated from the
 * command table so the listing, per-command help and usage errors agree.
 */
import { sprintf } from '../../lib/util/printf';
import { CMD_TABLE, cmdtableLookup } from './commands';

export function fullHelp(): string {
  let s = 'Usage xl [-vfNtT] <subcommand> [args]\n\n';
  s += 'xl full list of subcommands:\n\n';
  for (const c of CMD_TABLE) {
    s += sprintf(' %-19s ', c.name);
    // a name too long for the column is followed by a fresh, empty column
    if (c.name.length > 19) s += sprintf('\n %-19s ', '');
    s += c.desc + '\n';
  }
  return s;
}

/** help(command): the text printed on stdout for `xl help CMD` / `-h`. */
export function commandHelp(command: string | undefined): string {
  if (command === undefined || command === 'help') return fullHelp();
  const cmd = cmdtableLookup(command);
  if (!cmd) return `command "${command}" not implemented\n`;
  let s = sprintf('Usage: xl [-vtT%s%s] %s %s\n\n%s.\n\n', cmd.modifies ? 'f' : '', cmd.canDryrun ? 'N' : '', cmd.name, cmd.usage, cmd.desc);
  if (cmd.option !== null) s += `Options:\n\n${cmd.option}\n`;
  return s;
}
