/**
 * The acceptance transcript through the built tools (xl create, xlsim altp2m),
 * as a user types it. Runs once cmd/xlsim/commands.ts loads the altp2m
 * command; until then it reports itself skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runTool, tmpHome, type RunResult } from '../helpers/cli';

const registered = /import '\.\/altp2m';/.test(fs.readFileSync(path.join(ROOT, 'cmd', 'xlsim', 'commands.ts'), 'utf8'));
const res = (stdout: string, stderr = '', code = 0): RunResult => ({ stdout, stderr, code });

describe.skipIf(!registered)('xl create altp2m="external" + xlsim altp2m (built CLI)', () => {
  const home = tmpHome('xlsim-altp2m-cli-');
  const env = { XLSIM_HOME: home, XLSIM_HOST: 'lab' };
  const xlsim = (...a: string[]) => runTool('xlsim', a, { env, cwd: home });
  const xl = (...a: string[]) => runTool('xl', a, { env, cwd: home });
  const create = (name: string, text: string) => {
    fs.writeFileSync(path.join(home, `${name}.cfg`), text);
    return xl('create', `${name}.cfg`);
  };

  it('the lab transcript', () => {
    expect(xlsim('host', 'create', 'lab', '--clock', 'manual', '--seed', '7').code).toBe(0);
    expect(create('vmi', 'name = "vmi"\ntype = "hvm"\nmemory = 512\nvcpus = 2\naltp2m = "external"\n')).toEqual(res('', 'Parsing config from vmi.cfg\n'));
    expect(xlsim('altp2m', 'vmi', 'on')).toEqual(res('altp2m active on domain 1 (vmi): every vCPU is on view 0\nmem_access listener attached to domain 1\n'));
    expect(xlsim('altp2m', 'vmi', 'create-view', '--default-access', 'rx')).toEqual(res('altp2m view created with id 1\n'));
    expect(xlsim('altp2m', 'vmi', 'set-access', '1', '0x1234', 'r')).toEqual(res('view 1: gfn 0x1234 set to r\n'));
    expect(xlsim('altp2m', 'vmi', 'switch', '1')).toEqual(res('domain 1: every vCPU switched to view 1\n'));
    expect(xlsim('altp2m', 'vmi', 'touch', '0x1234', 'w', '--vcpu', '1')).toEqual(res('vCPU 1 write of gfn 0x1234 in view 1: violates r: mem_access event 1 queued\n'));
    expect(xlsim('altp2m', 'vmi', 'listen')).toEqual(
      res('PAGE ACCESS: -w- for GFN 1234 (offset 000000) gla 0000000000000000 (valid: n; fault in gpt: n; fault with gla: n) (vcpu 1 [p], altp2m view 1)\n'),
    );
    expect(xlsim('altp2m', 'vmi', 'destroy-view', '1')).toEqual(res('', 'xlsim: altp2m destroy_p2m on domain 1: Device or resource busy (EBUSY)\n', 1));
    expect(xlsim('altp2m', 'vmi', 'switch', '0')).toEqual(res('domain 1: every vCPU switched to view 0\n'));
    expect(xlsim('altp2m', 'vmi', 'destroy-view', '1')).toEqual(res('altp2m view 1 destroyed\n'));
    expect(xlsim('altp2m', 'vmi', 'destroy-view', '0')).toEqual(res('', 'xlsim: altp2m destroy_p2m on domain 1: Device or resource busy (EBUSY)\n', 1));
    expect(xlsim('altp2m', 'vmi', 'on', '--as-guest')).toEqual(res('', 'xlsim: altp2m set_domain_state on domain 1: Operation not permitted (EPERM)\n', 1));
  });

  it('refusals at creation, with Xen and libxl errors', () => {
    const make = 'libxl: error: libxl_create.c:700:libxl__domain_make: domain creation fail: Invalid argument\n' + 'libxl: error: libxl_create.c:1309:initiate_domain_create: cannot make domain: -3\n';
    expect(create('a', 'name = "a"\ntype = "pvh"\nkernel = "/k"\nmemory = 128\naltp2m = "mixed"\n')).toEqual(res('', 'Parsing config from a.cfg\n' + make, 3));
    expect(xl('dmesg').stdout).toMatch(/\(XEN\) altp2m must be requested with altp2m.nr > 0\n$/);
    expect(create('b', 'name = "b"\ntype = "hvm"\nmemory = 128\naltp2m = "external"\nnestedhvm = 1\n')).toEqual(
      res('', 'Parsing config from b.cfg\nlibxl: error: libxl_create.c:1295:libxl__domain_config_setdefault: nestedhvm and altp2mhvm cannot be used together\n', 6),
    );
    expect(create('c', 'name = "c"\ntype = "hvm"\nmemory = 128\nmaxmem = 256\naltp2m = "external"\n')).toEqual(
      res('', 'Parsing config from c.cfg\nlibxl: error: libxl_create.c:1305:libxl__domain_config_setdefault: Cannot enable PoD and ALTP2M at the same time\n', 6),
    );
    expect(create('d', 'name = "d"\ntype = "hvm"\nmemory = 128\naltp2m = "external"\nhap = 0\n')).toEqual(res('', 'Parsing config from d.cfg\n' + make, 3));
    expect(xl('dmesg').stdout).toMatch(/\(XEN\) altp2m is only supported with HAP\n$/);
    expect(create('e', 'name = "e"\ntype = "pvh"\nkernel = "/k"\nmemory = 128\naltp2m = "mixed"\naltp2m_count = 4\n').code).toBe(0);
    // the two creates Xen refused consumed domids 2 and 3; libxl's refusals came before any domid
    expect(xlsim('altp2m', 'e', 'list')).toEqual(res('Domain e (4): altp2m mode mixed, 4 views, inactive\n'));
  });
});
