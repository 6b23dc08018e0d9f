/**
 * The fire-and-forget control commands against each guest type and
 * Domain-0, with the verdicts of XEN_DOMCTL_sendtrigger (NMI anywhere,
 * ACPI buttons for HVM only, no RESET/INIT on x86), QEMU's answer to
 * s3resume, xc's refusal to resume a domain that is not suspended, and
 * libxl__domain_rename's checks. They all exit 0 except rename.
 */
import { describe, expect, it } from 'vitest';
import { runTool } from '../helpers/cli';
import { HEADER, HVM_CFG, PVH_CFG, PV_CFG, manualHost, type Host } from './transcript';

function table(out: string): string {
  return out.replace(/ +\d+\.\d\n/g, ' T\n');
}

function xsRead(h: Host, path: string): { stdout: string; code: number } {
  const r = runTool('xenstore-read', [path], { env: { XLSIM_HOME: h.home }, cwd: h.home });
  return { stdout: r.stdout, code: r.code };
}

const TRIG = (dom: string, t: string, why: string): string =>
  `libxl: error: libxl_domain.c:2200:libxl_send_trigger: ${dom}Send trigger '${t}' failed: ${why}\n`;
const S3 = (dom: string, rc: number): string => `libxl: error: libxl_domain.c:2155:domain_s3_resume_done: ${dom}Send trigger 's3resume' failed, rc=${rc}\n`;

describe('xl trigger by guest type', () => {
  const h = manualHost();
  it('sets up a PV, a PVH and an HVM guest', () => {
    for (const [name, text] of [['pv1', PV_CFG], ['pvh1', PVH_CFG], ['hvm1', HVM_CFG]] as const) {
      expect(h.xl('create', '-q', h.cfg(name, text)).code).toBe(0);
    }
    h.xlsim('clock', 'advance', '9s');
  });
  it('PV: NMI is queued, the buttons are EINVAL, reset/init ENOSYS, s3resume INVAL', () => {
    const d = 'Domain 1:';
    expect(h.xl('trigger', 'pv1', 'nmi')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('trigger', 'pv1', 'power')).toEqual({ stdout: '', stderr: TRIG(d, 'power', 'Invalid argument'), code: 0 });
    expect(h.xl('trigger', 'pv1', 'SLEEP')).toEqual({ stdout: '', stderr: TRIG(d, 'sleep', 'Invalid argument'), code: 0 });
    expect(h.xl('trigger', 'pv1', 'reset')).toEqual({ stdout: '', stderr: TRIG(d, 'reset', 'Function not implemented'), code: 0 });
    expect(h.xl('trigger', 'pv1', 'init')).toEqual({ stdout: '', stderr: TRIG(d, 'init', 'Function not implemented'), code: 0 });
    expect(h.xl('trigger', 'pv1', 's3resume')).toEqual({ stdout: '', stderr: S3(d, -6), code: 0 });
    expect(h.xl('trigger', 'pv1', 'unknown')).toEqual({ stdout: '', stderr: TRIG(d, 'unknown', 'Invalid argument'), code: 0 });
    // vCPU ids are checked against max_vcpus (2)
    expect(h.xl('trigger', 'pv1', 'nmi', '1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('trigger', 'pv1', 'nmi', '2')).toEqual({ stdout: '', stderr: TRIG(d, 'nmi', 'No such process'), code: 0 });
    expect(h.xl('trigger', 'pv1', 'nmi', 'x')).toEqual({ stdout: '', stderr: 'Invalid vcpuid, using default vcpuid=0.\n\n', code: 0 });
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     -b---- T\n`);
  });
  it('PVH: accepted like HVM, but without the emulated PM block the button press goes nowhere', () => {
    const d = 'Domain 2:';
    expect(h.xl('trigger', 'pvh1', 'nmi')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('trigger', 'pvh1', 'power')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('trigger', 'pvh1', 'reset')).toEqual({ stdout: '', stderr: TRIG(d, 'reset', 'Function not implemented'), code: 0 });
    expect(h.xl('trigger', 'pvh1', 's3resume')).toEqual({ stdout: '', stderr: S3(d, -6), code: 0 });
    h.xlsim('clock', 'advance', '10s');
    expect(table(h.xl('list', 'pvh1').stdout)).toBe(`${HEADER}pvh1                                         2   256     1     -b---- T\n`);
  });
  it('HVM: s3resume reaches QEMU, which refuses a guest that is not asleep; power shuts the OS down', () => {
    const d = 'Domain 3:';
    expect(h.xl('trigger', 'hvm1', 'reset')).toEqual({ stdout: '', stderr: TRIG(d, 'reset', 'Function not implemented'), code: 0 });
    expect(h.xl('trigger', 'hvm1', 's3resume')).toEqual({
      stdout: '',
      stderr: `libxl: error: libxl_qmp.c:1890:qmp_ev_parse_error_messages: ${d}Unable to wake up: guest is not in suspended state\n${S3(d, -28)}`,
      code: 0,
    });
    expect(h.xl('trigger', 'hvm1', 'power')).toEqual({ stdout: '', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '5s');
    expect(h.xl('list', 'hvm1').code).toBe(1);
  });
  it('Domain-0 is PV to Xen; numeric ids that do not exist fail in the domctl', () => {
    expect(h.xl('trigger', '0', 'nmi')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('trigger', '0', 'power')).toEqual({ stdout: '', stderr: TRIG('', 'power', 'Invalid argument'), code: 0 });
    expect(h.xl('trigger', '99', 'nmi')).toEqual({ stdout: '', stderr: TRIG('Domain 99:', 'nmi', 'No such process'), code: 0 });
    expect(h.xl('trigger', '99', 's3resume')).toEqual({
      stdout: '',
      stderr: `libxl: error: libxl_dom.c:37:libxl__domain_type: Domain 99:unable to get dominfo: No such process\n${S3('Domain 99:', -6)}`,
      code: 0,
    });
    expect(h.xl('trigger', 'nosuch', 'nmi')).toEqual({ stdout: '', stderr: 'nosuch is an invalid domain identifier (rc=-6)\n', code: 1 });
  });
});

describe('xl resume of a domain that is not suspended', () => {
  const h = manualHost();
  it('xc refuses (modify_returncode), libxl reports EINVAL, xl exits 0', () => {
    expect(h.xl('create', '-q', h.cfg('pv1', PV_CFG)).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('resume', 'pv1')).toEqual({
      stdout: '',
      stderr:
        'xc: error: Dom 1 not suspended: (shutdown 0, reason 255): Internal error\n' +
        'libxl: error: libxl_dom_suspend.c:596:domain_resume_done: Domain 1:xc_domain_resume failed: Invalid argument\n',
      code: 0,
    });
    expect(h.xl('resume', '0')).toEqual({
      stdout: '',
      stderr:
        'xc: error: Dom 0 not suspended: (shutdown 0, reason 255): Internal error\n' +
        'libxl: error: libxl_dom_suspend.c:596:domain_resume_done: xc_domain_resume failed: Invalid argument\n',
      code: 0,
    });
    expect(h.xl('resume', '99')).toEqual({
      stdout: '',
      stderr: 'libxl: error: libxl_dom.c:37:libxl__domain_type: Domain 99:unable to get dominfo: No such process\n',
      code: 0,
    });
  });
  it('a guest powered off and preserved is shut down, but not for suspend', () => {
    expect(h.xl('create', '-q', h.cfg('keep', 'name = "keep"\nkernel = "/k"\nmemory = 128\non_poweroff = "preserve"\n')).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('shutdown', '-w', 'keep').code).toBe(0);
    expect(table(h.xl('list', 'keep').stdout)).toBe(`${HEADER}keep                                         2   128     1     ---s-- T\n`);
    expect(h.xl('resume', 'keep')).toEqual({
      stdout: '',
      stderr:
        'xc: error: Dom 2 not suspended: (shutdown 4, reason 0): Internal error\n' +
        'libxl: error: libxl_dom_suspend.c:596:domain_resume_done: Domain 2:xc_domain_resume failed: Invalid argument\n',
      code: 0,
    });
    expect(table(h.xl('list', 'keep').stdout)).toBe(`${HEADER}keep                                         2   128     1     ---s-- T\n`);
  });
  it('after xl suspend it resumes', () => {
    expect(h.xl('suspend', 'pv1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     ---ss- T\n`);
    expect(h.xl('resume', 'pv1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     -b---- T\n`);
  });
});

describe('xl rename', () => {
  const h = manualHost();
  it('refuses a name in use, names a numeric id that does not exist, renames Domain-0', () => {
    expect(h.xl('create', '-q', h.cfg('a', PV_CFG.replace('"pv1"', '"a"'))).code).toBe(0);
    expect(h.xl('create', '-q', h.cfg('b', PV_CFG.replace('"pv1"', '"b"'))).code).toBe(0);
    expect(h.xl('rename', 'a', 'b')).toEqual({
      stdout: '',
      stderr: 'libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 1:Domain with name "b" already exists.\nCan\'t rename domain \'a\'.\n',
      code: 1,
    });
    expect(h.xl('rename', '1', 'Domain-0')).toEqual({
      stdout: '',
      stderr: 'libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 1:Domain with name "Domain-0" already exists.\nCan\'t rename domain \'1\'.\n',
      code: 1,
    });
    // no old name to check for a bare number: the transaction fails on the missing domain
    expect(h.xl('rename', '99', 'c')).toEqual({
      stdout: '',
      stderr: "libxl: error: libxl_domain.c:356:libxl_domain_info: Domain 99:Getting domain info: No such process\nCan't rename domain '99'.\n",
      code: 1,
    });
    expect(xsRead(h, '/local/domain/99/name').code).toBe(1);
    expect(h.xl('rename', 'a', 'a')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('rename', 'Domain-0', 'dom0')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('domname', '0')).toEqual({ stdout: 'dom0\n', stderr: '', code: 0 });
    expect(xsRead(h, '/vm/00000000-0000-0000-0000-000000000000/name')).toEqual({ stdout: 'dom0\n', code: 0 });
    expect(h.xl('rename', '0', 'Domain-0')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('rename', 'a', 'renamed')).toEqual({ stdout: '', stderr: '', code: 0 });
    const vm = xsRead(h, '/local/domain/1/vm').stdout.trim();
    expect(xsRead(h, `${vm}/name`)).toEqual({ stdout: 'renamed\n', code: 0 });
  });
});

describe('xl sysrq', () => {
  const h = manualHost();
  it('writes control/sysrq for any domid, existing or not, and exits 0', () => {
    expect(h.xl('sysrq', '99', 's')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(xsRead(h, '/local/domain/99/control/sysrq')).toEqual({ stdout: 's\n', code: 0 });
    expect(h.xl('sysrq', 'nosuch', 's')).toEqual({ stdout: '', stderr: 'nosuch is an invalid domain identifier (rc=-6)\n', code: 1 });
  });
  it('a paused guest reads it only after the unpause', () => {
    expect(h.xl('create', '-q', h.cfg('pv1', PV_CFG)).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('pause', 'pv1').code).toBe(0);
    expect(h.xl('sysrq', 'pv1', 'o')).toEqual({ stdout: '', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '5s');
    expect(xsRead(h, '/local/domain/1/control/sysrq')).toEqual({ stdout: 'o\n', code: 0 });
    expect(h.xl('unpause', 'pv1').code).toBe(0);
    h.xlsim('clock', 'advance', '1s');
    expect(h.xl('list', 'pv1').code).toBe(1);
    expect(h.log('pv1')).toContain('Domain 1 has shut down, reason code 0 0x0\n');
  });
});

describe('xl uptime of a domain with no start time', () => {
  const h = manualHost();
  it('libxl complains, the row is left out, xl exits 0', () => {
    h.xlsim('clock', 'advance', '1h');
    expect(h.xl('uptime', '99', '0')).toEqual({
      stdout: 'Name                                ID Uptime\nDomain-0                             0  1:00:00\n',
      stderr: "libxl: error: libxl_domain.c:2224:libxl_vm_get_start_time: Domain 99:Can't get start time of domain\n",
      code: 0,
    });
    expect(h.xl('uptime', '-s', 'nosuch')).toEqual({ stdout: '', stderr: 'nosuch is an invalid domain identifier (rc=-6)\n', code: 1 });
  });
});

describe('xl destroy -f 0', () => {
  const h = manualHost();
  it('goes through the teardown: the pause fails, dom0 loses its xenstore entries, Xen refuses to kill the caller', () => {
    expect(h.xl('destroy', '-f', '0')).toEqual({
      stdout: '',
      stderr:
        'libxl: error: libxl_domain.c:1217:destroy_domid_pci_done: xc_domain_pause failed\n' +
        'libxl: error: libxl_domain.c:1618:domain_destroy_domid_cb: xc_domain_destroy failed: Invalid argument\n' +
        'libxl: error: libxl_domain.c:1135:domain_destroy_callback: Unable to destroy guest\n' +
        'libxl: error: libxl_domain.c:1062:domain_destroy_cb: Destruction of domain failed\n' +
        'destroy failed (rc=-3)\n',
      code: 1,
    });
    expect(table(h.xl('list').stdout)).toBe(`${HEADER}(null)                                       0  2048     2     r----- T\n`);
  });
});

describe('a PVH guest without PV drivers', () => {
  const h = manualHost();
  it('still has the PV control interface as far as libxl knows: the request is written and times out', () => {
    expect(h.xl('create', '-q', h.cfg('pvh1', PVH_CFG)).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xlsim('guest', 'pvh1', 'pv-drivers', 'off').code).toBe(0);
    expect(h.xl('shutdown', '-F', 'pvh1')).toEqual({
      stdout: '',
      stderr: "Shutting down domain 1\nlibxl: error: libxl_domain.c:852:pvcontrol_cb: guest didn't acknowledge control request: -9\nshutdown failed (rc=-9)\n",
      code: 1,
    });
    expect(xsRead(h, '/local/domain/1/control/shutdown')).toEqual({ stdout: 'poweroff\n', code: 0 });
  });
});

describe('xl suspend', () => {
  const h = manualHost();
  it('an HVM guest without PV drivers is suspended by Xen on the toolstack word, and resumes', () => {
    expect(h.xl('create', '-q', '-p', h.cfg('hvm1', HVM_CFG)).code).toBe(0);
    expect(h.xlsim('guest', 'hvm1', 'pv-drivers', 'off').code).toBe(0);
    expect(h.xl('unpause', 'hvm1').code).toBe(0);
    h.xlsim('clock', 'advance', '9s');
    expect(h.xl('suspend', 'hvm1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(table(h.xl('list', 'hvm1').stdout)).toBe(`${HEADER}hvm1                                         1  1024     2     ---ss- T\n`);
    expect(h.log('hvm1')).toBe(
      'Waiting for domain hvm1 (domid 1) to die [pid 4321]\nDomain 1 has shut down, reason code 2 0x2\nDomain has suspended.\nContinue waiting for domain 1\n',
    );
    expect(h.xl('resume', 'hvm1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(table(h.xl('list', 'hvm1').stdout)).toBe(`${HEADER}hvm1                                         1  1024     2     -b---- T\n`);
  });
  it('a paused guest cannot acknowledge: after 60 s libxl withdraws the request; xl exits 0', () => {
    expect(h.xl('create', '-q', h.cfg('pv1', PV_CFG)).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('pause', 'pv1').code).toBe(0);
    expect(h.xl('suspend', 'pv1')).toEqual({
      stdout: '',
      stderr: "libxl: error: libxl_dom_suspend.c:262:domain_suspend_common_pvcontrol_suspending: Domain 2:guest didn't acknowledge suspend, cancelling request\n",
      code: 0,
    });
    expect(xsRead(h, '/local/domain/2/control/shutdown')).toEqual({ stdout: '\n', code: 0 });
    expect(h.xl('unpause', 'pv1').code).toBe(0);
    h.xlsim('clock', 'advance', '5s');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          2   512     2     -b---- T\n`);
  });
  it('a numeric id that does not exist fails in libxl__domain_type', () => {
    expect(h.xl('suspend', '99')).toEqual({
      stdout: '',
      stderr: 'libxl: error: libxl_dom.c:37:libxl__domain_type: Domain 99:unable to get dominfo: No such process\n',
      code: 0,
    });
  });
});

describe('xl shutdown -a', () => {
  const h = manualHost();
  it('with no guests: nothing to do, and -w waits for none', () => {
    expect(h.xl('shutdown', '-a')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('reboot', '--all', '--wait')).toEqual({ stdout: '', stderr: 'Waiting for 0 domains\n', code: 0 });
  });
  it('stops at the first guest that fails; the ones after it are not asked', () => {
    expect(h.xl('create', '-q', h.cfg('pv1', PV_CFG)).code).toBe(0);
    expect(h.xl('create', '-q', '-p', h.cfg('hvm1', HVM_CFG)).code).toBe(0);
    expect(h.xlsim('guest', 'hvm1', 'pv-drivers', 'off').code).toBe(0);
    expect(h.xl('unpause', 'hvm1').code).toBe(0);
    expect(h.xl('create', '-q', h.cfg('pv2', PV_CFG.replace('"pv1"', '"pv2"'))).code).toBe(0);
    h.xlsim('clock', 'advance', '9s');
    expect(h.xl('shutdown', '-a', '-w')).toEqual({
      stdout: '',
      stderr:
        'Shutting down domain 1\n' +
        'Shutting down domain 2\n' +
        'PV control interface not available: external graceful shutdown not possible.\n' +
        'Use "-F" to fallback to ACPI power event.\n' +
        'shutdown failed (rc=-10)\n',
      code: 1,
    });
    h.xlsim('clock', 'advance', '5s');
    expect(h.xl('list', 'pv1').code).toBe(1);
    expect(xsRead(h, '/local/domain/3/control/shutdown')).toEqual({ stdout: '\n', code: 0 });
    expect(table(h.xl('list', 'pv2').stdout)).toBe(`${HEADER}pv2                                          3   512     2     -b---- T\n`);
  });
});

describe('a shutdown request to a suspended guest', () => {
  const h = manualHost();
  it('times out, and is acted on once the guest is resumed', () => {
    expect(h.xl('create', '-q', h.cfg('pv1', PV_CFG)).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('suspend', 'pv1').code).toBe(0);
    expect(h.xl('shutdown', 'pv1')).toEqual({
      stdout: '',
      stderr: "Shutting down domain 1\nlibxl: error: libxl_domain.c:852:pvcontrol_cb: guest didn't acknowledge control request: -9\nshutdown failed (rc=-9)\n",
      code: 1,
    });
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     ---ss- T\n`);
    expect(h.xl('resume', 'pv1')).toEqual({ stdout: '', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '4s');
    expect(h.xl('list', 'pv1').code).toBe(1);
    expect(h.log('pv1')).toContain('Domain 1 has shut down, reason code 0 0x0\nAction for shutdown reason code 0 is destroy\n');
  });
});
