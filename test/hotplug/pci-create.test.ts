/**
 * pci= in a guest's config: the functions are passed through as the domain
 * is built (libxl's domcreate_attach_devices, pci entry), so `xl pci-list`
 * shows them and they leave the assignable list at once; a function that is
 * not assignable, or already another guest's, fails the create with libxl's
 * lines and leaves no domain; destroying the guest hands the function back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { err, manualHost, ok, type Host } from './host';
import { destroyGoneLines } from '../helpers/libxl-lines';

const CLEANUP = (domid: number) =>
  `libxl: error: libxl_create.c:1980:domcreate_attach_devices: Domain ${domid}:unable to add pci devices\n` +
  destroyGoneLines(domid);

describe('pci= at create', () => {
  let h: Host;
  const hvm = (name: string, bdf: string) => h.cfg(name, `name = "${name}"\ntype = "hvm"\nmemory = 256\npci = [ "${bdf}" ]\n`);

  beforeAll(() => {
    h = manualHost();
  });

  it('passes an assignable function through; pci-list shows it, the assignable list loses it', () => {
    expect(h.xl('pci-assignable-list')).toEqual({ stdout: '0000:04:00.0 \n', stderr: '', code: 0 });
    expect(h.xl('create', '-q', hvm('h1', '0000:04:00.0'))).toEqual(ok);
    expect(h.xl('pci-list', 'h1')).toEqual({ stdout: 'Vdev Device\n04.0 0000:04:00.0\n', stderr: '', code: 0 });
    expect(h.xl('pci-assignable-list')).toEqual(ok);
    expect(h.xl('list', '-l', 'h1').stdout).toContain('"pcidevs": [\n                {\n                    "bus": 4,\n                    "vdevfn": 32,');
    h.check();
  });

  it('a function another guest has fails the create, and no domain is left', () => {
    const before = h.xl('list').stdout;
    expect(h.xl('create', '-q', hvm('h2', '0000:04:00.0'))).toEqual(
      err(
        'libxl: error: libxl_pci.c:1669:libxl__device_pci_add: Domain 2:PCI device 0000:04:00.0 already assigned to a different guest?\n' +
          'libxl: error: libxl_pci.c:1820:device_pci_add_done: Domain 2:libxl__device_pci_add failed for PCI device 0:4:0.0 (rc -1)\n' +
          'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\n' +
          CLEANUP(2),
        // the add's rc (-1) is the create's: main_create exits with its negation
        1,
      ),
    );
    expect(h.xl('list').stdout).toBe(before);
    h.check();
  });

  it('a function not bound to pciback fails the create the same way', () => {
    expect(h.xl('create', '-q', hvm('h3', '0000:03:00.0'))).toEqual(
      err(
        'libxl: error: libxl_pci.c:1688:libxl__device_pci_add: Domain 3:PCI device 0:3:0.0 is not assignable\n' +
          'libxl: error: libxl_pci.c:1820:device_pci_add_done: Domain 3:libxl__device_pci_add failed for PCI device 0:3:0.0 (rc -3)\n' +
          'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\n' +
          CLEANUP(3),
        3,
      ),
    );
    h.check();
  });

  it('destroying the guest hands the function back', () => {
    expect(h.xl('destroy', 'h1')).toEqual(ok);
    expect(h.xl('pci-assignable-list')).toEqual({ stdout: '0000:04:00.0 \n', stderr: '', code: 0 });
    h.check();
  });
});
