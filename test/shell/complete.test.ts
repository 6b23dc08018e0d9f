/** Tab completion at the shell prompt (readline's completer contract). */
import { describe, expect, it } from 'vitest';
import { memoryIo, type Io } from '../../cmd/io';
import { CMD_TABLE } from '../../cmd/xl/commands';
import { complete, domainNamesFromList } from '../../cmd/xlsim/shell-complete';

const LIST =
  'Name                                        ID   Mem VCPUs\tState\tTime(s)\n' +
  'Domain-0                                     0  2048     2     r-----       1.0\n' +
  'web01                                        1   512     1     -b----       0.2\n' +
  'web02                                        2   512     1     -b----       0.2\n' +
  'db                                           3  1024     2     -b----       0.4\n';

const calls: string[][] = [];
const fakeRunTool = async (name: string, io: Io, args: string[]) => {
  calls.push([name, ...args]);
  io.stdout.write(LIST);
  return 0;
};

const io = memoryIo({ XLSIM_HOME: '/nonexistent' });
const c = (line: string) => complete(line, io, fakeRunTool);

describe('shell completion', () => {
  it('completes tool names and builtins first', async () => {
    expect(await c('xe')).toEqual([['xenstore-list', 'xenstore-ls', 'xenstore-read', 'xenstore-rm', 'xenstore-write', 'xentop'], 'xe']);
    expect(await c('xl')).toEqual([['xl', 'xlsim'], 'xl']);
    expect(await c('ex')).toEqual([['exit'], 'ex']);
  });

  it('completes xl subcommands from the command table, after global options too', async () => {
    expect(await c('xl li')).toEqual([['list'], 'li']);
    expect(await c('xl -v cpupool-l')).toEqual([['cpupool-list'], 'cpupool-l']);
    const all = (await c('xl '))[0];
    expect(all).toEqual([...CMD_TABLE.map((s) => s.name), 'help'].sort());
    expect(all.length).toBe(CMD_TABLE.length + 1);
  });

  it("completes a command's options and the host's domain names", async () => {
    expect(await c('xl list --l')).toEqual([['--long'], '--l']);
    calls.length = 0;
    expect(await c('xl pause web')).toEqual([['web01', 'web02'], 'web']);
    expect(calls).toEqual([['xl', 'list']]);
    expect(await c('xl console d')).toEqual([['db'], 'd']);
    expect(await c('xlsim clo')).toEqual([[], 'clo']);
  });

  it('reads names from xl list output', () => {
    expect(domainNamesFromList(LIST)).toEqual(['Domain-0', 'web01', 'web02', 'db']);
    expect(domainNamesFromList('')).toEqual([]);
  });
});
