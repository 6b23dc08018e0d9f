/**
 * `xlsim shell` on a terminal (driven through tmux): the prompt names the
 * host, Tab completes xl subcommands and domain names, a command typed over
 * several lines is one history entry, ^C drops the line ($? 130), history
 * is kept in $XLSIM_HOME/shell_history, `exit N` ends with N.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePath, prepareBundle, separate, shellEnv, tmpDir } from './run';

const noTmux = spawnSync('tmux', ['-V']).status !== 0;
if (noTmux) console.warn('test/shell/tty.test.ts: tmux is not installed; the prompt is not driven');

const server = `xlsim-shell-${process.pid}`;
const tmux = (...a: string[]) => spawnSync('tmux', ['-L', server, ...a], { encoding: 'utf8' });
let home: string;

/** The pane's text (tmux drops trailing blanks: a prompt reads "xlsim(default)#"). */
function screen(): string {
  return tmux('capture-pane', '-p', '-t', 's').stdout;
}

/** Waits until the pane shows `want`; returns the screen either way. */
function waitPane(want: RegExp): string {
  const deadline = Date.now() + 15_000;
  let s = '';
  while (Date.now() < deadline) {
    s = screen();
    if (want.test(s)) return s;
    spawnSync('sleep', ['0.1']);
  }
  return s;
}

beforeAll(async () => {
  if (noTmux) return;
  await prepareBundle();
  home = tmpDir('xlsim-shell-tty-');
  const env = shellEnv(home);
  expect(separate('xlsim', ['host', 'create', 'default', '--seed', '1'], env, home).code).toBe(0);
  fs.writeFileSync(path.join(home, 'web01.cfg'), 'type = "pv"\nname = "web01"\nmemory = 128\nkernel = "/k"\n');
  expect(separate('xl', ['create', '-q', 'web01.cfg'], env, home).code).toBe(0);
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  // the pane stays after the shell ends, showing its status
  const cmd = `env -i ${vars.map((v) => `'${v}'`).join(' ')} ${process.execPath} ${bundlePath()} shell; echo SHELL-EXIT=$?; sleep 60`;
  expect(tmux('new-session', '-d', '-s', 's', '-x', '120', '-y', '40', '-c', home, cmd).status).toBe(0);
});

afterAll(() => {
  if (!noTmux) tmux('kill-server');
});

describe.skipIf(noTmux)('xlsim shell on a terminal', () => {
  it('prompts, completes, keeps history and exits with the given status', () => {
    expect(waitPane(/xlsim\(default\)# ?$/m)).toMatch(/^xlsim\(default\)# ?$/m);
    tmux('send-keys', '-t', 's', 'xl li', 'Tab');
    expect(waitPane(/# xl list ?$/m)).toMatch(/^xlsim\(default\)# xl list ?$/m);
    tmux('send-keys', '-t', 's', 'Enter');
    expect(waitPane(/^web01 .* r-----/m)).toMatch(/^web01 +1 +128 +1 +r----- +0\.0$/m);
    tmux('send-keys', '-t', 's', 'xl pause w', 'Tab');
    expect(waitPane(/# xl pause web01 ?$/m)).toMatch(/# xl pause web01 ?$/m);
    tmux('send-keys', '-t', 's', 'Enter', 'xl list web01', 'Enter');
    expect(waitPane(/^web01 .* --p---/m)).toMatch(/^web01 +1 +128 +1 +--p--- +0\.0$/m);
    tmux('send-keys', '-t', 's', 'echo "two', 'Enter');
    expect(waitPane(/^> ?$/m)).toMatch(/^> ?$/m);
    tmux('send-keys', '-t', 's', 'lines"', 'Enter');
    expect(waitPane(/^two\nlines\nxlsim\(default\)# ?$/m)).toMatch(/^two\nlines\nxlsim\(default\)# ?$/m);
    tmux('send-keys', '-t', 's', 'xl domid web01', 'C-c');
    // wait for the fresh prompt too: it is drawn a moment after the ^C
    expect(waitPane(/xl domid web01\^C\nxlsim\(default\)# ?$/m)).toMatch(/xl domid web01\^C\nxlsim\(default\)# ?$/m);
    tmux('send-keys', '-t', 's', 'echo $?', 'Enter');
    expect(waitPane(/^130$/m)).toMatch(/^130$/m);
    // Up twice: past `echo $?` to the two-line echo, recalled whole
    tmux('send-keys', '-t', 's', 'Up', 'Up', 'Enter');
    expect(waitPane(/(two\nlines\n[^]*){2}/)).toMatch(/(^two\nlines\n[^]*){2}/m);
    tmux('send-keys', '-t', 's', 'exit 4', 'Enter');
    expect(waitPane(/SHELL-EXIT=/)).toMatch(/^SHELL-EXIT=4$/m);
    expect(fs.readFileSync(path.join(home, 'shell_history'), 'utf8')).toBe('xl list\nxl pause web01\nxl list web01\necho $?\nexit 4\n');
  });
});
