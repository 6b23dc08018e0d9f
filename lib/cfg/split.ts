/**
 * xl's string helpers (tools/xl/xl_parse.c: split_string_into_string_list,
 * split_string_into_pair, trim) with the outcomes that matter to xl's
 * verdicts, plus the result shape every device parser here returns.
 */
import { isCSpace, strtok } from './cconv';

/**
 * A device parse either yields the device or tells the caller which status
 * xl ends with (it calls exit() right there in C). `crashed` marks the few
 * inputs on which real xl dereferences NULL (SIGSEGV, a shell sees 139);
 * xlsim cannot crash the same way and exits 139 instead.
 */
export type DevParse<T> = { ok: true; dev: T } | { ok: false; exitCode: number; crashed?: true };

export const fail = (exitCode: number): { ok: false; exitCode: number } => ({ ok: false, exitCode });
/** exit(3)'s view of a negative C return: -1 → 255, ERROR_FAIL (-3) → 253 */
export const statusOf = (rc: number): number => rc & 0xff;
export const CRASH: { ok: false; exitCode: number; crashed: true } = { ok: false, exitCode: 139, crashed: true };

/**
 * split_string_into_string_list(): the strtok pieces — except that the C
 * code counts at least one entry and then strdup()s a NULL when there is
 * none (an empty string, or delimiters only), which crashes xl. Returns
 * null for that case so callers can report the crash.
 */
export function splitStringList(s: string, delims: string): string[] | null {
  const pieces = strtok(s, delims);
  return pieces.length === 0 ? null : pieces;
}

/** trim(isspace, …) */
export function trimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isCSpace(s[a])) a++;
  while (b > a && isCSpace(s[b - 1])) b--;
  return s.slice(a, b);
}

/**
 * split_string_into_pair(): split at the first `delim`; fails when there is
 * none or nothing follows it (tested before trimming, so " = " passes with
 * an empty value). `trim` applies trim(isspace) to both halves.
 */
export function splitPair(s: string, delim: string, trim: boolean): [string, string] | null {
  const i = s.indexOf(delim);
  if (i < 0) return null;
  const a = s.slice(0, i);
  const b = s.slice(i + 1);
  if (b === '') return null;
  return trim ? [trimSpace(a), trimSpace(b)] : [a, b];
}
