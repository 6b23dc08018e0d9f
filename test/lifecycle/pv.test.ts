/**
 * A PV guest through its life on a manual-clock host: create, boot, pause
 * counting, ballooning, vCPU hotplug, rename, graceful shutdown with -w and
 * the monitor's destroy — exact streams and exit codes at every step, and
 * `xlsim check` after.
 */
import { describe, expect, it } from 'vitest';
import { HEADER, PV_CFG, manualHost } from './transcript';

/** The table with the Time(s) column masked (CPU time is the hypervisor's model). */
function table(out: string): string {
  return out.replace(/ +\d+\.\d\n/g, ' T\n');
}

function freeMemory(h: ReturnType<typeof manualHost>): number {
  const r = h.xl('info', 'free_memory');
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  return Number(r.stdout);
}

describe('PV guest lifecycle', () => {
  const h = manualHost();
  const cfg = h.cfg('pv1', PV_CFG);
  let free0 = 0;

  it('starts with Domain-0 alone', () => {
    const r = h.xl('list');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(table(r.stdout)).toBe(`${HEADER}Domain-0                                     0  2048     2     r----- T\n`);
    free0 = freeMemory(h);
  });

  it('xl create is quiet and starts the monitor', () => {
    const r = h.xl('create', cfg);
    expect(r).toEqual({ stdout: '', stderr: `Parsing config from ${cfg}\n`, code: 0 });
    expect(h.log('pv1')).toBe('Waiting for domain pv1 (domid 1) to die [pid 4321]\n');
    // a PV guest takes its memory and nothing else from the heap
    expect(freeMemory(h)).toBe(free0 - 512);
  });

  it('the guest boots in simulated time and then idles', () => {
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     r----- T\n`);
    expect(h.xlsim('clock', 'advance', '3s').code).toBe(0);
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     -b---- T\n`);
  });

  it('pauses are counted: two pauses need two unpauses; a third unpause is an error but exits 0', () => {
    expect(h.xl('pause', 'pv1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('pause', 'pv1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     --p--- T\n`);
    expect(h.xl('unpause', 'pv1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     --p--- T\n`);
    expect(h.xl('unpause', 'pv1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     -b---- T\n`);
    expect(h.xl('unpause', 'pv1')).toEqual({
      stdout: '',
      stderr: 'libxl: error: libxl_domain.c:686:domain_unpause_done: Domain 1:Unpausing domain: Invalid argument\n',
      code: 0,
    });
  });

  it('mem-set lowers the balloon target; the guest gives the memory back over time', () => {
    expect(h.xl('mem-set', 'pv1', '256')).toEqual({ stdout: '', stderr: '', code: 0 });
    // the target is set, the guest has not ballooned yet
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   512     2     -b---- T\n`);
    h.xlsim('clock', 'advance', '2s');
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   256     2     -b---- T\n`);
    expect(freeMemory(h)).toBe(free0 - 256);
  });

  it('mem-max and mem-set refuse what libxl refuses, with its messages', () => {
    expect(h.xl('mem-max', 'pv1', '128')).toEqual({
      stdout: '',
      stderr:
        'libxl: error: libxl_mem.c:59:libxl_domain_setmaxmem: Domain 1:memory_static_max must be greater than or or equal to memory_dynamic_max: Success\n' +
        'cannot set domid 1 static max memory to : 128\n',
      code: 1,
    });
    expect(h.xl('mem-set', 'pv1', '1g')).toEqual({
      stdout: '',
      stderr:
        'libxl: error: libxl_mem.c:278:libxl_set_memory_target: Domain 1:memory_dynamic_max must be less than or equal to memory_static_max\n\n' +
        'cannot set domid 1 dynamic max memory to : 1g\n',
      code: 1,
    });
    expect(h.xl('mem-set', 'pv1', '512MB')).toEqual({ stdout: '', stderr: 'invalid memory size: 512MB\n', code: 1 });
    expect(h.xl('mem-max', 'pv1', '1g')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('mem-set', 'pv1', '384m')).toEqual({ stdout: '', stderr: '', code: 0 });
    h.xlsim('clock', 'advance', '2s');
    expect(freeMemory(h)).toBe(free0 - 384);
  });

  it('vcpu-set takes vCPUs offline and refuses to overcommit the host', () => {
    expect(h.xl('vcpu-set', 'pv1', '1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(table(h.xl('list', 'pv1').stdout)).toBe(`${HEADER}pv1                                          1   384     1     -b---- T\n`);
    const vl = h.xl('vcpu-list', 'pv1');
    expect(vl.code).toBe(0);
    const lines = vl.stdout.split('\n');
    expect(lines[0]).toBe('Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)');
    expect(lines[2]).toMatch(/^pv1 {34}1     1    -   --p +\d+\.\d  all \/ all$/);
    expect(h.xl('vcpu-set', 'pv1', '12')).toEqual({
      stdout: '',
      stderr: 'You are overcommmitting! You have 8 physical CPUs and want 12 vCPUs! Aborting, use --ignore-host to continue\n',
      code: 1,
    });
    expect(h.xl('vcpu-set', '-i', 'pv1', '12')).toEqual({
      stdout: '',
      stderr:
        'libxl: error: libxl_domain.c:1873:libxl_set_vcpuonline: Domain 1:Requested 12 VCPUs, however maxcpus is 2!: Success\n' +
        'libxl_set_vcpuonline failed domid=1 max_vcpus=12, rc: -3\n',
      code: 1,
    });
    expect(h.xl('vcpu-set', 'pv1', 'x')).toEqual({ stdout: '', stderr: 'Error: Invalid argument.\n', code: 1 });
    expect(h.xl('vcpu-set', 'pv1', '2').code).toBe(0);
  });

  it('rename changes the name everywhere; a taken name is refused', () => {
    expect(h.xl('rename', 'pv1', 'web')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('domid', 'web')).toEqual({ stdout: '1\n', stderr: '', code: 0 });
    expect(h.xl('domname', '1')).toEqual({ stdout: 'web\n', stderr: '', code: 0 });
    expect(h.xl('rename', 'web', 'Domain-0')).toEqual({
      stdout: '',
      stderr: 'libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 1:Domain with name "Domain-0" already exists.\nCan\'t rename domain \'web\'.\n',
      code: 1,
    });
    expect(h.xl('list', 'pv1')).toEqual({ stdout: '', stderr: 'pv1 is an invalid domain identifier (rc=-6)\n', code: 1 });
    expect(h.xlsim('check').code).toBe(0);
  });

  it('shutdown -w waits for the guest; the monitor destroys the domain', () => {
    expect(h.xl('shutdown', '-w', 'web')).toEqual({
      stdout: '',
      stderr: 'Shutting down domain 1\nWaiting for 1 domains\nDomain 1 has been shut down, reason code 0\n',
      code: 0,
    });
    expect(h.xl('list', 'web')).toEqual({ stdout: '', stderr: 'web is an invalid domain identifier (rc=-6)\n', code: 1 });
    expect(h.log('pv1')).toBe(
      'Waiting for domain pv1 (domid 1) to die [pid 4321]\n' +
        'Domain 1 has shut down, reason code 0 0x0\n' +
        'Action for shutdown reason code 0 is destroy\n' +
        'Domain 1 needs to be cleaned up: destroying the domain\n' +
        'Done. Exiting now\n',
    );
    expect(freeMemory(h)).toBe(free0);
    expect(h.xlsim('check')).toEqual({ stdout: 'xlsim check: host is consistent\n', stderr: '', code: 0 });
  });
});
