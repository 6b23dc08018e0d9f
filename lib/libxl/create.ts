/**
 * libxl_domain_create_new (libxl_create.c), as a straight line instead of
 * libxl's callback chain: setdefault → libxl__domain_make (createdomain,
 * domid embargo, xenstore skeleton, the name check) → libxl__domain_build
 * (vCPUs, max_pages, paging pool, claim + populate, build_post keys) →
 * devices → store the final config. Any failure after the domain exists
 * destroys it again (silently, as libxl's own clean-up succeeds), so only
 * the consumed domid remains.
 */
import { altp2mCreateArgs } from './altp2m';
import { defaultEmulationFlags } from '../xen/emulation';
import { STRERROR } from '../xen/errno';
import { DOMID_FIRST_RESERVED } from '../xen/constants';
import type { LibxlCtx } from './ctx';
import { removeDomainXenstore } from './destroy';
import { addDevicesToXenstore } from './devices';
import { nicsCheckAtCreate } from './devices-vif';
import { usbctrlAdd, usbdevAdd } from './usb';
import { PciHost } from './pci';
import { isDomidRecent } from './domid_history';
import { ERROR_FAIL, ERROR_INVAL, type LibxlRc } from './errors';
import { libxlLog, where } from './log';
import { nameToDomid } from './domain';
import { LIBXL_MAXMEM_CONSTANT_KB, domainConfigSetdefault } from './setdefault';
import type { DomainConfig } from './types';
import { setDomainConfiguration } from './userdata';
import { testKillPoint } from '../../state/testkill';

export interface CreateResult {
  rc: LibxlRc;
  /** the domid that was allocated, even on failure (xl destroys it again) */
  domid?: number;
}

function domPerms(domid: number): string[] {
  return ['n0', `r${domid}`];
}

/** libxl__domain_make's xenstore skeleton and the name check */
function makeXenstore(lx: LibxlCtx, d: DomainConfig, domid: number): LibxlRc {
  const c = d.c_info;
  const name = c.name ?? '';
  const uuid = c.uuid!;
  const dompath = `/local/domain/${domid}`;
  const vmpath = `/vm/${uuid}`;
  const ro = domPerms(domid);
  const rw = [`n${domid}`];
  // libxl__domain_rename runs inside libxl's transaction and a clash aborts
  // it: nothing of the skeleton is ever written. Checked before any write
  // here, so that a restore of a save file whose guest still runs (same
  // uuid) cannot remove that guest's /vm/<uuid> on its way out.
  if (name !== '') {
    const other = nameToDomid(lx, name);
    if (other.rc === 0 && other.domid !== domid) {
      libxlLog(lx.xtl, 'error', where('libxl_domain.c', 81, 'libxl__domain_rename'), domid, `Domain with name "${name}" already exists.`);
      return ERROR_INVAL;
    }
  }
  lx.xs.rm(dompath);
  lx.xs.mkdirPerms(dompath, ro);
  lx.xs.rm(vmpath);
  lx.xs.mkdirPerms(vmpath, ro);
  lx.xs.mkdirPerms(`/libxl/${domid}`, ['n0']);
  lx.xs.mkdirPerms(`/libxl/${domid}/device`, ['n0']);
  lx.xs.writePerms(`/libxl/${domid}/type`, c.type ?? 'pv', ['n0']);
  lx.xs.writePerms(`${dompath}/vm`, vmpath, ro);
  for (const sub of ['cpu', 'memory', 'device', 'control']) lx.xs.mkdirPerms(`${dompath}/${sub}`, ro);
  lx.xs.writePerms(`${dompath}/control/shutdown`, '', rw);
  lx.xs.writePerms(`${dompath}/control/feature-poweroff`, '', rw);
  lx.xs.writePerms(`${dompath}/control/feature-reboot`, '', rw);
  lx.xs.writePerms(`${dompath}/control/feature-suspend`, '', rw);
  lx.xs.writePerms(`${dompath}/control/sysrq`, '', rw);
  lx.xs.writePerms(`${dompath}/control/platform-feature-multiprocessor-suspend`, '1', ro);
  lx.xs.writePerms(`${dompath}/control/platform-feature-xs_reset_watches`, '1', ro);
  lx.xs.mkdirPerms(`${dompath}/device/suspend`, ro);
  lx.xs.writePerms(`${dompath}/device/suspend/event-channel`, '', rw);
  for (const sub of ['data', 'drivers', 'feature', 'attr', 'error']) lx.xs.mkdirPerms(`${dompath}/${sub}`, rw);
  lx.xs.writePerms(`${vmpath}/uuid`, uuid, ro);
  lx.xs.writePerms(`${dompath}/name`, name, ro);
  lx.xs.writePerms(`${vmpath}/name`, name, ro);
  if (d.b_info.type === 'hvm') lx.xs.mkdirPerms(`${dompath}/hvmloader`, ro);
  return 0;
}

/** libxl__build_post's keys */
function buildPost(lx: LibxlCtx, d: DomainConfig, domid: number): void {
  const b = d.b_info;
  const dompath = `/local/domain/${domid}`;
  const vmpath = `/vm/${d.c_info.uuid!}`;
  const ro = domPerms(domid);
  const video = b.video_memkb ?? 0;
  const fudge = video + (b.type === 'hvm' && (b.max_memkb ?? 0) > (b.target_memkb ?? 0) ? 1024 : 0);
  lx.xs.writePerms(`${dompath}/memory/static-max`, String(b.max_memkb), ro);
  lx.xs.writePerms(`${dompath}/memory/target`, String((b.target_memkb ?? 0) - fudge), ro);
  lx.xs.writePerms(`${dompath}/memory/videoram`, String(video), ro);
  lx.xs.writePerms(`${dompath}/domid`, String(domid), ro);
  lx.xs.mkdirPerms(`${dompath}/store`, ro);
  lx.xs.writePerms(`${dompath}/store/port`, '1', ro);
  lx.xs.writePerms(`${dompath}/store/ring-ref`, String(0xfeffc + 0), ro);
  const avail = new Set(b.avail_vcpus ?? [0]);
  for (let i = 0; i < (b.max_vcpus ?? 1); i++) {
    lx.xs.mkdirPerms(`${dompath}/cpu/${i}`, ro);
    lx.xs.writePerms(`${dompath}/cpu/${i}/availability`, avail.has(i) ? 'online' : 'offline', ro);
  }
  const secs = Math.floor(lx.wallMs() / 1000);
  const centis = Math.floor((lx.wallMs() % 1000) / 10);
  lx.xs.writePerms(`${vmpath}/start_time`, `${secs}.${String(centis).padStart(2, '0')}`, ro);
  if (b.type === 'hvm') {
    lx.xs.writePerms(`${vmpath}/image/ostype`, 'hvm', ro);
    lx.xs.writePerms(`${vmpath}/rtc/timeoffset`, '0', ro);
  } else {
    lx.xs.writePerms(`${vmpath}/image/ostype`, 'linux', ro);
    if (b.kernel) lx.xs.writePerms(`${vmpath}/image/kernel`, b.kernel, ro);
    if (b.ramdisk) lx.xs.writePerms(`${vmpath}/image/ramdisk`, b.ramdisk, ro);
    if (b.cmdline) lx.xs.writePerms(`${vmpath}/image/cmdline`, b.cmdline, ro);
  }
  lx.xs.writePerms(`/libxl/${domid}/dm-version`, b.device_model_version ?? 'qemu_xen', ['n0']);
}

/** libxl__build_dom's memory steps; rc and the logged failure lines */
function buildMemory(lx: LibxlCtx, d: DomainConfig, domid: number): LibxlRc {
  const b = d.b_info;
  const type = b.type ?? 'pv';
  const target = b.target_memkb ?? 0;
  const video = b.video_memkb ?? 0;
  lx.hv.max_mem(domid, target + LIBXL_MAXMEM_CONSTANT_KB);
  if (type !== 'pv') {
    const pool = lx.hv.set_paging_mempool_size(domid, (b.shadow_memkb ?? 0) * 1024);
    if (!pool.ok) {
      libxlLog(lx.xtl, 'error', where('libxl_x86.c', 543, 'libxl__arch_domain_create'), domid, 'Failed to set paging mempool size', STRERROR[pool.errno]);
      return ERROR_FAIL;
    }
  }
  const pages = Math.floor(target / 4);
  const pod = type !== 'pv' && target < (b.max_memkb ?? target);
  if (b.claim_mode) {
    const claim = lx.hv.claim_pages(domid, pages);
    if (!claim.ok) {
      if (type !== 'pv') lx.xtl.log('detail', 'domainbuilder', 'Could not allocate memory for HVM guest as we cannot claim memory!');
      return memFailure(lx, domid, type, pages, 'ENOMEM');
    }
  }
  if (pod) lx.hv.populate_physmap(domid, Math.floor(((b.max_memkb ?? 0) - video) / 4) - pages, { pod: true });
  const r = lx.hv.populate_physmap(domid, pages);
  const done = r.ok ? r.value : 0;
  if (b.claim_mode) lx.hv.claim_pages(domid, 0);
  if (done < pages) {
    if (type !== 'pv') lx.xtl.log('detail', 'domainbuilder', 'Could not allocate memory for HVM guest.');
    lx.xtl.log('detail', 'xc', `Failed allocation for dom ${domid}: ${pages - done} extents of order 0`);
    return memFailure(lx, domid, type, pages, b.claim_mode ? 'ENOMEM' : 'EBUSY');
  }
  return 0;
}

function memFailure(lx: LibxlCtx, domid: number, type: string, pages: number, errno: 'ENOMEM' | 'EBUSY'): LibxlRc {
  if (type === 'pv') {
    lx.xtl.log('error', 'xc', `panic: xg_dom_x86.c:1321: meminit_pv: failed to allocate 0x${pages.toString(16)} pages`, 'Internal error');
  }
  lx.xtl.log('error', 'xc', "panic: xg_dom_boot.c:121: xc_dom_boot_mem_init: can't allocate low memory for domain", 'Out of memory');
  libxlLog(lx.xtl, 'error', where('libxl_dom.c', 604, 'libxl__build_dom'), undefined, 'xc_dom_boot_mem_init failed', STRERROR[errno]);
  libxlLog(lx.xtl, 'error', where('libxl_create.c', 1653, 'domcreate_rebuild_done'), domid, `cannot (re-)build domain: ${ERROR_FAIL}`);
  return ERROR_FAIL;
}

/** The domain exists but creation failed: libxl's own clean-up (it succeeds quietly). */
function teardown(lx: LibxlCtx, domid: number): void {
  removeDomainXenstore(lx, domid);
  lx.events.cancelWhere({ domid });
  lx.hooks.destroyed(domid);
  lx.hv.destroydomain(domid);
}

export function domainCreateNew(lx: LibxlCtx, d: DomainConfig): CreateResult {
  const caps = lx.hv.physinfo().caps;
  if (!d.c_info.uuid) d.c_info.uuid = lx.rng.uuid();
  const rcDef = domainConfigSetdefault(lx.xtl, d, { hap: caps.hap, shadow: caps.shadow, directio: caps.directio, gnttabV1: caps.gnttabV1, gnttabV2: caps.gnttabV2 }, -1);
  if (rcDef) return { rc: rcDef };
  const c = d.c_info;
  const b = d.b_info;
  const type = c.type === 'hvm' || c.type === 'pvh' ? c.type : 'pv';

  // libxl__domain_make: xc_domain_create, retried past recently used ids;
  // an id the config asks for (a save made with -D) is taken or nothing
  const wanted = c.domid !== undefined && c.domid > 0 && c.domid < DOMID_FIRST_RESERVED ? c.domid : undefined;
  let domid = -1;
  for (;;) {
    const r = lx.hv.createdomain({
      ...(wanted !== undefined ? { domid: wanted } : {}),
      hvm: type !== 'pv',
      hap: type !== 'pv' && c.hap === true,
      oos: c.oos ?? true,
      nested: type !== 'pv' && b.nested_hvm === true,
      vpmu: b.vpmu === true,
      iommu: c.passthrough !== undefined && c.passthrough !== 'disabled',
      maxVcpus: b.max_vcpus ?? 1,
      emulationFlags: defaultEmulationFlags(type),
      handle: c.uuid,
      ssidref: c.ssidref ?? 0,
      altp2m: altp2mCreateArgs(b),
    });
    if (!r.ok) {
      libxlLog(lx.xtl, 'error', where('libxl_create.c', 700, 'libxl__domain_make'), wanted, 'domain creation fail', STRERROR[r.errno]);
      libxlLog(lx.xtl, 'error', where('libxl_create.c', 1309, 'initiate_domain_create'), undefined, `cannot make domain: ${ERROR_FAIL}`);
      return { rc: ERROR_FAIL };
    }
    domid = r.value;
    if (!isDomidRecent(lx, domid)) break;
    if (wanted !== undefined) {
      // libxl gives up on an id it was told to use; the domain it made goes again
      libxlLog(lx.xtl, 'error', where('libxl_create.c', 741, 'libxl__domain_make'), domid, 'domain id recently used');
      libxlLog(lx.xtl, 'error', where('libxl_create.c', 1309, 'initiate_domain_create'), domid, `cannot make domain: ${ERROR_FAIL}`);
      lx.hv.destroydomain(domid);
      return { rc: ERROR_FAIL, domid };
    }
    lx.hv.destroydomain(domid);
  }

  const fail = (rc: LibxlRc): CreateResult => {
    teardown(lx, domid);
    return { rc, domid };
  };

  testKillPoint('create:domain');
  const rcMake = makeXenstore(lx, d, domid);
  if (rcMake) {
    libxlLog(lx.xtl, 'error', where('libxl_create.c', 1309, 'initiate_domain_create'), domid, `cannot make domain: ${rcMake}`);
    return fail(ERROR_FAIL);
  }

  // initiate_domain_create sets the nic defaults before the bootloader runs
  const rcNic = nicsCheckAtCreate(lx, domid, d.nics ?? [], type);
  if (rcNic) return fail(rcNic);

  // libxl__domain_build: build_pre, the domain builder, build_post
  const avail = b.avail_vcpus && b.avail_vcpus.length > 0 ? b.avail_vcpus : [0];
  for (const v of avail) if (v < (b.max_vcpus ?? 1)) lx.hv.vcpu_up(domid, v);
  testKillPoint('create:xenstore');
  const rcMem = buildMemory(lx, d, domid);
  if (rcMem) return fail(rcMem);
  testKillPoint('create:memory');
  buildPost(lx, d, domid);
  addDevicesToXenstore(lx, d, domid);
  // USB controllers first, then the devices plugged into them (device_type_tbl order)
  const attachFailed = (kind: string, rc: LibxlRc): CreateResult => {
    libxlLog(lx.xtl, 'error', where('libxl_create.c', 1980, 'domcreate_attach_devices'), domid, `unable to add ${kind} devices`);
    return fail(rc);
  };
  for (const c of d.usbctrls ?? []) {
    const rc = usbctrlAdd(lx, domid, c);
    if (rc) return attachFailed('vusb', rc);
  }
  for (const u of d.usbdevs ?? []) {
    const rc = usbdevAdd(lx, domid, u);
    if (rc) return attachFailed('vusb', rc);
  }
  // pci= passes host functions through as the domain is built (the pci
  // entry of device_type_tbl); the stored config keeps what the add
  // filled in (vdevfn, rdm policy)
  if (d.pcidevs && d.pcidevs.length > 0) {
    const host = new PciHost(lx, lx.pciHost);
    for (const p of d.pcidevs) {
      const rc = host.pciAdd(domid, p);
      if (rc) return attachFailed('pci', rc);
    }
  }
  testKillPoint('create:devices');
  lx.hooks.built(domid, type, (b.target_memkb ?? 0) - (b.video_memkb ?? 0));

  // domcreate_complete: the stored configuration
  setDomainConfiguration(lx, domid, d);
  testKillPoint('create:done');
  return { rc: 0, domid };
}
