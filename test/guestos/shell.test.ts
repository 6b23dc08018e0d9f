import { describe, expect, it } from 'vitest';
import type { ShellEnv } from '../../lib/guest/os/commands';
import { feed, newShell, splitWords, type ShellState } from '../../lib/guest/os/shell';
import { HVM, makeEnv, PV, PVH } from './fixtures';

const MOTD =
  'Linux pv-guest 6.1.0-28-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22) x86_64\r\n\r\n' +
  'The programs included with the Debian GNU/Linux system are free software;\r\n' +
  'the exact distribution terms for each program are described in the\r\n' +
  'individual files in /usr/share/doc/*/copyright.\r\n\r\n' +
  'Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\r\n' +
  'permitted by applicable law.\r\n';
const P = 'root@pv-guest:~# ';

const TREE = {
  '/local/domain/0/name': 'Domain-0',
  '/local/domain/3/name': 'pv-guest',
  '/local/domain/3/domid': '3',
  '/local/domain/3/memory/target': '1048576',
  '/local/domain/3/memory/static-max': '2097152',
  '/local/domain/3/control/shutdown': '',
};

function loggedIn(env: ShellEnv): ShellState {
  return feed(newShell('pv'), 'root\r', env, 0).state;
}

/** Type a command line and return what the terminal shows. */
function run(cmd: string, env: ShellEnv = makeEnv(PV, {}, TREE)) {
  return feed(loggedIn(env), cmd + '\r', env, 0);
}

describe('login', () => {
  const env = makeEnv(PV);
  it('root logs in without a password and gets the motd and a prompt', () => {
    const r = feed(newShell('pv'), 'root\r', env, 0);
    expect(r.output).toBe('root\r\n' + MOTD + P);
    expect(r.state.mode).toBe('shell');
  });
  it('another user is asked for a password (not echoed) and refused after 2 s', () => {
    const a = feed(newShell('pv'), 'alice\r', env, 0);
    expect(a.output).toBe('alice\r\nPassword: ');
    const b = feed(a.state, 'secret\r', env, 0);
    expect(b.output).toBe('\r\n');
    expect(b.later).toEqual([{ atMs: 2000, channel: 'pv', text: '\r\nLogin incorrect\r\npv-guest login: ' }]);
    expect(b.state.mode).toBe('login');
  });
  it('an empty line asks again', () => {
    expect(feed(newShell('pv'), '\r', env, 0).output).toBe('\r\npv-guest login: ');
  });
  it('Ctrl-D logs out; a fresh getty banner follows', () => {
    const r = feed(loggedIn(env), '\x04', env, 0);
    expect(r.output).toBe('logout\r\n');
    expect(r.later).toEqual([{ atMs: 300, channel: 'pv', text: '\r\nDebian GNU/Linux 12 pv-guest hvc0\r\n\r\npv-guest login: ' }]);
    expect(r.state.mode).toBe('login');
  });
  it('exit does the same', () => {
    const r = run('exit', env);
    expect(r.output).toBe('exit\r\nlogout\r\n');
    expect(r.state.mode).toBe('login');
  });
});

describe('line editing', () => {
  const env = makeEnv(PV);
  it('DEL and BS erase a character; backspace on an empty line prints nothing', () => {
    const r = feed(loggedIn(env), '\x7fecx\x7fho hi\x08\x08hey\r', env, 0);
    expect(r.output).toBe('ecx\b \bho hi\b \b\b \bhey\r\nhey\r\n' + P);
  });
  it('CR LF ends one line, not two', () => {
    const r = feed(loggedIn(env), 'echo a\r\necho b\n', env, 0);
    expect(r.output).toBe('echo a\r\na\r\n' + P + 'echo b\r\nb\r\n' + P);
  });
  it('input may arrive a byte at a time', () => {
    let st = loggedIn(env);
    let out = '';
    for (const ch of 'nproc\r') {
      const r = feed(st, ch, env, 0);
      st = r.state;
      out += r.output;
    }
    expect(out).toBe('nproc\r\n2\r\n' + P);
  });
  it('Ctrl-C drops the line; Ctrl-U erases it; arrow keys are swallowed', () => {
    expect(feed(loggedIn(env), 'abc\x03', env, 0).output).toBe('abc^C\r\n' + P);
    expect(feed(loggedIn(env), 'ab\x15nproc\r', env, 0).output).toBe('ab\b \b\b \bnproc\r\n2\r\n' + P);
    expect(feed(loggedIn(env), '\x1b[Anproc\x1b[D\r', env, 0).output).toBe('nproc\r\n2\r\n' + P);
  });
  it('splits words with quotes', () => {
    expect(splitWords(`echo 'a b' "c\\"d" e\\ f`)).toEqual(['echo', 'a b', 'c"d', 'e f']);
  });
});

describe('commands', () => {
  it('unknown commands answer like bash', () => {
    expect(run('foo').output).toBe('foo\r\n-bash: foo: command not found\r\n' + P);
  });
  it('help lists what the shell understands', () => {
    const out = run('help').output;
    for (const c of ['poweroff', 'echo c > /proc/sysrq-trigger', 'free', 'xenstore-read', 'stress --vm', 'lsblk', 'ip addr']) expect(out).toContain(c);
  });
  it('free -m adds up', () => {
    const out = run('free -m').output;
    expect(out).toBe(
      'free -m\r\n' +
        '               total        used        free      shared  buff/cache   available\r\n' +
        'Mem:             938         109         683           1         144         801\r\n' +
        'Swap:              0           0           0\r\n' +
        P,
    );
    const kib = run('free').output.split('\r\n')[2]!.split(/\s+/).slice(1).map(Number);
    expect(kib[0]).toBe(kib[1]! + kib[2]! + kib[4]!);
  });
  it('free and /proc/meminfo follow the balloon', () => {
    const small = makeEnv(PV, { allocKiB: 512 * 1024 });
    const total = Number(/MemTotal:\s+(\d+) kB/.exec(run('cat /proc/meminfo', small).output)![1]);
    expect(total).toBeLessThan(512 * 1024);
    expect(run('free', small).output).toContain(`Mem:   ${String(total).padStart(13)}`);
    expect(run('grep MemTotal /proc/meminfo').output).toBe('grep MemTotal /proc/meminfo\r\nMemTotal:         960588 kB\r\n' + P);
  });
  it('nproc and /proc/cpuinfo count online vCPUs', () => {
    const env = makeEnv(PV, { onlineVcpus: 3 });
    expect(run('nproc', env).output).toBe('nproc\r\n3\r\n' + P);
    expect(run('grep processor /proc/cpuinfo', env).output).toBe('grep processor /proc/cpuinfo\r\nprocessor\t: 0\r\nprocessor\t: 1\r\nprocessor\t: 2\r\n' + P);
    expect(run('cat /proc/cpuinfo | grep "model name" | head -n 1', env).output).toContain('model name\t: Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz\r\n');
  });
  it('uname', () => {
    expect(run('uname -a').output).toBe('uname -a\r\nLinux pv-guest 6.1.0-28-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22) x86_64 GNU/Linux\r\n' + P);
    expect(run('uname -r').output).toBe('uname -r\r\n6.1.0-28-amd64\r\n' + P);
    expect(run('uname').output).toBe('uname\r\nLinux\r\n' + P);
  });
  it('ip addr shows each vif with its MAC', () => {
    expect(run('ip addr').output).toBe(
      'ip addr\r\n' +
        '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\r\n' +
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\r\n' +
        '    inet 127.0.0.1/8 scope host lo\r\n' +
        '       valid_lft forever preferred_lft forever\r\n' +
        '    inet6 ::1/128 scope host \r\n' +
        '       valid_lft forever preferred_lft forever\r\n' +
        '2: enX0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000\r\n' +
        '    link/ether 00:16:3e:5f:48:e4 brd ff:ff:ff:ff:ff:ff\r\n' +
        '    inet6 fe80::216:3eff:fe5f:48e4/64 scope link \r\n' +
        '       valid_lft forever preferred_lft forever\r\n' +
        P,
    );
    const two = makeEnv({ ...PV, nics: [...PV.nics, { devid: 1, mac: '00:16:3e:00:00:01', ipv4: '192.168.1.20/24' }] });
    const out = run('ip a', two).output;
    expect(out).toContain('3: enX1: <BROADCAST,MULTICAST,UP,LOWER_UP>');
    expect(out).toContain('    link/ether 00:16:3e:00:00:01 brd ff:ff:ff:ff:ff:ff\r\n    inet 192.168.1.20/24 brd 192.168.1.255 scope global enX1\r\n');
  });
  it('lsblk shows the config disks and hot-plugged ones', () => {
    expect(run('lsblk').output).toBe(
      'lsblk\r\n' +
        'NAME    MAJ:MIN RM  SIZE RO TYPE MOUNTPOINTS\r\n' +
        'xvda    202:0    0   10G  0 disk \r\n' +
        '└─xvda1 202:1    0   10G  0 part /\r\n' +
        'xvdb    202:16   0   20G  0 disk \r\n' +
        P,
    );
    const hvm = makeEnv(HVM, { disks: [...HVM.disks, { vdev: 'xvdc', target: '/x.img', sizeMiB: 512 }] });
    const st = feed(newShell('serial'), 'root\r', hvm, 0).state;
    expect(feed(st, 'lsblk\r', hvm, 0).output).toBe(
      'lsblk\r\n' +
        'NAME    MAJ:MIN RM  SIZE RO TYPE MOUNTPOINTS\r\n' +
        'sr0      11:0    1  628M  1 rom  \r\n' +
        'xvda    202:0    0   10G  0 disk \r\n' +
        '└─xvda1 202:1    0   10G  0 part /\r\n' +
        'xvdc    202:32   0  512M  0 disk \r\n' +
        'root@hvm-guest:~# ',
    );
  });
  it('dmesg prints the kernel log', () => {
    const out = run('dmesg | head -n 2').output;
    expect(out).toMatch(/^dmesg \| head -n 2\r\n\[    0\.000000\] Linux version 6\.1\.0-28-amd64 .*\r\n\[    0\.000000\] Command line: root=\/dev\/xvda1 ro console=hvc0\r\nroot@pv-guest:~# $/);
  });
  it('/sys/hypervisor tells the guest type', () => {
    expect(run('cat /sys/hypervisor/guest_type').output).toBe('cat /sys/hypervisor/guest_type\r\nPV\r\n' + P);
    expect(run('cat /nope').output).toBe('cat /nope\r\ncat: /nope: No such file or directory\r\n' + P);
  });
});

describe('xenstore from inside the guest', () => {
  it('reads its own nodes, relative to its home', () => {
    expect(run('xenstore-read name').output).toBe('xenstore-read name\r\npv-guest\r\n' + P);
    expect(run('xenstore-read -p memory/target').output).toBe('xenstore-read -p memory/target\r\nmemory/target: 1048576\r\n' + P);
    expect(run('xenstore-read /local/domain/3/domid').output).toBe('xenstore-read /local/domain/3/domid\r\n3\r\n' + P);
  });
  it("cannot read dom0's nodes", () => {
    expect(run('xenstore-read /local/domain/0/name').output).toBe('xenstore-read /local/domain/0/name\r\nxenstore-read: couldn\'t read path /local/domain/0/name\r\n' + P);
    expect(run('xenstore-ls').output).toBe('xenstore-ls\r\nxenstore-ls: xs_directory (/): Permission denied\r\n' + P);
  });
  it('lists its home like xenstore-ls', () => {
    expect(run('xenstore-ls /local/domain/3').output).toBe(
      'xenstore-ls /local/domain/3\r\nname = "pv-guest"\r\ndomid = "3"\r\nmemory = ""\r\n target = "1048576"\r\n static-max = "2097152"\r\ncontrol = ""\r\n shutdown = ""\r\n' + P,
    );
    expect(run('xenstore-list memory').output).toBe('xenstore-list memory\r\ntarget\r\nstatic-max\r\n' + P);
    expect(run('xenstore-read nope').output).toBe("xenstore-read nope\r\nxenstore-read: couldn't read path nope\r\n" + P);
  });
});

describe('power and crash', () => {
  it('poweroff on PV: systemd stops, "reboot: Power down", SCHEDOP_shutdown(poweroff)', () => {
    const r = run('poweroff');
    expect(r.output).toBe('poweroff\r\n');
    expect(r.state.mode).toBe('down');
    const text = r.later.map((c) => c.text).join('');
    expect(text).toContain('Reached target poweroff.target - System Power-Off.');
    expect(text).toMatch(/\] systemd-shutdown\[1\]: Powering off\.\r\n\[\s*\d+\.\d{6}\] reboot: Power down\r\n$/);
    expect(r.actions).toHaveLength(1);
    expect(r.actions[0]).toMatchObject({ kind: 'shutdown', reason: 'poweroff', via: 'sched_op' });
    const last = Math.max(...r.later.map((c) => c.atMs));
    expect(r.actions[0]!.atMs).toBeGreaterThan(last);
    expect(r.dmesg.at(-1)).toMatch(/^\[  12\d\.\d{6}\] reboot: Power down$/);
    // nothing more is read once the system is going down
    expect(feed(r.state, 'nproc\r', makeEnv(PV), 10).output).toBe('');
  });
  it('shutdown -h now is poweroff; shutdown -r now and reboot restart', () => {
    expect(run('shutdown -h now').actions[0]).toMatchObject({ kind: 'shutdown', reason: 'poweroff' });
    expect(run('shutdown -r now').actions[0]).toMatchObject({ kind: 'shutdown', reason: 'reboot', via: 'sched_op' });
    const r = run('reboot');
    expect(r.actions[0]).toMatchObject({ kind: 'shutdown', reason: 'reboot', via: 'sched_op' });
    expect(r.later.at(-1)!.text).toMatch(/reboot: Restarting system\r\n$/);
    expect(run('shutdown').output).toBe("shutdown\r\nShutdown scheduled, use 'shutdown -c' to cancel.\r\n" + P);
  });
  it('halt: a PV kernel asks Xen to power off; HVM and PVH kernels just stop', () => {
    const pv = run('halt');
    expect(pv.later.at(-1)!.text).toMatch(/reboot: System halted\r\n$/);
    expect(pv.actions[0]).toMatchObject({ kind: 'shutdown', reason: 'poweroff', via: 'sched_op' });
    expect(run('halt', makeEnv(PVH)).actions[0]).toMatchObject({ kind: 'halt' });
    expect(run('halt', makeEnv(HVM)).actions[0]).toMatchObject({ kind: 'halt' });
  });
  it('HVM poweroff and reboot reach Xen through ACPI and reset', () => {
    const hvm = makeEnv(HVM);
    const p = run('poweroff', hvm);
    expect(p.actions[0]).toMatchObject({ kind: 'shutdown', reason: 'poweroff', via: 'acpi' });
    expect(p.later.every((c) => c.channel === 'serial')).toBe(true);
    expect(run('reboot', hvm).actions[0]).toMatchObject({ kind: 'shutdown', reason: 'reboot', via: 'reset' });
  });
  it('echo c > /proc/sysrq-trigger panics and reports a crash', () => {
    const r = run('echo c > /proc/sysrq-trigger');
    expect(r.output).toBe('echo c > /proc/sysrq-trigger\r\n');
    expect(r.state.mode).toBe('down');
    const text = r.later.map((c) => c.text).join('');
    expect(text).toContain('[  123.456000] sysrq: Trigger a crash\r\n');
    expect(text).toContain('[  123.457000] Kernel panic - not syncing: sysrq triggered crash\r\n');
    expect(text).toContain('[  123.457000] CPU: 0 PID: 612 Comm: bash Not tainted 6.1.0-28-amd64 #1  Debian 6.1.119-1\r\n');
    expect(text).toContain(' write_sysrq_trigger+0x24/0x40\r\n');
    expect(text).toMatch(/Kernel Offset: disabled\r\n$/);
    expect(r.actions).toEqual([{ atMs: 5, kind: 'shutdown', reason: 'crash', via: 'sched_op' }]);
  });
  it('other SysRq keys through /proc keep the shell', () => {
    const r = run('echo s > /proc/sysrq-trigger');
    expect(r.output).toBe('echo s > /proc/sysrq-trigger\r\n' + P);
    expect(r.later.map((c) => c.text)).toEqual(['[  123.456000] sysrq: Emergency Sync\r\n', '[  123.468000] sysrq: Emergency Sync complete\r\n']);
    expect(r.actions).toEqual([]);
  });
});

describe('memory-dirtying workload', () => {
  it('stress runs until Ctrl-C and sets the dirty rate', () => {
    const env = makeEnv(PV);
    const r = run('stress --vm 1 --vm-bytes 512M', env);
    expect(r.output).toBe('stress --vm 1 --vm-bytes 512M\r\nstress: info: [612] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\r\n');
    expect(r.actions).toEqual([{ atMs: 0, kind: 'workload', dirtyRateMiBs: 1024, wssMiB: 512 }]);
    expect(r.state.mode).toBe('busy');
    const typed = feed(r.state, 'ls\r', env, 1000);
    expect(typed.output).toBe('ls\r\n');
    expect(typed.state.mode).toBe('busy');
    const c = feed(typed.state, '\x03', env, 2000);
    expect(c.output).toBe('^C\r\n' + P);
    expect(c.actions).toEqual([{ atMs: 0, kind: 'workload', dirtyRateMiBs: 0, wssMiB: 0 }]);
    expect(c.state.mode).toBe('shell');
  });
  it('stress --timeout ends by itself', () => {
    const env = makeEnv(PV);
    const r = feed(loggedIn(env), 'stress --vm 2 --vm-bytes 128M --timeout 10s\r', env, 5000);
    expect(r.actions).toEqual([
      { atMs: 0, kind: 'workload', dirtyRateMiBs: 1024, wssMiB: 256 },
      { atMs: 10000, kind: 'workload', dirtyRateMiBs: 0, wssMiB: 0 },
    ]);
    expect(r.later).toEqual([{ atMs: 10000, channel: 'pv', text: 'stress: info: [612] successful run completed in 10s\r\n' + P }]);
    expect(feed(r.state, 'x', env, 9000).state.mode).toBe('busy');
    expect(feed(r.state, 'nproc\r', env, 15000).output).toBe('nproc\r\n2\r\n' + P);
  });
  it('stress asking for more than the guest has meets the OOM killer', () => {
    const r = run('stress --vm 2 --vm-bytes 800M');
    expect(r.actions.map((a) => a.atMs)).toEqual([0, 800]);
    expect(r.later.map((c) => c.text).join('')).toContain('Out of memory: Killed process 613 (stress)');
    expect(r.later.at(-1)!.text).toContain('stress: FAIL: [612] (461) failed run completed in 1s\r\n' + P);
  });
  it('memhog dirties its size and exits', () => {
    const r = run('memhog -r4 256M');
    expect(r.actions).toEqual([
      { atMs: 0, kind: 'workload', dirtyRateMiBs: 512, wssMiB: 256 },
      { atMs: 2000, kind: 'workload', dirtyRateMiBs: 0, wssMiB: 0 },
    ]);
    expect(r.state.mode).toBe('busy');
  });
});

describe('xenstore-ls on an 80-column terminal', () => {
  it('cuts long values the way xenstore-ls does', () => {
    const long = 'x'.repeat(100);
    const env = makeEnv(PV, {}, { '/local/domain/3/data/blob': long });
    const out = run('xenstore-ls data', env).output.split('\r\n');
    // max_width = 78; "blob" is 4 wide; 78 - strlen(' = "..."') - 4 = 66 characters kept
    expect(out[1]).toBe(`blob = "${'x'.repeat(66)}\\..."`);
    expect(run('xenstore-ls /local/domain/3', env).output.split('\r\n')[2]).toBe(` blob = "${'x'.repeat(65)}\\..."`);
  });
});
