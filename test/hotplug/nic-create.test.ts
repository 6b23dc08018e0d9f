/**
 * vif type=ioemu in a PV or PVH guest's config: libxl sets the nic defaults
 * right after making the domain (libxl__device_nic_set_devids) and refuses
 * an emulated interface where no device model runs, so the create fails
 * with ERROR_INVAL (exit 6), the domain it made is gone, and xl's own
 * destroy of it finds nothing. An HVM guest takes the same vif.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { err, manualHost, ok, type Host } from './host';
import { destroyGoneLines } from '../helpers/libxl-lines';

const REFUSED = (domid: number, nic: number) =>
  `libxl: error: libxl_nic.c:107:libxl__device_nic_setdefault: Domain ${domid}:trying to create PV or PVH guest with an emulated interface\n` +
  `libxl: error: libxl_nic.c:529:libxl__device_nic_set_devids: Domain ${domid}:Unable to set nic defaults for nic ${nic}\n` +
  destroyGoneLines(domid);

describe('vif type=ioemu at create', () => {
  let h: Host;
  beforeAll(() => {
    h = manualHost();
  });

  it('a PV guest with an emulated interface is refused and leaves no domain', () => {
    const before = h.xl('list').stdout;
    const xs = h.xs('xenstore-ls', '/').stdout;
    const cfg = h.cfg('pv1', 'name = "pv1"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 256\nvif = [ "bridge=xenbr0", "type=ioemu" ]\n');
    expect(h.xl('create', '-q', cfg)).toEqual(err(REFUSED(1, 1), 6));
    expect(h.xl('list').stdout).toBe(before);
    expect(h.xs('xenstore-ls', '/').stdout).toBe(xs);
    expect(h.xl('domid', 'pv1')).toEqual(err("Can't get domid of domain name 'pv1', maybe this domain does not exist.\n"));
    h.check();
  });

  it('so is a PVH guest', () => {
    const cfg = h.cfg('pvh1', 'name = "pvh1"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 256\nvif = [ "type=ioemu,bridge=xenbr0" ]\n');
    expect(h.xl('create', '-q', cfg)).toEqual(err(REFUSED(2, 0), 6));
    h.check();
  });

  it('an HVM guest gets it, and a PV guest with a plain vif is created', () => {
    expect(h.xl('create', '-q', h.cfg('h1', 'name = "h1"\ntype = "hvm"\nmemory = 256\nvif = [ "type=ioemu" ]\n'))).toEqual(ok);
    expect(h.xl('create', '-q', h.cfg('pv2', 'name = "pv2"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 256\nvif = [ "bridge=xenbr0" ]\n'))).toEqual(ok);
    expect(h.xl('list').stdout).toMatch(/\nh1 +3 .*\npv2 +4 /);
    h.check();
  });
});
