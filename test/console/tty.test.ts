/**
 * `xl console` and `xl create -c` on a real terminal, driven through a
 * private tmux server: raw mode in, the terminal restored on the way out
 * (compared with `stty -a`), Ctrl-] / -e detaching with status 0, and
 * xenconsole's lock refusing a second client.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasTmux, lab, Tmux, XL } from './helpers';

const tmuxes: Tmux[] = [];
afterEach(() => {
  for (const t of tmuxes.splice(0)) t.kill();
});

function start(env: Record<string, string>): Tmux {
  const t = new Tmux(env);
  tmuxes.push(t);
  return t;
}

describe.skipIf(!hasTmux())('console on a terminal', () => {
  it('xl create -c: boot, login, free -m, poweroff → on_poweroff, console gone, terminal restored', async () => {
    const l = lab();
    const t = start(l.env);
    const before = path.join(l.home, 'stty-before');
    const after = path.join(l.home, 'stty-after');
    t.line(`stty -a > ${before}; ${XL} create -c configs/pv-guest.cfg; echo "rc=$?"; stty -a > ${after}`);
    await t.waitFor((s) => s.includes('pv-guest login: '), 'the login prompt');
    expect(t.screen()).toContain('Parsing config from configs/pv-guest.cfg\n\nDebian GNU/Linux 12 pv-guest hvc0\n\npv-guest login: ');
    t.line('root');
    await t.waitFor((s) => s.includes('root@pv-guest:~# '), 'the shell prompt');
    t.line('free -m');
    await t.waitFor((s) => /Swap: +0 +0 +0\nroot@pv-guest:~# $/m.test(s.trimEnd() + ' '), 'free -m');
    expect(t.screen()).toMatch(/ +total +used +free +shared +buff\/cache +available\nMem: +\d+ +\d+ +\d+ +\d+ +\d+ +\d+\n/);
    t.line('poweroff');
    const s = await t.waitFor((x) => x.includes('rc=0'), 'xl create -c to end');
    // the uptime depends on when the keys arrived in simulated time
    expect(s).toMatch(/root@pv-guest:~# poweroff\n\[ +\d+\.\d{6}\] reboot: Power down\nrc=0/);
    await t.waitFor(() => fs.existsSync(after) && fs.readFileSync(after, 'utf8').length > 0, 'stty after');
    expect(fs.readFileSync(after, 'utf8')).toBe(fs.readFileSync(before, 'utf8'));
    expect(l.xl(['list']).stdout).not.toContain('pv-guest');
  });

  it('Ctrl-] detaches with status 0 and the terminal restored; a second client is locked out', async () => {
    const l = lab();
    expect(l.xl(['create', 'configs/pv-guest.cfg']).code).toBe(0);
    const t = start(l.env);
    const before = path.join(l.home, 'stty-before');
    const after = path.join(l.home, 'stty-after');
    t.line(`stty -a > ${before}; ${XL} console pv-guest; echo "rc=$?"; stty -a > ${after}`);
    await t.waitFor((s) => s.includes('pv-guest login: '), 'the login prompt');
    // raw mode while attached
    const second = t.window();
    t.line(`${XL} console pv-guest; echo "second=$?"`, second);
    const s2 = await t.waitFor((s) => /^second=\d+/m.test(s), 'the second client to fail', 8000, second);
    expect(s2).toContain('xenconsole: Could not lock /var/lock/xenconsole.1: Resource temporarily unavailable\nsecond=11');
    t.keys(['C-]']);
    await t.waitFor((s) => s.includes('rc=0'), 'detach');
    await t.waitFor(() => fs.existsSync(after) && fs.readFileSync(after, 'utf8').length > 0, 'stty after');
    expect(fs.readFileSync(after, 'utf8')).toBe(fs.readFileSync(before, 'utf8'));
    // detached, not stopped: the guest runs on, and the lock is free again
    expect(l.xl(['list', 'pv-guest']).code).toBe(0);
    t.line(`${XL} console -e '^a' pv-guest; echo "again=$?"`);
    // what was shown before is not shown again; the guest answers new keys
    await new Promise((r) => setTimeout(r, 300));
    t.line('root');
    await t.waitFor((s) => s.includes('root@pv-guest:~# '), 'the shell on the reattached console');
    t.keys(['C-a']);
    await t.waitFor((s) => s.includes('again=0'), 'detach with -e');
  });

  it('SIGTERM and the domain dying both restore the terminal', async () => {
    const l = lab();
    expect(l.xl(['create', 'configs/pv-guest.cfg']).code).toBe(0);
    const t = start(l.env);
    const before = path.join(l.home, 'stty-before');
    const after = path.join(l.home, 'stty-after');
    t.line(`stty -a > ${before}; ${XL} console pv-guest & sleep 0.2; fg; echo "rc=$?"; stty -a > ${after}`);
    await t.waitFor((s) => s.includes('pv-guest login: '), 'the login prompt');
    // the domain goes away under the client: it leaves quietly
    expect(l.sh(`${XL} destroy pv-guest`).code).toBe(0);
    await t.waitFor((s) => s.includes('rc=0'), 'the client to leave');
    await t.waitFor(() => fs.existsSync(after) && fs.readFileSync(after, 'utf8').length > 0, 'stty after');
    expect(fs.readFileSync(after, 'utf8')).toBe(fs.readFileSync(before, 'utf8'));

    expect(l.xl(['create', 'configs/pvh-guest.cfg']).code).toBe(0);
    fs.rmSync(after);
    const pidFile = path.join(l.home, 'console.pid');
    t.line(`${XL} console pvh-guest & echo $! > ${pidFile}; fg; echo "rc2=$?"; stty -a > ${after}`);
    await t.waitFor((s) => s.includes('pvh-guest login: '), 'the pvh login prompt');
    // the client this test started, by its pid
    process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGTERM');
    await t.waitFor((s) => s.includes('rc2=0'), 'SIGTERM');
    await t.waitFor(() => fs.existsSync(after) && fs.readFileSync(after, 'utf8').length > 0, 'stty after');
    expect(fs.readFileSync(after, 'utf8')).toBe(fs.readFileSync(before, 'utf8'));
  });
});
