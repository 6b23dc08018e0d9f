/**
 * What the config store holds (libxlu_internal.h: XLU_ConfigValue,
 * XLU_ConfigSetting). Kept apart from the parser and the accessors so both
 * can share it without importing each other.
 */

/** A scalar. NUMBER tokens are kept as their text, exactly like quoted strings. */
export interface XluConfigString {
  readonly type: 'string';
  readonly value: string;
  /**
   * The line libxlu records in the value's location: the token's line. The
   * column is never set by the lexer, so warnings always print 0 for it.
   */
  readonly line: number;
}

/** A list: items are strings or (nested) lists. */
export interface XluConfigList {
  readonly type: 'list';
  /** mutable only while parsing (`+=` moves the old items in front) */
  readonly values: XluConfigValue[];
  /**
   * The location libxlu gives a list value: its first item's line, or for an
   * empty list the line of the token that followed `[` (usually `]`).
   */
  readonly line: number;
}

export type XluConfigValue = XluConfigString | XluConfigList;

export type XluOperation = '=' | '+=';

/** One assignment as stored (XLU_ConfigSetting). */
export interface XluConfigSetting {
  readonly name: string;
  readonly value: XluConfigValue;
  /** `+=` settings refuse every numeric read, whether or not something was added to */
  readonly op: XluOperation;
  /** line of the value's first token (for a list, the line of `[`) */
  readonly lineno: number;
}
