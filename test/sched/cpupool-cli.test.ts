/**
 * The cpupool commands through the built CLI (xl_cpupool.c and
 * libxl_cpupool.c): exact output, every message, exit codes, and a
 * consistent host after each scenario.
 */
import { describe, expect, it } from 'vitest';
import { out, schedHost } from './host';

const LIST_HDR = 'Name               CPUs   Sched     Active   Domain count\n';
const CPUS_HDR = 'Name               CPU list\n';

function summary(src: string, name: string, sched: string, n: number): string {
  return `Using config file "${src}"\ncpupool name:   ${name}\nscheduler:      ${sched}\nnumber of cpus: ${n}\n`;
}

describe('cpupool-list on a fresh host', () => {
  const h = schedHost();
  it('one pool with every CPU and Domain-0', () => {
    expect(h.xl('cpupool-list')).toEqual(out(`${LIST_HDR}Pool-0               8   credit2       y          1\n`));
    expect(h.xl('cpupool-list', '-c')).toEqual(out(`${CPUS_HDR}Pool-0             0,1,2,3,4,5,6,7\n`));
    expect(h.xl('cpupool-list', '--cpus', 'Pool-0')).toEqual(out(`${CPUS_HDR}Pool-0             0,1,2,3,4,5,6,7\n`));
  });
  it('looks pools up by name only', () => {
    expect(h.xl('cpupool-list', '0')).toEqual(out('', "Pool '0' does not exist\n", 1));
    expect(h.xl('cpupool-list', 'nope')).toEqual(out('', "Pool 'nope' does not exist\n", 1));
    h.check();
  });
});

describe('cpupool-create', () => {
  const h = schedHost();
  const e = (msg: string) => out('', msg, 1);

  it('refuses what xl refuses', () => {
    expect(h.xl('cpupool-create')).toEqual(e('Missing cpupool name!\n'));
    expect(h.xl('cpupool-create', 'name="Pool-0"')).toEqual(e('Pool name "Pool-0" already exists\n'));
    expect(h.xl('cpupool-create', 'name="p"', 'sched="foo"')).toEqual(e('Unknown scheduler\n'));
    expect(h.xl('cpupool-create', 'name="p"', 'cpus="3"')).toEqual(e('cpu 3 illegal or not free\n'));
    expect(h.xl('cpupool-create', 'name="p"', 'cpus=["2","-1"]')).toEqual(e('cpu 2 illegal or not free\n'));
    expect(h.xl('cpupool-create', 'name="p"', 'nodes=["0"]')).toEqual(e('no free cpu found\n'));
    expect(h.xl('cpupool-create', 'name="p"', 'cpus="x"')).toEqual(e('Invalid pcpu range: x.\n'));
    expect(h.xl('cpupool-create', '/nonexistent/p.cfg')).toEqual(e('Failed to read config file: /nonexistent/p.cfg: No such file or directory\n'));
    expect(h.xl('cpupool-create', 'name=p')).toEqual(
      e("command line:2: config parsing error near `p': syntax error, unexpected IDENT, expecting STRING or NUMBER or '['\nFailed to parse config file: Invalid argument\n"),
    );
    // libxl knows "unknown" and "sedf"; Xen has no such scheduler
    expect(h.xl('cpupool-create', 'name="old"', 'sched="SEDF"')).toEqual(
      out(summary('command line', 'old', 'sedf', 0), 'libxl: error: libxl_cpupool.c:157:libxl_cpupool_create: Could not create cpupool\nerror on creating cpupool\n', 1),
    );
    expect(h.xl('cpupool-list')).toEqual(out(`${LIST_HDR}Pool-0               8   credit2       y          1\n`));
  });

  it('takes free CPUs (removed from Pool-0 first), from a file, a list or nodes', () => {
    expect(h.xl('cpupool-cpu-remove', 'Pool-0', '4-7')).toEqual(out(''));
    expect(h.xl('cpupool-list', '-c')).toEqual(out(`${CPUS_HDR}Pool-0             0,1,2,3\n`));
    // dry runs print the summary and create nothing
    expect(h.xl('cpupool-create', '-n', 'name="dry"', 'cpus="4-5"')).toEqual(out(summary('command line', 'dry', 'credit2', 2)));
    expect(h.xl('-N', 'cpupool-create', 'name="dry"', 'sched="credit"', 'cpus=["4"]')).toEqual(out(summary('command line', 'dry', 'credit', 1)));
    const f = h.file('pool1.cfg', '# a pool\nsched = "credit"\ncpus = ["4", "5"]\n');
    expect(h.xl('cpupool-create', f)).toEqual(out(summary(f, 'pool1.cfg', 'credit', 2)));
    expect(h.xl('cpupool-create', '-f', f, 'name="p2"', 'cpus="6"', 'sched="Credit2"')).toEqual(out(summary(f, 'p2', 'credit2', 1)));
    expect(h.xl('cpupool-create', 'name="p3"', 'nodes=["0"]')).toEqual(out(summary('command line', 'p3', 'credit2', 1)));
    expect(h.xl('cpupool-create', 'name="empty"')).toEqual(out(summary('command line', 'empty', 'credit2', 0)));
    expect(h.xl('cpupool-list')).toEqual(
      out(
        `${LIST_HDR}Pool-0               4   credit2       y          1\npool1.cfg            2    credit       y          0\np2                   1   credit2       y          0\np3                   1   credit2       y          0\nempty                0   credit2       y          0\n`,
      ),
    );
    expect(h.xl('cpupool-list', '-c', 'p3')).toEqual(out(`${CPUS_HDR}p3                 7\n`));
    expect(h.xl('cpupool-create', f, f)).toMatchObject({ code: 1, stderr: '' });
    h.check();
  });
});

describe('moving CPUs and domains between pools', () => {
  const h = schedHost();
  h.guest('g1');
  h.guest('g2', 1);
  h.xl('cpupool-cpu-remove', 'Pool-0', '6,7');
  h.xl('cpupool-create', 'name="p1"', 'cpus="6,7"');

  it('cpupool-migrate moves a guest; the lists follow', () => {
    expect(h.xl('cpupool-migrate', 'g1', 'p1')).toEqual(out(''));
    expect(h.xl('cpupool-migrate', '2', '1')).toEqual(out(''));
    expect(h.xl('cpupool-list')).toEqual(out(`${LIST_HDR}Pool-0               6   credit2       y          1\np1                   2   credit2       y          2\n`));
    expect(h.xl('list', '-c').stdout.split('\n').slice(1, 4).map((l) => l.trim().split(/\s+/).pop())).toEqual(['Pool-0', 'p1', 'p1']);
    expect(h.xl('vcpu-list', 'g1').stdout).toMatch(/\ng1 +1 +0 +[67] /);
    expect(h.xl('sched-credit2', '-p', 'p1')).toEqual(
      out('Cpupool p1: ratelimit=1000us\nName                                ID Weight  Cap\ng1                                   1    256    0\ng2                                   2    256    0\n'),
    );
  });

  it('cpupool-migrate errors', () => {
    expect(h.xl('cpupool-migrate', 'nosuch', 'p1')).toEqual(out('', "unknown domain 'nosuch'\n", 1));
    expect(h.xl('cpupool-migrate', '77', 'p1')).toEqual(out('', "unknown domain '77'\n", 1));
    expect(h.xl('cpupool-migrate', 'g1', 'nope')).toEqual(out('', "unknown cpupool 'nope'\n", 1));
    expect(h.xl('cpupool-migrate', 'g1', '5')).toEqual(out('', "unknown cpupool '5'\n", 1));
    expect(h.xl('cpupool-migrate', 'Domain-0', 'p1')).toEqual(
      out('', 'libxl: error: libxl_cpupool.c:437:libxl_cpupool_movedomain: Error moving domain to cpupool\n', 1),
    );
    expect(h.xl('cpupool-migrate', 'g1')).toMatchObject({ code: 2, stderr: "'xl cpupool-migrate' requires at least 2 arguments.\n\n" });
  });

  it('a pool keeps its last CPU while domains are in it', () => {
    expect(h.xl('cpupool-cpu-remove', 'p1', '7')).toEqual(out(''));
    expect(h.xl('cpupool-cpu-remove', 'p1', '6')).toEqual(
      out(
        '',
        'libxl: error: libxl_cpupool.c:365:libxl_cpupool_cpuremove: Error removing cpu 6 from cpupool: Device or resource busy\n' +
          "Some cpus may have not or only partially been removed from 'p1'.\n" +
          "If a cpu can't be added to another cpupool, add it to 'p1' again and retry.\n",
      ),
    );
    expect(h.xl('cpupool-list', '-c', 'p1')).toEqual(out(`${CPUS_HDR}p1                 6\n`));
  });

  it('cpupool-cpu-add: free CPUs join; busy ones are reported, still exit 0', () => {
    expect(h.xl('cpupool-cpu-add', 'p1', '5,7')).toEqual(
      out('', 'libxl: error: libxl_cpupool.c:302:libxl_cpupool_cpuadd: Error moving cpu 5 to cpupool: Device or resource busy\nsome cpus may not have been added to p1\n'),
    );
    expect(h.xl('cpupool-list', '-c', 'p1')).toEqual(out(`${CPUS_HDR}p1                 6,7\n`));
    expect(h.xl('cpupool-cpu-add', 'nope', '3')).toEqual(out('', "unknown cpupool 'nope'\n", 1));
    expect(h.xl('cpupool-cpu-add', 'p1', '3-x')).toEqual(out('', 'Invalid pcpu range: 3-x.\n', 1));
    expect(h.xl('cpupool-cpu-remove', 'p1', '^all')).toEqual(out('', 'Can\'t combine "^" and "all".\n', 1));
  });

  it('node: forms name every CPU of the node', () => {
    // CPUs 0-4 leave Pool-0, 5 is its last (Domain-0 runs there), 6-7 are not
    // in it (real Xen says EADDRNOTAVAIL there; the model's errno set has EINVAL)
    expect(h.xl('cpupool-cpu-remove', 'Pool-0', 'node:0')).toEqual(
      out(
        '',
        'libxl: error: libxl_cpupool.c:365:libxl_cpupool_cpuremove: Error removing cpu 5 from cpupool: Device or resource busy\n' +
          'libxl: error: libxl_cpupool.c:365:libxl_cpupool_cpuremove: Error removing cpu 6 from cpupool: Invalid argument\n' +
          'libxl: error: libxl_cpupool.c:365:libxl_cpupool_cpuremove: Error removing cpu 7 from cpupool: Invalid argument\n' +
          "Some cpus may have not or only partially been removed from 'Pool-0'.\n" +
          "If a cpu can't be added to another cpupool, add it to 'Pool-0' again and retry.\n",
      ),
    );
    expect(h.xl('cpupool-list', '-c', 'Pool-0')).toEqual(out(`${CPUS_HDR}Pool-0             5\n`));
  });

  it('cpupool-destroy refuses Pool-0 and pools with domains', () => {
    expect(h.xl('cpupool-destroy', 'p1')).toEqual(out('', "Can't destroy cpupool 'p1'\n", 1));
    expect(h.xl('cpupool-destroy', 'Pool-0')).toEqual(out('', "Can't destroy cpupool 'Pool-0'\n", 1));
    expect(h.xl('cpupool-destroy', 'nope')).toEqual(out('', "unknown cpupool 'nope'\n", 1));
    expect(h.xl('cpupool-destroy')).toMatchObject({ code: 2 });
    // an id is strtoul'd into a uint32_t: 2^32 is pool 0
    expect(h.xl('cpupool-destroy', '4294967296')).toEqual(out('', "Can't destroy cpupool '4294967296'\n", 1));
    expect(h.xl('cpupool-destroy', '4294967295')).toEqual(out('', "unknown cpupool '4294967295'\n", 1));
  });

  it('cpupool-rename changes the name everywhere', () => {
    expect(h.xl('cpupool-rename', 'p1', 'work')).toEqual(out(''));
    expect(h.xl('cpupool-rename', 'nope', 'x')).toEqual(out('', "unknown cpupool 'nope'\n", 1));
    expect(h.xl('cpupool-list', '-c')).toEqual(out(`${CPUS_HDR}Pool-0             5\nwork               6,7\n`));
    expect(h.xl('list', '-c', 'g1').stdout.split('\n')[1]!.trim().split(/\s+/).pop()).toBe('work');
    expect(h.xl('sched-credit2', '-s', '-p', 'work')).toEqual(out('Cpupool work: ratelimit=1000us\n'));
  });

  it('an emptied pool can be destroyed; its CPUs are free again', () => {
    expect(h.xl('cpupool-migrate', 'g1', 'Pool-0')).toEqual(out(''));
    expect(h.xl('cpupool-migrate', 'g2', '0')).toEqual(out(''));
    expect(h.xl('cpupool-destroy', 'work')).toEqual(out(''));
    expect(h.xl('cpupool-list')).toEqual(out(`${LIST_HDR}Pool-0               1   credit2       y          3\n`));
    expect(h.xl('cpupool-cpu-add', 'Pool-0', 'all')).toEqual(
      out('', 'libxl: error: libxl_cpupool.c:302:libxl_cpupool_cpuadd: Error moving cpu 5 to cpupool: Device or resource busy\nsome cpus may not have been added to Pool-0\n'),
    );
    expect(h.xl('cpupool-list', '-c')).toEqual(out(`${CPUS_HDR}Pool-0             0,1,2,3,4,5,6,7\n`));
    h.check();
  });
});

describe('cpupool-numa-split', () => {
  it('one pool per node on a two-node host, and only once', () => {
    const h = schedHost('amd-epyc');
    expect(h.xl('cpupool-numa-split')).toEqual(out(''));
    expect(h.xl('cpupool-list')).toEqual(out(`${LIST_HDR}Pool-node0          32   credit2       y          1\nPool-node1          32   credit2       y          0\n`));
    expect(h.xl('cpupool-numa-split')).toEqual(out('', 'splitting not possible, already cpupools in use\n', 1));
    h.check();
  });
});
