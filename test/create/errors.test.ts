/**
 * Every error row of xl-commands.md §3.1 (and the key errors of xl-cfg.md
 * §2) with exact stderr, empty stdout and xl's exit status.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandHelpText } from './help-text';
import { scratch } from './util';

const P = (f: string) => `Parsing config from ${f}\n`;

/** run `xl create -n g.cfg` on `text` */
function dry(text: string, extra: string[] = []) {
  const s = scratch();
  s.write('g.cfg', text);
  return s.xl(['create', '-n', 'g.cfg', ...extra]);
}

function fails(text: string, code: number, msg: string) {
  expect(dry(text)).toEqual({ code, stdout: '', stderr: P('g.cfg') + msg });
}

describe('xl create: argument and file errors', () => {
  it('unreadable file: exit 3, no Parsing line', () => {
    const s = scratch();
    expect(s.xl(['create', 'guest.cfg'])).toEqual({
      code: 3,
      stdout: '',
      stderr: 'Failed to read config file: guest.cfg: No such file or directory\n',
    });
  });

  it('a directory is not a plain file: libxl says so, xl reports ENOTTY', () => {
    const s = scratch();
    fs.mkdirSync(path.join(s.dir, 'd.cfg'));
    expect(s.xl(['create', '-n', 'd.cfg'])).toEqual({
      code: 3,
      stdout: '',
      stderr:
        'libxl: error: libxl_utils.c:348:libxl_read_file_contents: d.cfg is not a plain file: Success\n' +
        'Failed to read config file: d.cfg: Inappropriate ioctl for device\n',
    });
  });

  it('no config file: exit 6', () => {
    const s = scratch();
    expect(s.xl(['create'])).toEqual({ code: 6, stdout: '', stderr: 'Config file not specified and none in save file\n' });
    expect(s.xl(['create', '-n', 'memory=1'])).toEqual({ code: 6, stdout: '', stderr: 'Config file not specified and none in save file\n' });
  });

  it('a second config file: help on stdout, exit 2', () => {
    const s = scratch();
    expect(s.xl(['create', 'a.cfg', 'b.cfg'])).toEqual({ code: 2, stdout: commandHelpText('create'), stderr: '' });
  });

  it('an unknown option: exit 2', () => {
    const s = scratch();
    expect(s.xl(['create', '-z', 'a.cfg'])).toEqual({ code: 2, stdout: '', stderr: "option `z' not supported.\n" });
  });

  it('a syntax error: the libxlu message, then "Failed to parse config", exit 1', () => {
    fails(
      'name = "g"\nmemory =\n',
      1,
      "g.cfg:1: config parsing error near <newline>: syntax error, unexpected NEWLINE, expecting STRING or NUMBER or '['\n" +
        'Failed to parse config: Invalid argument\n',
    );
  });

  it('binary junk and a 10 MB file give xl messages, never a stack trace', () => {
    const s = scratch();
    const junk = Buffer.alloc(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 131 + 7) & 0xff;
    s.write('junk.cfg', junk);
    const r = s.xl(['create', '-n', 'junk.cfg']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith('Parsing config from junk.cfg\njunk.cfg:')).toBe(true);
    expect(r.stderr.endsWith('Failed to parse config: Invalid argument\n')).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const big = '# padding comment line, repeated to make the file large enough\n'.repeat(160_000) + 'name="big"\nkernel="/k"\n';
    s.write('big.cfg', big);
    const b = s.xl(['create', '-n', 'big.cfg']);
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('"name": "big"');

    s.write('bigbad.cfg', 'x = [' + '"a",'.repeat(2_500_000));
    const bb = s.xl(['create', '-n', 'bigbad.cfg']);
    expect(bb).toEqual({
      code: 1,
      stdout: '',
      stderr: P('bigbad.cfg') + "bigbad.cfg:1: config parsing error near `': syntax error, unexpected $end, expecting ']'\nFailed to parse config: Invalid argument\n",
    });
  });
});

describe('xl create: parse_config_data errors', () => {
  it('name missing or a list', () => {
    fails('kernel="/k"\n', 1, 'Domain name must be specified.\n');
    fails('name=["a"]\nkernel="/k"\n', 1, "g.cfg:1: warning: parameter `name' is a list but should be a single value\nDomain name must be specified.\n");
  });

  it('bad type / builder, and their conflict', () => {
    fails('type="PV"\nname="g"\n', 1, 'Invalid domain type PV.\n');
    fails('type="pvh "\nname="g"\n', 1, 'Invalid domain type pvh .\n');
    fails('builder="linux"\nname="g"\n', 1, 'Invalid domain type linux.\n');
    fails('type="pv"\nbuilder="hvm"\nname="g"\n', 1, 'Contradicting "builder" and "type" options specified.\n');
  });

  it('bad uuid', () => {
    fails('name="g"\nkernel="/k"\nuuid="1234"\n', 1, 'Failed to parse UUID: 1234\n');
  });

  it('maxvcpus < vcpus', () => {
    fails('name="g"\nkernel="/k"\nvcpus=4\nmaxvcpus=2\n', 1, 'xl: maxvcpus < vcpus\n');
  });

  it('bad on_* actions (case-sensitive)', () => {
    for (const k of ['on_poweroff', 'on_reboot', 'on_watchdog', 'on_crash', 'on_soft_reset']) {
      fails(`name="g"\nkernel="/k"\n${k}="Destroy"\n`, 1, `Unknown ${k} action "Destroy" specified\n`);
    }
  });

  it('timer_mode on PV is fatal with exit 3', () => {
    fails('name="g"\nkernel="/k"\ntimer_mode="delay_for_missed_ticks"\n', 3, 'ERROR: "timer_mode" option is not supported for PV guests.\n');
    fails('name="g"\nkernel="/k"\ntimer_mode=1\n', 3, 'ERROR: "timer_mode" option is not supported for PV guests.\n');
  });

  it('PV/PVH need a kernel or a bootloader', () => {
    fails('name="g"\n', 1, 'Neither kernel nor bootloader specified\n');
    fails('type="pvh"\nname="g"\n', 1, 'Neither kernel nor bootloader specified\n');
  });

  it('bad disk spec', () => {
    fails('name="g"\nkernel="/k"\ndisk=["foo"]\n', 1, "g.cfg: config parsing error in disk specification: no vdev specified in `foo'\n");
  });

  it('bad vif rate exits, a bad vif key only complains', () => {
    fails('name="g"\nkernel="/k"\nvif=["rate=10MB"]\n', 1, "g.cfg: config parsing error in vif: invalid rate in `10MB'\n");
    const r = dry('name="g"\nkernel="/k"\nvif=["bridge=br0,colour=red"]\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(P('g.cfg') + "unrecognized argument `colour=red'\n");
    expect(r.stdout).toContain('"bridge": "br0"');
  });

  it('a bad PCI spec exits 6', () => {
    fails('name="g"\nkernel="/k"\npci=["36:00.0@20,seize=1"]\n', 6, "unable to parse PCI_SPEC_STRING `36:00.0@20,seize=1' for passthrough\n");
  });

  it('firmware rules for PV', () => {
    fails('name="g"\nkernel="/k"\nfirmware="pvgrub64"\n', 1, 'ERROR: both kernel and firmware specified\n');
    fails('name="g"\nfirmware="grub"\n', 1, 'ERROR: only pvgrub{32|64} supported as firmware options\n');
  });

  it('bad enum values of HVM keys', () => {
    const h = 'type="hvm"\nname="g"\n';
    fails(h + 'vga="VGA"\n', 1, 'Unknown vga "VGA" specified\n');
    fails(h + 'bios="coreboot"\n', 1, 'ERROR: invalid value "coreboot" for "bios"\n');
    fails(h + 'hdtype="scsi"\n', 1, 'ERROR: invalid value "scsi" for "hdtype"\n');
    fails(h + 'mmio_hole=100\n', 1, 'ERROR: invalid value 100 for "mmio_hole"\n');
    fails(h + 'viridian=["base","bogus"]\n', 3, "xl: unknown viridian enlightenment 'bogus'\n");
    fails(h + 'vendor_device="acme"\n', 3, "xl: unknown vendor_device 'acme'\n");
    fails(h + 'vnclisten="0.0.0.0:1"\nvncdisplay=2\n', 1, 'ERROR: Display specified both in vnclisten and vncdisplay!\n');
    fails(h + 'ms_vm_genid="yes"\n', 1, 'ERROR: "ms_vm_genid" option must be "generate" or "none"\n');
    fails(h + 'mca_caps=["lmce","x"]\n', 3, "ERROR: unrecognized MCA capability 'x'.\n");
    fails(h + 'smbios=["colour=red"]\n', 1, "xl: unknown smbios type 'colour'\n");
  });

  it('altp2m values', () => {
    fails('name="g"\nkernel="/k"\naltp2m=4\n', 1, 'ERROR: invalid value 4 for "altp2m"\n');
    fails('name="g"\nkernel="/k"\naltp2m="sometimes"\n', 1, 'ERROR: invalid value "sometimes" for "altp2m"\n');
    fails('name="g"\nkernel="/k"\naltp2m_count=65536\n', 1, 'ERROR: invalid value 65536 for "altp2m_count"\n');
  });

  it('tsc_mode values', () => {
    fails(
      'name="g"\nkernel="/k"\ntsc_mode=7\n',
      1,
      'WARNING: specifying "tsc_mode" as an integer is deprecated. Please use the named parameter variant. \n' +
        'ERROR: invalid value 7 for "tsc_mode"\n',
    );
    fails('name="g"\nkernel="/k"\ntsc_mode="fast"\n', 1, 'ERROR: invalid value "fast" for "tsc_mode"\n');
  });

  it('max_grant_frames out of range ends xl silently', () => {
    fails('name="g"\nkernel="/k"\nmax_grant_frames="-1"\n', 1, '');
    fails('name="g"\nkernel="/k"\nmax_maptrack_frames="lots"\n', 1, '');
  });

  it('device specs that end xl', () => {
    const g = 'name="g"\nkernel="/k"\n';
    fails(g + 'vtpm=["uuid=x"]\n', 1, 'Failed to parse vtpm UUID: x\n');
    fails(g + 'vtpm=["backend_x=1"]\n', 1, "Unknown string `backend_x' in vtpm spec\n");
    fails(g + 'vtpm=["nothing"]\n', 1, 'vtpm spec missing required backend field!\n');
    fails(g + 'channel=["name=a,connection=tcp"]\n', 1, "unknown channel connection 'tcp'\n");
    fails(g + 'channel=["name=a"]\n', 1, "channel has unknown 'connection'\n");
    fails(g + 'channel=["connection=socket"]\n', 1, "channel connection 'socket' requires path=..\n");
    fails(g + 'channel=["name"]\n', 1, 'failed to parse channel configuration: name');
    fails(g + 'p9=["tag=x,colour=red"]\n', 1, "Unknown 9pfs parameter 'colour'\n");
    fails(g + 'usbctrl=["type=fast"]\n', 1, "Invalid usb controller type 'fast'\n");
    fails(g + 'usbdev=["bus=1"]\n', 1, "Unknown string `bus=1' in usbdev spec\n");
    fails(g + 'vkb=["backend=0"]\n', 1, 'backend-type should be set in vkb spec\n');
    fails(g + 'vdispl=["backend=0"]\n', 1, 'At least one connector should be specified.\n');
    fails(g + 'pvcalls=["front=1"]\n', 1, "Unknown string `front' in pvcalls spec\n");
    fails(g + 'cpus="0-3,x"\n', 1, 'Invalid pcpu range: x.\n');
    fails(g + 'cpus="^all"\n', 1, 'Can\'t combine "^" and "all".\n');
  });
});

describe('learner hints (only with XLSIM_HINTS=1 or a terminal)', () => {
  it('follow the cryptic messages and never change stdout or the status', () => {
    const s = scratch();
    s.write('g.cfg', 'memory=128\n');
    const plain = s.xl(['create', '-n', 'g.cfg', 'name=web1']);
    const hinted = s.xl(['create', '-n', 'g.cfg', 'name=web1'], { XLSIM_HINTS: '1' });
    expect(hinted.code).toBe(plain.code);
    expect(hinted.stdout).toBe(plain.stdout);
    expect(hinted.stderr).toBe(plain.stderr + `xlsim: hint: settings after the file name are config text: quote strings, e.g. 'name="guest"'\n`);
    expect(s.xl(['create', '-n', 'g.cfg'], { XLSIM_HINTS: '1' }).stderr).toBe(
      P('g.cfg') + 'Domain name must be specified.\nxlsim: hint: every guest needs a unique name, e.g. name="guest1"\n',
    );
    expect(s.xl(['create', '-n', 'g.cfg', 'name="g"'], { XLSIM_HINTS: '1' }).stderr).toBe(
      P('g.cfg') +
        'Neither kernel nor bootloader specified\n' +
        'xlsim: hint: a PV guest boots a kernel (kernel="/boot/vmlinuz") or a bootloader (bootloader="pygrub"); ' +
        'a guest with BIOS/UEFI firmware needs type="hvm"\n',
    );
  });
});
