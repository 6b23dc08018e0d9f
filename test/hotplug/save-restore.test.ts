/**
 * Hot-plugged devices live in the stored domain configuration, so a save
 * and restore brings them back; the restored guest's drivers reconnect.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK_HEADER, NET_HEADER, manualHost, ok } from './host';

describe('hot-plugged devices across save/restore', () => {
  const h = manualHost();

  it('come back with the domain and connect again', () => {
    expect(h.xl('create', h.cfg('pv1', 'name = "pv1"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 256\ndisk = [ "phy:/dev/vg/pv1,xvda,w" ]\n')).code).toBe(0);
    h.advance('3s');
    expect(h.xl('block-attach', 'pv1', 'phy:/dev/vg/d,xvdb,w')).toEqual(ok);
    expect(h.xl('network-attach', 'pv1', 'mac=00:16:3e:0a:0b:0c')).toEqual(ok);
    h.advance('1s');
    const file = path.join(h.home, 'pv1.save');
    expect(h.xl('save', 'pv1', file).code).toBe(0);
    expect(h.xl('restore', file).code).toBe(0);
    expect(h.xl('block-list', 'pv1').stdout).toBe(
      `${BLOCK_HEADER}51712 0   2      1     -1     -1       /local/domain/0/backend/vbd/2/51712\n51728 0   2      1     -1     -1       /local/domain/0/backend/vbd/2/51728\n`,
    );
    h.advance('2s');
    expect(h.xl('block-list', 'pv1').stdout).toBe(
      `${BLOCK_HEADER}51712 0   2      4     10     8        /local/domain/0/backend/vbd/2/51712\n51728 0   2      4     11     9        /local/domain/0/backend/vbd/2/51728\n`,
    );
    expect(h.xl('network-list', 'pv1').stdout).toBe(`${NET_HEADER}0   0  00:16:3e:0a:0b:0c     0     4     12    10/11          /local/domain/0/backend/vif/2/0\n`);
    h.check();
  });
});
