/**
 * Tab completion at the `xlsim shell` prompt: tool names and builtins for
 * the first word, xl subcommands (from the command table) for the second
 * word of an xl line, options and domain names after that. Domain names
 * come from running `xl list` in-process, as xl's bash completion does with
 * the binary.
 */
import { CMD_TABLE } from '../xl/commands';
import { completionSpecs } from '../xl/completion';
import { memoryIo, type Io } from '../io';
import { SHELL_BUILTINS, SHELL_TOOLS, type RunToolFn } from './shell-run';

/** The word being completed starts after the last unquoted blank. */
function lastWordStart(line: string): number {
  let start = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '\\') i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === ' ' || c === '\t') start = i + 1;
  }
  return start;
}

/** `xl list` output → the names in its first column (header dropped). */
export function domainNamesFromList(text: string): string[] {
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

export async function domainNames(io: Io, runTool: RunToolFn): Promise<string[]> {
  const cap = memoryIo({ ...io.env }, io.cwd);
  const code = await runTool('xl', cap, ['list']);
  return code === 0 ? domainNamesFromList(cap.outText()) : [];
}

/**
 * The candidates for the word under the cursor, and that word: readline's
 * completer contract.
 */
export async function complete(line: string, io: Io, runTool: RunToolFn): Promise<[string[], string]> {
  const start = lastWordStart(line);
  const word = line.slice(start);
  const before = line.slice(0, start).trim().split(/\s+/).filter((w) => w !== '');
  const pick = (all: readonly string[]) => [...new Set(all.filter((c) => c.startsWith(word)))].sort();
  if (before.length === 0) return [pick([...SHELL_TOOLS, ...SHELL_BUILTINS]), word];
  if (before[0] !== 'xl') return [[], word];
  // xl's global options may stand before the subcommand
  const rest = before.slice(1).filter((w, i, a) => !(w.startsWith('-') && a.slice(0, i).every((x) => x.startsWith('-'))));
  if (rest.length === 0) {
    if (word.startsWith('-')) return [pick(['-v', '-f', '-N', '-t', '-T']), word];
    return [pick([...CMD_TABLE.map((c) => c.name), 'help']), word];
  }
  const spec = completionSpecs().find((s) => s.name === rest[0]);
  if (word.startsWith('-')) return [pick(spec?.options ?? []), word];
  return [pick(await domainNames(io, runTool)), word];
}
