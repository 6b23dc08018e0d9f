import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool, tmpHome, xl } from '../helpers/cli';

// usbctrl= / usbdev= in a config are attached while the domain is created
describe('USB devices from the config', () => {
  const home = tmpHome();
  const env = { XLSIM_HOME: home, XLSIM_HOST: 'u' };
  const cfg = (name: string, text: string) => {
    const f = path.join(home, `${name}.cfg`);
    fs.writeFileSync(f, text);
    return f;
  };

  it('a controller and a device come up with the domain', () => {
    expect(runTool('xlsim', ['host', 'create', 'u', '--clock', 'manual', '--seed', '1'], { env }).code).toBe(0);
    const f = cfg('u1', 'name="u1"\nkernel="/k"\nmemory=256\nusbctrl=["version=2,ports=4"]\nusbdev=["hostbus=1,hostaddr=3"]\n');
    expect(xl(['create', '-q', f], { env })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(xl(['usb-list', 'u1'], { env })).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'Devid  Type         BE  state usb-ver ports\n' +
        '0      pv           0   1     2       4    \n' +
        '  Port 1: Bus 001 Device 003\n  Port 2:\n  Port 3:\n  Port 4:\n',
    });
    expect(runTool('xlsim', ['check'], { env })).toEqual({ code: 0, stdout: 'xlsim check: host is consistent\n', stderr: '' });
  });

  it('a controller libxl refuses fails the create and leaves nothing', () => {
    const f = cfg('u2', 'name="u2"\nkernel="/k"\nmemory=256\nusbctrl=["version=3"]\n');
    const r = xl(['create', f], { env });
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').slice(0, 4)).toEqual([
      `Parsing config from ${f}`,
      'libxl: error: libxl_usb.c:67:libxl__device_usbctrl_setdefault: USB version for paravirtualized devices must be 1 or 2',
      'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device',
      'libxl: error: libxl_create.c:1980:domcreate_attach_devices: Domain 2:unable to add vusb devices',
    ]);
    expect(xl(['domid', 'u2'], { env }).code).toBe(1);
    expect(runTool('xlsim', ['check'], { env })).toEqual({ code: 0, stdout: 'xlsim check: host is consistent\n', stderr: '' });
  });
});
