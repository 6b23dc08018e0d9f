/**
 * `xl info` field order and the prefix filter, `xl dmesg`, `xl uptime`,
 * `xl vm-list`, `xl debug-keys` on a fresh manual-clock host.
 */
import { describe, expect, it } from 'vitest';
import { PV_CFG, manualHost } from './transcript';

const LABELS = [
  'host', 'release', 'version', 'machine', 'nr_cpus', 'max_cpu_id', 'nr_nodes', 'cores_per_socket', 'threads_per_core',
  'cpu_mhz', 'hw_caps', 'virt_caps', 'total_memory', 'free_memory', 'sharing_freed_memory', 'sharing_used_memory',
  'outstanding_claims', 'free_cpus', 'xen_major', 'xen_minor', 'xen_extra', 'xen_version', 'xen_caps', 'xen_scheduler',
  'xen_pagesize', 'platform_params', 'xen_changeset', 'xen_commandline', 'cc_compiler', 'cc_compile_by',
  'cc_compile_domain', 'cc_compile_date', 'build_id', 'xend_config_format',
];

describe('xl info', () => {
  const h = manualHost();
  it('prints every field in order, labels padded to 23', () => {
    const r = h.xl('info');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.slice(0, 25))).toEqual(LABELS.map((l) => l.padEnd(23) + ': '));
    const v = Object.fromEntries(lines.map((l) => [l.slice(0, 23).trim(), l.slice(25)]));
    expect(v.nr_cpus).toBe('8');
    expect(v.max_cpu_id).toBe('7');
    expect(v.xen_major).toBe('4');
    expect(v.xen_minor).toBe('20');
    expect(v.xen_extra).toBe('.0-xlsim');
    expect(v.xen_version).toBe('4.20.0-xlsim');
    expect(v.xen_scheduler).toBe('credit2');
    expect(v.xen_pagesize).toBe('4096');
    expect(v.platform_params).toBe('virt_start=0xffff800000000000');
    expect(v.xend_config_format).toBe('4');
    expect(v.cpu_mhz).toMatch(/^\d+\.\d{3}$/);
    expect(v.hw_caps).toMatch(/^([0-9a-f]{8}:){7}[0-9a-f]{8}$/);
  });
  it('filters by prefix, printing only values', () => {
    expect(h.xl('info', 'xen_v')).toEqual({ stdout: '4.20.0-xlsim\n', stderr: '', code: 0 });
    const xen = h.xl('info', 'xen');
    expect(xen.stdout.split('\n').slice(0, 5)).toEqual(['4', '20', '.0-xlsim', '4.20.0-xlsim', 'xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64']);
    expect(xen.stdout.endsWith('\n4\n')).toBe(true);
    expect(h.xl('info', 'nosuchfield')).toEqual({ stdout: '', stderr: '', code: 0 });
  });
  it('-n adds the topology and NUMA tables and ignores the filter', () => {
    const r = h.xl('info', '-n', 'xen_v');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cpu_topology           :\ncpu:    core    socket     node\n  0:       0        0        0\n');
    expect(r.stdout).toContain('device topology        :\ndevice           node\nNo device topology data available\nnuma_info              :\nnode:    memsize    memfree    distances\n');
    expect(r.stdout).toContain('xen_version            : 4.20.0-xlsim\n');
  });
});

describe('dmesg, uptime, vm-list, debug-keys', () => {
  const h = manualHost();
  it('dmesg shows the boot log; -c clears it after printing', () => {
    const r = h.xl('dmesg');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^\(XEN\) Xen version 4\.20\.0-xlsim /);
    expect(h.xl('dmesg', '-c').stdout).toBe(r.stdout);
    expect(h.xl('dmesg')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('debug-keys', 'h')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('dmesg').stdout).toContain("(XEN) 'h' pressed -> showing installed handlers\n");
  });
  it('uptime and vm-list list dom0 and guests', () => {
    const cfg = h.cfg('pv1', PV_CFG);
    h.xl('create', cfg);
    h.xlsim('clock', 'advance', '1m5s');
    expect(h.xl('uptime')).toEqual({
      stdout: 'Name                                ID Uptime\nDomain-0                             0  0:01:05\npv1                                  1  0:01:05\n',
      stderr: '',
      code: 0,
    });
    expect(h.xl('uptime', '-s', 'pv1')).toEqual({ stdout: ' 00:01:05 up  0:01, pv1 (1)\n', stderr: '', code: 0 });
    const vm = h.xl('vm-list');
    expect(vm.code).toBe(0);
    const lines = vm.stdout.split('\n');
    expect(lines[0]).toBe('UUID                                  ID    name');
    expect(lines[1]).toBe(`00000000-0000-0000-0000-000000000000  0    ${'Domain-0'.padEnd(30)}`);
    expect(lines[2]).toMatch(new RegExp(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}  1    ${'pv1'.padEnd(30)}$`));
  });
});
