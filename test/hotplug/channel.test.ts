/**
 * `xl channel-list`: the config's channels as named consoles, pty path for
 * pty ones, connecting when the guest kernel's console drivers come up.
 */
import { describe, expect, it } from 'vitest';
import { manualHost } from './host';

const HEADER = 'Idx BE state evt-ch ring-ref connection                               \n';

describe('channel-list', () => {
  const h = manualHost();

  it('lists pty and socket channels, Initialising until the guest boots', () => {
    const cfg = h.cfg(
      'pv1',
      'name = "pv1"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 256\n' +
        'channel = [ "name=org.qemu.guest_agent.0,connection=pty", "name=com.example.log,connection=socket,path=/tmp/log.sock" ]\n',
    );
    expect(h.xl('create', cfg).code).toBe(0);
    expect(h.xl('channel-list', 'pv1')).toEqual({
      stdout: `${HEADER}0   0  1     -1     -1       pty        /dev/pts/109                   \n1   0  1     -1     -1       socket     \n`,
      stderr: '',
      code: 0,
    });
    h.advance('3s');
    expect(h.xl('channel-list', 'pv1').stdout).toBe(`${HEADER}0   0  4     10     8        pty        /dev/pts/109                   \n1   0  4     11     9        socket     \n`);
    expect(h.xs('xenstore-read', '/local/domain/1/device/console/1/name').stdout).toBe('org.qemu.guest_agent.0\n');
    h.check();
  });

  it('a guest without channels prints the header only; a bad name stops', () => {
    expect(h.xl('channel-list', '0')).toEqual({ stdout: HEADER, stderr: '', code: 0 });
    expect(h.xl('channel-list', 'nosuch')).toEqual({ stdout: HEADER, stderr: 'nosuch is an invalid domain identifier (rc=-6)\n', code: 1 });
  });
});
