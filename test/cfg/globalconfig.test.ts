/**
 * xl.conf (parse_global_config in tools/xl/xl.c): reading the host's file,
 * every key, and xl's messages, driven in-process through a memoryIo.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Exit, memoryIo } from '../../cmd/io';
import type { XlContext } from '../../cmd/xl/context';
import { autoAutoballoon, defaultGlobalConfig, loadGlobalConfig, type XlGlobalConfig } from '../../cmd/xl/globalconfig';
import { RecordingXtl } from '../../lib/util/xtl';
import { hostPaths } from '../../state/paths';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) fs.rmSync(h, { recursive: true, force: true });
});

function setup(xlConf?: string | Buffer) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-cfg-'));
  homes.push(home);
  const io = memoryIo({ XLSIM_HOME: home });
  const conf = hostPaths(io.env).xlConf;
  if (xlConf !== undefined) {
    fs.mkdirSync(path.dirname(conf), { recursive: true });
    fs.writeFileSync(conf, xlConf);
  }
  const logger = new RecordingXtl();
  const ctx: XlContext = {
    io,
    verbose: 0,
    dryrun: false,
    force: false,
    progressCR: false,
    timestamps: false,
    logger,
    minLevel: 'progress',
    globalConfig: defaultGlobalConfig(),
  };
  return { ctx, io, conf, home, logger };
}

/** run loadGlobalConfig; the exit status when it ends xl */
function load(xlConf?: string | Buffer): { g?: XlGlobalConfig; exit?: number; err: string; conf: string; home: string } {
  const { ctx, io, conf, home } = setup(xlConf);
  try {
    const g = loadGlobalConfig(ctx);
    return { g, err: io.errText(), conf, home };
  } catch (e) {
    if (e instanceof Exit) return { exit: e.code, err: io.errText(), conf, home };
    throw e;
  }
}

describe('reading the file', () => {
  it('a missing xl.conf is reported and defaults are used; nothing is created', () => {
    const r = load();
    expect(r.err).toBe(`Failed to read config file: ${r.conf}: No such file or directory\n`);
    expect(r.g).toEqual(defaultGlobalConfig());
    expect(fs.existsSync(path.join(r.home, 'hosts'))).toBe(false);
  });
  it('an empty file is fine and silent', () => {
    const r = load('');
    expect(r.err).toBe('');
    expect(r.g).toEqual(defaultGlobalConfig());
  });
  it('the shipped configs/xl.conf is all comments: defaults, no output', () => {
    const shipped = fs.readFileSync(path.join(__dirname, '..', '..', 'configs', 'xl.conf'));
    const r = load(shipped);
    expect(r.err).toBe('');
    expect(r.g).toEqual(defaultGlobalConfig());
  });
  it('a syntax error prints the parser\'s lines, then fails with exit 1', () => {
    const r = load('autoballoon = off\nlockfile = "/x"\n');
    expect(r.exit).toBe(1);
    expect(r.err).toBe(
      `${r.conf}:1: config parsing error near \`off': syntax error, unexpected IDENT, expecting STRING or NUMBER or '['\n` +
        'Failed to parse config file: Invalid argument\n',
    );
  });
  it('a CRLF xl.conf fails on every line', () => {
    const r = load('claim_mode=1\r\nlockfile="/x"\r\n');
    expect(r.exit).toBe(1);
    expect(r.err).toBe(
      `${r.conf}:1: config parsing error near \`\r': lexical error\n` +
        `${r.conf}:2: config parsing error near \`\r': lexical error\n` +
        'Failed to parse config file: Invalid argument\n',
    );
  });
});

describe('keys', () => {
  it('every key is honoured', () => {
    const r = load(
      [
        'autoballoon="off"',
        'run_hotplug_scripts=0',
        'lockfile="/run/xl.lock"',
        'vif.default.script="vif-route"',
        'vif.default.bridge="br1"',
        'vif.default.gatewaydev="eth1"',
        'vif.default.backend="1"',
        'output_format="sxp"',
        'blkdev_start="xvdb"',
        'claim_mode=0',
        'remus.default.netbufscript="/etc/xen/scripts/remus-netbuf-setup"',
        'colo.default.proxyscript="/etc/xen/scripts/colo-proxy-setup"',
        'max_grant_frames=64',
        'max_maptrack_frames=0x400',
        'max_grant_version=2',
        'vm.cpumask="0-7"',
        'vm.hvm.cpumask="2-7"',
        'vm.pv.cpumask="0-3,^2"',
        'domid_policy="random"',
        'bootloader_restrict=1',
        '',
      ].join('\n'),
    );
    expect(r.err).toBe('');
    expect(r.g).toEqual({
      autoballoon: 'off',
      runHotplugScripts: false,
      lockfile: '/run/xl.lock',
      defaultVifScript: 'vif-route',
      defaultBridge: 'br1',
      defaultGatewaydev: 'eth1',
      defaultBackend: '1',
      outputFormat: 'sxp',
      blkdevStart: 'xvdb',
      claimMode: false,
      remusNetbufscript: '/etc/xen/scripts/remus-netbuf-setup',
      coloProxyscript: '/etc/xen/scripts/colo-proxy-setup',
      maxGrantFrames: 64,
      maxMaptrackFrames: 1024,
      maxGrantVersion: 2,
      vmCpumask: '0-7',
      vmHvmCpumask: '2-7',
      vmPvCpumask: '0-3,^2',
      domidPolicy: 'random',
      bootloaderRestrict: true,
    } satisfies XlGlobalConfig);
  });
  it('autoballoon: on/1, off/0, auto; anything else is reported without a newline', () => {
    expect(load('autoballoon="1"\n').g?.autoballoon).toBe('on');
    expect(load('autoballoon=0\n').g?.autoballoon).toBe('off');
    expect(load('autoballoon="auto"\n').g?.autoballoon).toBe('auto');
    const r = load('autoballoon="yes"\ndomid_policy="any"\noutput_format="xml"\n');
    expect(r.g?.autoballoon).toBe('auto');
    expect(r.g?.domidPolicy).toBe('xen');
    expect(r.g?.outputFormat).toBe('json');
    // messages run together where xl forgets the newline
    expect(r.err).toBe('invalid autoballoon option' + 'invalid default output format "xml"\n' + 'invalid domid_policy option');
  });
  it('the deprecated vif names warn, and the new names win', () => {
    const r = load('vifscript="old-script"\ndefaultbridge="xenbr9"\n');
    expect(r.err).toBe(
      'the global config option vifscript is deprecated, please switch to vif.default.script\n' +
        'the global config option defaultbridge is deprecated, please switch to vif.default.bridge\n',
    );
    expect(r.g?.defaultVifScript).toBe('old-script');
    expect(r.g?.defaultBridge).toBe('xenbr9');
    const both = load('vifscript="old"\nvif.default.script="new"\ndefaultbridge="b0"\nvif.default.bridge="b1"\n');
    expect(both.g?.defaultVifScript).toBe('new');
    expect(both.g?.defaultBridge).toBe('b1');
  });
  it('bad shapes and numbers only warn, with the file\'s name', () => {
    const r = load('lockfile=[ "/x" ]\nclaim_mode="yes"\nrun_hotplug_scripts += 1\n');
    expect(r.g?.lockfile).toBe('/var/lock/xl');
    expect(r.g?.claimMode).toBe(true);
    expect(r.g?.runHotplugScripts).toBe(true);
    expect(r.err).toBe(
      `${r.conf}:3: warning: can't use += with numbers for parameter \`run_hotplug_scripts'\n` +
        `${r.conf}:1: warning: parameter \`lockfile' is a list but should be a single value\n` +
        `${r.conf}:2: warning: parameter \`claim_mode' is not a valid number\n`,
    );
  });
  it('claim_mode and run_hotplug_scripts are C ints', () => {
    const r = load('claim_mode=0x100000000\nrun_hotplug_scripts=7\n');
    expect(r.g?.claimMode).toBe(false);
    expect(r.g?.runHotplugScripts).toBe(true);
  });
  it.each(['max_grant_frames', 'max_maptrack_frames', 'max_grant_version'])('a bad %s ends xl silently with 1', (k) => {
    for (const v of ['"-1"', '2147483648', '"x"', '[ 1 ]']) {
      const r = load(`${k}=${v}\n`);
      expect(r.exit).toBe(1);
      expect(r.err).toBe('');
    }
    expect(load(`${k}=2147483647\n`).exit).toBeUndefined();
  });
  it('a bad vm.cpumask is reported at start-up and kept as written', () => {
    const r = load('vm.cpumask="0-3,x"\nvm.pv.cpumask="^all"\n');
    expect(r.err).toBe('Invalid pcpu range: x.\n' + 'Can\'t combine "^" and "all".\n');
    expect(r.g?.vmCpumask).toBe('0-3,x');
  });
  it('bootloader_restrict=0 is an explicit false', () => {
    expect(load('bootloader_restrict=0\n').g?.bootloaderRestrict).toBe(false);
    expect(load('').g?.bootloaderRestrict).toBeUndefined();
  });
  it('the last assignment wins', () => {
    expect(load('lockfile="/a"\nlockfile="/b"\n').g?.lockfile).toBe('/b');
  });
});

describe('autoballoon="auto"', () => {
  it('balloons unless Xen was booted with a dom0_mem= xl recognises', () => {
    expect(autoAutoballoon('')).toBe(true);
    expect(autoAutoballoon('loglvl=all')).toBe(true);
    expect(autoAutoballoon('dom0_mem=4096M,max:4096M dom0_max_vcpus=4')).toBe(false);
    expect(autoAutoballoon('console=vga dom0_mem=2G')).toBe(false);
    expect(autoAutoballoon('dom0_mem=min:1G,max:50%')).toBe(false);
    expect(autoAutoballoon('dom0_mem=1G+10%')).toBe(false);
    expect(autoAutoballoon('xdom0_mem=2G')).toBe(true);
    expect(autoAutoballoon('dom0_mem=lots')).toBe(true);
  });
});
