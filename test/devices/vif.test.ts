/**
 * vif specs (xl-cfg.md §3.2, traps §9.13). Rate results were checked
 * against libxlu_vif.c compiled from the Xen 4.20 tree.
 */
import { describe, expect, it } from 'vitest';
import { collectingSink } from '../../lib/cfg/report';
import { newNicWithDefaults, parseNicToken, parseVifItem, splitVifItem } from '../../lib/cfg/vif';
import { xluVifParseRate } from '../../lib/cfg/vif-rate';
import { deviceToJson } from '../../lib/libxl/json';
import type { DeviceNic } from '../../lib/libxl/types';
import { VIF_CASES } from './check-cases';

function rate(s: string): { out?: [number, number]; err: string; error?: string } {
  const sink = collectingSink();
  const r = xluVifParseRate(sink, 'command line', s);
  return r.ok ? { out: [r.rate.rate_bytes_per_interval, r.rate.rate_interval_usecs], err: sink.text() } : { err: sink.text(), error: r.error };
}
const RE = (msg: string, text: string): string => `command line: config parsing error in vif: ${msg} in \`${text}'\n`;

describe('vif rate', () => {
  it.each([
    ['10Mb/s', 62500, 50000],
    ['250KB/s', 12500, 50000],
    ['1MB/s@20ms', 20000, 20000],
    ['10MB/s', 500000, 50000],
    ['16000000b/s', 100000, 50000],
    ['8Gb/s', 50000000, 50000],
    ['80Mb/s@1s', 10000000, 1000000],
    // a bare interval is seconds, not microseconds
    ['1MB/s@1', 1000000, 1000000],
    // base-0 numbers: a leading 0 is octal
    ['1MB/s@010', 8000000, 8000000],
    ['010B/s', 0, 50000],
    ['019B/s', 0, 50000],
    ['1MB/s@2us', 2, 2],
    ['1B/s@1us', 0, 1],
  ])('%s → %d / %d', (s, bpi, us) => {
    expect(rate(s)).toEqual({ out: [bpi, us], err: '' });
  });
  it.each([
    ['', 'no rate specified', '', 'EINVAL'],
    ['@', 'no rate specified', '@', 'EINVAL'],
    ['@5ms', 'no rate specified', '@5ms', 'EINVAL'],
    ['10mb/s', 'invalid rate', '10mb/s', 'EINVAL'],
    ['1.5MB/s', 'invalid rate', '1.5MB/s', 'EINVAL'],
    ['10MB', 'invalid rate', '10MB', 'EINVAL'],
    ['08B/s', 'rate overflow', '08B/s', 'EOVERFLOW'],
    ['0B/s', 'rate overflow', '0B/s', 'EOVERFLOW'],
    ['4294967296b/s', 'rate overflow', '4294967296b/s', 'EOVERFLOW'],
    ['18446744073709551616B/s', 'rate overflow', '18446744073709551616B/s', 'EOVERFLOW'],
    ['10Mb/s@10h', 'invalid replenishment interval', '10h', 'EINVAL'],
    ['1MB/s@4294967296us', 'replenishment interval overflow', '4294967296us', 'EOVERFLOW'],
    ['1MB/s@4294968ms', 'replenishment interval overflow', '4294968ms', 'EOVERFLOW'],
    ['1MB/s@4295s', 'replenishment interval overflow', '4295s', 'EOVERFLOW'],
    ['1MB/s@0us', 'replenishment interval overflow', '0us', 'EOVERFLOW'],
    ['4294967295GB/s@5us', 'rate overflow', '4294967295GB/s@5us', 'EOVERFLOW'],
    ['4296MB/s@4294s', 'rate overflow', '4296MB/s@4294s', 'EOVERFLOW'],
  ])('%j: %s', (s, msg, text, error) => {
    expect(rate(s)).toEqual({ err: RE(msg, text), error });
  });
});

function tok(nic: DeviceNic, token: string, following = ''): { r: string; err: string } {
  const sink = collectingSink();
  const r = parseNicToken(nic, { report: sink, source: 'command line' }, token, following);
  return { r: r.kind === 'exit' ? `exit ${r.code}` : r.kind, err: sink.text() };
}

describe('vif tokens (parse_nic_config)', () => {
  it('documented example', () => {
    const { nic } = parseVifItem({ report: collectingSink(), source: 'x' }, {}, 'mac=00:16:3E:74:3d:76,model=rtl8139,bridge=xenbr0');
    expect(nic).toEqual({ mac: '00:16:3e:74:3d:76', model: 'rtl8139', bridge: 'xenbr0' });
    expect(parseVifItem({ report: collectingSink(), source: 'x' }, {}, '').nic).toEqual({});
  });
  it('mac: any single separator, 0x prefix, hex fields ≤ 255', () => {
    const nic: DeviceNic = {};
    expect(tok(nic, 'mac=00-16-3e-0x5f+48.e4')).toEqual({ r: 'ok', err: '' });
    expect(nic.mac).toBe('00:16:3e:5f:48:e4');
    expect(tok(nic, 'mac=00:16:3e:5f:48:100')).toEqual({ r: 'bad', err: "Invalid parameter `mac'.\n" });
    expect(tok(nic, 'mac=zz:16:3e:5f:48:10')).toEqual({ r: 'bad', err: "Invalid parameter `mac'.\n" });
    // the value is truncated to unsigned int before the range check
    expect(tok(nic, 'mac=100000000:1:2:3:4:5')).toEqual({ r: 'ok', err: '' });
    expect(nic.mac).toBe('00:01:02:03:04:05');
  });
  it('a short mac reads on into the text after the token', () => {
    const nic: DeviceNic = {};
    expect(tok(nic, 'mac=00:16:3e', 'bridge=xenbr0')).toEqual({ r: 'bad', err: "Invalid parameter `mac'.\n" });
    expect(tok(nic, 'mac=1:2:3:4:5', 'a6')).toEqual({ r: 'ok', err: '' });
    expect(nic.mac).toBe('01:02:03:04:05:a6');
    expect(tok(nic, 'mac=1:2:3:4:5')).toEqual({ r: 'bad', err: "Invalid parameter `mac'.\n" });
  });
  it('type', () => {
    const nic: DeviceNic = {};
    expect(tok(nic, 'type=ioemu').r).toBe('ok');
    expect(nic.nictype).toBe('vif_ioemu');
    expect(tok(nic, 'type=vif').r).toBe('ok');
    expect(nic.nictype).toBe('vif');
    expect(tok(nic, 'type=ioemu,model=e1000')).toEqual({ r: 'bad', err: "Invalid parameter `type'.\n" });
  });
  it('strings, netdev alias, accel, vlan, trusted', () => {
    const nic: DeviceNic = {};
    for (const t of ['bridge=br1', 'ip=10.0.0.2', 'script=vif-nat', 'backend=dd', 'vifname=v1', 'model=e1000', 'vlan=10p/100+10x4', 'forwarddev=eth0', 'colo_checkpoint_port=9', 'trusted'])
      expect(tok(nic, t)).toEqual({ r: 'ok', err: '' });
    expect(tok(nic, 'netdev=eth1')).toEqual({ r: 'ok', err: 'the netdev parameter is deprecated, please use gatewaydev instead\n' });
    expect(tok(nic, 'accel=x')).toEqual({ r: 'ok', err: 'the accel parameter for vifs is currently not supported\n' });
    expect(nic).toEqual({
      bridge: 'br1', ip: '10.0.0.2', script: 'vif-nat', backend_domname: 'dd', ifname: 'v1', model: 'e1000',
      vlan: '10p/100+10x4', coloft_forwarddev: 'eth0', colo_checkpoint_port: '9', trusted: true, gatewaydev: 'eth1',
    });
    expect(tok(nic, 'untrusted').r).toBe('ok');
    expect(nic.trusted).toBe(false);
  });
  it('devid and mtu: decimal, bad value exits 1', () => {
    const nic: DeviceNic = {};
    expect(tok(nic, 'mtu=9000')).toEqual({ r: 'ok', err: '' });
    expect(tok(nic, 'devid=3')).toEqual({ r: 'ok', err: '' });
    expect(nic).toEqual({ mtu: 9000, devid: 3 });
    expect(tok(nic, 'mtu=abc')).toEqual({ r: 'exit 1', err: 'xl: failed to convert "abc" to number\n' });
    expect(tok(nic, 'devid=18446744073709551615')).toEqual({ r: 'exit 1', err: 'xl: failed to convert "18446744073709551615" to number\n' });
  });
  it('unknown token; rate errors exit 1', () => {
    expect(tok({}, 'foo')).toEqual({ r: 'bad', err: "unrecognized argument `foo'\n" });
    expect(tok({}, 'rate=foo')).toEqual({ r: 'exit 1', err: RE('invalid rate', 'foo') });
  });
  it('xl.conf defaults come first and tokens override them', () => {
    const nic = newNicWithDefaults({ script: 's', bridge: 'b', gatewaydev: 'g', backend: 'd' });
    expect(nic).toEqual({ script: 's', bridge: 'b', gatewaydev: 'g', backend_domname: 'd' });
    const env = { report: collectingSink(), source: 'c.cfg' };
    expect(parseVifItem(env, { bridge: 'b' }, 'bridge=x').nic).toEqual({ bridge: 'x' });
  });
  it('config items: strtok pieces, leading spaces skipped, trailing kept; bad tokens only warn', () => {
    expect(splitVifItem(',, bridge=a ,,mac=1')).toEqual([
      { token: 'bridge=a ', following: ',mac=1' },
      { token: 'mac=1', following: '' },
    ]);
    const sink = collectingSink();
    const r = parseVifItem({ report: sink, source: 'g.cfg' }, {}, 'foo,bridge=br0,type=x');
    expect(r).toEqual({ nic: { bridge: 'br0' } });
    expect(sink.text()).toBe("unrecognized argument `foo'\nInvalid parameter `type'.\n");
    const sink2 = collectingSink();
    expect(parseVifItem({ report: sink2, source: 'g.cfg' }, {}, 'rate=1,bridge=b')).toEqual({ nic: {}, exitCode: 1 });
    expect(sink2.text()).toBe(RE('invalid rate', '1').replace('command line', 'g.cfg'));
  });
  it('JSON of a nic', () => {
    const nic: DeviceNic = { mac: '00:16:3e:74:3d:76', bridge: 'xenbr0', trusted: true };
    expect(deviceToJson('nic', nic)).toBe('{\n    "mac": "00:16:3e:74:3d:76",\n    "bridge": "xenbr0",\n    "trusted": "True"\n}\n');
  });
});

describe('check-xl-vif-parse expectations through the JSON generator', () => {
  it.each(VIF_CASES.map((c) => [c.args.join(' '), c] as const))('%s', (_name, c) => {
    const nic: DeviceNic = {};
    const env = { report: collectingSink(), source: 'command line' };
    let rc = 0;
    for (const a of c.args) {
      const r = parseNicToken(nic, env, a);
      if (r.kind !== 'ok') {
        rc = r.kind === 'bad' ? 1 : r.code;
        break;
      }
    }
    expect(rc).toBe(c.rc);
    expect(rc === 0 ? `vif: ${deviceToJson('nic', nic)}\n` : '').toBe(c.stdout);
  });
});
