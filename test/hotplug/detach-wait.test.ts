/**
 * Detaching needs the guest to let go (libxl__initiate_device_generic_remove):
 * libxl asks the backend to close and waits up to 10 s for it. A guest
 * whose driver answers lets go at once; one that cannot (paused, without PV
 * drivers) makes block-detach's safe remove fail after the timeout, leaving
 * the disk in place and closing, while -f and network-detach (which forces
 * past the timeout) succeed. On a manual clock the waiting command moves
 * simulated time itself.
 */
import { describe, expect, it } from 'vitest';
import { BLOCK_HEADER, NET_HEADER, err, manualHost, ok } from './host';

const now = (h: ReturnType<typeof manualHost>): string => h.xlsim('clock').stdout.split('\n').find((l) => l.startsWith('now:'))!;

describe('an HVM guest without PV drivers cannot let go', () => {
  const h = manualHost();

  it('block-detach times out after 10 s and fails; the disk stays, closing', () => {
    expect(h.xl('create', '-q', h.cfg('h1', 'name = "h1"\ntype = "hvm"\nmemory = 512\nvif = [ "bridge=xenbr0" ]\ndisk = [ "/srv/h1.img,raw,hda,rw" ]\n'))).toEqual(ok);
    expect(h.xlsim('guest', 'h1', 'pv-drivers', 'off').code).toBe(0);
    h.advance('30s');
    expect(h.xl('block-attach', 'h1', '/dev/vg/data,raw,xvdb,rw')).toEqual(ok);
    expect(now(h)).toBe('now:      30.000000000 s since boot');
    expect(h.xl('block-detach', 'h1', 'xvdb')).toEqual(
      err(
        'libxl: error: libxl_device.c:1194:device_backend_callback: Domain 1:unable to remove device with path /local/domain/0/backend/vbd/1/51728 - rc -9\n' +
          'libxl: error: libxl_device.c:1495:device_addrm_aocomplete: Domain 1:Unable to remove vbd with id 51728\n' +
          'libxl_device_disk_safe_remove failed.\n',
      ),
    );
    expect(now(h)).toBe('now:      40.000000000 s since boot');
    expect(h.xl('block-list', 'h1').stdout).toBe(
      BLOCK_HEADER + '768   0   1      1     -1     -1       /local/domain/0/backend/vbd/1/768\n' + '51728 0   1      1     -1     -1       /local/domain/0/backend/vbd/1/51728\n',
    );
    const be = '/local/domain/0/backend/vbd/1/51728';
    expect(h.xs('xenstore-read', `${be}/online`, `${be}/state`).stdout).toBe('0\n5\n');
    expect(h.xl('list', '-l', 'h1').stdout).toContain('"vdev": "xvdb"');
    h.check();
  });

  it('block-detach -f destroys it at once', () => {
    expect(h.xl('block-detach', '-f', 'h1', 'xvdb')).toEqual(ok);
    expect(now(h)).toBe('now:      40.000000000 s since boot');
    expect(h.xl('block-list', 'h1').stdout).toBe(BLOCK_HEADER + '768   0   1      1     -1     -1       /local/domain/0/backend/vbd/1/768\n');
    expect(h.xl('list', '-l', 'h1').stdout).not.toContain('"vdev": "xvdb"');
    h.check();
  });

  it('network-detach forces the removal once the 10 s are up, and succeeds', () => {
    expect(h.xl('network-detach', 'h1', '0')).toEqual(ok);
    expect(now(h)).toBe('now:      50.000000000 s since boot');
    expect(h.xl('network-list', 'h1').stdout).toBe(NET_HEADER);
    h.check();
  });
});

describe('a PV guest lets go when its kernel can', () => {
  const h = manualHost();

  it('while it boots, the detach waits for the kernel, then succeeds', () => {
    expect(h.xl('create', '-q', h.cfg('p1', 'name = "p1"\nkernel = "/boot/vmlinuz"\nmemory = 256\ndisk = [ "/srv/p.img,raw,xvda,rw", "/srv/q.img,raw,xvdb,rw" ]\n'))).toEqual(ok);
    expect(h.xl('block-detach', 'p1', 'xvdb')).toEqual(ok);
    expect(now(h)).toBe('now:      2.000000000 s since boot');
    h.advance('1s');
    expect(h.xl('block-list', 'p1').stdout).toBe(BLOCK_HEADER + '51712 0   1      4     10     8        /local/domain/0/backend/vbd/1/51712\n');
    h.check();
  });

  it('running, it lets go at once', () => {
    expect(h.xl('block-attach', 'p1', '/dev/vg/x,raw,xvdc,rw')).toEqual(ok);
    h.advance('1s');
    expect(h.xl('block-detach', 'p1', 'xvdc')).toEqual(ok);
    expect(now(h)).toBe('now:      4.000000000 s since boot');
  });

  it('paused, it cannot: the safe remove times out; unpaused, it lets go', () => {
    expect(h.xl('pause', 'p1')).toEqual(ok);
    expect(h.xl('block-detach', 'p1', 'xvda').code).toBe(1);
    expect(now(h)).toBe('now:      14.000000000 s since boot');
    expect(h.xl('unpause', 'p1')).toEqual(ok);
    expect(h.xl('block-detach', 'p1', 'xvda')).toEqual(ok);
    expect(h.xl('block-list', 'p1').stdout).toBe(BLOCK_HEADER);
    h.check();
  });
});
