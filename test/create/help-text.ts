/** xl's per-command help text, from the command table (what `xl help CMD` prints). */
import { commandHelp } from '../../cmd/xl/help';

export function commandHelpText(cmd: string): string {
  return commandHelp(cmd);
}
