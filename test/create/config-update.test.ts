/**
 * `xl config-update` up to where it needs a running domain: argument
 * handling, the warning, the dry run wrapper, file errors.
 */
import { describe, expect, it } from 'vitest';
import { scratch, UUID } from './util';

const WARN = 'WARNING: xl now has better capability to manage domain configuration, avoid using this command when possible\n';

describe('xl config-update', () => {
  it('needs a domain argument', () => {
    const s = scratch();
    const r = s.xl(['config-update']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('xl config-update requires a domain argument\n');
    expect(r.stdout.startsWith('Usage: xl [-vtTfN] config-update <Domain> <ConfigFile> [options] [vars]\n')).toBe(true);
  });

  it('-N prints the list -l style wrapper with "domid": null and stores nothing', () => {
    const s = scratch();
    s.write('g.cfg', `name="g"\nkernel="/k"\nuuid="${UUID}"\nmemory=64\n`);
    const r = s.xl(['-N', 'config-update', '3', 'g.cfg', 'vcpus=2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(WARN);
    expect(r.stdout.startsWith('{\n    "domid": null,\n    "config": {\n        "c_info": {\n            "type": "pv",\n')).toBe(true);
    const d = JSON.parse(r.stdout);
    expect(d.domid).toBeNull();
    expect(d.config.b_info.avail_vcpus).toEqual([0, 1]);
    expect(d.config.b_info.max_memkb).toBe(65536);
  });

  it('file errors: not specified → 1; unreadable → 253; /dev/null is not special here', () => {
    const s = scratch();
    expect(s.xl(['-N', 'config-update', '3'])).toEqual({ code: 1, stdout: '', stderr: WARN + 'Config file not specified\n' });
    expect(s.xl(['-N', 'config-update', '3', 'nosuch.cfg'])).toEqual({
      code: 253,
      stdout: '',
      stderr: WARN + 'Failed to read config file: nosuch.cfg: No such file or directory\n',
    });
    expect(s.xl(['-N', 'config-update', '3', '/dev/null', 'name="x"'])).toEqual({
      code: 253,
      stdout: '',
      stderr:
        WARN +
        'libxl: error: libxl_utils.c:348:libxl_read_file_contents: /dev/null is not a plain file: Success\n' +
        'Failed to read config file: /dev/null: Inappropriate ioctl for device\n',
    });
  });

  it('parse errors end it like create (exit 1), without a Parsing line', () => {
    const s = scratch();
    s.write('g.cfg', 'kernel="/k"\n');
    expect(s.xl(['-N', 'config-update', '3', '-f', 'g.cfg'])).toEqual({ code: 1, stdout: '', stderr: WARN + 'Domain name must be specified.\n' });
  });

  it('a second config file prints create\'s help and exits 2', () => {
    const s = scratch();
    const r = s.xl(['-N', 'config-update', '3', 'a.cfg', 'b.cfg']);
    expect(r.code).toBe(2);
    expect(r.stdout.startsWith('Usage: xl [-vtTfN] create <ConfigFile> [options] [vars]\n')).toBe(true);
  });

  it('stores the text for a running domain found by name or id', () => {
    const s = scratch();
    s.write('g.cfg', 'name="g"\nkernel="/k"\n');
    expect(s.xl(['config-update', 'Domain-0', 'g.cfg'])).toEqual({ code: 0, stdout: '', stderr: WARN + 'setting dom0 configuration\n' });
    expect(s.xl(['config-update', '0', '-d', 'g.cfg']).stdout.startsWith('{\n    "domid": null,\n')).toBe(true);
  });

  it('an unknown domain name ends it before the file is read', () => {
    const s = scratch();
    expect(s.xl(['config-update', 'nosuch', 'g.cfg'])).toEqual({
      code: 1,
      stdout: '',
      stderr: WARN + 'nosuch is an invalid domain identifier (rc=-6)\n',
    });
  });

  it('a domid with no domain: libxl cannot find it, xl fails to update', () => {
    const s = scratch();
    s.write('g.cfg', 'name="g"\nkernel="/k"\n');
    expect(s.xl(['config-update', '77', 'g.cfg'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        WARN +
        'setting dom77 configuration\n' +
        'libxl: error: libxl_domain.c:356:libxl_domain_info: Domain 77:Getting domain info: No such process\n' +
        'libxl: error: libxl_dom.c:1244:libxl__userdata_path: unable to find domain info for domain 77: No such process\n' +
        'failed to update configuration\n',
    });
  });
});
