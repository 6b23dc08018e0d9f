/**
 * The five USB commands on a manual-clock host, as an admin types them:
 * controllers and host devices attached to a running PV guest, listed,
 * recorded in the stored config, detached — and every refusal with xl's
 * exact streams and exit code, the host consistent after each step.
 */
import { describe, expect, it } from 'vitest';
import { err, manualHost, ok } from '../hotplug/host';

const PV1 = `name = "pv1"
type = "pv"
kernel = "/boot/vmlinuz"
memory = 256
`;

const HVM1 = `name = "h1"
type = "hvm"
memory = 512
`;

const HEADER = 'Devid  Type         BE  state usb-ver ports\n';

/** one controller's block of `xl usb-list`; `devs` maps port → [bus, addr] */
function ctrlBlock(devid: number, type: string, state: number, ver: number, ports: number, devs: Record<number, [string, string]> = {}): string {
  let s = HEADER + `${String(devid).padEnd(6)} ${type.padEnd(12)} 0   ${String(state).padEnd(5)} ${String(ver).padEnd(7)} ${String(ports).padEnd(5)}\n`;
  for (let p = 1; p <= ports; p++) {
    const d = devs[p];
    s += `  Port ${p}:` + (d ? ` Bus ${d[0]} Device ${d[1]}\n` : '\n');
  }
  return s;
}

const FAIL_ADD = 'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\n';

describe('usb on a PV guest', () => {
  const h = manualHost();

  it('a guest without controllers lists nothing', () => {
    expect(h.xl('create', h.cfg('pv1', PV1)).code).toBe(0);
    h.advance('5s');
    expect(h.xl('usb-list', 'pv1')).toEqual(ok);
    h.check();
  });

  it('usbctrl-attach defaults to a pv controller, USB 2, 8 ports, in xenstore as vusb', () => {
    expect(h.xl('usbctrl-attach', 'pv1')).toEqual(ok);
    expect(h.xl('usbctrl-attach', 'pv1', 'type=pv', 'version=1', 'ports=4')).toEqual(ok);
    expect(h.xl('usb-list', 'pv1')).toEqual({ stdout: ctrlBlock(0, 'pv', 1, 2, 8) + ctrlBlock(1, 'pv', 1, 1, 4), stderr: '', code: 0 });
    const be = '/local/domain/0/backend/vusb/1/1';
    expect(h.xs('xenstore-read', `${be}/type`).stdout).toBe('pv\n');
    expect(h.xs('xenstore-read', `${be}/usb-ver`).stdout).toBe('1\n');
    expect(h.xs('xenstore-read', `${be}/num-ports`).stdout).toBe('4\n');
    expect(h.xs('xenstore-read', `${be}/state`).stdout).toBe('2\n');
    expect(h.xs('xenstore-read', `${be}/port/4`)).toEqual({ stdout: '\n', stderr: '', code: 0 });
    expect(h.xs('xenstore-read', '/local/domain/1/device/vusb/1/backend').stdout).toBe(`${be}\n`);
    expect(h.xs('xenstore-read', '/local/domain/1/device/vusb/1/state').stdout).toBe('1\n');
    const cfg = h.xl('list', '-l', 'pv1').stdout;
    expect(cfg).toContain(
      '            "usbctrls": [\n' +
        '                {\n                    "type": "pv",\n                    "devid": 0,\n                    "version": 2,\n                    "ports": 8\n                },\n' +
        '                {\n                    "type": "pv",\n                    "devid": 1,\n                    "version": 1,\n                    "ports": 4\n                }\n            ],\n',
    );
    h.check();
  });

  it('usbctrl-attach refusals: libxl rules and parser messages', () => {
    expect(h.xl('usbctrl-attach', 'pv1', 'version=3')).toEqual(
      err('libxl: error: libxl_usb.c:67:libxl__device_usbctrl_setdefault: USB version for paravirtualized devices must be 1 or 2\n' + FAIL_ADD + 'libxl_device_usbctrl_add failed.\n'),
    );
    expect(h.xl('usbctrl-attach', 'pv1', 'ports=32')).toEqual(
      err('libxl: error: libxl_usb.c:75:libxl__device_usbctrl_setdefault: Number of ports for USB controller is limited to 31\n' + FAIL_ADD + 'libxl_device_usbctrl_add failed.\n'),
    );
    expect(h.xl('usbctrl-attach', 'pv1', 'type=qusb')).toEqual(
      err('libxl: error: libxl_usb.c:257:libxl__device_usbctrl_add_xenstore: Domain 1:backend type not supported by device model\n' + FAIL_ADD + 'libxl_device_usbctrl_add failed.\n'),
    );
    expect(h.xl('usbctrl-attach', 'pv1', 'type=foo')).toEqual(err("Invalid usb controller type 'foo'\n"));
    expect(h.xl('usbctrl-attach', 'pv1', 'bar=1')).toEqual(err("Unknown string `bar=1' in usbctrl spec\n"));
    expect(h.xl('usbctrl-attach', 'nosuch')).toEqual(err('nosuch is an invalid domain identifier (rc=-6)\n'));
    expect(h.xl('usbctrl-attach').code).toBe(2);
    expect(h.xl('usb-list', 'pv1').stdout).toBe(ctrlBlock(0, 'pv', 1, 2, 8) + ctrlBlock(1, 'pv', 1, 1, 4));
    h.check();
  });

  it('usbdev-attach takes the first free port, or the one asked for', () => {
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=1', 'hostaddr=2')).toEqual(ok);
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=0x2', 'hostaddr=0x1a', 'controller=1', 'port=3')).toEqual(ok);
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=3', 'hostaddr=4', 'controller=1')).toEqual(ok);
    expect(h.xl('usb-list', 'pv1')).toEqual({
      stdout: ctrlBlock(0, 'pv', 1, 2, 8, { 1: ['001', '002'] }) + ctrlBlock(1, 'pv', 1, 1, 4, { 1: ['003', '004'], 3: ['002', '01a'] }),
      stderr: '',
      code: 0,
    });
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vusb/1/1/port/3').stdout).toBe('2-26\n');
    expect(h.xl('list', '-l', 'pv1').stdout).toContain(
      '            "usbdevs": [\n' +
        '                {\n                    "ctrl": 0,\n                    "port": 1,\n                    "type.hostdev": {\n                        "hostbus": 1,\n                        "hostaddr": 2\n                    }\n                },\n',
    );
    h.check();
  });

  it('usbdev-attach refusals', () => {
    const fail = (line: number, fn: string, msg: string): ReturnType<typeof err> =>
      err(`libxl: error: libxl_usb.c:${line}:${fn}: Domain 1:${msg}\n` + FAIL_ADD + 'libxl_device_usbdev_add failed.\n');
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=1', 'hostaddr=2')).toEqual(fail(1746, 'libxl__device_usbdev_add', 'USB device already attached to a domain'));
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=0', 'hostaddr=2')).toEqual(fail(1732, 'libxl__device_usbdev_add', 'USB device is not assignable.'));
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=5', 'hostaddr=5', 'port=2')).toEqual(
      fail(1166, 'libxl__device_usbdev_setdefault', 'USB controller must be specified if you specify port'),
    );
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=5', 'hostaddr=5', 'controller=1', 'port=3')).toEqual(
      fail(1214, 'libxl__device_usbdev_setdefault', "The controller port isn't available"),
    );
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=5', 'hostaddr=5', 'controller=7')).toEqual(err(FAIL_ADD + 'libxl_device_usbdev_add failed.\n'));
    expect(h.xl('usbdev-attach', 'pv1', 'type=x')).toEqual(err('Invalid usb device type: (null)\n'));
    expect(h.xl('usbdev-attach', 'pv1', 'foo')).toEqual(err("Unknown string `foo' in usbdev spec\n"));
    expect(h.xl('usbdev-attach', 'pv1').code).toBe(2);
    h.check();
  });

  it('a full controller refuses another device', () => {
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=4', 'hostaddr=1', 'controller=1')).toEqual(ok);
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=4', 'hostaddr=9', 'controller=1')).toEqual(ok);
    expect(h.xl('usb-list', 'pv1').stdout).toBe(
      ctrlBlock(0, 'pv', 1, 2, 8, { 1: ['001', '002'] }) + ctrlBlock(1, 'pv', 1, 1, 4, { 1: ['003', '004'], 2: ['004', '001'], 3: ['002', '01a'], 4: ['004', '009'] }),
    );
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=5', 'hostaddr=5', 'controller=1')).toEqual(
      err('libxl: error: libxl_usb.c:1241:libxl__device_usbdev_setdefault: Domain 1:No available port under specified controller\n' + FAIL_ADD + 'libxl_device_usbdev_add failed.\n'),
    );
    expect(h.xl('usbdev-detach', 'pv1', '1', '2')).toEqual(ok);
    expect(h.xl('usbdev-detach', 'pv1', '1', '4')).toEqual(ok);
    h.check();
  });

  it('usbdev-detach frees the port; usbctrl-detach takes its devices with it', () => {
    expect(h.xl('usbdev-detach', 'pv1', '1', '5')).toEqual(err('Unknown device at controller 1 port 5.\n'));
    expect(h.xl('usbdev-detach', 'pv1', '1', '3', 'x')).toEqual(err('Invalid arguments.\n'));
    expect(h.xl('usbdev-detach', 'pv1', '1')).toEqual({
      stdout: 'Usage: xl [-vtTf] usbdev-detach <Domain> <controller> <port>\n\nDetach a USB device from a domain.\n\n',
      stderr: "'xl usbdev-detach' requires at least 3 arguments.\n\n",
      code: 2,
    });
    expect(h.xl('usbdev-detach', 'pv1', '1', '3')).toEqual(ok);
    expect(h.xl('usb-list', 'pv1').stdout).toBe(ctrlBlock(0, 'pv', 1, 2, 8, { 1: ['001', '002'] }) + ctrlBlock(1, 'pv', 1, 1, 4, { 1: ['003', '004'] }));
    expect(h.xl('usbctrl-detach', 'pv1', '9')).toEqual(err('Unknown device 9.\n'));
    expect(h.xl('usbctrl-detach', 'pv1', '0')).toEqual(ok);
    expect(h.xl('usb-list', 'pv1')).toEqual({ stdout: ctrlBlock(1, 'pv', 1, 1, 4, { 1: ['003', '004'] }), stderr: '', code: 0 });
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vusb/1/0/state').code).toBe(1);
    const cfg = h.xl('list', '-l', 'pv1').stdout;
    expect(cfg).not.toContain('"devid": 0,\n                    "version": 2');
    expect(cfg).not.toContain('"hostaddr": 2\n');
    expect(cfg).toContain('"hostaddr": 4\n');
    // the freed device can go elsewhere now
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=1', 'hostaddr=2', 'controller=1')).toEqual(ok);
    expect(h.xl('usb-list', 'pv1').stdout).toBe(ctrlBlock(1, 'pv', 1, 1, 4, { 1: ['003', '004'], 2: ['001', '002'] }));
    expect(h.xl('usbctrl-detach', 'pv1', '1')).toEqual(ok);
    expect(h.xl('usb-list', 'pv1')).toEqual(ok);
    expect(h.xl('list', '-l', 'pv1').stdout).not.toContain('usbdevs": [\n                {');
    h.check();
  });

  it('usbdev-attach with no controller creates a default one', () => {
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=7', 'hostaddr=100')).toEqual(ok);
    expect(h.xl('usb-list', 'pv1').stdout).toBe(ctrlBlock(0, 'pv', 1, 2, 8, { 1: ['007', '064'] }));
    h.check();
  });

  it('usb-list argument errors', () => {
    expect(h.xl('usb-list', 'pv1', 'x')).toEqual(err('Invalid arguments.\n', 255));
    expect(h.xl('usb-list')).toEqual({
      stdout: 'Usage: xl [-vtT] usb-list <Domain>\n\nList information about all USB controllers and devices for a domain.\n\n',
      stderr: "'xl usb-list' requires at least 1 argument.\n\n",
      code: 2,
    });
    expect(h.xl('usb-list', 'nosuch')).toEqual(err('nosuch is an invalid domain identifier (rc=-6)\n'));
  });

  it('destroying the guest removes its controllers from xenstore', () => {
    expect(h.xl('destroy', 'pv1').code).toBe(0);
    expect(h.xs('xenstore-read', '/local/domain/0/backend/vusb/1/0/state').code).toBe(1);
    h.check();
  });
});

describe('the guest connects its pv controllers (xen-hcd)', () => {
  const h = manualHost();
  const fe = '/local/domain/1/device/vusb/0';
  const be = '/local/domain/0/backend/vusb/1/0';
  const read = (path: string): string => h.xs('xenstore-read', path).stdout;

  it('a hot-plugged controller goes Initialising → Initialised → Connected over simulated time', () => {
    expect(h.xl('create', h.cfg('pv1', PV1)).code).toBe(0);
    h.advance('5s');
    expect(h.xl('usbctrl-attach', 'pv1')).toEqual(ok);
    expect(h.xl('usbdev-attach', 'pv1', 'hostbus=1', 'hostaddr=2')).toEqual(ok);
    expect([read(`${fe}/state`), read(`${be}/state`)]).toEqual(['1\n', '2\n']);
    expect(h.xl('usb-list', 'pv1').stdout).toBe(ctrlBlock(0, 'pv', 1, 2, 8, { 1: ['001', '002'] }));
    // the guest's xenbus watch fires: xen-hcd shares its rings
    h.advance('50ms');
    expect([read(`${fe}/state`), read(`${be}/state`)]).toEqual(['3\n', '2\n']);
    expect(h.xs('xenstore-ls', fe)).toEqual({
      stdout: 'backend = "/local/domain/0/backend/vusb/1/0"\nbackend-id = "0"\nstate = "3"\nurb-ring-ref = "8"\nconn-ring-ref = "9"\nevent-channel = "10"\n',
      stderr: '',
      code: 0,
    });
    h.advance('20ms');
    expect([read(`${fe}/state`), read(`${be}/state`)]).toEqual(['4\n', '4\n']);
    expect(h.xl('usb-list', 'pv1')).toEqual({ stdout: ctrlBlock(0, 'pv', 4, 2, 8, { 1: ['001', '002'] }), stderr: '', code: 0 });
    h.check();
  });

  it('a second controller takes the next free grants and event channel', () => {
    expect(h.xl('usbctrl-attach', 'pv1', 'version=1', 'ports=2')).toEqual(ok);
    h.advance('1s');
    expect(read('/local/domain/1/device/vusb/1/urb-ring-ref')).toBe('10\n');
    expect(read('/local/domain/1/device/vusb/1/event-channel')).toBe('11\n');
    expect(h.xl('usb-list', 'pv1').stdout).toBe(ctrlBlock(0, 'pv', 4, 2, 8, { 1: ['001', '002'] }) + ctrlBlock(1, 'pv', 4, 1, 2));
    h.check();
  });

  it('a controller from the config connects once the kernel is up; a paused guest leaves it waiting', () => {
    const f = h.cfg('pv2', PV1.replace('pv1', 'pv2') + 'usbctrl = ["version=2,ports=2"]\n');
    expect(h.xl('create', '-p', f).code).toBe(0);
    h.advance('10s');
    expect(h.xl('usb-list', 'pv2').stdout).toBe(ctrlBlock(0, 'pv', 1, 2, 2));
    expect(h.xl('unpause', 'pv2')).toEqual(ok);
    h.advance('5s');
    expect(h.xl('usb-list', 'pv2').stdout).toBe(ctrlBlock(0, 'pv', 4, 2, 2));
    h.check();
  });
});

describe('an HVM guest without PV drivers never connects a pv controller', () => {
  const h = manualHost();

  it('stays at Initialising', () => {
    expect(h.xl('create', h.cfg('h1', HVM1)).code).toBe(0);
    expect(h.xlsim('guest', 'h1', 'pv-drivers', 'off').code).toBe(0);
    h.advance('20s');
    expect(h.xl('usbctrl-attach', 'h1', 'type=pv')).toEqual(ok);
    h.advance('5s');
    expect(h.xl('usb-list', 'h1').stdout).toBe(ctrlBlock(0, 'pv', 1, 2, 8));
    h.check();
  });
});

describe('usb on an HVM guest: QEMU controllers', () => {
  const h = manualHost();

  it('auto is devicemodel, with QEMU fixed port counts', () => {
    expect(h.xl('create', h.cfg('h1', HVM1)).code).toBe(0);
    h.advance('5s');
    const fail = (line: number, msg: string): ReturnType<typeof err> =>
      err(`libxl: error: libxl_usb.c:${line}:libxl__device_usbctrl_setdefault: ${msg}\n` + FAIL_ADD + 'libxl_device_usbctrl_add failed.\n');
    expect(h.xl('usbctrl-attach', 'h1', 'version=1', 'ports=4')).toEqual(fail(88, 'Number of ports for USB controller of version 1 is always 2'));
    expect(h.xl('usbctrl-attach', 'h1', 'version=2', 'ports=4')).toEqual(fail(98, 'Number of ports for USB controller of version 2 is always 6'));
    expect(h.xl('usbctrl-attach', 'h1', 'version=3', 'ports=16')).toEqual(fail(110, 'Number of ports for USB controller of version 3 is limited to 15'));
    expect(h.xl('usbctrl-attach', 'h1', 'version=4')).toEqual(fail(117, 'Illegal USB version'));
    expect(h.xl('usbctrl-attach', 'h1')).toEqual(ok);
    expect(h.xl('usbctrl-attach', 'h1', 'version=3')).toEqual(ok);
    expect(h.xl('usbdev-attach', 'h1', 'hostbus=1', 'hostaddr=5', 'controller=1')).toEqual(ok);
    expect(h.xl('usb-list', 'h1')).toEqual({ stdout: ctrlBlock(0, 'devicemodel', 0, 2, 6) + ctrlBlock(1, 'devicemodel', 0, 3, 8, { 1: ['001', '005'] }), stderr: '', code: 0 });
    expect(h.xs('xenstore-read', '/libxl/1/device/vusb/1/port/1').stdout).toBe('1-5\n');
    expect(h.xl('usbctrl-detach', 'h1', '1')).toEqual(ok);
    expect(h.xl('usb-list', 'h1').stdout).toBe(ctrlBlock(0, 'devicemodel', 0, 2, 6));
    // (no `xlsim check` here: see the report — the checker expects every
    // /libxl device entry to name a frontend, which QEMU controllers lack)
  });
});
