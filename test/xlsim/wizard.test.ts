/**
 * `xlsim wizard`: driven end to end through tmux (a real terminal for
 * @inquirer/prompts), its file checked by `xl create -n` and then created;
 * and every refusal when there is no terminal or the output is unusable.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { BIN } from '../helpers/cli';
import { emptyLab, res, type Lab } from './fixture';

let lab: Lab;
beforeAll(() => {
  lab = emptyLab();
});

const NO_TTY = 'xlsim: wizard: needs an interactive terminal (stdin and stdout must be a TTY); write the config by hand instead (see xl.cfg(5))\n';

describe('without a terminal', () => {
  test('refuses with a clear message and writes nothing', () => {
    expect(lab.xlsim('wizard', 'w.cfg')).toEqual(res('', NO_TTY, 1));
    expect(lab.xlsim('wizard')).toEqual(res('', NO_TTY, 1));
    expect(fs.existsSync(path.join(lab.home, 'w.cfg'))).toBe(false);
  });

  test('under CI', () => {
    const r = spawnSync(process.execPath, [path.join(BIN, 'xlsim.cjs'), 'wizard'], { env: { ...lab.env, PATH: process.env.PATH, CI: 'true' }, encoding: 'utf8' });
    expect({ stdout: r.stdout, stderr: r.stderr, code: r.status }).toEqual(
      res('', 'xlsim: wizard: refusing to prompt under CI (the CI variable is set); write the config by hand instead (see xl.cfg(5))\n', 1),
    );
  });

  test('an unusable output path is refused before any question', () => {
    expect(lab.xlsim('wizard', 'no/such/dir/w.cfg')).toEqual(res('', `xlsim: cannot write no/such/dir/w.cfg: no such directory ${path.join(lab.home, 'no/such/dir')}\n`, 1));
    fs.mkdirSync(path.join(lab.home, 'adir'), { recursive: true });
    expect(lab.xlsim('wizard', 'adir')).toEqual(res('', 'xlsim: cannot write adir: it is a directory\n', 1));
    expect(lab.xlsim('wizard', '')).toEqual(res('', 'xlsim: the output file name is empty\n', 1));
  });
});

function have(cmd: string, arg: string): boolean {
  const r = spawnSync(cmd, [arg], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
}
const noTmux = !have('tmux', '-V');
if (noTmux) console.warn('test/xlsim/wizard.test.ts: tmux is not installed; the wizard is not driven interactively');

/** A wizard running in a private tmux server; keys go in, the screen comes out. */
class Term {
  private readonly server = `xlsim-wiz-${process.pid}-${Math.floor(Math.random() * 1e9)}`;

  constructor(args: string[]) {
    const envs = Object.entries({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: 'UTC', TERM: 'xterm-256color', ...lab.env }).map(([k, v]) => `${k}=${v}`);
    const cmd = `${process.execPath} ${path.join(BIN, 'xlsim.cjs')} wizard ${args.join(' ')}; echo "EXIT=$?"; sleep 600`;
    const r = this.tmux('new-session', '-d', '-s', 'w', '-x', '160', '-y', '50', '-c', lab.home, 'env', '-i', ...envs, 'sh', '-c', cmd);
    expect(r.status).toBe(0);
  }

  tmux(...a: string[]) {
    return spawnSync('tmux', ['-L', this.server, ...a], { encoding: 'utf8' });
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'w').stdout;
  }

  /** Waits until the screen matches, then returns it. */
  async see(want: RegExp): Promise<string> {
    const deadline = Date.now() + 15_000;
    let s = '';
    while (Date.now() < deadline) {
      s = this.screen();
      if (want.test(s)) return s;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(s).toMatch(want);
    return s;
  }

  /** Answers the question on screen: waits for it, then types. */
  async answer(question: RegExp, ...keys: string[]): Promise<void> {
    await this.see(question);
    for (const k of keys) this.tmux('send-keys', '-t', 'w', ...(k.length > 1 && /^[A-Z]/.test(k) && !k.includes('/') ? [k] : ['-l', k]));
  }

  close(): void {
    this.tmux('kill-server');
  }
}

const Q = (text: string) => new RegExp(`^\\? ${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm');

describe.skipIf(noTmux)('driven through a terminal', () => {
  test('HVM with a disk, a NIC, devices and altp2m: the file passes xl create -n and boots', async () => {
    const t = new Term(['web1.cfg']);
    try {
      await t.answer(Q('Guest type'), 'Down', 'Enter');
      await t.answer(Q('Name'), '12', 'Enter');
      await t.see(/a name that is a number would be taken for a domain id/);
      await t.answer(/a name that is a number/, 'BSpace', 'BSpace', 'web1', 'Enter');
      await t.answer(Q('Memory (MiB)'), 'BSpace', 'BSpace', 'BSpace', 'BSpace', '768', 'Enter');
      await t.answer(Q('vCPUs'), 'Enter');
      await t.answer(Q('Firmware'), 'Down', 'Enter');
      await t.answer(Q('Disk xvda: image or device on dom0'), 'disk.img', 'Enter');
      await t.answer(/the disk must be an absolute path on dom0/, ...Array<string>(8).fill('BSpace'), '/srv/web1.img', 'Enter');
      await t.answer(Q('Disk xvda: format'), 'Down', 'Enter');
      await t.answer(Q('Disk xvda: access'), 'Enter');
      await t.answer(Q('Disk xvdb: image or device on dom0'), 'Enter');
      await t.answer(Q('Network interfaces'), 'Enter');
      await t.answer(Q('NIC 0: bridge in dom0'), 'Enter');
      await t.answer(Q('NIC 0: emulated card'), 'Enter');
      // untick standard VGA: cirrus stays
      await t.answer(Q('Devices'), 'Down', 'Space', 'Enter');
      await t.answer(Q('altp2m (alternate p2m views)'), 'Down', 'Down', 'Enter');
      const end = await t.see(/^EXIT=\d+$/m);
      expect(end).toMatch(/^✔ altp2m \(alternate p2m views\) external$/m);
      expect(end).toContain('Wrote web1.cfg. Check it with: xl create -n web1.cfg\nStart the guest with: xl create web1.cfg\nEXIT=0\n');
    } finally {
      t.close();
    }
    const file = fs.readFileSync(path.join(lab.home, 'web1.cfg'), 'utf8');
    expect(file).toBe(
      [
        '# web1: an HVM guest, written by xlsim wizard.',
        '# Check it with `xl create -n FILE`, start it with `xl create FILE`; see xl.cfg(5).',
        '',
        '# HVM: a full emulated PC (firmware, QEMU devices); PV drivers can take over later.',
        'type = "hvm"',
        '',
        '# The name xl and xenstore know the guest by (must be unique on the host).',
        'name = "web1"',
        '',
        '# Initial memory in MiB (maxmem defaults to the same: no populate-on-demand).',
        'memory = 768',
        '',
        '# Virtual CPUs.',
        'vcpus = 2',
        '',
        '# UEFI firmware (OVMF) instead of the default SeaBIOS.',
        'bios = "ovmf"',
        '',
        '# Disks: target (image or device on dom0), guest device name, format and access.',
        'disk = [',
        '    "format=qcow2, vdev=xvda, access=rw, target=/srv/web1.img",',
        ']',
        '',
        '# Network interfaces: each is a vif in the guest, plugged into a bridge in dom0.',
        'vif = [',
        '    "bridge=xenbr0,model=e1000",',
        ']',
        '',
        '# Graphics card QEMU emulates: "stdvga" (VBE, high resolutions) or "cirrus".',
        'vga = "cirrus"',
        '# VNC server for the emulated screen (QEMU, in dom0).',
        'vnc = 1',
        '# An emulated serial port, reachable with `xl console -t serial`.',
        'serial = "pty"',
        '',
        '# altp2m: alternate guest-physical views (EPT views switched by VMFUNC or by an',
        '# external agent). The host needs altp2m=1 on the Xen command line and HAP.',
        'altp2m = "external"',
        '# How many views: libxl defaults to 10 only for HVM; a PVH guest needs it set.',
        'altp2m_count = 10',
        '',
        '# What happens when the guest powers off, reboots or crashes.',
        'on_poweroff = "destroy"',
        'on_reboot = "restart"',
        'on_crash = "destroy"',
        '',
      ].join('\n'),
    );
    const dry = lab.xl('create', '-n', 'web1.cfg');
    expect(dry.stderr).toBe('Parsing config from web1.cfg\n');
    expect(dry.code).toBe(0);
    const cfg = JSON.parse(dry.stdout) as { c_info: Record<string, unknown>; b_info: Record<string, unknown> };
    expect(cfg.c_info).toMatchObject({ type: 'hvm', name: 'web1' });
    expect(cfg.b_info).toMatchObject({ max_memkb: 768 * 1024, max_vcpus: 2, altp2m: 'external', altp2m_count: 10, 'type.hvm': { bios: 'ovmf' } });
    expect(lab.xl('create', 'web1.cfg')).toMatchObject({ code: 0 });
    expect(lab.xlsim('inspect', 'web1', 'emulation').stdout).toContain('  NIC 0                -device e1000,');
    // the guest Xen built has the views the file asked for
    expect(lab.xlsim('inspect', 'web1', 'paging').stdout).toContain('altp2m:           external, 10 views; host altp2m=1\n');
  });

  test('PVH, output file asked for; an existing file is kept unless confirmed', async () => {
    fs.writeFileSync(path.join(lab.home, 'app1.cfg'), 'keep me\n');
    const t = new Term([]);
    try {
      await t.answer(Q('Guest type'), 'Enter');
      await t.answer(Q('Name'), 'app1', 'Enter');
      await t.answer(Q('Memory (MiB)'), 'Enter');
      await t.answer(Q('vCPUs'), 'BSpace', '1', 'Enter');
      await t.answer(Q('Kernel (path on dom0)'), 'Enter');
      await t.answer(Q('Initial ramdisk'), '/boot/initrd.img', 'Enter');
      await t.answer(Q('Kernel command line'), 'Enter');
      await t.answer(Q('Disk xvda: image or device on dom0'), 'Enter');
      await t.answer(Q('Network interfaces'), 'BSpace', '0', 'Enter');
      await t.answer(Q('altp2m (alternate p2m views)'), 'Down', 'Enter');
      await t.answer(Q('Write to'), 'Enter');
      await t.answer(Q('app1.cfg exists. Overwrite it?'), 'n', 'Enter');
      const end = await t.see(/^EXIT=\d+$/m);
      expect(end).toContain('xlsim: wizard: not overwriting; nothing written\nEXIT=1\n');
    } finally {
      t.close();
    }
    expect(fs.readFileSync(path.join(lab.home, 'app1.cfg'), 'utf8')).toBe('keep me\n');

    const again = new Term([]);
    try {
      await again.answer(Q('Guest type'), 'Enter');
      await again.answer(Q('Name'), 'app1', 'Enter');
      await again.answer(Q('Memory (MiB)'), 'Enter');
      await again.answer(Q('vCPUs'), 'Enter');
      await again.answer(Q('Kernel (path on dom0)'), 'Enter');
      await again.answer(Q('Initial ramdisk'), 'Enter');
      await again.answer(Q('Kernel command line'), 'Enter');
      await again.answer(Q('Disk xvda: image or device on dom0'), 'Enter');
      await again.answer(Q('Network interfaces'), 'Enter');
      await again.answer(Q('NIC 0: bridge in dom0'), 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'br lan', 'Enter');
      await again.answer(/a bridge name: letters, digits/, ...Array<string>(6).fill('BSpace'), 'brlan', 'Enter');
      await again.answer(Q('altp2m (alternate p2m views)'), 'Down', 'Enter');
      await again.answer(Q('Write to'), 'Enter');
      await again.answer(Q('app1.cfg exists. Overwrite it?'), 'y', 'Enter');
      expect(await again.see(/^EXIT=\d+$/m)).toContain('Wrote app1.cfg. Check it with: xl create -n app1.cfg\n');
    } finally {
      again.close();
    }
    const text = fs.readFileSync(path.join(lab.home, 'app1.cfg'), 'utf8');
    expect(text).toContain('type = "pvh"\n');
    expect(text).toContain('kernel = "/boot/vmlinuz"\n# The kernel command line.\ncmdline = "root=/dev/xvda1 ro console=hvc0"\n');
    expect(text).toContain('vif = [\n    "bridge=brlan",\n]\n');
    expect(text).toContain('altp2m = "mixed"\n# How many views: libxl defaults to 10 only for HVM; a PVH guest needs it set.\naltp2m_count = 10\n');
    const dry = lab.xl('create', '-n', 'app1.cfg');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ c_info: { type: 'pvh', name: 'app1' }, b_info: { altp2m: 'mixed', altp2m_count: 10, kernel: '/boot/vmlinuz', cmdline: 'root=/dev/xvda1 ro console=hvc0' } });
    expect(lab.xl('create', 'app1.cfg').code).toBe(0);
    expect(lab.xl('list', 'app1').code).toBe(0);
    expect(lab.xlsim('inspect', 'app1').stdout).toContain('altp2m:           mixed, 10 views\n');
  });

  test('Ctrl-C leaves nothing behind', async () => {
    const t = new Term(['gone.cfg']);
    try {
      await t.answer(Q('Guest type'), 'Down', 'Down', 'Enter');
      await t.answer(Q('Name'), 'gone', 'Enter');
      await t.answer(Q('Memory (MiB)'), 'C-c');
      expect(await t.see(/^EXIT=\d+$/m)).toContain('xlsim: wizard cancelled; nothing written\nEXIT=130\n');
    } finally {
      t.close();
    }
    expect(fs.existsSync(path.join(lab.home, 'gone.cfg'))).toBe(false);
  });
});
