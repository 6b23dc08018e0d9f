/**
 * Shell completion beyond what yargs knows from the command table: the
 * names of the current host's domains where a command takes a domain, and
 * host names where it takes a host. Completion never creates a host and
 * never fails loudly: a host that cannot be read completes nothing.
 */
import { labNames } from '../../lib/lab/catalog';
import { currentHostName, hostExists, isValidHostName, listHosts, withHostSync, type Env } from '../../state/session';

/** yargs' completion callbacks (its types use `any` for argv). */
type Filter = (onCompleted?: (err: Error | null, completions: string[] | undefined) => void) => unknown;
type Done = (completions: string[]) => unknown;

interface CompletionArgv {
  _: (string | number)[];
  host?: unknown;
}

const DOMAIN_COMMANDS = new Set(['inspect', 'guest']);
const HOST_COMMANDS = new Set(['show', 'use', 'remove']);

// Synchronous on purpose: yargs goes on to validate the command line if the
// completion callback has not been called when the function returns.
function domainNames(env: Env, host: string | undefined): string[] {
  const name = host ?? currentHostName(env);
  if (!isValidHostName(name) || !hostExists(env, name)) return [];
  try {
    return withHostSync(
      env,
      (s) => {
        const ids = s.xs.directory('/local/domain');
        if (!Array.isArray(ids)) return [];
        return ids.map((id) => s.xs.tryRead(`/local/domain/${id}/name`)).filter((n): n is string => n !== undefined);
      },
      { host: name },
    );
  } catch {
    return [];
  }
}

export function xlsimCompleter(env: Env) {
  return (current: string, argv: CompletionArgv, completionFilter: Filter, done: Done): void => {
    completionFilter((_err, defaults) => {
      const base = defaults ?? [];
      // argv._: the non-option words after the program name, the one being completed last
      const words = argv._.map(String).filter((w, i) => !(i === 0 && w === 'xlsim')).slice(0, -1);
      const host = typeof argv.host === 'string' ? argv.host : undefined;
      const previous = words.length;
      const wantsDomain = previous === 1 && DOMAIN_COMMANDS.has(words[0]!) && !current.startsWith('-');
      const wantsHost = previous === 2 && words[0] === 'host' && HOST_COMMANDS.has(words[1]!) && !current.startsWith('-');
      if (previous === 2 && words[0] === 'lab' && (words[1] === 'start' || words[1] === 'reset') && !current.startsWith('-')) {
        done([...labNames(env), ...base]);
        return;
      }
      if (wantsHost) {
        done([...listHosts(env), ...base]);
        return;
      }
      if (!wantsDomain) {
        done(base);
        return;
      }
      done([...domainNames(env, host), ...base]);
    });
  };
}
