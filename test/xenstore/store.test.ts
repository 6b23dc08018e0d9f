import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { XsBackend } from '../../lib/xenstore/backend';
import { XsError } from '../../lib/xenstore/errno';
import { MemoryXsBackend } from '../../lib/xenstore/memory';
import { formatPerms } from '../../lib/xenstore/perms';
import { XenStore } from '../../lib/xenstore/store';
import { createHostDb } from '../../state/db';
import { SqliteXsBackend } from '../../state/xsbackend';

function sqliteBackend(): XsBackend {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsim-xs-'));
  const h = createHostDb('t', path.join(dir, 't.db'));
  return new SqliteXsBackend(h);
}

const errno = (x: unknown) => (x instanceof XsError ? x.errno : x);
const perms = (xs: XenStore, p: string) => {
  const r = xs.getPerms(p);
  return r instanceof XsError ? r.errno : formatPerms(r);
};

describe.each([
  ['memory', () => new MemoryXsBackend()],
  ['sqlite', sqliteBackend],
])('xenstore over %s', (_name, make) => {
  const fresh = () => new XenStore(make());

  test('starts with /tool/xenstored, owned by dom0, no access for others', () => {
    const xs = fresh();
    expect(xs.directory('/')).toEqual(['tool']);
    expect(xs.directory('/tool')).toEqual(['xenstored']);
    expect(perms(xs, '/')).toBe('n0');
    expect(xs.read('/tool')).toBe('');
  });

  test('a value reads back as text the same whatever its bytes, for dom0 and for a guest', () => {
    const xs = fresh();
    const values: [number[], string][] = [
      [[0x61, 0x62], 'ab'],
      [[0x61, 0, 0x62], 'a\0b'],
      [[0xef, 0xbb, 0xbf, 0x61], 'a'], // a byte-order mark is dropped, as TextDecoder does
      [[0xff, 0x61, 0xc3], '\ufffda\ufffd'],
      [[0xc3, 0xa9], '\u00e9'],
      [[], ''],
    ];
    values.forEach(([bytes, text], i) => {
      expect(xs.write(`/local/domain/3/v${i}`, new Uint8Array(bytes))).toBeUndefined();
      expect(xs.read(`/local/domain/3/v${i}`)).toBe(text);
      expect(xs.setPerms(`/local/domain/3/v${i}`, [{ id: 3, perm: 'n' }])).toBeUndefined();
      expect(xs.as(3).read(`/local/domain/3/v${i}`)).toBe(text);
    });
    expect(errno(xs.read('/local/domain/3/none'))).toBe('ENOENT');
    expect(errno(xs.read('bad//path'))).toBe('EINVAL');
  });

  test('write creates missing parents with empty values and inherited perms', () => {
    const xs = fresh();
    expect(xs.write('/local/domain/3/name', 'guest')).toBeUndefined();
    expect(xs.read('/local/domain/3/name')).toBe('guest');
    expect(xs.read('/local/domain/3')).toBe('');
    expect(xs.read('/local')).toBe('');
    expect(perms(xs, '/local/domain/3')).toBe('n0');
    expect(xs.setPerms('/local/domain/3', ['n0', 'r3'])).toBeUndefined();
    xs.write('/local/domain/3/memory/target', '1024');
    expect(perms(xs, '/local/domain/3/memory')).toBe('n0,r3');
    expect(perms(xs, '/local/domain/3/memory/target')).toBe('n0,r3');
  });

  test('children are listed in creation order; a recreated child goes last', () => {
    const xs = fresh();
    for (const k of ['zeta', 'alpha', 'mid', '10', '9']) xs.write(`/d/${k}`, k);
    expect(xs.directory('/d')).toEqual(['zeta', 'alpha', 'mid', '10', '9']);
    xs.write('/d/zeta', 'again');
    expect(xs.directory('/d')).toEqual(['zeta', 'alpha', 'mid', '10', '9']);
    xs.rm('/d/zeta');
    xs.write('/d/zeta', 'new');
    expect(xs.directory('/d')).toEqual(['alpha', 'mid', '10', '9', 'zeta']);
  });

  test('rm removes the subtree, and only it', () => {
    const xs = fresh();
    xs.write('/a/b/c', '1');
    xs.write('/a/b/d/e', '2');
    xs.write('/a/b0', 'sibling with a longer name');
    xs.write('/a/b-x', 'another');
    xs.write('/a/bb', 'prefix sibling');
    expect(xs.rm('/a/b')).toBeUndefined();
    expect(errno(xs.read('/a/b/c'))).toBe('ENOENT');
    expect(errno(xs.read('/a/b/d/e'))).toBe('ENOENT');
    expect(xs.directory('/a')).toEqual(['b0', 'b-x', 'bb']);
    expect(xs.read('/a/b0')).toBe('sibling with a longer name');
  });

  test('rm of a missing node: fine if the parent exists, else ENOENT; rm / is EINVAL', () => {
    const xs = fresh();
    xs.write('/a/x', '1');
    expect(xs.rm('/a/nothing')).toBeUndefined();
    expect(errno(xs.rm('/nothing/here'))).toBe('ENOENT');
    expect(errno(xs.rm('/'))).toBe('EINVAL');
  });

  test('path syntax: EINVAL for bad characters, trailing slash, //, and @ names', () => {
    const xs = fresh();
    for (const p of ['/a b', '/a/', '//a', '/a//b', '@releaseDomain', '/a.b', '/a:b', '']) {
      expect(errno(xs.write(p, 'v')), p).toBe('EINVAL');
    }
    expect(errno(xs.read('/a/'))).toBe('EINVAL');
    // special nodes exist for permissions (watch targets), outside the tree
    expect(perms(xs, '@releaseDomain')).toBe('n0');
    expect(perms(xs, '@introduceDomain')).toBe('n0');
    expect(errno(xs.as(3).getPerms('@releaseDomain'))).toBe('EACCES');
    expect(errno(xs.read('@releaseDomain'))).toBe('EINVAL');
    expect(xs.directory('/')).toEqual(['tool']);
  });

  test('relative paths are under the caller home', () => {
    const xs = fresh();
    xs.write('name', 'Domain-0');
    expect(xs.read('/local/domain/0/name')).toBe('Domain-0');
    xs.write('/local/domain/5/data/x', 'y');
    xs.setPerms('/local/domain/5/data', ['n5']);
    xs.setPerms('/local/domain/5/data/x', ['n5']);
    expect(xs.as(5).read('data/x')).toBe('y');
  });

  test('E2BIG when the request payload exceeds 4096 bytes', () => {
    const xs = fresh();
    expect(xs.write('/big', 'x'.repeat(4096 - '/big'.length - 1))).toBeUndefined();
    expect(errno(xs.write('/big', 'x'.repeat(4096 - '/big'.length)))).toBe('E2BIG');
    expect(errno(xs.read(`/${'a'.repeat(4096)}`))).toBe('E2BIG');
  });

  test('binary values survive', () => {
    const xs = fresh();
    const v = Uint8Array.from([0, 1, 0xff, 0x5c, 10]);
    xs.write('/bin', v);
    expect(Array.from(xs.readBytes('/bin') as Uint8Array)).toEqual([0, 1, 0xff, 0x5c, 10]);
  });

  describe('guest callers', () => {
    function tree() {
      const xs = fresh();
      xs.mkdirPerms('/local/domain/7', ['n0', 'r7']);
      xs.writePerms('/local/domain/7/name', 'g7', ['n0', 'r7']);
      xs.mkdirPerms('/local/domain/7/data', ['n7']);
      xs.writePerms('/local/domain/7/control/shutdown', '', ['n7']);
      xs.write('/local/domain/0/secret', 's');
      return xs;
    }

    test('read: allowed by an r entry, EACCES without', () => {
      const xs = tree();
      const g = xs.as(7);
      expect(g.read('/local/domain/7/name')).toBe('g7');
      expect(errno(g.read('/local/domain/0/secret'))).toBe('EACCES');
      expect(errno(xs.as(8).read('/local/domain/7/name'))).toBe('EACCES');
    });

    test('a missing node is ENOENT only where the guest may look', () => {
      const xs = tree();
      expect(errno(xs.as(7).read('/local/domain/7/nothing'))).toBe('ENOENT');
      expect(errno(xs.as(7).read('/local/domain/0/nothing'))).toBe('EACCES');
    });

    test('write: needs w on the node or, to create, on the nearest ancestor; creator owns it', () => {
      const xs = tree();
      const g = xs.as(7);
      expect(errno(g.write('/local/domain/7/name', 'evil'))).toBe('EACCES');
      expect(errno(g.write('/local/domain/7/newkey', 'x'))).toBe('EACCES');
      expect(g.write('/local/domain/7/data/ip/eth0', '10.0.0.7')).toBeUndefined();
      expect(perms(xs, '/local/domain/7/data/ip')).toBe('n7');
      expect(g.write('/local/domain/7/control/shutdown', 'poweroff')).toBeUndefined();
      expect(xs.read('/local/domain/7/control/shutdown')).toBe('poweroff');
    });

    test('a guest inherits perms but becomes owner of what it creates', () => {
      const xs = tree();
      xs.setPerms('/local/domain/7/data', ['n0', 'b7']);
      expect(xs.as(7).write('/local/domain/7/data/k', 'v')).toBeUndefined();
      expect(perms(xs, '/local/domain/7/data/k')).toBe('n7,b7');
    });

    test('set perms: owner only, and only dom0 may change the owner', () => {
      const xs = tree();
      const g = xs.as(7);
      expect(g.setPerms('/local/domain/7/data', ['n7', 'r0'])).toBeUndefined();
      expect(errno(g.setPerms('/local/domain/7/data', ['n3']))).toBe('EPERM');
      expect(errno(g.setPerms('/local/domain/7/name', ['n7']))).toBe('EACCES');
      expect(errno(g.setPerms('/local/domain/7/data', ['x1']))).toBe('EINVAL');
      expect(errno(g.setPerms('/local/domain/7/data', ['n7', 'r1', 'r2', 'r3', 'r4', 'r5']))).toBe('ENOSPC');
    });

    test('rm: needs write on the node', () => {
      const xs = tree();
      expect(errno(xs.as(7).rm('/local/domain/7/name'))).toBe('EACCES');
      expect(xs.as(7).rm('/local/domain/7/data')).toBeUndefined();
    });

    test('node size quota: 2048 bytes for guests', () => {
      const xs = tree();
      expect(errno(xs.as(7).write('/local/domain/7/data/big', 'x'.repeat(2049)))).toBe('ENOSPC');
      expect(xs.write('/local/domain/7/data/big', 'x'.repeat(2049))).toBeUndefined();
    });

    test('a guest path beyond 2048 bytes after its home is EINVAL', () => {
      const xs = tree();
      expect(errno(xs.as(7).read(`/local/domain/7/${'a'.repeat(2049)}`))).toBe('EINVAL');
      expect(errno(xs.as(7).read(`/local/domain/7/${'a'.repeat(2048)}`))).toBe('ENOENT');
    expect(errno(xs.read(`/local/domain/7/${'a'.repeat(2049)}`))).toBe('ENOENT');
    });
  });

  test('conveniences: writeAll, tryRead, exists', () => {
    const xs = fresh();
    expect(xs.writeAll('/vm/u', { name: 'g', uuid: 'u' }, ['n0', 'r1'])).toBeUndefined();
    expect(xs.writeAll('/vm/u/image', [['ostype', 'linux']])).toBeUndefined();
    expect(xs.directory('/vm/u')).toEqual(['name', 'uuid', 'image']);
    expect(perms(xs, '/vm/u/uuid')).toBe('n0,r1');
    expect(xs.tryRead('/vm/u/nope')).toBeUndefined();
    expect(xs.exists('/vm/u/image/ostype')).toBe(true);
  });
});
