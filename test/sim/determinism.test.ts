/**
 * Same seed, same commands, manual clock: byte-identical output, whatever
 * the machine's clock does meanwhile.
 */
import { expect, test } from 'vitest';
import { runTool, tmpHome } from '../helpers/cli';

function session(seed: string): string[] {
  const env = { XLSIM_HOME: tmpHome(), XLSIM_CLOCK: 'manual', XLSIM_SEED: seed };
  const steps: [string, string[]][] = [
    ['xenstore-ls', ['-p']],
    ['xlsim', ['clock', 'advance', '2s']],
    ['xenstore-write', ['/t/a', 'x']],
    ['xlsim', ['clock', 'advance', '1m']],
    ['xlsim', ['clock']],
    ['xenstore-ls', ['-f', '-p']],
  ];
  return steps.map(([tool, args]) => {
    const r = runTool(tool, args, { env });
    return `${tool} ${args.join(' ')}\n${r.code}\n${r.stdout}\n${r.stderr}`;
  });
}

test('two runs of the same script print the same bytes', async () => {
  const a = session('1234');
  await new Promise((r) => setTimeout(r, 50));
  const b = session('1234');
  expect(b).toEqual(a);
  expect(a[4]).toContain('now:      62.000000000 s since boot\n');
});
