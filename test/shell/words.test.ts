/** Splitting shell lines into words: the sh subset `xlsim shell` accepts. */
import { describe, expect, it } from 'vitest';
import { splitWords } from '../../cmd/xlsim/shell-words';

function words(line: string, status = 0): string[] {
  const r = splitWords(line, status);
  if (!r.ok) throw new Error(r.error);
  return r.words.map((w) => w.text);
}

describe('splitWords', () => {
  it('splits on blanks and drops empty lines and comments', () => {
    expect(words('  xl   list\t-l  ')).toEqual(['xl', 'list', '-l']);
    expect(words('')).toEqual([]);
    expect(words('   # just a comment')).toEqual([]);
    expect(words('xl list # the domains')).toEqual(['xl', 'list']);
    // # inside a word is not a comment
    expect(words('xenstore-write /a a#b')).toEqual(['xenstore-write', '/a', 'a#b']);
  });

  it('keeps quoted text together, literally in single quotes', () => {
    expect(words(`xl create 'my guest.cfg' "name=\\"a b\\""`)).toEqual(['xl', 'create', 'my guest.cfg', 'name="a b"']);
    expect(words(`echo '$?' "$?" $?`, 3)).toEqual(['echo', '$?', '3', '3']);
    expect(words(`echo 'it''s' "x"'y'z`)).toEqual(['echo', 'its', 'xyz']);
    expect(words(`echo "" ''`)).toEqual(['echo', '', '']);
    expect(words(`echo "a\\b" "\\$x"`)).toEqual(['echo', 'a\\b', '$x']);
  });

  it('makes the character after a backslash literal', () => {
    expect(words('xl create my\\ guest.cfg \\#x')).toEqual(['xl', 'create', 'my guest.cfg', '#x']);
    expect(words('xl \\\nlist')).toEqual(['xl', 'list']);
  });

  it('expands $? only as $?', () => {
    expect(words('echo $?x $x ${?}', 127)).toEqual(['echo', '127x', '$x', '${?}']);
  });

  it('marks words that had no quoting (only a bare >&2 redirects)', () => {
    const r = splitWords(`echo a '>&2' >&2`, 0);
    expect(r.ok && r.words.map((w) => w.bare)).toEqual([true, true, false, true]);
  });

  it('asks for more input inside a quote or after a final backslash', () => {
    expect(splitWords(`echo "abc`, 0)).toMatchObject({ ok: false, incomplete: true });
    expect(splitWords(`echo 'abc`, 0)).toMatchObject({ ok: false, incomplete: true });
    expect(splitWords(`echo abc\\`, 0)).toMatchObject({ ok: false, incomplete: true });
    expect(words(`echo "a\nb"`)).toEqual(['echo', 'a\nb']);
  });
});
