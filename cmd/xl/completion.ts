/**
 * `xl completion bash|zsh`: a shell completion script for xl. Real xl has
 * no such command (tools/xl ships only bash-completion, which completes
 * subcommand names by parsing `xl help`); this one is an xlsim addition
 * and is deliberately absent from the command table, so `xl help` stays
 * byte-identical to real xl's.
 *
 * Everything is derived from the command table: subcommand names, each
 * command's options (from its help text) and what each positional argument
 * is (from its usage line: <Domain> completes domain names from `xl list`,
 * <ConfigFile> completes *.cfg files, other files complete filenames).
 */
import type { Io } from '../io';
import { CMD_TABLE, type CmdSpec } from './commands';

export type ArgKind = 'domain' | 'cfg' | 'file' | 'other';

export interface CompletionSpec {
  readonly name: string;
  /**
   * per position among the non-option words after the command, the kinds of
   * argument that may stand there (optional arguments make several
   * possible); the last entry applies to every later position when
   * `repeatLast`
   */
  readonly positions: readonly (readonly ArgKind[])[];
  readonly repeatLast: boolean;
  readonly options: readonly string[];
  /** options whose value is the next word (`-f FILE`), with what it is */
  readonly optionsWithArg: readonly { readonly option: string; readonly kind: ArgKind }[];
}

const GLOBAL_OPTIONS = ['-v', '-f', '-N', '-t', '-T'];

/** Splits a usage line into words at bracket depth 0. */
function usageWords(line: string): string[] {
  const words: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of line) {
    if (ch === '[' || ch === '<') depth++;
    if (ch === ']' || ch === '>') depth = Math.max(0, depth - 1);
    if (/\s/.test(ch) && depth === 0) {
      if (cur) words.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) words.push(cur);
  return words;
}

function kindOf(word: string): ArgKind {
  if (/Domain/.test(word) && !/NewDomainName|BackDomain/.test(word)) return 'domain';
  if (/ConfigFile/.test(word)) return 'cfg';
  if (/CheckpointFile|filename|<path>|policy file/.test(word)) return 'file';
  return 'other';
}

interface UsageArg {
  kind: ArgKind;
  optional: boolean;
  repeat: boolean;
}

function usageArgs(usage: string): UsageArg[] {
  const args: UsageArg[] = [];
  // info's usage line is its option list
  if (usage.trimStart().startsWith('-')) return args;
  for (const w of usageWords(usage.split('\n')[0] ?? '')) {
    const inner = w.replace(/^[[<]+|[\]>]+$/g, '');
    // option groups: [options], [-c], [-d <Domain> ...] (sched-*); but
    // <-a|Domain> is a domain (or -a)
    if (/^options?$/.test(inner) || /^\[-/.test(w) || (inner.startsWith('-') && !/Domain/.test(inner))) continue;
    args.push({
      kind: kindOf(w),
      optional: w.startsWith('['),
      repeat: /\.\.\.|\(s\)/.test(w),
    });
  }
  return args;
}

function positionsOf(args: UsageArg[]): { positions: ArgKind[][]; repeatLast: boolean } {
  const positions: ArgKind[][] = [];
  let optionalBefore = 0;
  const add = (p: number, k: ArgKind) => {
    while (positions.length <= p) positions.push([]);
    if (!positions[p]!.includes(k)) positions[p]!.push(k);
  };
  args.forEach((a, j) => {
    // with some optional arguments left out, argument j moves left
    for (let p = j - optionalBefore; p <= j; p++) add(p, a.kind);
    if (a.optional) optionalBefore++;
  });
  const last = args[args.length - 1];
  return { positions, repeatLast: last?.repeat ?? false };
}

const OPTION_RE = /^(-[A-Za-z0-9]|--[A-Za-z][\w-]*)$/;

function optionArgKind(name: string): ArgKind {
  if (/DOMAIN|Domain/.test(name)) return 'domain';
  if (/FILE|file|config/.test(name)) return 'file';
  return 'other';
}

function optionsOf(cmd: CmdSpec): { options: string[]; withArg: { option: string; kind: ArgKind }[] } {
  const options: string[] = [];
  const withArg: { option: string; kind: ArgKind }[] = [];
  // options are listed in the option text and, for a few commands
  // (console, vncviewer, info), in the usage lines after the first
  const lines = [...(cmd.option ?? '').split('\n'), ...cmd.usage.split('\n').slice(1), cmd.desc.startsWith('-') ? cmd.desc : ''];
  if (cmd.name === 'info') lines.push(cmd.usage);
  for (const raw of lines) {
    const line = raw.trim();
    if (!line.startsWith('-')) continue;
    // the option part ends where the description begins: a run of spaces
    // followed by something that is not another option
    const pieces = line.split(/\s{2,}/);
    const head: string[] = [];
    for (const p of pieces) {
      if (!p.startsWith('-')) break;
      head.push(p);
    }
    const tokens = head.join(' ').split(/[\s,]+/);
    tokens.forEach((t, i) => {
      const name = t.replace(/[=[].*$/, '');
      if (!OPTION_RE.test(name)) return;
      if (!options.includes(name)) options.push(name);
      const next = tokens[i + 1];
      if (!t.includes('=') && name.length === 2 && next !== undefined && !next.startsWith('-') && /^(<[^>]+>|[A-Z][A-Z_/]*)$/.test(next)) {
        if (!withArg.some((o) => o.option === name)) withArg.push({ option: name, kind: optionArgKind(next) });
      }
    });
  }
  if (!options.includes('-h')) options.push('-h');
  return { options, withArg };
}

export function completionSpecs(): CompletionSpec[] {
  return CMD_TABLE.map((c) => {
    const { positions, repeatLast } = positionsOf(usageArgs(c.usage));
    const { options, withArg } = optionsOf(c);
    return { name: c.name, positions, repeatLast, options, optionsWithArg: withArg };
  });
}

function kindWord(kinds: readonly ArgKind[]): string {
  const useful = kinds.filter((k) => k !== 'other');
  return useful.length ? useful.join(',') : '-';
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function specLine(s: CompletionSpec): string {
  const pos = s.positions.map(kindWord);
  if (s.repeatLast && pos.length) pos[pos.length - 1] += '+';
  return `\t${s.name}) args=${shQuote(pos.join(' '))} opts=${shQuote(s.options.join(' '))} optargs=${shQuote(s.optionsWithArg.map((o) => `${o.option}=${kindWord([o.kind])}`).join(' '))} ;;`;
}

/** The bash script: `source <(xl completion bash)`. */
export function bashCompletion(): string {
  const specs = completionSpecs();
  const names = specs.map((s) => s.name).join(' ');
  return `# bash completion for xl (xlsim)
# Load with:  source <(xl completion bash)
# or install: xl completion bash > ~/.local/share/bash-completion/completions/xl

_xlsim_xl_commands=${shQuote(names)}

# The command an unambiguous prefix stands for (xl accepts prefixes).
_xlsim_xl_resolve()
{
	local c hit= n=0
	for c in $_xlsim_xl_commands; do
		[[ $c == "$1" ]] && { printf '%s' "$c"; return; }
		[[ $c == "$1"* ]] && { hit=$c; n=$((n + 1)); }
	done
	(( n == 1 )) && printf '%s' "$hit"
}

_xlsim_xl()
{
	# zsh (through bashcompinit): 0-based arrays and word splitting as in bash
	[[ -n \${ZSH_VERSION-} ]] && emulate -L ksh
	local IFS=$' \\t\\n'
	local cur=\${COMP_WORDS[COMP_CWORD]} xl=\${COMP_WORDS[0]}
	local i w cmd= ci=0
	[[ $xl == "~/"* ]] && xl=$HOME/\${xl#"~/"}
	COMPREPLY=()
	# global options come only before the subcommand
	for (( i = 1; i < COMP_CWORD; i++ )); do
		case \${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=\${COMP_WORDS[i]}; ci=$i; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=( $(compgen -W ${shQuote(GLOBAL_OPTIONS.join(' '))} -- "$cur") )
		else
			COMPREPLY=( $(compgen -W "$_xlsim_xl_commands" -- "$cur") )
		fi
		return 0
	fi
	cmd=$(_xlsim_xl_resolve "$cmd")
	local args= opts= optargs=
	case $cmd in
${specs.map(specLine).join('\n')}
	*) return 0 ;;
	esac
	# count the positional words before the cursor; an option that takes a
	# value (optargs: OPT=KIND) hides the next word
	local pos=0 optarg= kind=-
	for (( i = ci + 1; i < COMP_CWORD; i++ )); do
		w=\${COMP_WORDS[i]}
		if [[ -n $optarg ]]; then optarg=; continue; fi
		case $w in
		-?*) [[ " $optargs " == *" $w="* ]] && optarg=$w ;;
		*) pos=$((pos + 1)) ;;
		esac
	done
	local kinds=( $args )
	if [[ -n $optarg ]]; then
		kind=\${optargs#*"$optarg="}
		kind=\${kind%% *}
	elif [[ $cur == -* ]]; then
		COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
		return 0
	elif (( pos < \${#kinds[@]} )); then
		kind=\${kinds[pos]}
	elif (( \${#kinds[@]} > 0 )) && [[ \${kinds[\${#kinds[@]} - 1]} == *+ ]]; then
		kind=\${kinds[\${#kinds[@]} - 1]}
	fi
	kind=\${kind%+}
	if [[ ,$kind, == *,domain,* ]]; then
		COMPREPLY+=( $(compgen -W "$("$xl" list 2>/dev/null | awk 'NR > 1 {print $1}')" -- "$cur") )
	fi
	if [[ ,$kind, == *,file,* ]]; then
		compopt -o filenames 2>/dev/null
		local IFS=$'\\n'
		COMPREPLY+=( $(compgen -f -- "$cur") )
	elif [[ ,$kind, == *,cfg,* ]]; then
		compopt -o filenames 2>/dev/null
		local IFS=$'\\n'
		COMPREPLY+=( $(compgen -f -X '!*.cfg' -- "$cur") $(compgen -d -- "$cur") )
	fi
	return 0
}

complete -F _xlsim_xl xl
`;
}

/**
 * The zsh script: zsh runs the bash completion function through its
 * bashcompinit layer (the function sticks to what that layer provides).
 */
export function zshCompletion(): string {
  return `#compdef xl
# zsh completion for xl (xlsim). Load with:  source <(xl completion zsh)
autoload -U +X compinit && { (( $+functions[compdef] )) || compinit; }
autoload -U +X bashcompinit && bashcompinit
${bashCompletion()}`;
}

/** `xl completion bash|zsh` */
export function completionMain(io: Io, argv: string[]): number {
  const shell = argv[1];
  if (argv.length === 2 && shell === 'bash') {
    io.stdout.write(bashCompletion());
    return 0;
  }
  if (argv.length === 2 && shell === 'zsh') {
    io.stdout.write(zshCompletion());
    return 0;
  }
  io.stderr.write('Usage: xl completion bash|zsh\n\nPrint a shell completion script for xl (an xlsim addition; real xl has none).\n');
  return 2;
}
