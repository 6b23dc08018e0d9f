/**
 * shutdown -a -ww over several guests, suspend/resume, dump-core, sysrq,
 * trigger, and `xl list -l` reflecting live values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADER, PV_CFG, manualHost } from './transcript';

function table(out: string): string {
  return out.replace(/ +\d+\.\d\n/g, ' T\n');
}

describe('several guests', () => {
  const h = manualHost();
  const a = h.cfg('a', PV_CFG.replace('"pv1"', '"a"'));
  const b = h.cfg('b', PV_CFG.replace('"pv1"', '"b"').replace('memory = 512', 'memory = 256'));
  it('list -l shows the stored config with live memory and vCPUs', () => {
    expect(h.xl('create', a).code).toBe(0);
    expect(h.xl('create', b).code).toBe(0);
    h.xlsim('clock', 'advance', '3s');
    expect(h.xl('mem-set', 'a', '300').code).toBe(0);
    expect(h.xl('vcpu-set', 'a', '1').code).toBe(0);
    const r = h.xl('list', '-l', 'a');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('[\n    {\n        "domid": 1,\n        "config": {\n            "c_info": {\n                "type": "pv",\n')).toBe(true);
    expect(r.stdout.endsWith('\n]\n\n')).toBe(true);
    const cfg = JSON.parse(r.stdout) as Array<{ config: { b_info: Record<string, unknown>; c_info: Record<string, unknown> } }>;
    expect(cfg[0]!.config.b_info.target_memkb).toBe(300 * 1024);
    expect(cfg[0]!.config.b_info.max_memkb).toBe(512 * 1024);
    expect(cfg[0]!.config.b_info.avail_vcpus).toEqual([0]);
    expect(cfg[0]!.config.c_info.name).toBe('a');
    const all = JSON.parse(h.xl('list', '-l').stdout) as Array<{ domid: number }>;
    expect(all.map((e) => e.domid)).toEqual([0, 1, 2]);
  });
  it('suspend leaves the domain ---ss-, resume brings it back', () => {
    expect(h.xl('suspend', 'b')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(table(h.xl('list', 'b').stdout)).toBe(`${HEADER}b                                            2   256     2     ---ss- T\n`);
    expect(h.log('b')).toBe(
      'Waiting for domain b (domid 2) to die [pid 4322]\nDomain 2 has shut down, reason code 2 0x2\nDomain has suspended.\nContinue waiting for domain 2\n',
    );
    expect(h.xl('resume', 'b')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(table(h.xl('list', 'b').stdout)).toBe(`${HEADER}b                                            2   256     2     -b---- T\n`);
  });
  it('dump-core writes an ELF core where asked; sysrq and trigger', () => {
    expect(h.xl('dump-core', 'a', 'a.core')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(fs.readFileSync(path.join(h.home, 'a.core')).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(h.xl('dump-core', 'a', 'nodir/a.core')).toEqual({
      stdout: '',
      stderr: `libxl: error: libxl_domain.c:601:libxl_domain_core_dump: Domain 1:Core dumping domain to ${path.join(h.home, 'nodir/a.core')}: No such file or directory\ncore dump failed (rc=-3)\n`,
      code: 1,
    });
    expect(h.xl('sysrq', 'a', 's')).toEqual({ stdout: '', stderr: '', code: 0 });
    const bad = h.xl('sysrq', 'a', 'ss');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('Invalid sysrq.\n\n');
    expect(bad.stdout).toBe(h.xl('help', 'sysrq').stdout);
    expect(h.xl('trigger', 'a', 'bogus')).toEqual({ stdout: '', stderr: 'Invalid trigger "bogus"\n', code: 1 });
    // Xen queues an NMI for any guest; the ACPI buttons are HVM-only (EINVAL for PV)
    expect(h.xl('trigger', 'a', 'nmi')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(h.xl('trigger', 'a', 'power')).toEqual({
      stdout: '',
      stderr: "libxl: error: libxl_domain.c:2200:libxl_send_trigger: Domain 1:Send trigger 'power' failed: Invalid argument\n",
      code: 0,
    });
  });
  it('shutdown -a -ww shuts every guest down and waits for their deaths', () => {
    expect(h.xl('shutdown', '-a', '-ww')).toEqual({
      stdout: '',
      stderr:
        'Shutting down domain 1\nShutting down domain 2\nWaiting for 2 domains\n' +
        'Domain 1 has been shut down, reason code 0\nDomain 1 continue waiting for death\nDomain 1 has been destroyed\n' +
        'Domain 2 has been shut down, reason code 0\nDomain 2 continue waiting for death\nDomain 2 has been destroyed\n',
      code: 0,
    });
    expect(table(h.xl('list').stdout)).toBe(`${HEADER}Domain-0                                     0  2048     2     r----- T\n`);
    expect(h.xlsim('check').code).toBe(0);
  });
});
