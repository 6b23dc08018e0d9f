/**
 * The config language as libxlu parses it: tokens, grammar, the Bison
 * messages, line numbers, recovery, EOF and CRLF behaviour, escapes, `+=`.
 * Every expected text here was checked against libxlu 4.20 itself (the
 * flex/bison-generated parser compiled from the Xen tree).
 */
import { describe, expect, it } from 'vitest';
import { xluCfgGetString } from '../../lib/cfg/config';
import { PYTHON, parse, show } from './helpers';

const E = (line: number, near: string, msg: string) => `g.cfg:${line}: config parsing error near ${near}: ${msg}\n`;
const Q = (t: string) => `\`${t}'`;

function value(text: string, key: string, withLines = false): string {
  const p = parse(text);
  expect(p.report).toBe('');
  expect(p.ok).toBe(true);
  return show(p.cfg.find(key)?.value, withLines);
}

describe('trap 1: identifiers are lowercase-only', () => {
  it('rejects an uppercase key', () => {
    const p = parse('Name = "x"\n');
    expect(p.ok).toBe(false);
    expect(p.report).toBe(E(1, Q('Name'), 'lexical error'));
  });
  it('rejects a dash in a key, and says it looks like Python', () => {
    expect(parse('foo-bar = 1\n').report).toBe(E(1, Q('-bar'), 'lexical error') + PYTHON);
  });
  it('rejects a leading underscore', () => {
    expect(parse('_x = 1\n').report).toBe(E(1, Q('_x'), 'lexical error'));
  });
  it('accepts dots, underscores and digits after the first letter', () => {
    const p = parse('vif.default.script = "vif-bridge"\nx_1.y = 2\n');
    expect(p.report).toBe('');
    expect(show(p.cfg.find('vif.default.script')?.value)).toBe('"vif-bridge"');
    expect(show(p.cfg.find('x_1.y')?.value)).toBe('"2"');
  });
});

describe('trap 2: values are quoted strings, NUMBER tokens or lists', () => {
  it('rejects a bare word', () => {
    expect(parse('type = hvm\n').report).toBe(E(1, Q('hvm'), "syntax error, unexpected IDENT, expecting STRING or NUMBER or '['"));
  });
  it('keeps numbers as their text', () => {
    expect(value('memory = 0x400\n', 'memory')).toBe('"0x400"');
    expect(value('x = 1e3\n', 'x')).toBe('"1e3"');
    expect(value('x = 12abc\n', 'x')).toBe('"12abc"');
  });
});

describe('trap 3: what the lexer refuses in numbers', () => {
  it('0X1F is NUMBER 0 then junk', () => {
    expect(parse('memory = 0X1F\n').report).toBe(E(1, Q('X1F'), 'lexical error'));
  });
  it('a negative number is a lexical error plus the Python warning', () => {
    expect(parse('rtc_timeoffset = -3600\n').report).toBe(E(1, Q('-3600'), 'lexical error') + PYTHON);
  });
  it('a decimal is a lexical error at the dot', () => {
    expect(parse('x = 1.5\n').report).toBe(E(1, Q('.5'), 'lexical error') + PYTHON);
  });
  it('quoted, anything goes until it is read as a number', () => {
    expect(value('rtc_timeoffset = "-3600"\n', 'rtc_timeoffset')).toBe('"-3600"');
  });
});

describe('trap 6: line numbers and suppression', () => {
  it('a NEWLINE lookahead is reported one line early', () => {
    expect(parse('name = "g"\nmemory =\n').report).toBe(
      E(1, '<newline>', "syntax error, unexpected NEWLINE, expecting STRING or NUMBER or '['"),
    );
  });
  it('which can give line 0', () => {
    expect(parse('memory =\n').report).toBe(E(0, '<newline>', "syntax error, unexpected NEWLINE, expecting STRING or NUMBER or '['"));
    expect(parse('x\n').report).toBe(E(0, '<newline>', "syntax error, unexpected NEWLINE, expecting += or '='"));
  });
  it('a comment lookahead is shown as its text, also a line early', () => {
    expect(parse('x = # c\n').report).toBe(E(0, Q('# c'), "syntax error, unexpected NEWLINE, expecting STRING or NUMBER or '['"));
  });
  it('at EOF the near text is empty and the line is the last token\'s', () => {
    expect(parse('name = "g"\nmemory =').report).toBe(
      E(2, "`'", "syntax error, unexpected $end, expecting STRING or NUMBER or '['"),
    );
  });
  it('errors on the line of a lexical error are suppressed', () => {
    const p = parse('a = X = 1\nb = 2\n');
    expect(p.report).toBe(E(1, Q('X'), 'lexical error'));
    expect(p.ok).toBe(false);
  });
  it('a lexical error at a line end mutes the next line too', () => {
    // the junk swallows the newline, so the error's scanner line is the next one
    expect(parse('memory = 5M\n= 3\nc = = 1\n').report).toBe(E(1, Q('M'), 'lexical error') + E(3, Q('='), "syntax error, unexpected '=', expecting STRING or NUMBER or '['"));
  });
  it('the near text loses trailing blanks but not CR', () => {
    expect(parse('x = M \n').report).toBe(E(1, Q('M'), 'lexical error'));
  });
});

describe('Bison messages (%error-verbose)', () => {
  const cases: [string, string, string][] = [
    ['= 5\n', Q('='), "syntax error, unexpected '=', expecting $end or IDENT or NEWLINE or ';'"],
    [', 5\n', Q(','), "syntax error, unexpected ',', expecting $end or IDENT or NEWLINE or ';'"],
    ['[ 1 ]\n', Q('['), "syntax error, unexpected '[', expecting $end or IDENT or NEWLINE or ';'"],
    ['5 = 1\n', Q('5'), "syntax error, unexpected NUMBER, expecting $end or IDENT or NEWLINE or ';'"],
    ['"s" = 1\n', Q('"s"'), "syntax error, unexpected STRING, expecting $end or IDENT or NEWLINE or ';'"],
    ['x 5\n', Q('5'), "syntax error, unexpected NUMBER, expecting += or '='"],
    ['x ; y\n', Q(';'), "syntax error, unexpected ';', expecting += or '='"],
    ['x = ]\n', Q(']'), "syntax error, unexpected ']', expecting STRING or NUMBER or '['"],
    ['x = y\n', Q('y'), "syntax error, unexpected IDENT, expecting STRING or NUMBER or '['"],
    ['x += += 1\n', Q('+='), "syntax error, unexpected +=, expecting STRING or NUMBER or '['"],
    ['name="a" memory=1\n', Q('memory'), 'syntax error, unexpected IDENT, expecting $end'],
    ['x = "a" "b"\n', Q('"b"'), 'syntax error, unexpected STRING, expecting $end'],
    ['x = [ 1 ] "b"\n', Q('"b"'), 'syntax error, unexpected STRING, expecting $end'],
    ['x = 1 = 2\n', Q('='), "syntax error, unexpected '=', expecting $end"],
    ['x = [ "a" "b" ]\n', Q('"b"'), "syntax error, unexpected STRING, expecting ']'"],
    ['x = [ , ]\n', Q(','), "syntax error, unexpected ',', expecting ']'"],
    ['x = [ "a", , "b" ]\n', Q(','), "syntax error, unexpected ',', expecting ']'"],
    ['x = [ ;\n', Q(';'), "syntax error, unexpected ';', expecting ']'"],
    ['x = [ "a" = ]\n', Q('='), "syntax error, unexpected '=', expecting ']'"],
  ];
  it.each(cases)('%j', (text, near, msg) => {
    const p = parse(text);
    expect(p.report).toBe(E(1, near, msg));
    expect(p.ok).toBe(false);
  });
  it('EOF inside a list', () => {
    expect(parse('x = [ "a",').report).toBe(E(1, "`'", "syntax error, unexpected $end, expecting ']'"));
  });
});

describe('error recovery', () => {
  it('resyncs at the newline: one message per bad line', () => {
    expect(parse('x = [ "a" "b" ]\ny = 1\n').report).toBe(E(1, Q('"b"'), "syntax error, unexpected STRING, expecting ']'"));
  });
  it('prints a new error only after three tokens were shifted', () => {
    const msg = "syntax error, unexpected '=', expecting $end or IDENT or NEWLINE or ';'";
    expect(parse('= 1\n= 2\n').report).toBe(E(1, Q('='), msg));
    expect(parse('= 1\na = 1\n= 2\n').report).toBe(E(1, Q('='), msg) + E(3, Q('='), msg));
  });
  it('a bad list spanning lines resyncs at its first newline', () => {
    const p = parse('x = [ "a" "b",\n "c" ]\ny = = 1\nz = = 2\n');
    const bad = "syntax error, unexpected '=', expecting STRING or NUMBER or '['";
    expect(p.report).toBe(E(1, Q('"b"'), "syntax error, unexpected STRING, expecting ']'") + E(3, Q('='), bad) + E(4, Q('='), bad));
  });
  it('gives up with "memory exhausted" when nesting passes the Bison stack', () => {
    const p = parse('x = ' + '['.repeat(5000) + '\n');
    expect(p.report).toBe(E(1, Q('['), 'memory exhausted'));
    expect(p.ok).toBe(false);
  });
  it('deep but bounded nesting is fine', () => {
    const p = parse('x = ' + '['.repeat(3000) + ']'.repeat(3000) + '\n');
    expect(p.report).toBe('');
    expect(p.ok).toBe(true);
  });
});

describe('trap 8: comments, EOF and CRLF', () => {
  it('a final comment without newline is an error', () => {
    expect(parse('a = 1\n# end').report).toBe(E(2, Q('#'), 'lexical error'));
    expect(parse('a = 1\n#end').report).toBe(E(2, Q('#end'), 'lexical error'));
  });
  it('a lone # at EOF is dropped', () => {
    const p = parse('a = 1\n#');
    expect(p.ok).toBe(true);
    expect(p.report).toBe('');
  });
  it('junk as the very last byte is dropped, so 5M at EOF means 5', () => {
    expect(value('memory = 5M', 'memory')).toBe('"5"');
  });
  it('but longer junk at EOF is still reported', () => {
    expect(parse('memory = 5MB').report).toBe(E(1, Q('MB'), 'lexical error'));
  });
  it('the dropped junk still shows as the near text of an EOF error', () => {
    expect(parse('memory = M').report).toBe(E(1, Q('M'), "syntax error, unexpected $end, expecting STRING or NUMBER or '['"));
  });
  it('a Python character dropped at EOF gives no warning (no error)', () => {
    const p = parse('x = 5\n-');
    expect(p.ok).toBe(true);
    expect(p.report).toBe('');
  });
  it('CRLF: one lexical error per line, near a bare CR', () => {
    const p = parse('name = "x"\r\nmemory = 512\r\n');
    expect(p.report).toBe(E(1, Q('\r'), 'lexical error') + E(2, Q('\r'), 'lexical error'));
    expect(p.ok).toBe(false);
  });
  it('# inside a string is literal', () => {
    expect(value('x = "a#b" # real comment\n', 'x')).toBe('"a#b"');
  });
  it('comments are newlines, so they may sit inside lists', () => {
    expect(value('d = [\n  "x" # one\n  , "y",\n  # two\n]\n', 'd', true)).toBe('["x"@2,"y"@3]@2');
  });
  it('a file of comments and blank lines sets nothing and says nothing', () => {
    for (const text of ['', '\n', '# x\n', '\n  \t\n# a \x00 b\n   # indented = 1\n\n', '#\n#\n', new Uint8Array([0x23, 0xff, 0xfe, 0x0a])]) {
      const p = parse(text);
      expect(p.ok).toBe(true);
      expect(p.report).toBe('');
      expect(p.cfg.settings()).toEqual([]);
    }
    // and what only looks like one is still parsed
    expect(parse('# a\n# end').report).toBe(E(2, Q('#'), 'lexical error'));
    expect(parse('# a\n\r\n').report).toBe(E(2, Q('\r'), 'lexical error'));
    expect(value('# a\n\nb = 2 # b\n', 'b')).toBe('"2"');
  });
  it('a NUL byte inside a comment is just comment text', () => {
    expect(value('a = 1 # \x00 x\n', 'a')).toBe('"1"');
  });
  it('binary junk gives a lexical error near it', () => {
    expect(parse(new Uint8Array([0x61, 0x3d, 0x31, 0x0a, 0x01, 0x02, 0x0a])).report).toBe(E(2, Q('\x01\x02'), 'lexical error'));
  });
});

describe('trap 7: string escapes', () => {
  it('\\x always fails', () => {
    expect(parse('x = "\\x41"\n').report).toBe(
      E(1, Q('"\\x41"'), 'invalid digit after backslash hexnumerical character escape in quoted string'),
    );
  });
  it('an octal escape needs two more digits and is then dropped', () => {
    expect(value('x = "a\\101b"\n', 'x')).toBe('"ab"');
    const msg = 'invalid digit after backslash octalnumerical character escape in quoted string';
    expect(parse('x = "\\12"\n').report).toBe(E(1, Q('"\\12"'), msg));
    expect(parse('x = "\\0"\n').report).toBe(E(1, Q('"\\0"'), msg));
  });
  it('the octal reader is strtoul: blanks and a sign count as consumed', () => {
    expect(value('x = "a\\1 2b"\n', 'x')).toBe('"ab"');
    expect(value('x = "a\\1-9b"\n', 'x')).toBe('"ab"');
  });
  it('an unknown escape is a "backlash"', () => {
    expect(parse('x = "\\q"\n').report).toBe(E(1, Q('"\\q"'), 'invalid character after backlash in quoted string'));
  });
  it('the working escapes, and either quote inside the other', () => {
    expect(value('x = "a\\"b\\\'c\\\\d\\a\\b\\f\\n\\r\\t\\v"\n', 'x')).toBe(JSON.stringify('a"b\'c\\d\x07\b\f\n\r\t\v'));
    expect(value('y = \'it"s\'\n', 'y')).toBe('"it\\"s"');
    expect(value('z = "it\'s"\n', 'z')).toBe('"it\'s"');
  });
  it('a string cannot span lines', () => {
    expect(parse('x = "a\nb"\n').report).toBe(E(1, Q('"a'), 'lexical error') + E(2, Q('"'), 'lexical error'));
  });
  it('UTF-8 passes through strings', () => {
    expect(value('x = "héllo ☃"\n', 'x')).toBe('"héllo ☃"');
  });
});

describe('trap 5: duplicates and +=', () => {
  it('the last assignment wins', () => {
    expect(value('memory = 512\nmemory = 1024\n', 'memory')).toBe('"1024"');
  });
  it('+= concatenates strings with no separator', () => {
    const p = parse('x = "ab"\nx += "cd"\ny += "new"\n');
    expect(show(p.cfg.find('x')?.value)).toBe('"abcd"');
    expect(p.cfg.find('x')?.op).toBe('+=');
    expect(show(p.cfg.find('y')?.value)).toBe('"new"');
  });
  it('+= puts the old list items first', () => {
    expect(value('l = [ "a", "b" ]\nl += [ "c" ]\n', 'l', true)).toBe('["a"@1,"b"@1,"c"@2]@2');
  });
  it('list += string is an error at the value\'s last token', () => {
    expect(parse('l = [ "a" ]\nl += "b"\n').report).toBe(E(2, Q('"b"'), 'can\'t add [list] to "string" or vice versa'));
    expect(parse('s = "a"\ns += [ "b",\n "c" ]\n').report).toBe(E(3, Q(']'), 'can\'t add [list] to "string" or vice versa'));
  });
  it('numbers concatenate as text', () => {
    expect(value('memory = 5\nmemory += 12\n', 'memory')).toBe('"512"');
  });
});

describe('statements and lists', () => {
  it('; separates statements, empty ones are fine, the last may lack a terminator', () => {
    const p = parse('name="h0"; type="hvm";;\n\n  ; memory = 512');
    expect(p.report).toBe('');
    expect(show(p.cfg.find('name')?.value)).toBe('"h0"');
    expect(show(p.cfg.find('type')?.value)).toBe('"hvm"');
    expect(p.cfg.find('memory')?.lineno).toBe(3);
  });
  it('lists: empty, split over lines, nested, trailing comma', () => {
    const p = parse('a = []\nb = [\n]\nc = [ "a", 1, [ "n", [] ], ]\n');
    expect(p.report).toBe('');
    expect(show(p.cfg.find('a')?.value, true)).toBe('[]@1');
    // an empty list is located at the token after `[` (here the `]` on line 3)
    expect(show(p.cfg.find('b')?.value, true)).toBe('[]@3');
    expect(p.cfg.find('b')?.lineno).toBe(2);
    expect(show(p.cfg.find('c')?.value, true)).toBe('["a"@4,"1"@4,["n"@4,[]@4]@4]@4');
  });
  it('an empty input and a blank input parse', () => {
    expect(parse('').ok).toBe(true);
    expect(parse('\n\n   \n# only a comment\n').ok).toBe(true);
  });
  it('after the first error nothing more is stored, but later syntax errors are reported', () => {
    const p = parse('a = 1\nb = X\nc = 2\n\nd = = 3\n');
    expect(p.report).toBe(E(2, Q('X'), 'lexical error') + E(5, Q('='), "syntax error, unexpected '=', expecting STRING or NUMBER or '['"));
    expect(p.cfg.find('a')).toBeDefined();
    expect(p.cfg.find('c')).toBeUndefined();
  });
});

describe('trap 22: command-line overrides are appended config text', () => {
  const file = 'name = "g"\nmemory = 512\n';
  it('override values replace file values and += appends', () => {
    const p = parse(file + '\n' + 'name="foo"\nmemory=2048\nextra += " quiet"\n');
    expect(p.report).toBe('');
    expect(xluCfgGetString(p.cfg, 'name')).toEqual({ ok: true, value: 'foo' });
    expect(p.cfg.find('memory')?.lineno).toBe(5);
  });
  it('a bare word override is a syntax error, numbered after the file', () => {
    expect(parse(file + '\n' + 'name=foo\n').report).toBe(E(4, Q('foo'), "syntax error, unexpected IDENT, expecting STRING or NUMBER or '['"));
  });
});

describe('source name', () => {
  it('every message starts with the source given to xluCfgInit', () => {
    expect(parse('x = y\n', '/etc/xen/guest.cfg').report).toBe(
      "/etc/xen/guest.cfg:1: config parsing error near `y': syntax error, unexpected IDENT, expecting STRING or NUMBER or '['\n",
    );
  });
});

describe('big inputs', () => {
  it('+= on lists of 300,000 items', () => {
    const items = Array.from({ length: 300000 }, (_, i) => String(i)).join(',');
    const p = parse(`l = [${items}]\nl += [${items}]\n`);
    expect(p.ok).toBe(true);
    const l = p.cfg.find('l')?.value;
    expect(l?.type === 'list' && l.values.length).toBe(600000);
  });
});
