/**
 * vTPM and virtual keyboard hotplug through libxl's generic device path:
 * exact list formats, the frontend connecting over simulated time, and
 * xl's errors for what is not there.
 */
import { describe, expect, it } from 'vitest';
import { err, manualHost, ok } from './host';

const VTPM_HEADER = 'Idx BE Uuid                                 handle state evt-ch ring-ref BE-path   \n';
const VKB_HEADER = 'Idx BE handle state evt-ch    ref ID         BE-type    BE-path                       \n';
const UUID = '4f2d8a10-0c3b-4e55-8f1e-2a6b9c7d0e11';

describe('vtpm and vkb on a PV guest', () => {
  const h = manualHost();

  it('vtpm-attach with a given uuid; the row appears, then connects', () => {
    expect(h.xl('create', h.cfg('pv1', 'name = "pv1"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 256\n')).code).toBe(0);
    h.advance('3s');
    expect(h.xl('vtpm-attach', 'pv1', `uuid=${UUID}`)).toEqual(ok);
    expect(h.xl('vtpm-list', 'pv1')).toEqual({
      stdout: `${VTPM_HEADER}0   0  ${UUID}      0     1     -1       -1 /local/domain/0/backend/vtpm/1/0\n`,
      stderr: '',
      code: 0,
    });
    h.advance('1s');
    expect(h.xl('vtpm-list', 'nosuch', 'pv1')).toEqual({
      stdout: `${VTPM_HEADER}0   0  ${UUID}      0     4     10        8 /local/domain/0/backend/vtpm/1/0\n`,
      stderr: 'nosuch is an invalid domain identifier\n',
      code: 0,
    });
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vtpm/1/0/resume').stdout).toBe('False\n');
    expect(h.xl('list', '-l', 'pv1').stdout).toContain(`"uuid": "${UUID}"`);
    h.check();
  });

  it('vtpm errors: bad uuid, bad argument, unknown device', () => {
    expect(h.xl('vtpm-attach', 'pv1', 'uuid=bogus')).toEqual(err('Invalid uuid specified (bogus)\n'));
    expect(h.xl('vtpm-attach', 'pv1', 'colour=red')).toEqual(err("unrecognized argument `colour=red'\n"));
    expect(h.xl('vtpm-detach', 'pv1', '3')).toEqual(err('Unknown device 3.\n'));
    expect(h.xl('vtpm-detach', 'pv1', '00000000-0000-0000-0000-000000000001')).toEqual(err('Unknown device 00000000-0000-0000-0000-000000000001.\n'));
    h.check();
  });

  it('vtpm-detach by uuid', () => {
    expect(h.xl('vtpm-detach', 'pv1', UUID.toUpperCase())).toEqual(ok);
    expect(h.xl('vtpm-list', 'pv1').stdout).toBe(VTPM_HEADER);
    expect(h.xl('list', '-l', 'pv1').stdout).not.toContain(UUID);
    h.check();
  });

  it('vkb-attach: linux and qemu backends, a missing backend-type', () => {
    expect(h.xl('vkb-attach', 'pv1', 'backend-type=linux', 'unique-id=KBD1')).toEqual(ok);
    expect(h.xl('vkb-attach', 'pv1', 'unique-id=KBD2')).toEqual(err('backend-type should be set\n', 253));
    expect(h.xl('vkb-attach', 'pv1', 'backend-type=qemu')).toEqual(ok);
    h.advance('1s');
    expect(h.xl('vkb-list', 'pv1')).toEqual({
      stdout:
        VKB_HEADER +
        '0   0       0     4     10      8 KBD1       linux      /local/domain/0/backend/vinput/1/0\n' +
        '1   0       1     4     11      9 (null)     qemu       /local/domain/0/backend/vkbd/1/1\n',
      stderr: '',
      code: 0,
    });
    h.check();
  });

  it('vkb-detach: unknown devid is exit 253, a known one goes', () => {
    expect(h.xl('vkb-detach', 'pv1', '7')).toEqual(err('Error: Device 7 not connected.\n', 253));
    expect(h.xl('vkb-detach', 'pv1', '0')).toEqual(ok);
    expect(h.xl('vkb-list', 'pv1').stdout).toBe(`${VKB_HEADER}1   0       1     4     11      9 (null)     qemu       /local/domain/0/backend/vkbd/1/1\n`);
    expect(h.xl('vkb-list', 'nosuch')).toEqual({ stdout: VKB_HEADER, stderr: 'nosuch is an invalid domain identifier (rc=-6)\n', code: 1 });
    h.check();
  });

  it('vdispl: connectors in the frontend, rings per connector once connected', () => {
    expect(h.xl('vdispl-attach', 'pv1', 'connectors=id0:800x600;id1:1024x768', 'be-alloc=1')).toEqual(ok);
    const head = 'DevId: 0, BE: 0, handle: 1, state: %s, be-alloc: 1, BE-path: /local/domain/0/backend/vdispl/1/0, FE-path: /local/domain/1/device/vdispl/0\n';
    expect(h.xl('vdispl-list', 'pv1')).toEqual({
      stdout:
        head.replace('%s', '1') +
        '\tConnector: 0, id: id0, width: 800, height: 600, req-rref: -1, req-evtch: -1, evt-rref: -1, evt-evtch: -1\n' +
        '\tConnector: 1, id: id1, width: 1024, height: 768, req-rref: -1, req-evtch: -1, evt-rref: -1, evt-evtch: -1\n',
      stderr: '',
      code: 0,
    });
    h.advance('1s');
    expect(h.xl('vdispl-list', 'pv1').stdout).toBe(
      head.replace('%s', '4') +
        '\tConnector: 0, id: id0, width: 800, height: 600, req-rref: 10, req-evtch: 12, evt-rref: 11, evt-evtch: 13\n' +
        '\tConnector: 1, id: id1, width: 1024, height: 768, req-rref: 12, req-evtch: 14, evt-rref: 13, evt-evtch: 15\n',
    );
    expect(h.xl('vdispl-attach', 'pv1', 'be-alloc=1')).toEqual(err('At least one connector should be specified.\n', 253));
    expect(h.xl('vdispl-detach', 'pv1', '3')).toEqual(err('Error: Device 3 not connected.\n', 253));
    expect(h.xl('vdispl-detach', 'pv1', '0')).toEqual(ok);
    expect(h.xl('vdispl-list', 'pv1')).toEqual(ok);
    h.check();
  });

  it('vsnd: card, pcm and streams read back from the frontend; rings per stream', () => {
    const card = ['CARD, short-name=Main, sample-formats=s16_le;s8, channels-max=2', 'PCM, name=Main', 'STREAM, unique-id=pcm0, type=p', 'STREAM, unique-id=cap0, type=c, sample-rates=48000'];
    expect(h.xl('vsnd-attach', 'pv1', ...card)).toEqual(ok);
    const text = (st: number, e0: number, r0: number, e1: number, r1: number): string =>
      `\ndevid: 0, be-domid: 0, handle: 1, state: ${st}, be-path: /local/domain/0/backend/vsnd/1/0, fe-path: /local/domain/1/device/vsnd/0\n` +
      'short-name: "Main", long-name: "(null)", channels-max: 2, sample-rates: s16_le;s8\n' +
      '\tpcm: 0, name: "Main"\n' +
      '\t\tstream: 0, unique-id: "pcm0", type: p\n' +
      `\t\t\tevent-channel: ${e0}, ring-ref: ${r0}\n` +
      '\t\tstream: 1, unique-id: "cap0", type: c, sample-rates: 48000\n' +
      `\t\t\tevent-channel: ${e1}, ring-ref: ${r1}\n`;
    expect(h.xl('vsnd-list', 'pv1')).toEqual({ stdout: text(1, -1, -1, -1, -1), stderr: '', code: 0 });
    h.advance('1s');
    expect(h.xl('vsnd-list', 'pv1').stdout).toBe(text(4, 12, 10, 13, 11));
    expect(h.xl('vsnd-detach', 'pv1', '2')).toEqual(err('Error: Device 2 not connected.\n', 253));
    expect(h.xl('vsnd-detach', 'pv1', '0')).toEqual(ok);
    expect(h.xl('vsnd-list', 'pv1')).toEqual(ok);
    h.check();
  });
});
