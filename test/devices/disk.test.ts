/**
 * Disk specs (xl-cfg.md §3.1, traps §9.12). Expected messages and fields
 * were checked against the C scanner (libxlu_disk_l.c) compiled from the
 * Xen 4.20 tree.
 */
import { describe, expect, it } from 'vitest';
import { xluDiskParse } from '../../lib/cfg/disk';
import { collectingSink } from '../../lib/cfg/report';
import { deviceToJson } from '../../lib/libxl/json';
import type { DeviceDisk } from '../../lib/libxl/types';
import { DISK_CASES } from './check-cases';

function parse(...words: string[]): { disk?: DeviceDisk; err: string; exitCode?: number } {
  const sink = collectingSink();
  const r = xluDiskParse(sink, 'command line', words);
  return r.ok ? { disk: r.disk, err: sink.text() } : { err: sink.text(), exitCode: r.exitCode };
}

const E = (msg: string, spec: string, near?: string): string =>
  `command line: config parsing error in disk specification: ${msg}${near !== undefined ? `: near \`${near}'` : ''} in \`${spec}'\n`;

describe('disk spec: documented examples (xl-disk-configuration)', () => {
  const hda: DeviceDisk = { pdev_path: '/dev/vg/guest-volume', vdev: 'hda', format: 'raw', readwrite: 1 };
  it.each([
    ['/dev/vg/guest-volume,,hda'],
    ['/dev/vg/guest-volume,raw,hda,rw'],
    ['format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume'],
    ['raw:/dev/vg/guest-volume,hda,w'],
  ])('%s', (spec) => {
    expect(parse(spec)).toEqual({ disk: hda, err: '' });
  });
  it('separate argv words feed one disk', () => {
    expect(parse('format=raw', 'vdev=hda', 'access=rw', 'target=/dev/vg/guest-volume')).toEqual({ disk: hda, err: '' });
  });

  const iso: DeviceDisk = { pdev_path: '/root/image.iso', vdev: 'hdc', format: 'raw', removable: 1, is_cdrom: 1 };
  it.each([
    ['/root/image.iso,,hdc,cdrom'],
    ['/root/image.iso,,hdc,,cdrom'],
    ['/root/image.iso,raw,hdc,devtype=cdrom'],
    ['format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso'],
    ['raw:/root/image.iso,hdc:cdrom,ro'],
  ])('cdrom %s', (spec) => {
    expect(parse(spec)).toEqual({ disk: iso, err: '' });
  });

  const empty: DeviceDisk = { pdev_path: '', vdev: 'hdc', format: 'empty', removable: 1, is_cdrom: 1 };
  it.each([[',hdc:cdrom,r'], ['devtype=cdrom,,,hdc'], [',,hdc:cdrom,r'], ['vdev=hdc,access=r,devtype=cdrom,target='], [',empty,hdc:cdrom,r']])(
    'empty cdrom %s',
    (spec) => {
      expect(parse(spec)).toEqual({ disk: empty, err: '' });
    },
  );
  it.each([['vdev=hdc,access=r,devtype=cdrom'], ['vdev=hdc,access=r,devtype=cdrom,format=empty']])('cdrom without target %s', (spec) => {
    expect(parse(spec)).toEqual({ disk: { vdev: 'hdc', format: 'empty', removable: 1, is_cdrom: 1 }, err: '' });
  });
  it('backendtype=phy', () => {
    expect(parse('backendtype=phy,vdev=xvdb,access=w,target=/dev/vg/guest-volume').disk).toEqual({
      pdev_path: '/dev/vg/guest-volume', vdev: 'xvdb', backend: 'phy', format: 'raw', readwrite: 1,
    });
  });
  it('iscsi prefix equals script=block-iscsi', () => {
    const iqn = 'iqn.2001-05.com.equallogic:0-8a0906-23fe93404-c82797962054a96d-examplehost';
    const want = { pdev_path: iqn, vdev: 'xvda', format: 'raw', script: 'block-iscsi', readwrite: 1 };
    expect(parse(`iscsi:${iqn},xvda,w`).disk).toEqual(want);
    expect(parse(`vdev=xvda,access=w,script=block-iscsi,target=${iqn}`).disk).toEqual(want);
  });
  it('drbd prefix', () => {
    expect(parse('drbd:app01,hda,w').disk).toEqual({ pdev_path: 'app01', vdev: 'hda', format: 'raw', script: 'block-drbd', readwrite: 1 });
  });
  it('prefix chain tap:aio:qcow: keeps only the format', () => {
    expect(parse('tap:aio:qcow:/x,xvda').disk).toEqual({ pdev_path: '/x', vdev: 'xvda', format: 'qcow', readwrite: 1 });
  });
  it.each([['/dev/vg/guest-volume,raw,xvda,rw'], ['/dev/zvol/tank/guest-volume,raw,xvda,rw']])('example configs %s', (spec) => {
    expect(parse(spec).disk).toMatchObject({ vdev: 'xvda', format: 'raw', readwrite: 1 });
  });
  it('foo: no vdev specified', () => {
    expect(parse('foo')).toEqual({ err: E('no vdev specified', 'foo'), exitCode: 1 });
  });
});

describe('disk spec: scanner rules and traps', () => {
  it('the format slot cannot be skipped implicitly', () => {
    expect(parse('/img,xvda')).toEqual({ err: E('unknown value for format', '/img,xvda', 'xvda'), exitCode: 1 });
  });
  it('phy: is dropped and does not set the backend', () => {
    expect(parse('phy:/dev/vg/x,xvda,w').disk).toEqual({ pdev_path: '/dev/vg/x', vdev: 'xvda', format: 'raw', readwrite: 1 });
  });
  it('target= eats the rest, one trailing comma stripped', () => {
    expect(parse('vdev=xvda,target=/a,b:c,').disk).toEqual({ pdev_path: '/a,b:c', vdev: 'xvda', format: 'raw', readwrite: 1 });
    expect(parse('target=/a,b:c,')).toEqual({ err: E('no vdev specified', 'target=/a,b:c,'), exitCode: 1 });
  });
  it('whitespace before a value is skipped, after it kept', () => {
    expect(parse('/img ,raw, xvda').disk).toEqual({ pdev_path: '/img ', vdev: 'xvda', format: 'raw', readwrite: 1 });
    expect(parse('/img,,xvda  ').disk).toEqual({ pdev_path: '/img', vdev: 'xvda  ', format: 'raw', readwrite: 1 });
  });
  it('a named access= does not fill the positional slot', () => {
    expect(parse('/x,,xvda,access=ro,w').disk).toEqual({ pdev_path: '/x', vdev: 'xvda', format: 'raw', readwrite: 1 });
  });
  it('a cdrom is always read-only', () => {
    expect(parse('cdrom,vdev=hdc,access=w,target=/i').disk).toEqual({ pdev_path: '/i', vdev: 'hdc', format: 'raw', removable: 1, is_cdrom: 1 });
  });
  it('unknown key: near text is truncated to one value character', () => {
    expect(parse('foo=bar')).toEqual({ err: E('unknown parameter', 'foo=bar', 'foo=b'), exitCode: 1 });
    expect(parse('vdev=xvda,foo=bar,target=/x').err).toBe(E('unknown parameter', 'vdev=xvda,foo=bar,target=/x', 'foo=b'));
  });
  it('unknown deprecated prefix stops scanning', () => {
    expect(parse('bogus:/x,xvda')).toEqual({ err: E('unknown deprecated disk prefix', 'bogus:/x,xvda', 'bogus:'), exitCode: 1 });
  });
  it('a word: followed by alphanumerics is a plain target', () => {
    expect(parse('foo:abc,,xvda').disk).toEqual({ pdev_path: 'foo:abc', vdev: 'xvda', format: 'raw', readwrite: 1 });
  });
  it('bad disk syntax: near the rest of the line', () => {
    expect(parse('Foo=1')).toEqual({ err: E('bad disk syntax', 'Foo=1', '=1'), exitCode: 1 });
    expect(parse('=x')).toEqual({ err: E('bad disk syntax', '=x', '=x'), exitCode: 1 });
  });
  it('a stray = at the very end is silently dropped', () => {
    expect(parse('/x,=')).toEqual({ err: E('no vdev specified', '/x,='), exitCode: 1 });
  });
  it('a stray = before a newline jams the flex scanner (exit 2)', () => {
    expect(parse('X=\nfoo')).toEqual({ err: 'flex scanner jammed\n', exitCode: 2 });
  });
  it('too many positional parameters', () => {
    expect(parse('/x,,xvda,w,extra')).toEqual({ err: E('too many positional parameters', '/x,,xvda,w,extra', 'extra'), exitCode: 1 });
  });
  it('respecified values', () => {
    const s1 = 'format=raw,format=qcow2,vdev=x,target=/y';
    expect(parse(s1).err).toBe(E('format respecified', s1, 'qcow2'));
    const s2 = 'vdev=a,vdev=b,target=/c';
    expect(parse(s2).err).toBe(E('vdev respecified', s2, 'b'));
    const s3 = 'specification=virtio,specification=xen';
    expect(parse(s3).err).toBe(E('specification respecified', s3, 'xen'));
    const s4 = 'script=a,iscsi:foo,xvda';
    expect(parse(s4).err).toBe(E('script respecified', s4, 'block-iscsi'));
    expect(parse('format=raw,format=raw,vdev=x,target=/y').disk).toMatchObject({ format: 'raw' });
    expect(parse('vdev=,vdev=b,target=/c').disk).toEqual({ pdev_path: '/c', vdev: 'b', format: 'raw', readwrite: 1 });
  });
  it('bad values', () => {
    expect(parse('devtype=floppy').err).toBe(E('unknown value for type', 'devtype=floppy', 'devtype=floppy'));
    expect(parse('/x,,hdc:floppy').err).toBe(E('unknown deprecated type', '/x,,hdc:floppy', 'floppy'));
    expect(parse('access=rx').err).toBe(E('unknown value for access', 'access=rx', 'rx'));
    expect(parse('/x,,xvda,colo-port=0').err).toBe(E('unknown value for colo_port', '/x,,xvda,colo-port=0', '0'));
    expect(parse('backendtype=nbd').err).toBe(E('unknown value for backendtype', 'backendtype=nbd', 'nbd'));
    expect(parse('/x,bogus,xvda').err).toBe(E('unknown value for format', '/x,bogus,xvda', 'bogus'));
  });
  it('no target and not removable', () => {
    expect(parse('vdev=xvda')).toEqual({ err: E('no target specified (and device not removable)', 'vdev=xvda'), exitCode: 1 });
  });
  it('the final message quotes the last word', () => {
    expect(parse('/x', 'raw')).toEqual({ err: E('no vdev specified', 'raw'), exitCode: 1 });
  });
  it('an error in one word stops before the next', () => {
    expect(parse('foo=bar', 'vdev=a,vdev=b')).toEqual({ err: E('unknown parameter', 'foo=bar', 'foo=b'), exitCode: 1 });
  });
  it('flags and COLO keys', () => {
    expect(parse('/x,,xvda,direct-io-safe,colo,colo-host=h,colo-port=9,colo-export=e,active-disk=a,hidden-disk=h2,grant_usage=1').disk).toEqual({
      pdev_path: '/x', vdev: 'xvda', format: 'raw', readwrite: 1, direct_io_safe: true, colo_enable: true,
      colo_host: 'h', colo_port: 9, colo_export: 'e', active_disk: 'a', hidden_disk: 'h2', grant_usage: true,
    });
    expect(parse('/x,vhd,xvda,r').disk).toEqual({ pdev_path: '/x', vdev: 'xvda', format: 'vhd' });
  });
  it('config file source names the file', () => {
    const sink = collectingSink();
    xluDiskParse(sink, '/etc/xen/g.cfg', ['foo']);
    expect(sink.text()).toBe("/etc/xen/g.cfg: config parsing error in disk specification: no vdev specified in `foo'\n");
  });
});

describe('disk spec: check-xl-disk-parse expectations through the JSON generator', () => {
  it.each(DISK_CASES.map((c) => [c.args.join(' '), c] as const))('%s', (_name, c) => {
    const sink = collectingSink();
    const r = xluDiskParse(sink, 'command line', c.args);
    const stdout = r.ok ? `disk: ${deviceToJson('disk', r.disk)}\n` : '';
    expect(r.ok ? 0 : r.exitCode).toBe(c.rc);
    expect(stdout).toBe(c.stdout);
  });
});
