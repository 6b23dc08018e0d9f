/**
 * Splitting one `xlsim shell` line into words, the way a POSIX shell would
 * for the subset a script of xl commands needs: blanks separate words,
 * single quotes keep everything literal, double quotes keep blanks and
 * allow \" \\ \$ \` escapes, a backslash outside quotes makes the next
 * character literal (and joins lines at the end), `#` at the start of a
 * word begins a comment, and `$?` expands to the last status outside
 * single quotes. Anything else ($VAR, globs, pipes, redirections) is taken
 * literally: the shell runs commands, it is not sh.
 */

export interface Word {
  readonly text: string;
  /** no quote or escape anywhere in it: `>&2` is a redirection only then */
  readonly bare: boolean;
}

export type SplitResult =
  | { readonly ok: true; readonly words: Word[] }
  /** the line ends inside a quote or with a backslash: more input is needed */
  | { readonly ok: false; readonly incomplete: true; readonly error: string };

const BLANK = /[ \t\r\n]/;

export function splitWords(line: string, lastStatus: number): SplitResult {
  const words: Word[] = [];
  let cur = '';
  let inWord = false;
  let bare = true;
  const end = () => {
    if (inWord) words.push({ text: cur, bare });
    cur = '';
    inWord = false;
    bare = true;
  };
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (BLANK.test(c)) {
      end();
      i++;
      continue;
    }
    if (c === '#' && !inWord) break;
    if (c === '\\') {
      if (i + 1 >= n) return { ok: false, incomplete: true, error: 'line ends with a backslash' };
      // backslash-newline joins lines and leaves nothing behind
      if (line[i + 1] !== '\n') {
        cur += line[i + 1];
        inWord = true;
        bare = false;
      }
      i += 2;
      continue;
    }
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) return { ok: false, incomplete: true, error: 'unterminated quoted string' };
      cur += line.slice(i + 1, close);
      inWord = true;
      bare = false;
      i = close + 1;
      continue;
    }
    if (c === '"') {
      inWord = true;
      bare = false;
      i++;
      for (;;) {
        if (i >= n) return { ok: false, incomplete: true, error: 'unterminated quoted string' };
        const d = line[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n && '"\\$`\n'.includes(line[i + 1]!)) {
          if (line[i + 1] !== '\n') cur += line[i + 1];
          i += 2;
          continue;
        }
        if (d === '$' && line[i + 1] === '?') {
          cur += String(lastStatus);
          i += 2;
          continue;
        }
        cur += d;
        i++;
      }
      continue;
    }
    if (c === '$' && line[i + 1] === '?') {
      cur += String(lastStatus);
      inWord = true;
      i += 2;
      continue;
    }
    cur += c;
    inWord = true;
    i++;
  }
  end();
  return { ok: true, words };
}
