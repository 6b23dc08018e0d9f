/**
 * libxl_domain_destroy (libxl_domain.c: libxl__destroy_domid and its
 * callbacks): pause, tear down devices and the device model, remove the
 * domain's xenstore trees and userdata, remember the domid as recently
 * used, then XEN_DOMCTL_destroydomain. A domid that does not exist gives
 * libxl's four error lines and ERROR_DOMAIN_NOTFOUND.
 */
import { destroyDomainDevices } from './devices';
import { STRERROR } from '../xen/errno';
import type { LibxlCtx } from './ctx';
import { markDomidRecent } from './domid_history';
import { ERROR_DOMAIN_NOTFOUND, ERROR_FAIL, type LibxlRc } from './errors';
import { libxlLog, where } from './log';
import { userdataUnlink } from './userdata';

function destroyFailed(lx: LibxlCtx, domid: number, rc: LibxlRc): LibxlRc {
  libxlLog(lx.xtl, 'error', where('libxl_domain.c', 1135, 'domain_destroy_callback'), domid, 'Unable to destroy guest');
  libxlLog(lx.xtl, 'error', where('libxl_domain.c', 1062, 'domain_destroy_cb'), domid, 'Destruction of domain failed');
  return rc;
}

/** Removes everything libxl wrote for the domain in xenstore. */
export function removeDomainXenstore(lx: LibxlCtx, domid: number): void {
  const dompath = `/local/domain/${domid}`;
  const vm = lx.xs.tryRead(`${dompath}/vm`);
  // backends (under dom0 or a driver domain), and PCI devices handed back
  destroyDomainDevices(lx, domid);
  if (vm) lx.xs.rm(vm);
  lx.xs.rm(dompath);
  lx.xs.rm(`/libxl/${domid}`);
}

export function domainDestroy(lx: LibxlCtx, domid: number): LibxlRc {
  const info = lx.hv.getdomaininfo(domid);
  if (!info.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 356, 'libxl_domain_info'), domid, 'Getting domain info', STRERROR[info.errno]);
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 1181, 'libxl__destroy_domid'), domid, 'Non-existant domain');
    return destroyFailed(lx, domid, ERROR_DOMAIN_NOTFOUND);
  }
  // a failed pause (Domain-0 pausing itself, a count at its limit) is
  // logged without errno text and the teardown goes on regardless
  if (!lx.hv.pausedomain(domid).ok) libxlLog(lx.xtl, 'error', where('libxl_domain.c', 1217, 'destroy_domid_pci_done'), domid, 'xc_domain_pause failed');
  removeDomainXenstore(lx, domid);
  userdataUnlink(lx, domid);
  lx.hooks.destroyed(domid);
  lx.events.cancelWhere({ domid });
  markDomidRecent(lx, domid);
  const r = lx.hv.destroydomain(domid);
  if (!r.ok) {
    libxlLog(lx.xtl, 'error', where('libxl_domain.c', 1618, 'domain_destroy_domid_cb'), domid, 'xc_domain_destroy failed', STRERROR[r.errno]);
    return destroyFailed(lx, domid, ERROR_FAIL);
  }
  return 0;
}
