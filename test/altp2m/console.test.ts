/**
 * `xlsim altp2m`, run in-process against a real host database (manual
 * clock): the lab transcript of the acceptance test, and every refusal
 * with its exact text and status.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../cmd/io';
import { xlMain } from '../../cmd/xl/main';
import { xlsimMain } from '../../cmd/xlsim/main';
import { altp2mCommand, type Altp2mArgs } from '../../cmd/xlsim/altp2m';
import type { XlsimCtx } from '../../cmd/xlsim/registry';
import type { XenDomainData } from '../../lib/xen/types';
import { withHost } from '../../state/session';

interface Out {
  stdout: string;
  stderr: string;
  code: number;
}
const res = (stdout: string, stderr = '', code = 0): Out => ({ stdout, stderr, code });

let home: string;
let env: Record<string, string>;

async function xl(...args: string[]): Promise<Out> {
  const io = memoryIo(env, home);
  const code = await xlMain(io, args);
  return { stdout: io.outText(), stderr: io.errText(), code };
}

async function alt(domain: string, action: string, args: string[] = [], opts: Partial<Altp2mArgs> = {}): Promise<Out> {
  const io = memoryIo(env, home);
  const ctx: XlsimCtx = { io, exitCode: 0 };
  const code = await altp2mCommand(ctx, { domain, action, args, ...opts });
  return { stdout: io.outText(), stderr: io.errText(), code };
}

function cfg(name: string, text: string): string {
  const file = path.join(home, `${name}.cfg`);
  fs.writeFileSync(file, text);
  return file;
}

/**
 * libxl's create does not hand altp2m/altp2m_count to XEN_DOMCTL_createdomain
 * yet (lib/libxl/create.ts, another area): set the creation-time mode the
 * hypervisor would have recorded, as Xen's createdomain does.
 */
async function createdWithAltp2m(domid: number, mode: XenDomainData['altp2m']['mode'], nr: number): Promise<void> {
  await withHost(env, (s) => {
    const d = s.getDomainRecord<XenDomainData>(domid);
    if (!d) throw new Error(`no domain ${domid}`);
    d.altp2m = { mode, nr };
    s.putDomainRecord(domid, d);
  });
}

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-altp2m-'));
  env = { XLSIM_HOME: home, XLSIM_HOST: 'lab', TZ: 'UTC' };
  const io = memoryIo({ XLSIM_HOME: home }, home);
  expect(await xlsimMain(io, ['host', 'create', 'lab', '--clock', 'manual', '--seed', '7'])).toBe(0);
  expect((await xl('create', cfg('vmi', 'name = "vmi"\ntype = "hvm"\nmemory = 512\nvcpus = 2\naltp2m = "external"\n'))).code).toBe(0);
  expect((await xl('create', cfg('mix', 'name = "mix"\ntype = "hvm"\nmemory = 256\naltp2m = "mixed"\naltp2m_count = 2\n'))).code).toBe(0);
  expect((await xl('create', cfg('plain', 'name = "plain"\ntype = "hvm"\nmemory = 256\n'))).code).toBe(0);
  await createdWithAltp2m(1, 'external', 10);
  await createdWithAltp2m(2, 'mixed', 2);
}, 60_000);

describe('xlsim altp2m: the lab transcript', () => {
  it('external agent: view rx, one gfn r, guest writes, listen, switch back, destroy', async () => {
    expect(await alt('vmi', 'list')).toEqual(res('Domain vmi (1): altp2m mode external, 10 views, inactive\n'));
    expect(await alt('vmi', 'on')).toEqual(res('altp2m active on domain 1 (vmi): every vCPU is on view 0\nmem_access listener attached to domain 1\n'));
    expect(await alt('vmi', 'on')).toEqual(res('altp2m already active on domain 1 (vmi)\n'));
    expect(await alt('vmi', 'create-view', [], { defaultAccess: 'rx' })).toEqual(res('altp2m view created with id 1\n'));
    expect(await alt('vmi', 'get-access', ['1', '0x1234'])).toEqual(
      res('', 'xlsim: altp2m get_mem_access on domain 1: No such process (ESRCH)\n', 1),
    );
    expect(await alt('vmi', 'set-access', ['1', '0x1234', 'r'])).toEqual(res('view 1: gfn 0x1234 set to r\n'));
    expect(await alt('vmi', 'get-access', ['1', '0x1234'])).toEqual(res('view 1 gfn 0x1234: r\n'));
    expect(await alt('vmi', 'switch', ['1'])).toEqual(res('domain 1: every vCPU switched to view 1\n'));
    expect(await alt('vmi', 'touch', ['0x1234', 'r'])).toEqual(res('vCPU 0 read of gfn 0x1234 in view 1: allowed (r)\n'));
    expect(await alt('vmi', 'touch', ['0x1234', 'w'], { vcpu: '1' })).toEqual(
      res('vCPU 1 write of gfn 0x1234 in view 1: violates r: mem_access event 1 queued\n'),
    );
    expect(await alt('vmi', 'touch', ['0x2000', 'x'])).toEqual(
      res('vCPU 0 execute of gfn 0x2000 in view 1 (entry copied from the host p2m): allowed (rx)\n'),
    );
    expect(await alt('vmi', 'list')).toEqual(
      res(
        'Domain vmi (1): altp2m mode external, 10 views, active, listener attached\n' +
          'vCPU   VIEW   #VE page\n' +
          '0      1      -\n' +
          '1      1      -\n' +
          'VIEW   DEFAULT  VISIBLE   ENTRIES  REMAPPED\n' +
          '0      rwx      yes          host         -\n' +
          '1      rx       yes             2         0\n' +
          '  view 1 gfn 0x1234: r\n',
      ),
    );
    expect(await alt('vmi', 'listen')).toEqual(
      res('PAGE ACCESS: -w- for GFN 1234 (offset 000000) gla 0000000000000000 (valid: n; fault in gpt: n; fault with gla: n) (vcpu 1 [p], altp2m view 1)\n'),
    );
    // consumed: a second listen on a manual clock has nothing to print
    expect(await alt('vmi', 'listen')).toEqual(res(''));
    expect(await alt('vmi', 'destroy-view', ['1'])).toEqual(res('', 'xlsim: altp2m destroy_p2m on domain 1: Device or resource busy (EBUSY)\n', 1));
    expect(await alt('vmi', 'switch', ['0'])).toEqual(res('domain 1: every vCPU switched to view 0\n'));
    expect(await alt('vmi', 'touch', ['0x1234', 'w'])).toEqual(res('vCPU 0 write of gfn 0x1234 in view 0: allowed (rwx)\n'));
    expect(await alt('vmi', 'destroy-view', ['1'])).toEqual(res('altp2m view 1 destroyed\n'));
    expect(await alt('vmi', 'destroy-view', ['0'])).toEqual(res('', 'xlsim: altp2m destroy_p2m on domain 1: Device or resource busy (EBUSY)\n', 1));
  });

  it('change-gfn, visibility, per-vCPU switch, off', async () => {
    expect(await alt('1', 'create-view')).toEqual(res('altp2m view created with id 1\n'));
    expect(await alt('1', 'change-gfn', ['1', '0x100', '0x200'])).toEqual(res('view 1: gfn 0x100 now shows the frame of gfn 0x200\n'));
    expect(await alt('1', 'change-gfn', ['1', '0x100', 'none'])).toEqual(res('view 1: gfn 0x100 shows its own frame again\n'));
    expect(await alt('1', 'change-gfn', ['1', '0x100', '0xa0'])).toEqual(res('', 'xlsim: altp2m change_gfn on domain 1: No such process (ESRCH)\n', 1));
    expect(await alt('1', 'visibility', ['1', 'off'])).toEqual(res('view 1 is not visible to VMFUNC\n'));
    expect(await alt('1', 'switch', ['1'])).toEqual(res('', 'xlsim: altp2m switch_p2m on domain 1: Invalid argument (EINVAL)\n', 1));
    expect(await alt('1', 'switch', ['1'], { vcpu: '1' })).toEqual(res('domain 1: vCPU 1 switched to view 1\n'));
    expect(await alt('1', 'switch', ['7'], { vcpu: '1' })).toEqual(
      res('', 'xlsim: vm_event switch of vCPU 1 on domain 1 to view 7: Invalid argument (EINVAL)\n', 1),
    );
    expect(await alt('1', 'set-access', ['1', '0x10-0x1f', 'n'])).toEqual(res('view 1: gfns 0x10-0x1f (16 pages) set to n\n'));
    expect(await alt('1', 'touch', ['0x11', 'r'], { vcpu: '1' })).toEqual(res('vCPU 1 read of gfn 0x11 in view 1: violates n: mem_access event 2 queued\n'));
    expect(await alt('1', 'off')).toEqual(res('altp2m off on domain 1 (vmi): views flushed\nmem_access listener detached from domain 1\n'));
    expect(await alt('1', 'list')).toEqual(res('Domain vmi (1): altp2m mode external, 10 views, inactive\n'));
    expect(await alt('1', 'off')).toEqual(res('altp2m already off on domain 1 (vmi)\n'));
    expect(await alt('1', 'create-view')).toEqual(res('', 'xlsim: altp2m create_p2m on domain 1: Operation not supported (EOPNOTSUPP)\n', 1));
  });

  it('the caller decides: in external mode the guest gets EPERM; in mixed it may act', async () => {
    expect(await alt('vmi', 'on', [], { asGuest: true })).toEqual(res('', 'xlsim: altp2m set_domain_state on domain 1: Operation not permitted (EPERM)\n', 1));
    expect(await alt('mix', 'on', [], { asGuest: true })).toEqual(res('altp2m active on domain 2 (mix): every vCPU is on view 0\n'));
    expect(await alt('mix', 'create-view', [], { asGuest: true, defaultAccess: 'r' })).toEqual(res('altp2m view created with id 1\n'));
    // altp2m_count = 2: views 0 and 1 are all there is
    expect(await alt('mix', 'create-view', [], { asGuest: true })).toEqual(res('', 'xlsim: altp2m create_p2m on domain 2: Invalid argument (EINVAL)\n', 1));
    expect(await alt('mix', 'listen', [], { asGuest: true })).toEqual(res('', 'xlsim: listen: the listener is the external agent, not the guest\n', 1));
  });

  it('a guest without altp2m: EINVAL (mode disabled)', async () => {
    expect(await alt('plain', 'on')).toEqual(res('', 'xlsim: altp2m set_domain_state on domain 3: Invalid argument (EINVAL)\n', 1));
    expect(await alt('plain', 'switch', ['0'])).toEqual(res('', 'xlsim: altp2m switch_p2m on domain 3: Operation not supported (EOPNOTSUPP)\n', 1));
  });

  it('dom0 is PV: EOPNOTSUPP', async () => {
    expect(await alt('0', 'list')).toEqual(res('Domain Domain-0 (0): altp2m mode disabled, 0 views, inactive\n'));
    expect(await alt('0', 'on')).toEqual(res('', 'xlsim: altp2m set_domain_state on domain 0: Operation not supported (EOPNOTSUPP)\n', 1));
  });

  it('usage errors', async () => {
    expect(await alt('nosuch', 'list')).toEqual(res('', "xlsim: no such domain 'nosuch'\n", 1));
    expect(await alt('vmi', 'dance')).toEqual(
      res('', "xlsim: unknown altp2m action 'dance' (expected on, off, list, create-view, destroy-view, switch, set-access, get-access, change-gfn, visibility, ve, suppress-ve, listen, touch)\n", 1),
    );
    expect(await alt('vmi', 'create-view', [], { defaultAccess: 'rwz' })).toEqual(
      res('', "xlsim: unknown access 'rwz' (expected n, r, w, rw, x, rx, wx, rwx, rx2rw, n2rwx, r_pw or default)\n", 1),
    );
    expect(await alt('vmi', 'destroy-view')).toEqual(res('', 'xlsim: give a view number\n', 1));
    expect(await alt('vmi', 'destroy-view', ['one'])).toEqual(res('', "xlsim: view 'one' is not a number (decimal, or hex with 0x)\n", 1));
    expect(await alt('vmi', 'set-access', ['1', '0x20-0x10', 'r'])).toEqual(res('', "xlsim: gfn range '0x20-0x10' ends before it starts\n", 1));
    expect(await alt('vmi', 'set-access', ['1', '0x0-0x10000', 'r'])).toEqual(res('', "xlsim: gfn range '0x0-0x10000' is larger than 65536 pages\n", 1));
    expect(await alt('vmi', 'touch', ['0x10', 'q'])).toEqual(res('', 'xlsim: touch needs an access kind: r, w or x\n', 1));
    expect(await alt('vmi', 'visibility', ['1', 'maybe'])).toEqual(res('', "xlsim: visibility needs a view and 'on' or 'off'\n", 1));
    expect(await alt('vmi', 'list', ['extra'])).toEqual(res('', "xlsim: list: unexpected argument 'extra'\n", 1));
    expect(await alt('vmi', 'touch', ['0x10', 'r'], { vcpu: '4' })).toEqual(res('', 'xlsim: guest access by vCPU 4 of domain 1: Invalid argument (EINVAL)\n', 1));
  });
});

describe('#VE', () => {
  it('an info page per vCPU and a cleared suppress-#VE bit turn a violation into a guest #VE', async () => {
    expect(await alt('mix', 've', ['0x100'])).toEqual(res('domain 2: vCPU 0 #VE info page at gfn 0x100\n'));
    expect(await alt('mix', 've', ['0x101'])).toEqual(res('', 'xlsim: altp2m vcpu_enable_notify on domain 2: File exists (EEXIST)\n', 1));
    expect(await alt('mix', 've', ['0xa0'], { vcpu: '1' })).toEqual(res('', 'xlsim: altp2m vcpu_enable_notify on domain 2: Invalid argument (EINVAL)\n', 1));
    expect(await alt('mix', 'suppress-ve', ['1', '0x400', 'off'])).toEqual(res('view 1: suppress-#VE off for gfn 0x400\n'));
    expect(await alt('mix', 'suppress-ve', ['1', '0x401-0x402', 'off'])).toEqual(res('view 1: suppress-#VE off for gfns 0x401-0x402\n'));
    expect(await alt('mix', 'set-access', ['1', '0x400', 'r'])).toEqual(res('view 1: gfn 0x400 set to r\n'));
    expect(await alt('mix', 'switch', ['1'])).toEqual(res('domain 2: every vCPU switched to view 1\n'));
    expect(await alt('mix', 'touch', ['0x400', 'w'])).toEqual(res('vCPU 0 write of gfn 0x400 in view 1: violates r: delivered to the guest as #VE\n'));
    expect(await alt('mix', 've', ['off'])).toEqual(res('domain 2: vCPU 0 has no #VE info page\n'));
    expect(await alt('mix', 'touch', ['0x400', 'w'])).toEqual(res('vCPU 0 write of gfn 0x400 in view 1: violates r: no listener, page made rwx\n'));
    expect(await alt('mix', 'switch', ['0'])).toEqual(res('domain 2: every vCPU switched to view 0\n'));
  });
});

describe('views do not survive save/restore (only the mode comes back)', () => {
  it('after xl save + xl restore the new domain has altp2m off and no views', async () => {
    expect((await alt('vmi', 'on')).code).toBe(0);
    expect(await alt('vmi', 'create-view', [], { defaultAccess: 'r' })).toEqual(res('altp2m view created with id 1\n'));
    const save = path.join(home, 'vmi.save');
    expect((await xl('save', 'vmi', save)).code).toBe(0);
    const r = await xl('restore', save);
    expect(r.code).toBe(0);
    const list = await alt('vmi', 'list');
    expect(list.code).toBe(0);
    // the mode is whatever createdomain was given again (see createdWithAltp2m); the views are gone
    expect(list.stdout).toMatch(/^Domain vmi \(\d+\): altp2m mode \w+, \d+ views?, inactive\n$/);
    // and the sending side's record says what did not cross
    const io = memoryIo(env, home);
    expect(await xlsimMain(io, ['report', 'migration'])).toBe(0);
    expect(io.outText()).toContain('\naltp2m       mode external carried; 1 alternate view not carried (the stream has no altp2m views; the agent must recreate them)\n');
    const json = memoryIo(env, home);
    expect(await xlsimMain(json, ['report', 'migration', '--json'])).toBe(0);
    expect((JSON.parse(json.outText()) as { altp2m: unknown }).altp2m).toEqual({ mode: 'external', views_lost: 1 });
  }, 60_000);
});

describe('listen --follow', () => {
  it('keeps polling in short transactions, prints new violations, stops on SIGINT', async () => {
    expect((await alt('mix', 'switch', ['1'])).code).toBe(0);
    const io = memoryIo(env, home);
    const ctx: XlsimCtx = { io, exitCode: 0 };
    const running = altp2mCommand(ctx, { domain: 'mix', action: 'listen', args: [], follow: true });
    await new Promise((r) => setTimeout(r, 100));
    // the host is not locked between polls: another command gets in
    expect(await alt('mix', 'touch', ['0x300', 'w'])).toEqual(res('vCPU 0 write of gfn 0x300 in view 1 (entry copied from the host p2m): violates r: mem_access event 1 queued\n'));
    await new Promise((r) => setTimeout(r, 600));
    process.emit('SIGINT');
    expect(await running).toBe(0);
    expect(io.outText()).toBe(
      'PAGE ACCESS: -w- for GFN 300 (offset 000000) gla 0000000000000000 (valid: n; fault in gpt: n; fault with gla: n) (vcpu 0 [p], altp2m view 1)\n',
    );
    expect(io.errText()).toBe('');
  }, 10_000);

  it('a listener whose domain goes away stops with status 1', async () => {
    const io = memoryIo(env, home);
    const ctx: XlsimCtx = { io, exitCode: 0 };
    const running = altp2mCommand(ctx, { domain: 'plain', action: 'listen', args: [], follow: true });
    await new Promise((r) => setTimeout(r, 100));
    expect((await xl('destroy', 'plain')).code).toBe(0);
    expect(await running).toBe(1);
    expect(io.outText()).toBe('');
    expect(io.errText()).toBe("xlsim: no such domain 'plain'\n");
  }, 10_000);

  it('a PV domain has no mem_access ring', async () => {
    expect(await alt('0', 'listen')).toEqual(res('', 'xlsim: mem_access listener on domain 0: Operation not supported (EOPNOTSUPP)\n', 1));
    expect(await alt('0', 'listen', ['x'])).toEqual(res('', "xlsim: listen: unexpected argument 'x'\n", 1));
  });
});

describe('through the xlsim command line (yargs)', () => {
  async function xlsim(...args: string[]): Promise<Out> {
    const io = memoryIo(env, home);
    const code = await xlsimMain(io, args);
    return { stdout: io.outText(), stderr: io.errText(), code };
  }

  it('options and positionals reach the handler', async () => {
    expect(await xlsim('altp2m', 'mix', 'get-access', '1', '0x400')).toEqual(res('view 1 gfn 0x400: rwx\n'));
    // mix has one vCPU
    expect(await xlsim('altp2m', 'mix', 'switch', '1', '--vcpu', '1')).toEqual(
      res('', 'xlsim: vm_event switch of vCPU 1 on domain 2 to view 1: Invalid argument (EINVAL)\n', 1),
    );
    expect(await xlsim('altp2m', 'mix', 'switch', '1', '--vcpu', '0')).toEqual(res('domain 2: vCPU 0 switched to view 1\n'));
    expect(await xlsim('altp2m', 'mix', 'touch', '0x500', 'r', '--vcpu', '0')).toEqual(
      res('vCPU 0 read of gfn 0x500 in view 1 (entry copied from the host p2m): allowed (r)\n'),
    );
    expect(await xlsim('altp2m', 'mix', 'off', '--as-guest')).toEqual(res('altp2m off on domain 2 (mix): views flushed\n'));
    expect(await xlsim('altp2m', 'mix', 'on')).toEqual(res('altp2m active on domain 2 (mix): every vCPU is on view 0\n'));
    expect(await xlsim('altp2m', 'mix', 'create-view', '--default-access', 'n2rwx')).toEqual(res('altp2m view created with id 1\n'));
  });

  it('yargs refuses an unknown action before the handler runs', async () => {
    const r = await xlsim('altp2m', 'mix', 'dance');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Invalid values:');
  });
});

describe('listen on a real clock', () => {
  it('waits for violations until interrupted, without --follow', async () => {
    const rEnv = { XLSIM_HOME: home, XLSIM_HOST: 'live', TZ: 'UTC' };
    expect(await xlsimMain(memoryIo({ XLSIM_HOME: home }, home), ['host', 'create', 'live', '--clock', 'manual'])).toBe(0);
    const xio = memoryIo(rEnv, home);
    expect(await xlMain(xio, ['create', cfg('rt', 'name = "rt"\ntype = "hvm"\nmemory = 128\n')])).toBe(0);
    // nothing registers a handler for xenbus device events yet (lib/libxl/devices-xenbus.ts):
    // keep them from falling due once the clock runs, this test is about the listener
    await withHost(rEnv, (s) => s.events.cancelWhere({ kind: 'devices.xenbus' }));
    expect(await xlsimMain(memoryIo(rEnv, home), ['clock', 'mode', 'real'])).toBe(0);
    const io = memoryIo(rEnv, home);
    let finished = false;
    const running = altp2mCommand({ io, exitCode: 0 }, { domain: 'rt', action: 'listen', args: [] }).then((c) => {
      finished = true;
      return c;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(finished).toBe(false);
    // a guest access on the host p2m, restricted by nobody: no event
    const t = memoryIo(rEnv, home);
    expect(await altp2mCommand({ io: t, exitCode: 0 }, { domain: 'rt', action: 'touch', args: ['0x100', 'w'] })).toBe(0);
    expect(t.outText()).toBe('vCPU 0 write of gfn 0x100 in view 0: allowed (rwx)\n');
    process.emit('SIGINT');
    expect(await running).toBe(0);
    expect(io.outText()).toBe('');
    expect(io.errText()).toBe('');
  }, 15_000);
});

describe('a host booted without altp2m=1', () => {
  it('every HVMOP_altp2m is EOPNOTSUPP', async () => {
    const ini = fs.readFileSync(path.join(__dirname, '..', '..', 'configs', 'hosts', 'default.ini'), 'utf8').replace(/^(cmdline = .*) altp2m=1/m, '$1');
    expect(ini).toMatch(/^cmdline = /m);
    expect(ini).not.toMatch(/^cmdline = .*altp2m=1/m);
    const profile = path.join(home, 'no-altp2m.ini');
    fs.writeFileSync(profile, ini);
    expect(await xlsimMain(memoryIo({ XLSIM_HOME: home }, home), ['host', 'create', 'plainhost', '--clock', 'manual', '--profile', profile])).toBe(0);
    const pEnv = { XLSIM_HOME: home, XLSIM_HOST: 'plainhost', TZ: 'UTC' };
    expect(await xlMain(memoryIo(pEnv, home), ['create', cfg('g', 'name = "g"\ntype = "hvm"\nmemory = 128\n')])).toBe(0);
    const io = memoryIo(pEnv, home);
    expect(await altp2mCommand({ io, exitCode: 0 }, { domain: 'g', action: 'on', args: [] })).toBe(1);
    expect(io.errText()).toBe('xlsim: altp2m set_domain_state on domain 1: Operation not supported (EOPNOTSUPP)\n');
    expect(io.outText()).toBe('');
  });
});
