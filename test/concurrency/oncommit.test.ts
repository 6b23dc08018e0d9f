/**
 * onCommit: effects outside the database follow the transaction's fate.
 */
import { describe, expect, it } from 'vitest';
import { onCommit, withHostSync } from '../../state/session';
import { tmpHome } from '../helpers/cli';

describe('onCommit', () => {
  const env = { XLSIM_HOME: tmpHome(), XLSIM_CLOCK: 'manual' };

  it('runs after COMMIT, in order, once the change is visible', () => {
    const seen: string[] = [];
    withHostSync(env, (s) => {
      s.putRecord('test.x', 1);
      onCommit(() => seen.push(`first:${String(withHostSync(env, (t) => t.getRecord<number>('test.x')))}`));
      onCommit(() => seen.push('second'));
      seen.push('body');
    });
    expect(seen).toEqual(['body', 'first:1', 'second']);
  });

  it('is dropped when the transaction throws or is discarded', () => {
    const seen: string[] = [];
    expect(() =>
      withHostSync(env, () => {
        onCommit(() => seen.push('thrown'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    withHostSync(env, (s) => {
      onCommit(() => seen.push('discarded'));
      s.discard();
    });
    withHostSync(env, () => onCommit(() => seen.push('kept')));
    expect(seen).toEqual(['kept']);
  });

  it('runs at once outside a transaction', () => {
    const seen: string[] = [];
    onCommit(() => seen.push('now'));
    expect(seen).toEqual(['now']);
  });
});
