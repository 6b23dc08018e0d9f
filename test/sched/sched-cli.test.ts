/**
 * `xl sched-credit`, `xl sched-credit2`, `xl sched-rtds` through the built
 * CLI: tables, pool lines, setters, and every message (xl_sched.c and
 * libxl_sched.c).
 */
import { describe, expect, it } from 'vitest';
import { out, schedHost } from './host';

const HDR = 'Name                                ID Weight  Cap\n';
const dom0 = 'Domain-0                             0    256    0\n';

describe('a default (credit2) host', () => {
  const h = schedHost();
  h.guest('g1');

  it('sched-credit prints nothing: no pool runs credit', () => {
    expect(h.xl('sched-credit')).toEqual(out(''));
    expect(h.xl('sched-credit', '-p', 'Pool-0')).toEqual(out(''));
  });

  it('sched-credit2 lists Pool-0 and its domains', () => {
    expect(h.xl('sched-credit2')).toEqual(out(`Cpupool Pool-0: ratelimit=1000us\n${HDR}${dom0}g1                                   1    256    0\n`));
    expect(h.xl('sched-credit2', '-p', '0')).toEqual(h.xl('sched-credit2'));
    expect(h.xl('sched-credit2', '-d', 'g1')).toEqual(out(`${HDR}g1                                   1    256    0\n`));
  });

  it('sets weight and cap silently; the table shows them', () => {
    expect(h.xl('sched-credit2', '-d', 'g1', '-w', '512')).toEqual(out(''));
    expect(h.xl('sched-credit2', '--domain=g1', '--cap=50')).toEqual(out(''));
    expect(h.xl('sched-credit2', '-d', '1')).toEqual(out(`${HDR}g1                                   1    512   50\n`));
  });

  it('the pool line with -s, and -s -r sets the rate limit', () => {
    expect(h.xl('sched-credit2', '-s')).toEqual(out('Cpupool Pool-0: ratelimit=1000us\n'));
    expect(h.xl('sched-credit2', '-s', '-r', '2000')).toEqual(out(''));
    expect(h.xl('sched-credit2', '-s', '-p', 'Pool-0')).toEqual(out('Cpupool Pool-0: ratelimit=2000us\n'));
    expect(h.xl('sched-credit2', '-s', '-r', '0')).toEqual(out(''));
    expect(h.xl('sched-credit2', '-s')).toEqual(out('Cpupool Pool-0: ratelimit=0us\n'));
  });

  it('credit operations on a credit2 pool fail as on a real host', () => {
    expect(h.xl('sched-credit', '-d', '0')).toEqual(out(HDR, 'libxl_domain_sched_params_get returned credit2 not credit.\n', 1));
    expect(h.xl('sched-credit', '-d', 'g1', '-w', '512')).toEqual(
      out('', 'libxl: error: libxl_sched.c:230:sched_credit_domain_set: Domain 1:Getting domain sched credit: Invalid argument\nlibxl_domain_sched_params_set failed.\n', 1),
    );
    expect(h.xl('sched-credit', '-s')).toEqual(
      out(
        'Cpupool Pool-0: [sched params unavailable]\n',
        'libxl: error: libxl_sched.c:285:libxl_sched_credit_params_get: getting Credit scheduler parameters: Invalid argument\nlibxl_sched_credit_params_get failed.\n',
        0,
      ),
    );
    expect(h.xl('sched-credit', '-s', '-t', '10')).toEqual(
      out('', 'libxl: error: libxl_sched.c:285:libxl_sched_credit_params_get: getting Credit scheduler parameters: Invalid argument\nlibxl_sched_credit_params_get failed.\n', 1),
    );
    expect(h.xl('sched-rtds')).toEqual(out(''));
    expect(h.xl('sched-rtds', '-d', 'g1')).toEqual(out('Name                                ID    Period    Budget  Extratime\n', 'libxl_domain_sched_params_get returned credit2 not rtds.\n', 1));
    expect(h.xl('sched-rtds', '-d', 'g1', '-v', 'all')).toEqual(
      out(
        'Name                                ID VCPU    Period    Budget  Extratime\n',
        'libxl: error: libxl_sched.c:960:libxl_vcpu_sched_params_get_all: Domain 1:per-VCPU parameter getting not supported for this scheduler\nlibxl_vcpu_sched_params_get_all failed.\n',
        1,
      ),
    );
  });

  it('option errors', () => {
    const e = (msg: string) => out('', msg, 1);
    expect(h.xl('sched-credit', '-p', 'Pool-0', '-d', '0')).toEqual(e('Specifying a cpupool or schedparam is not allowed with domain options.\n'));
    expect(h.xl('sched-credit', '-s', '-w', '5')).toEqual(e('Specifying a cpupool or schedparam is not allowed with domain options.\n'));
    expect(h.xl('sched-credit', '-w', '5')).toEqual(e('Must specify a domain.\n'));
    expect(h.xl('sched-credit', '-t', '5')).toEqual(e('Must specify schedparam to set schedule parameter values.\n'));
    expect(h.xl('sched-credit', '-p', 'nope')).toEqual(e("unknown cpupool 'nope'\n"));
    expect(h.xl('sched-credit', '-s', '-p', '7')).toEqual(e("unknown cpupool '7'\n"));
    expect(h.xl('sched-credit2', '-p', 'Pool-0', '-w', '3')).toEqual(e('Specifying a cpupool is not allowed with other options.\n'));
    expect(h.xl('sched-credit2', '-c', '3')).toEqual(e('Must specify a domain.\n'));
    expect(h.xl('sched-credit2', '-d', 'nosuch')).toEqual(e('nosuch is an invalid domain identifier (rc=-6)\n'));
    expect(h.xl('sched-credit2', '-x').code).toBe(2);
    expect(h.xl('sched-rtds', '--cpupool=Pool-0', '-d', '0')).toEqual(e('Specifying a cpupool is not allowed with other options.\n'));
    expect(h.xl('sched-rtds', '-p', '100')).toEqual(e('Missing parameters.\n'));
    expect(h.xl('sched-rtds', '-d', 'g1', '-p', '100', '-b', '50', '-e', '1')).toEqual(e('Must specify VCPU.\n'));
    expect(h.xl('sched-rtds', '-d', 'g1', '-v', '0', '-v', 'all')).toEqual(e('Incorrect VCPU IDs.\n'));
    expect(h.xl('sched-rtds', '-d', 'g1', '-v', 'all', '-p', '100', '-b', '50')).toEqual(e('Incorrect number of period, budget and extratime\n'));
    expect(h.xl('sched-rtds', '-d', 'g1', '-e', '2')).toEqual(e('Invalid extratime.\n'));
  });

  it('libxl range checks', () => {
    const set = 'libxl_domain_sched_params_set failed.\n';
    expect(h.xl('sched-credit2', '-d', 'g1', '-w', '0')).toEqual(
      out('', `libxl: error: libxl_sched.c:441:sched_credit2_domain_set: Domain 1:Cpu weight out of range, valid values are within range from 1 to 65535\n${set}`, 1),
    );
    expect(h.xl('sched-credit2', '-d', 'g1', '-w', '65536')).toMatchObject({ code: 1 });
    expect(h.xl('sched-credit2', '-d', 'g1', '-c', '201')).toEqual(
      out('', `libxl: error: libxl_sched.c:451:sched_credit2_domain_set: Domain 1:Cpu cap out of range, valid range is from 0 to 200 for specified number of vcpus\n${set}`, 1),
    );
    // -1 is LIBXL_DOMAIN_SCHED_PARAM_CAP_DEFAULT: "leave the cap alone"
    expect(h.xl('sched-credit2', '-d', '0', '-c', '-1')).toEqual(out(''));
    expect(h.xl('sched-credit2', '-d', '0', '-c', '-2')).toEqual(
      out('', `libxl: error: libxl_sched.c:451:sched_credit2_domain_set: Cpu cap out of range, valid range is from 0 to 200 for specified number of vcpus\n${set}`, 1),
    );
    expect(h.xl('sched-credit2', '-s', '-r', '50')).toEqual(
      out('', 'libxl: error: libxl_sched.c:268:sched_ratelimit_check: Ratelimit out of range, valid range is from 100 to 500000\nlibxl_sched_credit2_params_set failed.\n', 1),
    );
    expect(h.xl('sched-credit2', '-d', '99')).toEqual(
      out(
        HDR,
        'libxl: error: libxl_dom.c:76:libxl__domain_cpupool: Domain 99:get domaininfo failed: No such process\n' +
          'libxl: error: libxl_sched.c:901:libxl_domain_sched_params_get: Domain 99:Unknown scheduler\n' +
          'libxl_domain_sched_params_get failed.\n',
        1,
      ),
    );
    // nothing changed by the failures
    expect(h.xl('sched-credit2', '-d', 'g1')).toEqual(out(`${HDR}g1                                   1    512   50\n`));
    h.check();
  });
});

describe('a credit1 pool beside Pool-0', () => {
  const h = schedHost();
  h.guest('g1');
  h.guest('g2');
  h.xl('cpupool-cpu-remove', 'Pool-0', '6,7');
  h.xl('cpupool-create', h.file('c1.cfg', 'name = "c1"\nsched = "credit"\ncpus = "6-7"\n'));
  h.xl('cpupool-migrate', 'g1', 'c1');
  h.xl('cpupool-migrate', 'g2', 'c1');

  it('sched-credit lists the credit pool with its defaults', () => {
    expect(h.xl('sched-credit')).toEqual(
      out(`Cpupool c1: tslice=30ms ratelimit=1000us migration-delay=0us\n${HDR}g1                                   1    256    0\ng2                                   2    256    0\n`),
    );
    expect(h.xl('sched-credit2')).toEqual(out(`Cpupool Pool-0: ratelimit=1000us\n${HDR}${dom0}`));
    expect(h.xl('sched-credit2', '-p', 'c1')).toEqual(out(''));
  });

  it('-s shows Pool-0 unless -p names the pool; -t -r -m set its parameters', () => {
    expect(h.xl('sched-credit', '-s', '-p', 'c1')).toEqual(out('Cpupool c1: tslice=30ms ratelimit=1000us migration-delay=0us\n'));
    expect(h.xl('sched-credit', '-s', '-p', 'c1', '-t', '10', '-r', '500', '-m', '100')).toEqual(out(''));
    expect(h.xl('sched-credit', '-s', '-p', '1')).toEqual(out('Cpupool c1: tslice=10ms ratelimit=500us migration-delay=100us\n'));
    expect(h.xl('sched-credit', '--schedparam', '--cpupool=c1', '--tslice_ms=20')).toEqual(out(''));
    expect(h.xl('sched-credit', '-s', '-p', 'c1')).toEqual(out('Cpupool c1: tslice=20ms ratelimit=500us migration-delay=100us\n'));
  });

  it('credit parameter checks', () => {
    const fail = (line: number, msg: string) => out('', `libxl: error: libxl_sched.c:${line}:libxl_sched_credit_params_set: ${msg}\nlibxl_sched_credit_params_set failed.\n`, 1);
    expect(h.xl('sched-credit', '-s', '-p', 'c1', '-t', '0')).toEqual(fail(309, 'Time slice out of range, valid range is from 1 to 1000'));
    expect(h.xl('sched-credit', '-s', '-p', 'c1', '-t', '1', '-r', '2000')).toEqual(fail(319, 'Ratelimit cannot be greater than timeslice'));
    expect(h.xl('sched-credit', '-s', '-p', 'c1', '-m', '100001')).toEqual(fail(324, 'vcpu migration delay should be >= 0 and <= 100000us'));
    expect(h.xl('sched-credit', '-s', '-p', 'c1', '-r', '99')).toEqual(
      out('', 'libxl: error: libxl_sched.c:268:sched_ratelimit_check: Ratelimit out of range, valid range is from 100 to 500000\nlibxl_sched_credit_params_set failed.\n', 1),
    );
  });

  it('a domain moved to another pool starts with that scheduler\'s defaults', () => {
    h.guest('g3');
    expect(h.xl('sched-credit2', '-d', 'g3', '-w', '1000', '-c', '20')).toEqual(out(''));
    expect(h.xl('cpupool-migrate', 'g3', 'c1')).toEqual(out(''));
    expect(h.xl('sched-credit', '-d', 'g3')).toEqual(out(`${HDR}g3                                   3    256    0\n`));
    expect(h.xl('cpupool-migrate', 'g3', 'Pool-0')).toEqual(out(''));
    expect(h.xl('destroy', 'g3')).toMatchObject({ code: 0 });
  });

  it('per-domain credit parameters, and credit2 refusing them', () => {
    expect(h.xl('sched-credit', '-d', 'g2', '-w', '512')).toEqual(out(''));
    expect(h.xl('sched-credit', '-d', 'g2')).toEqual(out(`${HDR}g2                                   2    512    0\n`));
    expect(h.xl('sched-credit2', '-d', 'g2')).toEqual(out(HDR, 'libxl_domain_sched_params_get returned credit not credit2.\n', 1));
    expect(h.xl('sched-credit', '-d', 'g1', '-w', '70000')).toEqual(
      out('', 'libxl: error: libxl_sched.c:236:sched_credit_domain_set: Domain 1:Cpu weight out of range, valid values are within range from 1 to 65535\nlibxl_domain_sched_params_set failed.\n', 1),
    );
  });

  it('CPU time follows the weights while the guests are busy booting (4 vCPUs at 0.9 on 2 pCPUs)', () => {
    h.xlsim('clock', 'advance', '1500ms');
    const rows = h.xl('list').stdout.split('\n').filter((l) => /^g[12] /.test(l));
    const t = rows.map((l) => Number(l.trim().split(/\s+/).pop()));
    // credit gives g1 (256) 2/3 pCPU and g2 (512) 4/3 pCPU: 1.0 s and 2.0 s
    expect(t).toEqual([1, 2]);
    expect(h.xl('vcpu-list', 'g1', 'g2').stdout).toMatch(
      /^Name {32}ID {2}VCPU {3}CPU State {3}Time\(s\) Affinity \(Hard \/ Soft\)\ng1 +1 +0 +\d +\S+ +0\.5 .*\ng1 +1 +1 +\d +\S+ +0\.5 .*\ng2 +2 +0 +\d +\S+ +1\.0 .*\ng2 +2 +1 +\d +\S+ +1\.0 .*\n$/,
    );
    h.check();
  });
});

describe('an RTDS pool', () => {
  const h = schedHost();
  h.guest('r1');
  h.xl('cpupool-cpu-remove', 'Pool-0', '7');
  h.xl('cpupool-create', 'name="rt"', 'sched="rtds"', 'cpus=["7"]');
  h.xl('cpupool-migrate', 'r1', 'rt');
  const DH = 'Name                                ID    Period    Budget  Extratime\n';
  const VH = 'Name                                ID VCPU    Period    Budget  Extratime\n';

  it('lists domains with the default reservation', () => {
    expect(h.xl('sched-rtds')).toEqual(out(`Cpupool rt: sched=RTDS\n${DH}r1                                   1     10000      4000        yes\n`));
    expect(h.xl('sched-rtds', '--cpupool', 'rt')).toEqual(h.xl('sched-rtds'));
    expect(h.xl('sched-rtds', '--cpupool=Pool-0')).toEqual(out(''));
    // the optstring has "c" without a colon: -c takes no argument and sets no pool
    expect(h.xl('sched-rtds', '-c', 'Pool-0')).toEqual(h.xl('sched-rtds'));
    expect(h.xl('sched-rtds', '-v', 'all')).toEqual(
      out(`Cpupool rt: sched=RTDS\n${VH}r1                                   1    0     10000      4000        yes\nr1                                   1    1     10000      4000        yes\n`),
    );
  });

  it('sets per-vCPU and all-vCPU reservations', () => {
    expect(h.xl('sched-rtds', '-d', 'r1', '-v', '1', '-p', '20000', '-b', '5000', '-e', '0')).toEqual(out(''));
    expect(h.xl('sched-rtds', '-d', 'r1', '-v', '1')).toEqual(out(`${VH}r1                                   1    1     20000      5000         no\n`));
    expect(h.xl('sched-rtds', '-d', 'r1', '-v', 'all', '-p', '8000', '-b', '2000', '-e', '1')).toEqual(out(''));
    expect(h.xl('sched-rtds', '-d', 'r1', '-v', 'all')).toEqual(
      out(`${VH}r1                                   1    0      8000      2000        yes\nr1                                   1    1      8000      2000        yes\n`),
    );
  });

  it('reservation checks', () => {
    expect(h.xl('sched-rtds', '-d', 'r1', '-v', '0', '-p', '100', '-b', '200', '-e', '1')).toEqual(
      out('', 'libxl: error: libxl_sched.c:485:sched_rtds_validate_params: VCPU budget must be smaller than or equal to period, but 200 > 100\nlibxl_vcpu_sched_params_set failed.\n', 1),
    );
    expect(h.xl('sched-rtds', '-d', 'r1', '-v', '5', '-p', '100', '-b', '50', '-e', '1')).toEqual(
      out('', 'libxl: error: libxl_sched.c:623:sched_rtds_vcpu_set: Domain 1:Invalid VCPU 5: valid range is [0, 1]\nlibxl_vcpu_sched_params_set failed.\n', 1),
    );
    expect(h.xl('sched-rtds', '-d', 'r1', '-v', '3')).toEqual(
      out(VH, 'libxl: error: libxl_sched.c:520:sched_rtds_vcpu_get: Domain 1:VCPU index is out of range, valid values are within range from 0 to 1\nlibxl_vcpu_sched_params_get failed.\n', 1),
    );
    h.check();
  });
});
