/**
 * The `xlsim shell` prompt on a terminal: line editing, history kept in
 * $XLSIM_HOME/shell_history, tab completion. Each prompt gets its own
 * readline interface, closed before the command runs, so a command that
 * wants the terminal itself (xl console, xentop) finds it in its normal,
 * cooked state with nobody else reading it — as after a real shell's fork.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { currentHostName, xlsimHome } from '../../state/session';
import type { Io } from '../io';
import { complete } from './shell-complete';
import type { RunToolFn, ShellRunner } from './shell-run';

const HISTORY_SIZE = 1000;

export function historyFile(env: Record<string, string | undefined>): string {
  return path.join(xlsimHome(env), 'shell_history');
}

function loadHistory(file: string): string[] {
  try {
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    // readline wants the newest first
    return lines.slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

function appendHistory(file: string, line: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, `${line}\n`);
  } catch {
    // a history that cannot be saved is not worth stopping the shell for
  }
}

type Read = { kind: 'line'; text: string } | { kind: 'eof' } | { kind: 'interrupt' };

/**
 * Input typed ahead: keys that arrived in the same read as the Enter that
 * ended a line (tmux send-keys, a paste, a fast typist) belong to the next
 * prompts. Whole lines wait here; a partial line is typed into the next
 * prompt.
 */
const typeAhead: string[] = [];
let partial = '';

function readOne(prompt: string, history: string[], completer: readline.AsyncCompleter): Promise<Read> {
  const queued = typeAhead.shift();
  if (queued !== undefined) return Promise.resolve({ kind: 'line', text: queued });
  return new Promise((resolve) => {
    const rl = readline.createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: true,
      history: [...history],
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      completer,
      tabSize: 4,
    });
    let result: Read | undefined;
    const done = (r: Read) => {
      if (result) return;
      result = r;
      // the rest of this read is still being fed to us: close after it
      setImmediate(() => {
        // an interrupted line is dropped, not carried to the next prompt
        partial = r.kind === 'interrupt' ? '' : (rl as unknown as { line: string }).line;
        rl.close();
        resolve(r);
      });
    };
    rl.on('line', (text) => {
      if (result) typeAhead.push(text);
      else done({ kind: 'line', text });
    });
    rl.on('SIGINT', () => {
      if (result) return;
      process.stdout.write('^C\n');
      done({ kind: 'interrupt' });
    });
    rl.on('close', () => {
      if (result) return;
      result = { kind: 'eof' };
      resolve(result);
    });
    rl.setPrompt(prompt);
    rl.prompt();
    if (partial) {
      rl.write(partial);
      partial = '';
    }
  });
}

export async function interactiveShell(io: Io, runner: ShellRunner, runTool: RunToolFn): Promise<number> {
  const file = historyFile(io.env);
  const history = loadHistory(file);
  const completer: readline.AsyncCompleter = (line, cb) => {
    complete(line, io, runTool).then(
      (r) => cb(null, r),
      () => cb(null, [[], line]),
    );
  };
  let entry = '';
  for (;;) {
    const prompt = runner.continuing ? '> ' : `xlsim(${currentHostName(io.env)})# `;
    const r = await readOne(prompt, history, completer);
    if (r.kind === 'eof') {
      process.stdout.write('\n');
      return runner.finish();
    }
    if (r.kind === 'interrupt') {
      // like sh: the half-typed (or half-quoted) line is dropped, $? is 130
      runner.abandon(130);
      continue;
    }
    // a command typed over several lines (an open quote) is one entry, as
    // in bash; the file keeps one entry a line, so only one-line ones
    entry = runner.continuing ? `${entry}\n${r.text}` : r.text;
    // A command without its own SIGINT handling would have been killed by
    // ^C as a separate process. Nothing can stop it halfway in-process, so
    // the shell ends with it, with the status sh reports for that (130).
    const onSigint = () => {
      if (process.listenerCount('SIGINT') > 1) return;
      process.stdout.write('\n');
      process.exit(130);
    };
    process.on('SIGINT', onSigint);
    try {
      const o = await runner.feed(r.text);
      if (!runner.continuing && entry.trim() !== '' && entry !== history[0]) {
        history.unshift(entry);
        if (history.length > HISTORY_SIZE) history.pop();
        if (!entry.includes('\n')) appendHistory(file, entry);
      }
      if (o.done) return o.status;
    } finally {
      process.off('SIGINT', onSigint);
    }
  }
}
